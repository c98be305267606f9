"""The server's tables: synced entities mirroring `app.contract`, plus server-only state.

Synced tables carry the contract's common columns; `version` is the server's change sequence
(`server.db.next_versions`), so the pull of the sync issue can page by it. Server-only state
(password hashes, tokens, login attempts, idempotency records) lives here too and never
travels: DESIGN.md wants nothing in process memory that must survive a request.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
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
    """Naive UTC: SQLite has no time zones, so both databases store UTC by convention."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Role(StrEnum):
    REP = "rep"
    MSL = "msl"
    MANAGER = "manager"
    ADMIN = "admin"


class Synced:
    """The contract's COMMON_FIELDS. `version` is indexed: the sync pull pages by it."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    version: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Territory(Synced, Base):
    __tablename__ = "territories"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Synced, Base):
    """A person who logs in. `territory_id` is the primary territory the client shows;
    the full set lives in `territory_assignments` (a rep may cover several)."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # Role
    email: Mapped[str | None] = mapped_column(String(200))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"), index=True)
    # Server only:
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)


class TerritoryAssignment(Base):
    """Which territories a user covers (server only; scope is computed from it)."""

    __tablename__ = "territory_assignments"
    __table_args__ = (UniqueConstraint("user_id", "territory_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"), index=True)


class Specialty(Synced, Base):
    __tablename__ = "specialties"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str] = mapped_column(String(200))


class Account(Synced, Base):
    """A doctor (hcp) or an institution (hco): the contract's fields, plus `parent_id`.

    `parent_id` keeps an organisation hierarchy (FHIR Organization.partOf). It is server only
    for now: the contract has no field for it yet (see docs/server.md).
    """

    __tablename__ = "accounts"
    __table_args__ = (Index("ix_accounts_territory_id_id", "territory_id", "id"),)

    kind: Mapped[str] = mapped_column(String(3))
    title: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    specialty_id: Mapped[str | None] = mapped_column(ForeignKey("specialties.id"))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    segment: Mapped[str | None] = mapped_column(String(8))
    potential: Mapped[float | None] = mapped_column(Float)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    preferred_contact_time: Mapped[str | None] = mapped_column(String(200))
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)


class Address(Synced, Base):
    __tablename__ = "addresses"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="DE")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)


class ExternalId(Synced, Base):
    """LANR, BSNR, NPI, a customer master id ...: the upsert key of every import."""

    __tablename__ = "external_ids"
    __table_args__ = (UniqueConstraint("system", "value"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    system: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(64))


class Affiliation(Synced, Base):
    __tablename__ = "affiliations"
    __table_args__ = (UniqueConstraint("hcp_id", "hco_id"),)

    hcp_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    hco_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(100))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)


class ChangeCounter(Base):
    """The change sequence behind every `version`: one row, bumped inside the writing
    transaction. The row lock serialises writers, so on PostgreSQL versions become visible
    in order and a pull cursor never passes a number that may still commit (DESIGN.md)."""

    __tablename__ = "change_counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Token(Base):
    """A login on one device. Only the SHA-256 of the token is stored: a leaked database
    does not hand out sessions."""

    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginAttempt(Base):
    """A failed login, by user name and by address: the throttle counts these rows, so every
    server process behind a load balancer sees the same count."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))  # "user" or "addr"
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class IdempotencyRecord(Base):
    """The first answer to a pushed mutation, returned again when the same id comes back
    (filled by the sync issue)."""

    __tablename__ = "idempotency_records"

    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16))
    response: Mapped[str] = mapped_column(Text)


#: The contract entities this store holds (tests/server/test_contract.py checks the fields).
SYNCED_TABLES = ("territories", "users", "specialties", "accounts", "addresses",
                 "external_ids", "affiliations")
