"""The shared compliance rules on plain facts (both sides: tests/services/test_calls.py and
tests/server/test_compliance.py)."""

from __future__ import annotations

import json

from app import compliance

SIGNED = json.dumps([[[0.1, 0.2], [0.3, 0.4]]])


def facts(**changes: object) -> compliance.CallFacts:
    base: dict[str, object] = {
        "account_name": "Dr. Test", "channel": "in_person", "email_consent_granted": False,
        "products": ("p",), "key_message_products": ("p",),
        "samples": (compliance.SampleFacts("p", 2, "a"),), "signature": SIGNED,
        "signer_name": "Dr. Test", "year": 2026,
        "catalog": {"p": compliance.ProductFacts("Cardiozan", True, 10, 8)},
    }
    return compliance.CallFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_a_compliant_call_breaks_no_rule() -> None:
    assert compliance.check_call(facts()) == {}


def test_samples_by_phone_to_another_territory_say_both() -> None:
    errors = compliance.check_call(facts(channel="phone",
                                         recipients_outside=frozenset({"a"})))
    assert errors == {"samples": "Samples can only be handed over in person. Samples can only "
                                 "be given to accounts of your territories."}


def test_the_refusal_joins_every_sentence_once() -> None:
    errors = compliance.check_call(facts(
        channel="email", signature="x", signer_name=None,
        samples=(compliance.SampleFacts("p", 2), compliance.SampleFacts("p", 1))))
    assert compliance.refusal(errors) == (
        "Dr. Test has not consented to e-mail. Record the consent first, or choose another "
        "channel. Samples need the recipient's signature. Enter the name of the person who "
        "signed. Samples can only be handed over in person. Over the yearly limit for "
        "Cardiozan: 8 of 10 given in 2026, 2 left.")


def test_a_visit_not_received_is_in_person_with_nothing_discussed() -> None:
    nothing = {"products": (), "key_message_products": (), "samples": ()}
    assert compliance.check_call(facts(not_received=True, **nothing)) == {}
    assert compliance.check_call(facts(not_received=True, channel="phone", **nothing)) == {
        "not_received": "Only a visit in person can be marked as not received."}
    for part in nothing:  # any one of them, and the sentence names them all
        errors = compliance.check_call(
            facts(not_received=True, **{**nothing, part: getattr(facts(), part)}))
        assert errors["not_received"] == (
            "A call marked not received records no products, key messages or samples: the "
            "doctor was not there to receive them."), part
