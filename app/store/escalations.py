"""Medical inquiries a rep escalates to a medical science liaison (MSL), and their answers.

Two tables on purpose: the inquiry (question, status, hand-back note) travels to the rep,
the MSL and the manager; the answer with the MSL's medical notes travels to MSLs only, so a
rep's database never holds what medical answered (the firewall between promotion and
medical information). Status and timestamps say *that* and *when* it was answered.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class InquiryStatus(StrEnum):
    RAISED = "raised"  # on the rep's laptop, not yet seen by the server
    ROUTED = "routed"  # assigned to an MSL by the server
    QUEUED = "queued"  # no MSL covers it: waits in the fallback queue
    IN_PROGRESS = "in_progress"  # an MSL took it over
    ANSWERED = "answered"
    HANDED_BACK = "handed_back"  # the account is the rep's again, with a note
    CLOSED = "closed"


class Urgency(StrEnum):
    STANDARD = "standard"
    HIGH = "high"
    URGENT = "urgent"


class AnswerChannel(StrEnum):
    VISIT = "visit"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"


#: The service level per urgency: an inquiry still open after this long is overdue.
SERVICE_LEVEL = {
    Urgency.STANDARD.value: dt.timedelta(days=5),
    Urgency.HIGH.value: dt.timedelta(days=2),
    Urgency.URGENT.value: dt.timedelta(days=1),
}

#: Statuses in which the MSL still owes the doctor something (open for scope and desk).
OPEN_STATUSES = frozenset({InquiryStatus.RAISED.value, InquiryStatus.ROUTED.value,
                           InquiryStatus.QUEUED.value, InquiryStatus.IN_PROGRESS.value})


class MedicalInquiry(Synced, Base):
    __tablename__ = "medical_inquiries"
    __table_args__ = (Index("ix_medical_inquiries_status_raised", "status", "raised_at"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    # The call report it was raised from, if any (named so it is not read as a call child).
    call_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"))
    raised_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime)
    question: Mapped[str] = mapped_column(Text)  # in the doctor's words
    urgency: Mapped[str] = mapped_column(String(16))  # Urgency
    answer_channel: Mapped[str] = mapped_column(String(16))  # AnswerChannel
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    unsolicited: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16))  # InquiryStatus
    assigned_to: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    routed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    taken_over_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    handed_back_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    hand_back_note: Mapped[str | None] = mapped_column(Text)  # for the rep: no medical content


class MedicalAnswer(Synced, Base):
    """What medical answered and noted: pulled by MSLs only (server/sync/scoping.py)."""

    __tablename__ = "medical_answers"

    inquiry_id: Mapped[str] = mapped_column(ForeignKey("medical_inquiries.id"), index=True)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(16))  # AnswerChannel: how it was given
    answer: Mapped[str] = mapped_column(Text)
    medical_notes: Mapped[str | None] = mapped_column(Text)
