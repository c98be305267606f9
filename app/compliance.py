"""The compliance rules of a submitted call, the same on the laptop and on the server.

A rep's laptop refuses to submit a call that breaks them, in words the rep can act on; the
sync server refuses the same call, pushed by any client, with the same sentence
(docs/architecture.md, "Design rules"). Each side reads the facts from its own store
(`app/services/calls.py`, `server/sync/compliance.py`) into a `CallFacts`; the rules and their
words live only here, so the two cannot drift apart. Like the contract, this module imports
nothing of the client's store, services or UI: it sits below them, where the server may read
it too (the import-linter contracts in pyproject.toml). Sentences go through `app.i18n.tr`:
German on a laptop with the translator installed, the English source on the server.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from app.i18n import tr

EMAIL = "email"
IN_PERSON = "in_person"
#: Samples are handed over in person only: at a visit or at an event (signed on the spot).
SAMPLE_CHANNELS = frozenset({"in_person", "event"})


@dataclass(frozen=True)
class ProductFacts:
    """What the rules need to know about one product named by the call."""

    name: str
    #: Active and promotable in the territory of the call's account.
    promotable: bool
    #: Samples one account may receive per calendar year; None: no samples at all.
    yearly_sample_limit: int | None
    #: Samples of it the account received in the call's year by other submitted calls.
    given_this_year: int = 0


@dataclass(frozen=True)
class SampleFacts:
    product_id: str
    quantity: int
    #: The account the sample was handed to (None: the call's account).
    recipient_id: str | None = None


@dataclass(frozen=True)
class CallFacts:
    """A call about to be submitted, as plain values read from either store."""

    account_name: str
    channel: str
    #: E-mail consent of the call's account is recorded and granted.
    email_consent_granted: bool
    #: Products detailed, in order.
    products: tuple[str, ...]
    #: The product each discussed key message belongs to (None: an unknown key message).
    key_message_products: tuple[str | None, ...]
    samples: tuple[SampleFacts, ...]
    signature: str | None
    signer_name: str | None
    year: int
    #: Every product the call names (detailed or sampled), by id; a missing one is unknown.
    catalog: Mapping[str, ProductFacts]
    #: Account ids of attendees and sample recipients outside the writer's accounts (the
    #: laptop: accounts it does not hold; the server: outside the caller's scope).
    attendees_outside: frozenset[str] = field(default_factory=frozenset)
    recipients_outside: frozenset[str] = field(default_factory=frozenset)
    #: The rep went to see the doctor and was not received (a failed visit).
    not_received: bool = False


def is_signature(strokes: str | None) -> bool:
    """At least one drawn line (two points) in the signature pad's JSON, not just any text."""
    try:
        parsed = json.loads(strokes or "")
    except ValueError:
        return False
    return isinstance(parsed, list) and any(
        isinstance(stroke, list) and len(stroke) >= 2 for stroke in parsed)


def check_call(facts: CallFacts) -> dict[str, str]:
    """Per form field, the sentence of the rule it breaks; empty when the call may be
    submitted. Keys name the call report's fields (`samples.2.quantity`)."""
    errors: dict[str, str] = {}
    if facts.channel == EMAIL and not facts.email_consent_granted:
        errors["channel"] = tr(
            "{name} has not consented to e-mail. Record the consent first, or choose "
            "another channel.", name=facts.account_name)
    named = set(facts.products) | {s.product_id for s in facts.samples}
    not_allowed = sorted(
        facts.catalog[p].name if p in facts.catalog else p
        for p in named if p not in facts.catalog or not facts.catalog[p].promotable)
    if not_allowed:
        errors["products"] = tr("Not approved for promotion in this territory: {names}.",
                                names=", ".join(not_allowed))
    if not set(facts.key_message_products) <= set(facts.products):
        errors["key_messages"] = tr(
            "A key message belongs to a product that is not among the products discussed.")
    if facts.attendees_outside:
        errors["attendees"] = tr(
            "An attendee is not an account of your territories: remove the attendee.")
    if facts.samples:
        errors.update(_sample_errors(facts))
    if facts.not_received:
        errors.update(_not_received_errors(facts))
    return errors


def _not_received_errors(facts: CallFacts) -> dict[str, str]:
    """A visit the doctor did not receive: only in person, and nothing was handed over or
    discussed (the engine counts it as a failed visit, never as a contact)."""
    sentences = []
    if facts.channel != IN_PERSON:
        sentences.append(tr("Only a visit in person can be marked as not received."))
    if facts.products or facts.key_message_products or facts.samples:
        sentences.append(tr(
            "A call marked not received records no products, key messages or samples: the "
            "doctor was not there to receive them."))
    return {"not_received": " ".join(sentences)} if sentences else {}


def _sample_errors(facts: CallFacts) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not is_signature(facts.signature):
        errors["signature"] = tr("Samples need the recipient's signature.")
    if not facts.signer_name:
        errors["signer_name"] = tr("Enter the name of the person who signed.")
    # Both go to the samples list of the call report, so one field holds both sentences.
    where = [tr("Samples can only be handed over in person.")
             if facts.channel not in SAMPLE_CHANNELS else "",
             tr("Samples can only be given to accounts of your territories.")
             if facts.recipients_outside else ""]
    if any(where):
        errors["samples"] = " ".join(w for w in where if w)
    wanted: dict[str, int] = {}
    for s in facts.samples:
        wanted[s.product_id] = wanted.get(s.product_id, 0) + s.quantity
    for index, s in enumerate(facts.samples):
        product = facts.catalog.get(s.product_id)
        if product is None or product.yearly_sample_limit is None:
            errors[f"samples.{index}.product_id"] = tr(
                "{product} may not be given as a sample.",
                product=product.name if product else s.product_id)
            continue
        given, limit = product.given_this_year, product.yearly_sample_limit
        if given + wanted[s.product_id] > limit:
            errors[f"samples.{index}.quantity"] = tr(
                "Over the yearly limit for {product}: {given} of {limit} given in {year}, "
                "{left} left.", product=product.name, given=given, limit=limit,
                year=facts.year, left=max(limit - given, 0))
    return errors


def refusal(errors: Mapping[str, str]) -> str:
    """The sentences of `errors` as one reason (the server's answer to a refused push)."""
    return " ".join(dict.fromkeys(errors.values()))
