"""HL7 FHIR R4 Practitioner, PractitionerRole and Organization as master data.

Accepted: one resource, a JSON list of resources, or a Bundle (of any type: a KBV
e-prescription bundle carries the prescriber and the practice). Everything else in a Bundle
(Patient, Coverage, MedicationRequest ...) is reported as ignored and never stored: patients
are not master data. Identifiers become external ids (NPI, LANR, BSNR ...); national person
numbers (SSN, BSN) are dropped. An NPI whose check digit fails is left out of the record
and named in the report and the account's audit (a wrong id stored now would create a
duplicate when the corrected one arrives); the record loads by its other identifiers.

Every Practitioner and Organization is also keyed by its FHIR logical id
(`fhir:Practitioner` / `fhir:Organization`), so a PractitionerRole or `partOf` sent later can
find it; a reference may also name an identifier (`{"identifier": ...}`, or the conditional
`Practitioner?identifier=system|value` of transaction bundles), the rejected one included. A
record whose keys point at two different accounts is refused, never merged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import orjson

from server.importing.identifiers import PERSONAL_SYSTEMS, keys_of, short_system
from server.importing.places import country_code, region_code
from server.importing.records import (
    COUNTRY_UNKNOWN,
    IDENTIFIER_REJECTED,
    REGION_UNKNOWN,
    AccountIn,
    AddressIn,
    ImportFormatError,
    Item,
    Key,
    LinkIn,
    Rejected,
    RowError,
    RowResult,
    SpecialtyIn,
    address_flags,
    clean_text,
)
from server.importing.upsert import specialty_code

SUPPORTED = ("Practitioner", "PractitionerRole", "Organization")
SUPPORTED_VERSIONS = ("4.0", "4.0.0", "4.0.1")

#: Qualification codings that are degrees or bookkeeping, not a medical specialty.
NOT_SPECIALTIES = (
    "http://terminology.hl7.org/CodeSystem/v2-0360",
    "https://fhir.kbv.de/CodeSystem/KBV_CS_FOR_Qualification_Type",
    "https://fhir.kbv.de/NamingSystem/KBV_NS_FOR_Fachgruppennummer_ASV",
)
SNOMED = "http://snomed.info/sct"


def load(data: bytes, fhir_version: str | None = None) -> list[dict[str, Any]]:
    """The top-level resources of a payload, after the checks that refuse it as a whole."""
    if fhir_version is not None and fhir_version not in SUPPORTED_VERSIONS:
        raise ImportFormatError(f"FHIR version {fhir_version} is not supported: R4 (4.0) only")
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ImportFormatError(f"not valid JSON: {exc}") from exc
    resources = doc if isinstance(doc, list) else [doc]
    for res in resources:
        if not isinstance(res, dict) or not isinstance(res.get("resourceType"), str):
            raise ImportFormatError("not a FHIR resource: an object with resourceType needed")
        kind = res["resourceType"]
        if kind != "Bundle" and kind not in SUPPORTED:
            raise ImportFormatError(
                f"resource type {kind} is not imported; send Practitioner, PractitionerRole, "
                "Organization, or a Bundle or list of them")
        _check_r4(res)
    return resources


def _check_r4(res: dict[str, Any]) -> None:
    """Refuse shapes of other FHIR versions we would silently misread."""
    kind = res["resourceType"]
    if kind == "Bundle":
        entries = res.get("entry", [])
        if not isinstance(entries, list):
            raise ImportFormatError("Bundle.entry must be a list")
        for entry in entries:
            inner = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(inner, dict) and inner.get("resourceType") in SUPPORTED:
                _check_r4(inner)
        return
    if kind == "Practitioner" and ("practitionerRole" in res or "role" in res
                                   or isinstance(res.get("name"), dict)):
        raise ImportFormatError(
            "this Practitioner is FHIR DSTU2 (practitionerRole/role, or a single name); "
            "only R4 is supported")
    if kind == "PractitionerRole" and "availability" in res:
        raise ImportFormatError("this PractitionerRole is FHIR R5 (availability); R4 only")
    if kind == "Organization" and "qualification" in res:
        raise ImportFormatError("this Organization is FHIR R5 (qualification); R4 only")


def _flatten(resources: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | None]]:
    """(resource, fullUrl) pairs, Bundles unpacked (nested Bundles too)."""
    out: list[tuple[dict[str, Any], str | None]] = []
    for res in resources:
        if res.get("resourceType") == "Bundle":
            for entry in res.get("entry", []):
                if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
                    inner = entry["resource"]
                    if inner.get("resourceType") == "Bundle":
                        out.extend(_flatten([inner]))
                    else:
                        out.append((inner, entry.get("fullUrl")))
        else:
            out.append((res, None))
    return out


def _ref_of(res: dict[str, Any]) -> str:
    return f"{res.get('resourceType')}/{res.get('id', '?')}"


def _identifiers(res: dict[str, Any], warnings: list[str]) -> tuple[list[Key], list[Rejected]]:
    """The record's keys, and the identifiers rejected by their check (left out)."""
    pairs: list[tuple[str, str]] = []
    for ident in res.get("identifier", []) or []:
        if not isinstance(ident, dict):
            continue
        system, value = ident.get("system"), ident.get("value")
        if not isinstance(system, str) or not isinstance(value, str):
            warnings.append("identifier without system or value ignored")
            continue
        if system in PERSONAL_SYSTEMS:
            warnings.append(f"{PERSONAL_SYSTEMS[system]} not kept (personal data)")
            continue
        pairs.append((short_system(system), value))
    rid = res.get("id")
    if isinstance(rid, str) and rid:
        pairs.append((f"fhir:{res['resourceType']}", rid))
    keys, rejected = keys_of(pairs)
    warnings.extend(r.text() for r in rejected)
    return keys, rejected


