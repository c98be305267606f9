"""Calls: plan one, save it as a draft while the rep types, submit it, delete a draft.

A call is a draft until submitted. Drafts take anything well-formed (the rep is still
typing); submitting checks the business rules (consent, promotable products, samples with
signature and within the yearly limit) and then locks the call for good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import compliance
from app.i18n import tr
from app.services import audit
from app.services.errors import LockedError, NotFoundError, ValidationError
from app.services.parse import Fields
from app.store.accounts import Account, ChannelConsent
from app.store.base import CallStatus, Channel, ConsentState, utcnow
from app.store.catalog import promotable_products, samples_given
from app.store.interactions import (
    Attendee,
    DiscussedKeyMessage,
    DiscussedProduct,
    Interaction,
    Sample,
)
from app.store.journal import AuditEntry
from app.store.reference import KeyMessage, Product

CHANNELS = {c.value for c in Channel}
REACTIONS = {"positive", "neutral", "negative"}
MAX_DURATION_MIN = 24 * 60
#: A submitted call must have happened; allow for a laptop clock a little ahead.
FUTURE_SLACK = dt.timedelta(minutes=15)
AUDIT_DRAFT_WINDOW = dt.timedelta(minutes=10)


@dataclass
class SampleLine:
    product_id: str
    lot: str
    quantity: int | str


@dataclass
class CallForm:
    """What the call report holds, as plain values (ids, strings, numbers, dates)."""

    account_id: str
    channel: str = Channel.IN_PERSON.value
    start_at: dt.datetime | str | None = None
    duration_min: int | str | None = None
    subject: str | None = None
    notes: str | None = None
    follow_up: str | None = None
    follow_up_date: dt.date | str | None = None
    products: list[str] = field(default_factory=list)  # product ids, in priority order
    key_messages: dict[str, str | None] = field(default_factory=dict)  # id -> reaction
    samples: list[SampleLine] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)  # names of further attendees
    signature: str | None = None  # strokes as JSON, from the signature pad
    signer_name: str | None = None
    #: An in-person visit where the doctor did not receive the rep (a failed visit).
    not_received: bool = False


def _parse(session: Session, form: CallForm) -> tuple[Fields, dict[str, object]]:
    """Check the form's shape (no business rules yet); the typed values by column name."""
    f = Fields()
    if session.get(Account, form.account_id) is None:
        f.fail("account_id", tr("The account does not exist on this laptop."))
    values: dict[str, object] = {
        "channel": f.choice("channel", form.channel, CHANNELS),
        "start_at": f.datetime("start_at", form.start_at),
        "duration_min": f.integer("duration_min", form.duration_min, minimum=0,
                                  maximum=MAX_DURATION_MIN),
        "subject": (form.subject or "").strip() or None,
        "notes": form.notes or None,
        "follow_up": (form.follow_up or "").strip() or None,
        "follow_up_date": f.date("follow_up_date", form.follow_up_date),
        "signature": form.signature or None,
        "signer_name": (form.signer_name or "").strip() or None,
        "not_received": form.not_received is True,
    }
    if len(set(form.products)) != len(form.products):
        f.fail("products", tr("A product is listed twice."))
    # Child rows are matched to the form by these keys (_sync_children): a key listed twice
    # would add a row on every save.
    seen_lines: set[tuple[str, str]] = set()
    for i, line in enumerate(form.samples):
        f.integer(f"samples.{i}.quantity", line.quantity, minimum=1, maximum=10_000,
                  required=True)
        if not line.lot.strip():
            f.fail(f"samples.{i}.lot", tr("Enter the lot number printed on the pack."))
        elif (line.product_id, line.lot.strip()) in seen_lines:
            f.fail(f"samples.{i}.lot", tr("This product and lot are already listed."))
        seen_lines.add((line.product_id, line.lot.strip()))
    names = [n.strip() for n in form.attendees if n.strip()]
    if len(set(names)) != len(names):
        f.fail("attendees", tr("An attendee is listed twice."))
    for reaction in form.key_messages.values():
        if reaction is not None and reaction not in REACTIONS:
            f.fail("key_messages", tr("“{value}” is not a reaction.", value=reaction))
    _check_known(session, f, form)
    return f, values


