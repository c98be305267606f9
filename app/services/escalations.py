"""Medical inquiries: the rep escalates a doctor's question to medical; the MSL takes it
over, answers, hands the account back with a note, and closes it.

Everything works offline: each step writes its rows and an audit entry in one transaction,
and the outbox (written by the store's ORM hook) carries them to the server, which routes a
new inquiry to the MSL who covers it (server/escalations). The answer and the MSL's medical
notes go into `medical_answers`, which the server sends to MSLs only; what the rep sees is
the status, when it was answered, and the hand-back note.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import tr
from app.services import audit
from app.services.errors import NotFoundError, ServiceError, ValidationError
from app.services.parse import Fields
from app.store.accounts import Account
from app.store.base import CallStatus, Channel, Role, utcnow
from app.store.catalog import promotable_products
from app.store.escalation_queries import statuses
from app.store.escalations import (
    AnswerChannel,
    InquiryStatus,
    MedicalAnswer,
    MedicalInquiry,
    Urgency,
)
from app.store.interactions import Interaction
from app.store.journal import LocalState
from app.sync import state
from app.sync.auth import client_for
from app.sync.errors import SyncError

if TYPE_CHECKING:
    from app.store.database import Database

URGENCIES = {u.value for u in Urgency}
ANSWER_CHANNELS = {c.value for c in AnswerChannel}
#: How an MSL's answer given in person or by phone shows in the account's history.
INTERACTION_CHANNELS = {AnswerChannel.VISIT.value: Channel.IN_PERSON.value,
                        AnswerChannel.PHONE.value: Channel.PHONE.value}
MAX_QUESTION = 4000
SEEN_KEY = "escalations.seen"  # local_state: statuses the user was last told about


@dataclass
class EscalationForm:
    """What the escalation dialog holds, as plain values."""

    account_id: str
    product_id: str | None
    question: str
    urgency: str = Urgency.STANDARD.value
    answer_channel: str = AnswerChannel.VISIT.value
    consent_to_contact: bool = False
    unsolicited: bool = True
    call_id: str | None = None  # the call report it was raised from


@dataclass
class AnswerForm:
    """What the MSL records: the answer, medical notes, and how it was given."""

    answer: str
    channel: str = AnswerChannel.PHONE.value
    medical_notes: str | None = None
    #: Also record the MSL's visit or call in the account's history (visit and phone only).
    record_interaction: bool = True


def escalate(session: Session, user_id: str | None, form: EscalationForm) -> str:
    """Raise a medical inquiry; its id. ValidationError (nothing written) for bad input."""
    f = Fields()
    account = session.get(Account, form.account_id)
    if account is None or account.deleted:
        raise NotFoundError(tr("The account does not exist on this laptop."))
    question = (form.question or "").strip()
    if not question:
        f.fail("question", tr("Write down the doctor's question in the doctor's words."))
    elif len(question) > MAX_QUESTION:
        f.fail("question", tr("The question is longer than {n} characters.", n=MAX_QUESTION))
    allowed = {p.id for p in promotable_products(session, account.territory_id)
               if p.promotable}
    if not form.product_id:
        f.fail("product_id", tr("Choose the product the question is about."))
    elif form.product_id not in allowed:
        f.fail("product_id", tr("This product may not be detailed to this account: medical "
                                "inquiries are raised for the account's own products."))
    f.choice("urgency", form.urgency, URGENCIES)
    f.choice("answer_channel", form.answer_channel, ANSWER_CHANNELS)
    if not form.consent_to_contact:
        f.fail("consent_to_contact", tr("Medical may only contact the doctor with consent: "
                                        "ask the doctor and tick the box."))
    if form.call_id is not None:
        call = session.get(Interaction, form.call_id)
        if call is None or call.account_id != account.id:
            f.fail("call_id", tr("The call report belongs to another account."))
    if f.errors:
        raise ValidationError(f.errors)
    inquiry = MedicalInquiry(
        account_id=account.id, product_id=form.product_id, call_id=form.call_id,
        raised_by=user_id, raised_at=utcnow(), question=question, urgency=form.urgency,
        answer_channel=form.answer_channel, consent_to_contact=True,
        unsolicited=bool(form.unsolicited), status=InquiryStatus.RAISED.value)
    session.add(inquiry)
    session.flush()
    audit.record(session, user_id, "inquiry.raised", "medical_inquiries", inquiry.id,
                 urgency=form.urgency, unsolicited=bool(form.unsolicited))
    return inquiry.id


def _mine(session: Session, user_id: str | None, inquiry_id: str,
          allowed: set[str]) -> MedicalInquiry:
    inquiry = session.get(MedicalInquiry, inquiry_id)
    if inquiry is None or inquiry.deleted:
        raise NotFoundError(tr("The medical inquiry is not on this laptop."))
    if inquiry.status == InquiryStatus.QUEUED.value and InquiryStatus.QUEUED.value in allowed:
        return inquiry
    if inquiry.assigned_to != user_id:
        raise ServiceError(tr("This medical inquiry is assigned to another MSL."))
    if inquiry.status not in allowed:
        raise ServiceError(tr("Not possible while the inquiry is {status}.",
                              status=status_text(inquiry.status)))
    return inquiry


def take_over(session: Session, user_id: str | None, inquiry_id: str) -> None:
    """The MSL takes the inquiry (and the account) over; from the queue, too."""
    inquiry = _mine(session, user_id, inquiry_id,
                    {InquiryStatus.ROUTED.value, InquiryStatus.QUEUED.value})
    inquiry.assigned_to = user_id
    inquiry.status = InquiryStatus.IN_PROGRESS.value
    inquiry.taken_over_at = utcnow()
    audit.record(session, user_id, "inquiry.taken_over", "medical_inquiries", inquiry.id)


def record_answer(session: Session, user_id: str | None, inquiry_id: str,
                  form: AnswerForm) -> str:
    """Record what medical answered (and the visit or call that gave it); the answer's id."""
    inquiry = _mine(session, user_id, inquiry_id,
                    {InquiryStatus.IN_PROGRESS.value, InquiryStatus.ANSWERED.value})
    f = Fields()
    if not (form.answer or "").strip():
        f.fail("answer", tr("Write down the answer given to the doctor."))
    f.choice("channel", form.channel, ANSWER_CHANNELS)
    if f.errors:
        raise ValidationError(f.errors)
    now = utcnow()
    answer = MedicalAnswer(inquiry_id=inquiry.id, author_id=user_id, answered_at=now,
                           channel=form.channel, answer=form.answer.strip(),
                           medical_notes=(form.medical_notes or "").strip() or None)
    session.add(answer)
    if form.record_interaction and form.channel in INTERACTION_CHANNELS:
        # The history shows that medical met or called the doctor, never what was said.
        session.add(Interaction(
            account_id=inquiry.account_id, owner_id=user_id,
            channel=INTERACTION_CHANNELS[form.channel], status=CallStatus.SUBMITTED.value,
            start_at=now, subject=tr("Medical inquiry answered"), submitted_at=now))
    inquiry.status = InquiryStatus.ANSWERED.value
    inquiry.answered_at = now
    session.flush()
    audit.record(session, user_id, "inquiry.answered", "medical_inquiries", inquiry.id,
                 channel=form.channel)
    return answer.id


