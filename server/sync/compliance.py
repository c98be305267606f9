"""The laptop's compliance rules, applied by the server to every call submitted through push.

A modified client (or a script speaking the API) must not get past what the laptop refuses:
e-mail without granted e-mail consent, products the territory may not promote and their key
messages, samples outside a visit or an event, without signature and signer or beyond the
yearly per-account limit, attendees and sample recipients outside the caller's territories,
anything discussed or handed over at a visit the doctor did not receive.
The rules and their sentences are the laptop's own (`app.compliance`); this module only reads
the facts from the server's store, where the yearly limit counts the samples every device has
submitted.

Checked when a call becomes submitted (with the parts already received), and for each part
that arrives for a call submitted earlier in the same push (the only parts a submitted call
still takes): a part that would break a rule is refused alone, the call stays as submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from app import compliance
from server.email import rules as email_rules
from server.models import (
    Account,
    Attendee,
    ChannelConsent,
    DiscussedKeyMessage,
    DiscussedProduct,
    Interaction,
    KeyMessage,
    Product,
    Sample,
    TerritoryProduct,
)
from server.sync.wire import Rejected

SUBMITTED = "submitted"
PARTS = {"attendees": Attendee, "discussed_products": DiscussedProduct,
         "discussed_key_messages": DiscussedKeyMessage, "samples": Sample}

#: The caller's scope: of the given account ids, those outside it.
Outside = Callable[[set[str]], set[str]]


def check(session: Session, outside: Outside, locked_here: set[str], entity: str, op: str,
          row_id: str, row: Row[Any] | None, values: dict[str, Any]) -> None:
    """Rejected, with the laptop's sentences, when this mutation submits a call that breaks
    a rule or adds a part that makes a call submitted in this push break one."""
    if op != "upsert":
        return
    if entity == "emails":  # approved e-mail's own rules (docs/email.md), when it arrives
        if row is None:
            email_rules.check(session, values)
        return
    if entity == "interactions":
        call = {**(dict(row._mapping) if row is not None else {}), **values, "id": row_id}
        if call.get("status") != SUBMITTED or (row is not None and row.status == SUBMITTED):
            return
        part = None
    elif entity in PARTS:
        call_id = row.interaction_id if row is not None else values.get("interaction_id")
        if call_id not in locked_here:
            return  # a draft's part, or a submitted call's (refused as locked)
        stored = _row(session, Interaction, call_id)
        if stored is None or stored["status"] != SUBMITTED:
            return
        call = stored
        part = (entity, {**(dict(row._mapping) if row is not None else {}), **values,
                         "id": row_id})
    else:
        return
    facts = _facts(session, outside, call, part)
    if facts is None:
        return
    errors = compliance.check_call(facts)
    if errors:
        raise Rejected(compliance.refusal(errors))


def _row(session: Session, model: Any, row_id: Any) -> dict[str, Any] | None:
    """A row as stored now, read with Core: push updates rows with Core statements in this
    transaction, so the ORM's identity map may hold an older copy."""
    if not isinstance(row_id, str):
        return None
    table = model.__table__
    found = session.execute(select(table).where(table.c.id == row_id)).first()
    return dict(found._mapping) if found is not None else None


def _parts(session: Session, call_id: str, part: tuple[str, dict[str, Any]] | None
           ) -> dict[str, list[dict[str, Any]]]:
    """The call's live parts as stored, with the pushed one in place of (or beside) its
    stored version."""
    out: dict[str, list[dict[str, Any]]] = {}
    for entity, model in PARTS.items():
        table = model.__table__
        rows = [dict(r._mapping) for r in session.execute(
            select(table).where(table.c.interaction_id == call_id,
                                table.c.deleted.is_(False)))]
        if part is not None and part[0] == entity:
            rows = [r for r in rows if r["id"] != part[1]["id"]] + [part[1]]
        out[entity] = rows
    return out


def _facts(session: Session, outside: Outside, call: dict[str, Any],
           part: tuple[str, dict[str, Any]] | None) -> compliance.CallFacts | None:
    """The call as the shared rules see it; None when it names no known account or time
    (the database's own checks refuse that row)."""
    account = _row(session, Account, call.get("account_id"))
    start_at = call.get("start_at")
    if account is None or not isinstance(start_at, dt.datetime):
        return None
    parts = _parts(session, call["id"], part)
    products = [p["product_id"] for p in sorted(parts["discussed_products"],
                                                key=lambda p: p["position"] or 0)]
    samples = parts["samples"]
    messages = [k["key_message_id"] for k in parts["discussed_key_messages"]]
    message_products = {km: product for km, product in session.execute(
        select(KeyMessage.id, KeyMessage.product_id).where(KeyMessage.id.in_(messages)))}
    named = set(products) | {s["product_id"] for s in samples}
    promotable = set(session.scalars(
        select(TerritoryProduct.product_id).join(
            Product, Product.id == TerritoryProduct.product_id)
        .where(TerritoryProduct.territory_id == account["territory_id"],
               TerritoryProduct.deleted.is_(False), TerritoryProduct.product_id.in_(named),
               Product.active.is_(True), Product.deleted.is_(False))))
    year = start_at.year
    given = _samples_given(session, account["id"], call["id"], year)
    catalog = {
        pid: compliance.ProductFacts(name, pid in promotable, limit, given.get(pid, 0))
        for pid, name, limit in session.execute(
            select(Product.id, Product.name, Product.yearly_sample_limit)
            .where(Product.id.in_(named)))}
    consent = session.scalar(select(ChannelConsent.consent).where(
        ChannelConsent.account_id == account["id"], ChannelConsent.channel == compliance.EMAIL,
        ChannelConsent.deleted.is_(False)))
    attendees = {a["account_id"] for a in parts["attendees"] if a.get("account_id")}
    recipients = {s["account_id"] for s in samples if s.get("account_id")}
    return compliance.CallFacts(
        account_name=account["name"] or "",
        channel=call.get("channel") or "",
        email_consent_granted=consent == "granted",
        products=tuple(products),
        key_message_products=tuple(message_products.get(m) for m in messages),
        samples=tuple(compliance.SampleFacts(s["product_id"], int(s["quantity"] or 0),
                                             s.get("account_id")) for s in samples),
        signature=call.get("signature"),
        signer_name=call.get("signer_name"),
        year=year,
        catalog=catalog,
        attendees_outside=frozenset(outside(attendees)) if attendees else frozenset(),
        recipients_outside=frozenset(outside(recipients)) if recipients else frozenset(),
        not_received=bool(call.get("not_received")),
    )


def _samples_given(session: Session, account_id: str, call_id: str, year: int
                   ) -> dict[str, int]:
    """Samples per product handed to the account in `year` by other submitted calls, from
    every device: the laptop's `samples_given`, counted where all of them arrive."""
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    rows = session.execute(
        select(Sample.product_id, func.sum(Sample.quantity))
        .join(Interaction, Interaction.id == Sample.interaction_id)
        .where(Sample.account_id == account_id, Sample.deleted.is_(False),
               Interaction.status == SUBMITTED, Interaction.id != call_id,
               Interaction.start_at >= start, Interaction.start_at < end)
        .group_by(Sample.product_id))
    return {product_id: int(total) for product_id, total in rows}