def _check_known(session: Session, f: Fields, form: CallForm) -> None:
    """Products and key messages must exist here (e.g. not withdrawn by a sync meanwhile)."""
    product_ids = set(form.products) | {line.product_id for line in form.samples}
    known = set(session.scalars(select(Product.id).where(Product.id.in_(product_ids),
                                                         Product.deleted.is_(False))))
    if product_ids - known:
        f.fail("products", tr("A product is no longer available on this laptop."))
    if form.key_messages:
        known_km = set(session.scalars(select(KeyMessage.id).where(
            KeyMessage.id.in_(list(form.key_messages)), KeyMessage.deleted.is_(False))))
        if set(form.key_messages) - known_km:
            f.fail("key_messages", tr("A key message is no longer available on this laptop."))


def _get_editable(session: Session, call_id: str) -> Interaction:
    call = session.get(Interaction, call_id)
    if call is None or call.deleted:
        raise NotFoundError(tr("This call no longer exists."))
    if call.status == CallStatus.SUBMITTED:
        raise LockedError(tr("This call was submitted and is locked; it cannot be changed."))
    return call


def _sync_children(session: Session, call: Interaction, form: CallForm) -> None:
    """Make the call's child rows match the form, keeping rows (and their ids) that stay."""
    live_products = {p.product_id: p for p in call.products if not p.deleted}
    for position, product_id in enumerate(form.products, start=1):
        row = live_products.pop(product_id, None)
        if row is None:
            session.add(DiscussedProduct(interaction=call, product_id=product_id,
                                         position=position))
        elif row.position != position:
            row.position = position
    for row in live_products.values():
        row.deleted = True

    live_messages = {k.key_message_id: k for k in call.key_messages if not k.deleted}
    for message_id, reaction in form.key_messages.items():
        km = live_messages.pop(message_id, None)
        if km is None:
            session.add(DiscussedKeyMessage(interaction=call, key_message_id=message_id,
                                            reaction=reaction))
        elif km.reaction != reaction:
            km.reaction = reaction
    for km in live_messages.values():
        km.deleted = True

    live_samples = {(s.product_id, s.lot): s for s in call.samples if not s.deleted}
    for line in form.samples:
        sample = live_samples.pop((line.product_id, line.lot.strip()), None)
        quantity = int(line.quantity)
        if sample is None:
            session.add(Sample(interaction=call, account_id=call.account_id,
                               product_id=line.product_id, lot=line.lot.strip(),
                               quantity=quantity))
        elif sample.quantity != quantity:
            sample.quantity = quantity
    for sample in live_samples.values():
        sample.deleted = True

    live_attendees = {a.name: a for a in call.attendees if not a.deleted}
    for name in (n.strip() for n in form.attendees):
        if name and live_attendees.pop(name, None) is None:
            session.add(Attendee(interaction=call, name=name))
    for attendee in live_attendees.values():
        attendee.deleted = True


def plan_call(session: Session, user_id: str | None, account_id: str,
              start_at: dt.datetime | str, channel: str = Channel.IN_PERSON.value,
              subject: str | None = None) -> str:
    """Put a call in the plan for a day; it becomes a draft when the rep starts the report."""
    form = CallForm(account_id=account_id, channel=channel, start_at=start_at, subject=subject)
    f, values = _parse(session, form)
    if f.errors:
        raise ValidationError(f.errors)
    call = Interaction(account_id=account_id, owner_id=user_id, status=CallStatus.PLANNED.value,
                       **values)
    session.add(call)
    session.flush()
    audit.record(session, user_id, "call.planned", "interactions", call.id,
                 channel=channel, start_at=values["start_at"])
    return call.id