def hand_back(session: Session, user_id: str | None, inquiry_id: str, note: str) -> None:
    """Give the account back to the rep with a note (no medical content belongs in it)."""
    inquiry = _mine(session, user_id, inquiry_id,
                    {InquiryStatus.IN_PROGRESS.value, InquiryStatus.ANSWERED.value})
    if not (note or "").strip():
        raise ValidationError({"note": tr("Write a note for the rep: what happens next.")})
    inquiry.status = InquiryStatus.HANDED_BACK.value
    inquiry.handed_back_at = utcnow()
    inquiry.hand_back_note = note.strip()
    audit.record(session, user_id, "inquiry.handed_back", "medical_inquiries", inquiry.id)


def close(session: Session, user_id: str | None, inquiry_id: str) -> None:
    """Close an answered or handed-back inquiry: the account leaves the MSL's laptop at the
    next sync."""
    inquiry = _mine(session, user_id, inquiry_id,
                    {InquiryStatus.ANSWERED.value, InquiryStatus.HANDED_BACK.value})
    inquiry.status = InquiryStatus.CLOSED.value
    inquiry.closed_at = utcnow()
    audit.record(session, user_id, "inquiry.closed", "medical_inquiries", inquiry.id)


def reassign_online(db: Database, base_url: str, inquiry_id: str, to_username: str | None,
                    **client_options: Any) -> str:
    """Hand the inquiry to another MSL (None: back to the queue) on the server, where who
    holds an inquiry is decided; needs a connection. The laptops learn of it with their next
    sync. Returns the new holder's user name, or "queue"."""
    if not base_url:
        raise ServiceError(tr("Reassigning needs the server: set it up with File › Sync now."))
    with client_for(db, base_url, **client_options) as client:
        try:
            reply = client.request("POST", f"/api/v1/escalations/{inquiry_id}/reassign",
                                   body={"to": to_username})
        except SyncError as exc:
            raise ServiceError(tr("The inquiry was not reassigned: {reason}",
                                  reason=str(exc))) from exc
    return str(reply.get("assigned_to", ""))


