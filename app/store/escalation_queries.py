"""What the escalation screens show: inquiries with their age and service level, the steps
of one inquiry (its audit trail), and on an MSL's laptop the answers.

Plain Core reads into frozen dataclasses, like `app.store.account_detail`. On a rep's or a
manager's laptop `medical_answers` is empty by construction (the server never sends it), so
the same reads serve every role.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.orm import Session, aliased

from app.store.accounts import Account
from app.store.base import utcnow
from app.store.escalations import OPEN_STATUSES, SERVICE_LEVEL, MedicalAnswer, MedicalInquiry
from app.store.journal import AuditEntry
from app.store.reference import Product, User


@dataclass(frozen=True)
class InquiryLine:
    id: str
    account_id: str
    account_name: str
    product_name: str
    question: str
    urgency: str
    answer_channel: str
    consent_to_contact: bool
    unsolicited: bool
    status: str
    raised_at: dt.datetime
    raised_by: str | None  # display name
    assigned_to: str | None  # user id
    assigned_name: str | None
    call_id: str | None
    answered_at: dt.datetime | None
    handed_back_at: dt.datetime | None
    closed_at: dt.datetime | None
    hand_back_note: str | None
    version: int

    @property
    def due_at(self) -> dt.datetime:
        """When the service level for its urgency runs out."""
        return self.raised_at + SERVICE_LEVEL.get(self.urgency, SERVICE_LEVEL["standard"])

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    def age(self, now: dt.datetime | None = None) -> dt.timedelta:
        return (now or utcnow()) - self.raised_at

    def overdue(self, now: dt.datetime | None = None) -> bool:
        """Still owed to the doctor after the service level ran out."""
        return self.open and (now or utcnow()) > self.due_at


@dataclass(frozen=True)
class TrailStep:
    at: dt.datetime
    action: str  # "inquiry.raised", "inquiry.routed", ...
    who: str | None  # display name; None: the server's routing
    details: dict[str, object]


@dataclass(frozen=True)
class AnswerLine:
    answered_at: dt.datetime
    channel: str
    answer: str
    medical_notes: str | None
    author: str | None


def _lines() -> Select[Any]:
    raiser, assignee = aliased(User), aliased(User)
    i = MedicalInquiry
    columns: list[Any] = [
        i.id, i.account_id, Account.name, Product.name, i.question, i.urgency,
        i.answer_channel, i.consent_to_contact, i.unsolicited, i.status, i.raised_at,
        raiser.display_name, i.assigned_to, assignee.display_name, i.call_id, i.answered_at,
        i.handed_back_at, i.closed_at, i.hand_back_note, i.version]
    query: Select[Any] = (
        select(*columns)
        .join(Account, Account.id == i.account_id)
        .join(Product, Product.id == i.product_id)
        .outerjoin(raiser, raiser.id == i.raised_by)
        .outerjoin(assignee, assignee.id == i.assigned_to)
        # An account revoked from this laptop may be kept as a hidden tombstone (its locked
        # calls cannot go, app/sync/revoke.py): its inquiries are hidden with it.
        .where(i.deleted.is_(False), Account.deleted.is_(False))
    )
    return query


def inquiries(session: Session, *, account_id: str | None = None,
              mine: str | None = None, with_queue: bool = False, open_only: bool = False,
              urgency: str | None = None) -> list[InquiryLine]:
    """Inquiries, oldest first. `mine`: those assigned to this user (and, `with_queue`,
    those waiting in the queue); `account_id`: those of one account."""
    query = _lines()
    i = MedicalInquiry
    if account_id is not None:
        query = query.where(i.account_id == account_id)
    if mine is not None:
        query = query.where(or_(i.assigned_to == mine,
                                and_(i.status == "queued") if with_queue else false()))
    if open_only:
        query = query.where(i.status.in_(OPEN_STATUSES))
    if urgency is not None:
        query = query.where(i.urgency == urgency)
    rows = session.execute(query.order_by(i.raised_at, i.id)).all()
    return [InquiryLine(*row) for row in rows]


def inquiry(session: Session, inquiry_id: str) -> InquiryLine | None:
    row = session.execute(_lines().where(MedicalInquiry.id == inquiry_id)).first()
    return InquiryLine(*row) if row else None


def trail(session: Session, inquiry_id: str) -> list[TrailStep]:
    """Every step of the inquiry (raised, routed, taken over, ...) with who and when."""
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.action, User.display_name, AuditEntry.details)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.entity == "medical_inquiries", AuditEntry.row_id == inquiry_id)
        .order_by(AuditEntry.at, AuditEntry.id)).all()
    return [TrailStep(at, action, who, json.loads(details) if details else {})
            for at, action, who, details in rows]


def answers(session: Session, inquiry_id: str) -> list[AnswerLine]:
    """What medical answered (only ever present on an MSL's laptop)."""
    rows = session.execute(
        select(MedicalAnswer.answered_at, MedicalAnswer.channel, MedicalAnswer.answer,
               MedicalAnswer.medical_notes, User.display_name)
        .outerjoin(User, User.id == MedicalAnswer.author_id)
        .where(MedicalAnswer.inquiry_id == inquiry_id, MedicalAnswer.deleted.is_(False))
        .order_by(MedicalAnswer.answered_at)).all()
    return [AnswerLine(*row) for row in rows]


def statuses(session: Session) -> dict[str, str]:
    """Every inquiry's status by id: what a notification compares with after a sync."""
    rows = session.execute(select(MedicalInquiry.id, MedicalInquiry.status)
                           .where(MedicalInquiry.deleted.is_(False)))
    return {inquiry_id: status for inquiry_id, status in rows}


def other_msls(session: Session, me: str | None) -> list[tuple[str, str]]:
    """(user name, display name) of the MSLs an inquiry can be handed to."""
    rows = session.execute(select(User.username, User.display_name)
                           .where(User.role == "msl", User.deleted.is_(False),
                                  User.id != (me or ""))
                           .order_by(User.display_name))
    return [(username, name) for username, name in rows]