def save_draft(session: Session, user_id: str | None, form: CallForm,
               call_id: str | None = None) -> str:
    """Create or update a draft from the form; returns the call's id.

    Raises ValidationError for malformed values (an impossible date, a negative quantity),
    LockedError for a submitted call. Nothing is written in either case.
    """
    f, values = _parse(session, form)
    if f.errors:
        raise ValidationError(f.errors)
    if call_id is None:
        call = Interaction(account_id=form.account_id, owner_id=user_id,
                           status=CallStatus.DRAFT.value, **values)
        session.add(call)
        action = "call.draft_created"
    else:
        call = _get_editable(session, call_id)
        if call.account_id != form.account_id:
            raise ValidationError({"account_id": tr("A call cannot move to another account.")})
        for name, value in values.items():
            if getattr(call, name) != value:
                setattr(call, name, value)
        call.status = CallStatus.DRAFT.value
        action = "call.draft_saved"
    _sync_children(session, call, form)
    session.flush()
    if action == "call.draft_created" or not _recently_audited(session, call.id):
        audit.record(session, user_id, action, "interactions", call.id)
    return call.id


def _recently_audited(session: Session, call_id: str) -> bool:
    """Whether this draft's editing session is already in the audit log.

    Drafts are saved as the rep types; one audit entry per keystroke pause would bury the
    log (and the outbox) in noise. A draft edited again within AUDIT_DRAFT_WINDOW keeps its
    last entry; the draft's content itself is saved every time.
    """
    last = session.execute(
        select(AuditEntry.action, AuditEntry.at)
        .where(AuditEntry.entity == "interactions", AuditEntry.row_id == call_id)
        .order_by(AuditEntry.at.desc()).limit(1)
    ).first()
    return (last is not None and last.action in {"call.draft_created", "call.draft_saved"}
            and last.at > utcnow() - AUDIT_DRAFT_WINDOW)


def _check_rules(session: Session, call: Interaction, now: dt.datetime) -> dict[str, str]:
    """The rules a call must meet to be submitted; a message per field that breaks one.

    The compliance rules and their words are shared with the server (`app.compliance`); only
    the clock check is the laptop's own (the server does not judge a laptop's clock)."""
    errors: dict[str, str] = {}
    if call.start_at > now + FUTURE_SLACK:
        errors["start_at"] = tr("A call can only be submitted once it has taken place.")
    errors.update(compliance.check_call(_facts(session, call)))
    return errors


def _facts(session: Session, call: Interaction) -> compliance.CallFacts:
    """The call as the shared rules see it, from this laptop's store."""
    account = session.get(Account, call.account_id)
    assert account is not None
    consent = session.scalar(
        select(ChannelConsent.consent).where(
            ChannelConsent.account_id == call.account_id,
            ChannelConsent.channel == Channel.EMAIL.value,
            ChannelConsent.deleted.is_(False),
        )
    )
    products = [p.product_id for p in call.products if not p.deleted]
    samples = [s for s in call.samples if not s.deleted]
    messages = [k.key_message_id for k in call.key_messages if not k.deleted]
    message_products = {km_id: product_id for km_id, product_id in session.execute(
        select(KeyMessage.id, KeyMessage.product_id).where(KeyMessage.id.in_(messages)))}
    named = set(products) | {s.product_id for s in samples}
    # The same list the call report offers (catalog): active products of the territory.
    promotable = {o.id for o in promotable_products(session.connection(), account.territory_id)
                  if o.promotable}
    year = call.start_at.year
    # The sum the form shows as "left this year" (catalog), so form and rule agree.
    given = samples_given(session.connection(), call.account_id, year)
    catalog = {
        pid: compliance.ProductFacts(name, pid in promotable, limit, given.get(pid, 0))
        for pid, name, limit in session.execute(
            select(Product.id, Product.name, Product.yearly_sample_limit)
            .where(Product.id.in_(named)))}
    # Everything on this laptop is in the rep's territories: an attendee or recipient that
    # is not here is outside them.
    linked = {a.account_id for a in call.attendees if not a.deleted and a.account_id} | {
        s.account_id for s in samples if s.account_id}
    here = set(session.scalars(select(Account.id).where(Account.id.in_(linked),
                                                        Account.deleted.is_(False))))
    return compliance.CallFacts(
        account_name=account.name,
        channel=call.channel,
        email_consent_granted=consent == ConsentState.GRANTED,
        products=tuple(products),
        key_message_products=tuple(message_products.get(m) for m in messages),
        samples=tuple(compliance.SampleFacts(s.product_id, s.quantity, s.account_id)
                      for s in samples),
        signature=call.signature,
        signer_name=call.signer_name,
        year=year,
        catalog=catalog,
        attendees_outside=frozenset(
            a.account_id for a in call.attendees
            if not a.deleted and a.account_id and a.account_id not in here),
        recipients_outside=frozenset(
            s.account_id for s in samples if s.account_id and s.account_id not in here),
        not_received=call.not_received,
    )