def refusals(session: Session) -> dict[str, str]:
    """Why the server refused inquiries this laptop raised (inquiry id -> the server's
    reason), from the sync's log of rejections: the rep reads it on the account."""
    log = state.get_json(session.connection(), state.REJECTIONS, [])
    return {entry["row_id"]: str(entry.get("reason") or "") for entry in log
            if isinstance(entry, dict) and entry.get("entity") == "medical_inquiries"
            and isinstance(entry.get("row_id"), str)}


@dataclass(frozen=True)
class Notice:
    """A change the user should hear about after a sync."""

    inquiry_id: str
    account_name: str
    status: str
    new: bool  # an inquiry this laptop had not seen before


def news(session: Session, role: str | None, user_id: str | None) -> list[Notice]:
    """What changed since the user was last told: for an MSL, inquiries new in the inbox;
    for a rep, status changes of their inquiries. Remembers what it told (local_state)."""
    now = statuses(session)
    row = session.get(LocalState, SEEN_KEY)
    before: dict[str, str] = json.loads(row.value) if row else {}
    notices: list[Notice] = []
    if row is not None:  # the first look only takes note: nothing is news yet
        ids = [i for i, s in now.items() if before.get(i) != s]
        for inquiry in session.scalars(select(MedicalInquiry).where(MedicalInquiry.id.in_(ids))):
            new = inquiry.id not in before
            if role == Role.MSL and not (new and inquiry.status in ("routed", "queued")
                                         and inquiry.assigned_to in (user_id, None)):
                continue
            if role == Role.REP and (inquiry.raised_by != user_id or new
                                     or inquiry.status == InquiryStatus.RAISED.value):
                continue
            if role not in (Role.MSL, Role.REP):
                continue
            account = session.get(Account, inquiry.account_id)
            notices.append(Notice(inquiry.id, account.name if account else "", inquiry.status,
                                  new))
    if row is None:
        session.add(LocalState(key=SEEN_KEY, value=json.dumps(now)))
    else:
        row.value = json.dumps(now)
    return notices


def status_text(status: str) -> str:
    """A status in the user's language."""
    return {
        InquiryStatus.RAISED.value: tr("waiting for sync"),
        InquiryStatus.ROUTED.value: tr("with medical"),
        InquiryStatus.QUEUED.value: tr("in the medical queue"),
        InquiryStatus.IN_PROGRESS.value: tr("taken over by medical"),
        InquiryStatus.ANSWERED.value: tr("answered"),
        InquiryStatus.HANDED_BACK.value: tr("handed back"),
        InquiryStatus.CLOSED.value: tr("closed"),
    }.get(status, status)


def urgency_text(urgency: str) -> str:
    """A label, not the stored code: "High urgency" reads as words beside a product name."""
    return {Urgency.STANDARD.value: tr("Standard urgency"), Urgency.HIGH.value: tr("High urgency"),
            Urgency.URGENT.value: tr("Urgent")}.get(urgency, urgency)


def channel_text(channel: str) -> str:
    return {AnswerChannel.VISIT.value: tr("Visit"), AnswerChannel.PHONE.value: tr("Phone"),
            AnswerChannel.EMAIL.value: tr("E-mail"),
            AnswerChannel.LETTER.value: tr("Letter")}.get(channel, channel)


def action_text(action: str) -> str:
    """An audit step of an inquiry in words."""
    return {
        "inquiry.raised": tr("raised"), "inquiry.routed": tr("routed"),
        "inquiry.queued": tr("put in the queue"), "inquiry.taken_over": tr("taken over"),
        "inquiry.answered": tr("answered"), "inquiry.handed_back": tr("handed back"),
        "inquiry.closed": tr("closed"), "inquiry.reassigned": tr("reassigned"),
        "inquiry.rerouted": tr("rerouted"),
    }.get(action, action)


def age_text(age: dt.timedelta) -> str:
    """An inquiry's age, short: "3 h", "2 d"."""
    hours = int(age.total_seconds() // 3600)
    return tr("{n} h", n=max(hours, 0)) if hours < 48 else tr("{n} d", n=hours // 24)