def _address(res: dict[str, Any], warnings: list[str], flags: list[str]) -> AddressIn | None:
    """The work (or first) address; missing parts are flagged, never a reason to drop it."""
    addresses = [a for a in res.get("address", []) or [] if isinstance(a, dict)]
    if not addresses:
        return None
    chosen = next((a for a in addresses if a.get("use") == "work"
                   or a.get("type") in ("both", "physical")), addresses[0])
    lines = [str(x) for x in chosen.get("line", []) or []]
    if not (lines or chosen.get("city") or chosen.get("postalCode") or chosen.get("state")):
        return None  # a use or a period, no place
    country_raw = str(chosen.get("country") or "DE")
    country = country_code(country_raw)
    if country is None:
        warnings.append(f"country {country_raw!r} not recognised, stored as ZZ (unknown)")
        flags.append(COUNTRY_UNKNOWN)
        country = "ZZ"
    region = clean_text(chosen.get("state") if isinstance(chosen.get("state"), str) else None,
                        "state", 100)
    if region is not None and region_code(region, country) is None:
        warnings.append(f"state {region!r} not recognised for {country}: kept as written")
        flags.append(REGION_UNKNOWN)
    return AddressIn(
        line1=clean_text(lines[0] if lines else "", "address line", 200) or "",
        line2=clean_text(", ".join(lines[1:]), "address line 2", 200),
        city=clean_text(chosen.get("city"), "city", 100) or "",
        postcode=clean_text(chosen.get("postalCode"), "postcode", 16),
        country=country, region=region_code(region, country) or region if region else None,
    )


def _telecom(res: dict[str, Any], system: str, limit: int) -> str | None:
    for t in res.get("telecom", []) or []:
        if isinstance(t, dict) and t.get("system") == system and isinstance(t.get("value"), str):
            return clean_text(t["value"], system, limit)
    return None


