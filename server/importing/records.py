"""What every importer produces and what the report says about it.

CSV rows and FHIR resources are first turned into these plain records (validated, no
database involved), then `server.importing.upsert` writes them. Validation before writing is
what keeps a bad row from ever half-writing an account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, str]  # (external id system, value), e.g. ("LANR", "123456628")


class ImportFormatError(ValueError):
    """The whole input is unusable (encoding, syntax, wrong FHIR type or version): nothing
    is written, and the message says what to fix."""


class RowError(ValueError):
    """One record is unusable; the report keeps the reason and the import goes on."""


@dataclass
class AddressIn:
    line1: str  # "" when the source has no street
    city: str  # "" when the source has no city
    line2: str | None = None
    postcode: str | None = None
    country: str = "DE"
    latitude: float | None = None
    longitude: float | None = None
    region: str | None = None  # ISO 3166-2 ("DE-BY") when recognised, else as written


#: What a loaded record lacks, by kind: the report counts them, the account's audit keeps them.
NO_ADDRESS = "no address"
NO_STREET = "address without a street"
NO_POSTCODE = "address without a postcode"
NO_CITY = "address without a city"
COUNTRY_UNKNOWN = "country not recognised"
REGION_UNKNOWN = "state/region not recognised"
IDENTIFIER_REJECTED = "identifier rejected"


def address_flags(address: AddressIn | None) -> list[str]:
    """The missing parts of an address: a reason to tell, never one to refuse the record."""
    if address is None:
        return [NO_ADDRESS]
    if address.line1 and address.postcode and address.city:
        return []
    return [flag for flag, given in ((NO_STREET, address.line1),
                                     (NO_POSTCODE, address.postcode),
                                     (NO_CITY, address.city)) if not given]


@dataclass(frozen=True)
class Rejected:
    """An identifier refused by its check (an NPI whose check digit fails): the record loads
    without it, and the report and the account's audit name it."""

    key: Key  # as written: a reference in the same import may still name it
    reason: str

    def text(self) -> str:
        return f"identifier rejected: {self.reason}"


@dataclass
class SpecialtyIn:
    code: str
    name: str


@dataclass
class RowResult:
    """One line of the import report."""

    ref: str  # "line 12", "Practitioner/f001"
    status: str = "skipped"  # created | updated | unchanged | linked | skipped | ignored
    key: str | None = None
    account_id: str | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # AccountIn.flags of a loaded record

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ref": self.ref, "status": self.status}
        for name in ("key", "account_id", "reason"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.warnings:
            out["warnings"] = self.warnings
        if self.flags:
            out["flags"] = self.flags
        return out


@dataclass
class LinkIn:
    """A relation resolved after all accounts are written: a doctor's affiliation with an
    institution, or an organisation's parent. `result` is where success or failure is told."""

    kind: str  # "affiliation" | "parent"
    source: list[Key]  # the hcp (affiliation) or the child organisation (parent)
    target: list[Key]  # the hco, or the parent organisation
    result: RowResult
    own_result: bool  # True: the link is its own report row (FHIR PractitionerRole)
    role: str | None = None
    specialty: SpecialtyIn | None = None
    describe_source: str = ""
    describe_target: str = ""


@dataclass
class AccountIn:
    """An account as master data describes it; None means "not given, keep what we have"."""

    kind: str
    name: str
    keys: list[Key]
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    specialty: SpecialtyIn | None = None
    territory: str | None = None
    segment: str | None = None
    potential: float | None = None
    email: str | None = None
    phone: str | None = None
    #: Weekly practice hours (app/opening_hours.py), checked before they get here.
    opening_hours: str | None = None
    address: AddressIn | None = None
    warnings: list[str] = field(default_factory=list)
    links: list[LinkIn] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    #: What the record lacks, by kind ("address without a city"): counted in the report and
    #: noted in the account's audit, never a reason to refuse it.
    flags: list[str] = field(default_factory=list)


@dataclass
class Item:
    """One unit of input: an account, a standalone link, or a row that failed validation."""

    ref: str
    account: AccountIn | None = None
    link: LinkIn | None = None
    error: str | None = None
    ignored: str | None = None  # a reason: e.g. a Patient inside a prescription bundle


@dataclass
class ImportReport:
    results: list[RowResult] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def flags(self) -> dict[str, int]:
        """How many loaded records lack what, by kind ("address without a city": 41)."""
        out: dict[str, int] = {}
        for r in self.results:
            for flag in r.flags:
                out[flag] = out.get(flag, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), "flags": self.flags(),
                "rows": [r.to_dict() for r in self.results]}


def key_text(key: Key) -> str:
    return f"{key[0]}:{key[1]}"


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f]")


def clean_text(value: str | None, label: str, max_len: int) -> str | None:
    """Strip, turn empty into None, refuse control characters and over-long values (rather
    than truncating a name or an id silently)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if _CONTROL.search(value):
        raise RowError(f"{label} contains control characters")
    if len(value) > max_len:
        raise RowError(f"{label} is longer than {max_len} characters")
    return value
