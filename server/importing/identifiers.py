"""External identifiers: NPI check digits and short names for identifier systems.

An identifier that fails its check is dropped from the record, never the record itself: the
report and the account's audit say which one was rejected (`Rejected`), so a practitioner with a
mistyped NPI still loads, matched by its other identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from server.importing.records import Key, Rejected, RowError

#: Identifier systems Fieldrep keeps, by their FHIR URI, under a short stable name.
FHIR_SYSTEMS = {
    "http://hl7.org/fhir/sid/us-npi": "NPI",
    "https://fhir.kbv.de/NamingSystem/KBV_NS_Base_ANR": "LANR",
    "http://fhir.de/NamingSystem/kbv/lanr": "LANR",
    "https://fhir.kbv.de/NamingSystem/KBV_NS_Base_BSNR": "BSNR",
    "http://fhir.de/NamingSystem/kbv/bsnr": "BSNR",
    "https://gematik.de/fhir/sid/telematik-id": "TELEMATIK-ID",
    "http://fhir.de/NamingSystem/asv/teamnummer": "ASV-TEAM",
    "urn:oid:2.16.528.1.1007.3.1": "UZI",  # Dutch care provider number
    "urn:oid:2.16.840.1.113883.2.4.6.1": "AGB",  # Dutch Vektis AGB code
    "urn:oid:2.16.528.1": "NL-OID",
    "https://www.deanumber.com/": "DEA",
}

#: National person numbers: a CRM has no business keeping them, so they are dropped (and the
#: report says so). Professional identifiers are enough to match a doctor.
PERSONAL_SYSTEMS = {
    "http://hl7.org/fhir/sid/us-ssn": "US social security number",
    "urn:oid:2.16.840.1.113883.2.4.6.3": "Dutch citizen service number (BSN)",
}

SYSTEM_MAX = 255  # a whole FHIR system URI fits (server migration 0010 widened the column)
VALUE_MAX = 64
_SLUG = re.compile(r"[^A-Za-z0-9.:/_-]+")


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit: Luhn over the 9 digits prefixed with 80840 (CMS's card issuer
    prefix), compared with the 10th digit."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    # Luhn: double every second digit from the right of the payload (check digit excluded).
    for i, digit in enumerate(reversed(digits)):
        value = digit * 2 if i % 2 == 0 else digit
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10 == int(npi[9])


def make_key(system: str, value: str) -> Key:
    """Validate and normalise one external id, or raise RowError with the reason."""
    system = system.strip()
    value = value.strip()
    if not system or not value:
        raise RowError("external id with an empty system or value")
    if len(system) > SYSTEM_MAX:
        raise RowError(f"external id system {system!r} is longer than {SYSTEM_MAX} characters")
    if len(value) > VALUE_MAX:
        raise RowError(f"external id {system}:{value[:20]}... is longer than {VALUE_MAX}")
    if system.upper() == "NPI":
        system = "NPI"
        if not npi_is_valid(value):
            raise RowError(f"invalid NPI {value!r}: check digit (Luhn, prefix 80840) fails")
    return system, value


def short_system(uri: str) -> str:
    """A FHIR identifier system URI as a short name; unknown ones keep their whole host and
    path (cutting them made different systems one, and unreadable)."""
    if uri in FHIR_SYSTEMS:
        return FHIR_SYSTEMS[uri]
    return _SLUG.sub("-", uri.strip().split("://", 1)[-1].rstrip("/"))


def keys_of(pairs: Iterable[tuple[str, str]]) -> tuple[list[Key], list[Rejected]]:
    """The usable keys of (system, value) pairs, and the ones rejected by their check."""
    keys: list[Key] = []
    rejected: list[Rejected] = []
    for system, value in pairs:
        try:
            key = make_key(system, value)
        except RowError as exc:
            raw_system = "NPI" if system.strip().upper() == "NPI" else system.strip()
            rejected.append(Rejected((raw_system, value.strip()), str(exc)))
            continue
        if key not in keys:
            keys.append(key)
    return keys, rejected