def _concept_specialty(concept: Any) -> SpecialtyIn | None:
    """A CodeableConcept as a specialty: SNOMED codes by code, others by their name."""
    if not isinstance(concept, dict):
        return None
    codings = [c for c in concept.get("coding", []) or [] if isinstance(c, dict)]
    if any(str(c.get("system", "")).startswith(NOT_SPECIALTIES) for c in codings):
        return None
    for c in codings:
        if c.get("system") == SNOMED and c.get("code"):
            return SpecialtyIn(f"sct:{c['code']}"[:32], str(c.get("display") or c["code"]))
    # A coding's display names the specialty; `text` is sometimes only a label
    # ("specialization"), so it comes second.
    text = next((c.get("display") for c in codings if c.get("display")), None) \
        or concept.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    return SpecialtyIn(specialty_code(text), text.strip()[:200])


def _flags(rejected: list[Rejected], address: AddressIn | None, flags: list[str]) -> list[str]:
    return [*([IDENTIFIER_REJECTED] if rejected else []), *flags, *address_flags(address)]


def _practitioner(res: dict[str, Any], ref: str) -> AccountIn:
    warnings: list[str] = []
    keys, rejected = _identifiers(res, warnings)
    names = [n for n in res.get("name", []) or [] if isinstance(n, dict)]
    name = next((n for n in names if n.get("use") == "official"), names[0] if names else None)
    if name is None:
        raise RowError("Practitioner has no name")
    title = clean_text(" ".join(str(p) for p in name.get("prefix", []) or []), "title", 50)
    first = clean_text(" ".join(str(g) for g in name.get("given", []) or []), "given name", 100)
    last = clean_text(name.get("family") if isinstance(name.get("family"), str) else None,
                      "family name", 100)
    display = " ".join(p for p in (title, first, last) if p) or clean_text(
        name.get("text"), "name", 300)
    if not display:
        raise RowError("Practitioner has an empty name")
    specialty = None
    for q in res.get("qualification", []) or []:
        specialty = _concept_specialty(q.get("code") if isinstance(q, dict) else None)
        if specialty:
            break
    flags: list[str] = []
    address = _address(res, warnings, flags)
    return AccountIn(
        kind="hcp", name=display[:300], keys=keys, title=title, first_name=first,
        last_name=last, specialty=specialty, email=_telecom(res, "email", 200),
        phone=_telecom(res, "phone", 50), address=address, warnings=warnings,
        rejected=rejected, flags=_flags(rejected, address, flags),
    )


def _organization(res: dict[str, Any], ref: str, refs: dict[str, Key]) -> AccountIn:
    warnings: list[str] = []
    keys, rejected = _identifiers(res, warnings)
    name = clean_text(res.get("name") if isinstance(res.get("name"), str) else None,
                      "name", 300)
    if not name:
        raise RowError("Organization has no name")
    flags: list[str] = []
    address = _address(res, warnings, flags)
    record = AccountIn(
        kind="hco", name=name, keys=keys, email=_telecom(res, "email", 200),
        phone=_telecom(res, "phone", 50), address=address, warnings=warnings,
        rejected=rejected, flags=_flags(rejected, address, flags),
    )
    part_of = res.get("partOf")
    if isinstance(part_of, dict):
        target = _reference_keys(part_of, refs)
        record.links.append(LinkIn(
            kind="parent", source=keys, target=target, result=RowResult(ref), own_result=False,
            describe_source=ref, describe_target=f"parent {part_of.get('reference', '?')}"))
    return record


