"""Everything the account screen shows about one account, read in one short transaction.

The profile, its addresses, external ids, per-channel consent and affiliations come from five
small indexed queries in one snapshot, so the screen never shows a consent from before an
edit next to an address from after it. Plain Core SQL into frozen dataclasses: the UI gets
values, never live ORM objects that could lazy-load on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class AddressLine:
    line1: str
    line2: str | None
    postcode: str | None
    city: str
    country: str
    is_primary: bool


@dataclass(frozen=True)
class ConsentLine:
    """What is stored for one channel; channels without a row are simply absent."""

    channel: str
    consent: str
    consent_date: dt.date | None
    preferred: bool
    preference_rank: int | None
    source: str | None


@dataclass(frozen=True)
class AffiliationLine:
    """The account on the other side of an affiliation (a doctor's hospital, or its doctors)."""

    account_id: str
    name: str
    kind: str
    city: str | None
    role: str | None
    is_primary: bool


@dataclass(frozen=True)
class AccountDetail:
    id: str
    kind: str
    name: str
    specialty: str | None
    segment: str | None
    email: str | None
    phone: str | None
    preferred_contact_time: str | None
    preferred_language: str | None
    notes: str | None
    addresses: tuple[AddressLine, ...]
    external_ids: tuple[tuple[str, str], ...]  # (system, value), e.g. ("LANR", "123456701")
    consents: tuple[ConsentLine, ...]
    affiliations: tuple[AffiliationLine, ...]
    opening_hours: str | None = None  # master data, as the server sent it

    @property
    def primary_address(self) -> AddressLine | None:
        return self.addresses[0] if self.addresses else None

    def consent_for(self, channel: str) -> ConsentLine | None:
        return next((c for c in self.consents if c.channel == channel), None)


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def account_detail(session: Session, account_id: str, lang: str = "en") -> AccountDetail | None:
    """The account's profile and what belongs to it; None if it is gone (deleted or revoked)."""
    conn = session.connection()
    column = "name_de" if lang == "de" else "name_en"
    row = conn.execute(
        text(f"SELECT a.id, a.kind, a.name, sp.{column}, a.segment, a.email, a.phone, "
             "a.preferred_contact_time, a.preferred_language, a.notes, a.opening_hours "
             "FROM accounts a "
             "LEFT JOIN specialties sp ON sp.id = a.specialty_id "
             "WHERE a.id = :id AND a.deleted = 0"),
        {"id": account_id},
    ).first()
    if row is None:
        return None
    params = {"id": account_id}
    addresses = tuple(
        AddressLine(r[0], r[1], r[2], r[3], r[4], bool(r[5]))
        for r in conn.execute(text(
            "SELECT line1, line2, postcode, city, country, is_primary FROM addresses "
            "WHERE account_id = :id AND deleted = 0 ORDER BY is_primary DESC, id"), params)
    )
    external_ids = tuple(
        (r[0], r[1]) for r in conn.execute(text(
            "SELECT system, value FROM external_ids WHERE account_id = :id AND deleted = 0 "
            "ORDER BY system, value"), params)
    )
    consents = tuple(
        ConsentLine(r[0], r[1], _date(r[2]), bool(r[3]), r[4], r[5])
        for r in conn.execute(text(
            "SELECT channel, consent, consent_date, preferred, preference_rank, source "
            "FROM channel_consents WHERE account_id = :id AND deleted = 0 "
            "ORDER BY preference_rank IS NULL, preference_rank, channel"), params)
    )
    # An account is either a person (its institutions) or an institution (its people); two
    # indexed halves (unique hcp_id+hco_id, index on hco_id) instead of an OR that scans.
    affiliations = tuple(
        AffiliationLine(r[0], r[1], r[2], r[3], r[4], bool(r[5]))
        for r in conn.execute(text(
            """
            SELECT o.id, o.name, o.kind, o.city, f.role, f.is_primary, o.name_key
            FROM affiliations f JOIN accounts o ON o.id = f.hco_id
            WHERE f.hcp_id = :id AND f.deleted = 0 AND o.deleted = 0
            UNION ALL
            SELECT o.id, o.name, o.kind, o.city, f.role, f.is_primary, o.name_key
            FROM affiliations f JOIN accounts o ON o.id = f.hcp_id
            WHERE f.hco_id = :id AND f.deleted = 0 AND o.deleted = 0
            ORDER BY 6 DESC, 7
            """), params)
    )
    return AccountDetail(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                         row[8], row[9], addresses, external_ids, consents, affiliations,
                         row[10])