def submit_problems(session: Session, call_id: str, now: dt.datetime) -> dict[str, str]:
    """What would still stop the call's submission (empty: nothing); writes nothing."""
    return _check_rules(session, _get_editable(session, call_id), now)


def submit_call(session: Session, user_id: str | None, call_id: str,
                now: dt.datetime | None = None) -> None:
    """Check every rule, then lock the call: submitted calls are never changed again."""
    call = _get_editable(session, call_id)
    now = now or utcnow()
    errors = _check_rules(session, call, now)
    if errors:
        raise ValidationError(errors)
    call.status = CallStatus.SUBMITTED.value
    call.submitted_at = now
    if call.signature and call.signed_at is None:
        call.signed_at = now
    account = session.get(Account, call.account_id)
    assert account is not None
    # A visit the doctor did not receive is an attempt, not a contact: the account's last
    # contact (the list, reach and frequency, the plan) stays where it was.
    if not call.not_received and (account.last_contact_at is None
                                  or account.last_contact_at < call.start_at):
        account.last_contact_at = call.start_at
    session.flush()
    audit.record(session, user_id, "call.submitted", "interactions", call.id,
                 channel=call.channel, samples=len([s for s in call.samples if not s.deleted]))


def delete_draft(session: Session, user_id: str | None, call_id: str) -> None:
    """Discard a planned or draft call (a tombstone, so other replicas learn of it)."""
    call = _get_editable(session, call_id)
    call.deleted = True
    for rows in (call.products, call.key_messages, call.samples, call.attendees):
        for row in rows:
            row.deleted = True
    session.flush()
    audit.record(session, user_id, "call.deleted", "interactions", call.id)


def load_form(session: Session, call_id: str) -> tuple[CallForm, str]:
    """The form of a stored call and its status, to reopen it (e.g. after a crash)."""
    call = session.get(Interaction, call_id)
    if call is None or call.deleted:
        raise NotFoundError(tr("This call no longer exists."))
    form = CallForm(
        account_id=call.account_id, channel=call.channel, start_at=call.start_at,
        duration_min=call.duration_min, subject=call.subject, notes=call.notes,
        follow_up=call.follow_up, follow_up_date=call.follow_up_date,
        products=[p.product_id for p in call.products if not p.deleted],
        key_messages={k.key_message_id: k.reaction for k in call.key_messages if not k.deleted},
        samples=[SampleLine(s.product_id, s.lot, s.quantity) for s in call.samples
                 if not s.deleted],
        attendees=[a.name for a in call.attendees if not a.deleted],
        signature=call.signature, signer_name=call.signer_name,
        not_received=call.not_received,
    )
    return form, call.status