def _reference_keys(reference: dict[str, Any], refs: dict[str, Key]) -> list[Key]:
    """Keys to find a referenced resource by: its logical id, a conditional reference
    (`Practitioner?identifier=system|value`) or a logical identifier. Identifiers are taken as
    written, unchecked: they are only looked up, and a rejected NPI still names its
    practitioner within the import."""
    keys: list[Key] = []
    ref = reference.get("reference")
    if isinstance(ref, str) and ref:
        kind, mark, query = ref.partition("?")
        if ref in refs:
            keys.append(refs[ref])
        elif mark and kind.rsplit("/", 1)[-1] in SUPPORTED:
            for name, _eq, value in (p.partition("=") for p in query.split("&")):
                system, bar, code = unquote(value).partition("|")
                if name == "identifier" and bar and system and code:
                    keys.append((short_system(system), code.strip()))
        else:
            parts = ref.rstrip("/").split("/")
            if len(parts) >= 2 and parts[-2] in SUPPORTED:
                keys.append((f"fhir:{parts[-2]}", parts[-1]))
    ident = reference.get("identifier")
    if isinstance(ident, dict) and isinstance(ident.get("system"), str) \
            and isinstance(ident.get("value"), str) and ident["value"].strip():
        system = short_system(ident["system"])
        keys.append(("NPI" if system.upper() == "NPI" else system, ident["value"].strip()))
    return keys


def _role(res: dict[str, Any], ref: str, refs: dict[str, Key]) -> LinkIn:
    practitioner = res.get("practitioner")
    organization = res.get("organization")
    if not isinstance(practitioner, dict) or not isinstance(organization, dict):
        raise RowError("PractitionerRole needs both a practitioner and an organization")
    role = None
    for concept in res.get("code", []) or []:
        if isinstance(concept, dict):
            codings = [c for c in concept.get("coding", []) or [] if isinstance(c, dict)]
            role = next((c.get("display") for c in codings if c.get("display")), None) \
                or concept.get("text") or next((c.get("code") for c in codings), None)
            if role:
                break
    specialty = None
    for concept in res.get("specialty", []) or []:
        specialty = _concept_specialty(concept)
        if specialty:
            break
    target = _reference_keys(organization, refs)
    return LinkIn(
        kind="affiliation", source=_reference_keys(practitioner, refs),
        target=target, result=RowResult(ref, key=None),
        own_result=True, role=clean_text(str(role), "role", 100) if role else None,
        specialty=specialty,
        describe_source=f"practitioner {_describe(practitioner)}",
        describe_target=f"organization {_describe(organization)}",
    )


def _describe(reference: dict[str, Any]) -> str:
    """A reference as the report names it: its reference, else its identifier or display."""
    ident = reference.get("identifier")
    if isinstance(reference.get("reference"), str):
        return str(reference["reference"])
    if isinstance(ident, dict) and isinstance(ident.get("value"), str):
        return f"{short_system(str(ident.get('system', '?')))}:{ident['value']}"
    return repr(reference["display"]) if isinstance(reference.get("display"), str) \
        else "without a reference"


def items(resources: list[dict[str, Any]]) -> Iterator[Item]:
    """Report items in a useful order: organisations, practitioners, then roles (links are
    resolved after all accounts are written anyway)."""
    flat = _flatten(resources)
    refs: dict[str, Key] = {}
    for res, full_url in flat:
        kind, rid = res.get("resourceType"), res.get("id")
        if kind in SUPPORTED and isinstance(rid, str) and full_url:
            refs[full_url] = (f"fhir:{kind}", rid)
    order = {"Organization": 0, "Practitioner": 1, "PractitionerRole": 2}
    for res, _url in sorted(flat, key=lambda p: order.get(str(p[0].get("resourceType")), 3)):
        ref = _ref_of(res)
        kind = res.get("resourceType")
        if kind not in SUPPORTED:
            yield Item(ref=ref, ignored=f"{kind} is not master data (never imported)")
            continue
        try:
            if kind == "Practitioner":
                yield Item(ref=ref, account=_practitioner(res, ref))
            elif kind == "Organization":
                yield Item(ref=ref, account=_organization(res, ref, refs))
            else:
                yield Item(ref=ref, link=_role(res, ref, refs))
        except RowError as exc:
            yield Item(ref=ref, error=str(exc))
