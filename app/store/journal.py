"""What was done (the audit log) and what is still to be sent (the sync outbox).

Both are written in the same transaction as the change they describe: the audit entry by the
service that knows why, the outbox rows by `app.store.outbox` from the session's own record of
what changed. The audit log is append-only; triggers in the schema refuse updates and deletes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.ids import uuid7
from app.store.base import Base, Synced, utcnow


class AuditEntry(Synced, Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity_row", "entity", "row_id"),)

    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))  # e.g. "call.submitted"
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    details: Mapped[str | None] = mapped_column(Text)  # JSON


class OutboxMutation(Base):
    """One local change waiting for the server (docs/sync-protocol.md).

    `fields` holds only the changed fields (JSON); `base_version` is the row's server version
    the edit was made on, so the server can merge field by field. `seq` keeps the order.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_entity_row", "entity", "row_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True, default=uuid7)
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))  # "upsert" or "delete"
    fields: Mapped[str] = mapped_column(Text)  # JSON object of changed fields
    base_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Set while a push holds this mutation: it is then frozen, later edits get a new one.
    in_flight: Mapped[bool] = mapped_column(Boolean, default=False)


class LocalState(Base):
    """Small facts of this installation: the signed-in user, and later the sync cursor."""

    __tablename__ = "local_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DemoTruth(Base):
    """The hidden ground truth of generated demo doctors (`app.demo.territory`).

    Never shown and never synced: the recommendation engine is evaluated against it.
    """

    __tablename__ = "demo_truth"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    persona: Mapped[str] = mapped_column(String(32))
    preferred_channel: Mapped[str] = mapped_column(String(16))
    responsiveness: Mapped[float] = mapped_column()
    contact_cap_per_month: Mapped[int] = mapped_column(Integer)
