"""The declarative base every local table derives from, and the columns synced rows share.

The naming convention gives every constraint a stable name: SQLite cannot alter a table in
place, so Alembic's batch mode recreates it, and it can only drop or change constraints that
have names.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, Integer, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    """Naive UTC now: SQLite has no time zones, so everything stored is UTC by convention."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Synced:
    """Columns of every row that travels through sync (docs/sync-protocol.md).

    `id` is made on the client (UUIDv7), `version` is the server's change sequence for the
    row (0 = never acknowledged by a server), `deleted` is the tombstone: synced rows are
    never hard-deleted while a replica may still hold them.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Role(StrEnum):
    REP = "rep"
    MSL = "msl"
    MANAGER = "manager"


class AccountKind(StrEnum):
    HCP = "hcp"  # a health care professional: a doctor, a pharmacist
    HCO = "hco"  # an organisation: a practice, a hospital, a department


class Channel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    EMAIL = "email"
    EVENT = "event"


class ConsentState(StrEnum):
    UNKNOWN = "unknown"
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"


class CallStatus(StrEnum):
    PLANNED = "planned"
    DRAFT = "draft"
    SUBMITTED = "submitted"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"
