"""Accounts (doctors and institutions) and what belongs to them alone.

Derived columns (`name_key`, `city`, `search_text`, `last_contact_at`) are kept on the account
row on purpose: the accounts list must search and sort 50,000 rows in milliseconds, and a sort
over a join or an aggregate over a million interactions cannot use an index. They are local
only (never synced) and are rewritten by `app.store.search` whenever their sources change.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, Synced


class Account(Synced, Base):
    __tablename__ = "accounts"
    __table_args__ = (
        Index("ix_accounts_name_key", "name_key"),
        Index("ix_accounts_city_key", "city_key", "name_key"),
        Index("ix_accounts_postcode", "postcode", "name_key"),
        Index("ix_accounts_segment", "segment", "name_key"),
        Index("ix_accounts_specialty_id", "specialty_id", "name_key"),
        Index("ix_accounts_last_contact_at", "last_contact_at"),
        Index("ix_accounts_territory_id", "territory_id"),
    )
    #: Columns derived on this laptop, never sent to the server.
    local_columns = frozenset({"name_key", "city", "city_key", "postcode", "search_text",
                               "last_contact_at"})

    kind: Mapped[str] = mapped_column(String(3))  # base.AccountKind
    title: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))  # display name, e.g. "Dr. med. Anna Müller"
    specialty_id: Mapped[str | None] = mapped_column(ForeignKey("specialties.id"))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    segment: Mapped[str | None] = mapped_column(String(8))  # A (highest potential) .. C
    potential: Mapped[float | None] = mapped_column(Float)  # 0..1, from master data
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    preferred_contact_time: Mapped[str | None] = mapped_column(String(200))
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str | None] = mapped_column(Text)
    #: The practice's weekly opening hours, "Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00"
    #: (app/opening_hours.py): master data the server sends, shown, never edited here.
    opening_hours: Mapped[str | None] = mapped_column(String(200))

    name_key: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str | None] = mapped_column(String(100))
    city_key: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(16))
    search_text: Mapped[str] = mapped_column(Text, default="")
    last_contact_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    addresses: Mapped[list[Address]] = relationship(back_populates="account")
    external_ids: Mapped[list[ExternalId]] = relationship(back_populates="account")
    consents: Mapped[list[ChannelConsent]] = relationship(back_populates="account")


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

    account: Mapped[Account] = relationship(back_populates="addresses")


class ExternalId(Synced, Base):
    """An identifier from outside: LANR and BSNR (Germany), NPI (USA), a customer master id."""

    __tablename__ = "external_ids"
    __table_args__ = (
        UniqueConstraint("system", "value"),
        Index("ix_external_ids_value", "value"),
    )

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    system: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(64))

    account: Mapped[Account] = relationship(back_populates="external_ids")


class Affiliation(Synced, Base):
    """A doctor (HCP) working at an institution (HCO), e.g. a department of a hospital."""

    __tablename__ = "affiliations"
    __table_args__ = (UniqueConstraint("hcp_id", "hco_id"),)

    hcp_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    hco_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(100))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    hcp: Mapped[Account] = relationship(foreign_keys=[hcp_id])
    hco: Mapped[Account] = relationship(foreign_keys=[hco_id])


class ChannelConsent(Synced, Base):
    """The account's preference for, and consent to, one channel of contact (GDPR, HWG)."""

    __tablename__ = "channel_consents"
    __table_args__ = (UniqueConstraint("account_id", "channel"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    channel: Mapped[str] = mapped_column(String(16))  # base.Channel
    consent: Mapped[str] = mapped_column(String(16), default="unknown")  # base.ConsentState
    consent_date: Mapped[dt.date | None] = mapped_column(Date)
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)
    # 1 = the account's first choice; None = no stated rank.
    preference_rank: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(100))  # e.g. "signed form", "verbal"

    account: Mapped[Account] = relationship(back_populates="consents")
