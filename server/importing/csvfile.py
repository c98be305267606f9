"""CSV master data with a column mapping.

The mapping says which column holds which field; by default a column named like the field
(`name`, `city` ...) is taken, and columns named `id:<SYSTEM>` are external ids (`id:LANR`).
A mapping file (TOML or JSON) looks like:

    delimiter = ";"
    [columns]            # field = "column header"
    name = "Name"
    city = "Ort"
    [external_ids]       # system = "column header"
    LANR = "LANR"
    [defaults]           # field = value used when the column is absent or the cell empty
    kind = "hcp"

The whole file is decoded and parsed before anything is written: a file that is not UTF-8
(or not CSV) is refused as a whole with the line to look at, never half imported.

A row with a name loads: a missing street, postcode or city, or a country or state that is not
recognised, is flagged (report and account audit), never a reason to refuse it; an identifier
failing its check is left out and named. Quoted cells may span lines (they are joined with a
space); a row is always told by the line it starts on. A `state` column maps to `region`, and
countries and states are taken as ISO codes or names in German or English (`places`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app import opening_hours
from server.importing.identifiers import keys_of, make_key
from server.importing.places import country_code, region_code
from server.importing.records import (
    COUNTRY_UNKNOWN,
    IDENTIFIER_REJECTED,
    REGION_UNKNOWN,
    AccountIn,
    AddressIn,
    ImportFormatError,
    Item,
    LinkIn,
    RowError,
    RowResult,
    SpecialtyIn,
    address_flags,
    clean_text,
)
from server.importing.upsert import specialty_code

#: Fields a column can feed, with their maximum length (None: a number).
FIELDS: dict[str, int | None] = {
    "kind": 30, "name": 300, "title": 50, "first_name": 100, "last_name": 100,
    "specialty": 200, "territory": 32, "segment": 8, "potential": None, "email": 200,
    "phone": 50, "line1": 200, "line2": 200, "postcode": 16, "city": 100, "region": 100,
    "country": 100, "latitude": None, "longitude": None, "institution": 100,
    "institution_role": 100, "opening_hours": 200,
}

#: Headers taken for a field without a mapping, besides the field's own name.
HEADER_ALIASES = {"state": "region"}


def read_mapping_file(path: Path) -> object:
    """A mapping file's content, .toml or .json (every import's mapping is one of these)."""
    raw = path.read_bytes()
    try:
        return tomllib.loads(raw.decode()) if path.suffix == ".toml" else json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFormatError(f"mapping {path.name}: {exc}") from exc


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)  # field -> header
    external_ids: dict[str, str] = field(default_factory=dict)  # system -> header
    defaults: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","

    @classmethod
    def load(cls, path: Path) -> Mapping:
        """A mapping from a .toml or .json file; unknown sections or fields are errors."""
        return cls.from_dict(read_mapping_file(path))

    @classmethod
    def from_dict(cls, data: object) -> Mapping:
        if not isinstance(data, dict):
            raise ImportFormatError("mapping must be an object")
        unknown = set(data) - {"columns", "external_ids", "defaults", "delimiter"}
        if unknown:
            raise ImportFormatError(f"mapping: unknown key(s) {', '.join(sorted(unknown))}")
        mapping = cls(
            columns=dict(data.get("columns", {})),
            external_ids=dict(data.get("external_ids", {})),
            defaults={k: str(v) for k, v in data.get("defaults", {}).items()},
            delimiter=str(data.get("delimiter", ",")),
        )
        mapping.check()
        return mapping

    def check(self) -> None:
        for name in (*self.columns, *self.defaults):
            if name not in FIELDS:
                raise ImportFormatError(
                    f"mapping: unknown field {name!r} (known: {', '.join(FIELDS)})")
        if len(self.delimiter) != 1:
            raise ImportFormatError("mapping: delimiter must be one character")


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """The file as text, or a clear error naming the line where decoding failed."""
    try:
        return data.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(
            f"the file is not valid {encoding}: byte 0x{data[exc.start]:02x} on line {line}; "
            "save it as UTF-8 or name its encoding (e.g. cp1252)") from exc
    except LookupError as exc:
        raise ImportFormatError(f"unknown encoding {encoding!r}") from exc


def parse(text: str, mapping: Mapping) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows; CSV syntax errors refuse the whole file."""
    if "\x00" in text:
        raise ImportFormatError("the file contains NUL bytes: it is not a text CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFormatError("the file is empty: a header line is needed") from None
    except csv.Error as exc:
        raise ImportFormatError(f"CSV error on line 1: {exc}") from exc
    header = [h.strip() for h in header]
    rows: list[tuple[int, list[str]]] = []
    first = reader.line_num + 1  # a quoted cell may span lines: a record is told by its first
    try:
        for record in reader:
            # Quoted cells spanning lines become one line each.
            cells = record if reader.line_num == first else [_one_line(c) for c in record]
            if any(c.strip() for c in cells):
                rows.append((first, cells))
            first = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFormatError(f"CSV error in the record from line {first}: {exc}") from exc
    return header, rows


def resolve_columns(header: list[str], mapping: Mapping) -> tuple[dict[str, int], dict[str, int]]:
    """Column indexes of the mapped fields and external ids; a mapped column missing from
    the header is an error (a typo would otherwise import empty values)."""
    if len(set(header)) != len(header):
        raise ImportFormatError("the header names a column twice")
    index = {h: i for i, h in enumerate(header)}
    fields: dict[str, int] = {}
    ids: dict[str, int] = {}
    for name, column in mapping.columns.items():
        if column not in index:
            raise ImportFormatError(f"column {column!r} (for {name}) is not in the header")
        fields[name] = index[column]
    for system, column in mapping.external_ids.items():
        if column not in index:
            raise ImportFormatError(f"column {column!r} (for {system}) is not in the header")
        ids[system] = index[column]
    for h, i in index.items():
        name = HEADER_ALIASES.get(h, h)
        if name in FIELDS and name not in fields:
            fields[name] = i
        elif h.lower().startswith("id:") and h[3:] and h[3:] not in ids:
            ids[h[3:]] = i
    if not ids:
        raise ImportFormatError("no external id column: map one (e.g. LANR) or name a column "
                                "id:<SYSTEM>; imports upsert by external id")
    return fields, ids


def _number(value: str | None, label: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise RowError(f"{label} {value!r} is not a number") from None
    if not low <= number <= high:
        raise RowError(f"{label} {number} is outside {low}..{high}")
    return number


_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")

#: Words a `kind` column uses for a person or an organisation, besides hcp and hco.
KINDS = {"hcp": "hcp", "hco": "hco", "person": "hcp", "individual": "hcp",
         "practitioner": "hcp", "arzt": "hcp", "ärztin": "hcp", "organisation": "hco",
         "organization": "hco", "institution": "hco", "einrichtung": "hco", "praxis": "hco",
         "klinik": "hco"}

#: Header words of an organisation's name column: a person row without a name but with one
#: of these filled is an organisation in a person import.
_ORGANISATION_HEADERS = re.compile(
    r"organi[sz]ation|institution|einrichtung|praxis|klinik|krankenhaus|hospital|business|"
    r"firma|company", re.I)


def _one_line(cell: str) -> str:
    """A quoted cell spanning lines (a name broken in a spreadsheet) as one line."""
    return _LINE_BREAK.sub(" ", cell)


def _nameless(kind: str, header: list[str], cells: list[str], fields: dict[str, int]) -> str:
    """Why a row without a name is refused, saying what the row is."""
    if kind == "hco":
        return "an organisation row without a name: map its name column to `name`"
    used = set(fields.values())
    for i, title in enumerate(header):
        if i not in used and i < len(cells) and cells[i].strip() \
                and _ORGANISATION_HEADERS.search(title):
            return (f"an organisation row in a person import ({title!r} is filled, no person "
                    "name): map `kind` (hco for organisations) and the organisation's name to "
                    "`name`")
    return "a person row without a name: `name`, `first_name` and `last_name` are empty"


def _address(raw: dict[str, str | None], warnings: list[str], flags: list[str]
             ) -> AddressIn | None:
    """The address of a row; missing parts and unknown places are flagged, never refused."""
    if not (raw["line1"] or raw["line2"] or raw["postcode"] or raw["city"] or raw["region"]):
        return None
    written = raw["country"] or "DE"
    country = country_code(written)
    if country is None:
        warnings.append(f"country {written!r} not recognised: stored as ZZ (unknown)")
        flags.append(COUNTRY_UNKNOWN)
        country = "ZZ"
    region = raw["region"]
    if region is not None:
        code = region_code(region, country)
        if code is None:
            warnings.append(f"state/region {region!r} not recognised for {country}: kept as "
                            "written")
            flags.append(REGION_UNKNOWN)
        region = code or region
    return AddressIn(
        line1=raw["line1"] or "", city=raw["city"] or "", line2=raw["line2"],
        postcode=raw["postcode"], country=country, region=region,
        latitude=_number(raw["latitude"], "latitude", -90, 90),
        longitude=_number(raw["longitude"], "longitude", -180, 180),
    )


def row_to_item(line: int, cells: list[str], header: list[str], fields: dict[str, int],
                ids: dict[str, int], mapping: Mapping) -> Item:
    """One CSV row as a validated record, or an Item carrying the reason it is refused."""
    ref = f"line {line}"
    try:
        width = len(header)
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise RowError(f"has {len(cells)} cells, the header has {width}: a delimiter "
                           "inside a value that is not quoted?")
        if len(cells) < width:
            raise RowError(f"has {len(cells)} cells, the header has {width}")
        raw: dict[str, str | None] = dict.fromkeys(FIELDS)
        for name in (*fields, *mapping.defaults):  # only what the file or the mapping gives
            cell = cells[fields[name]] if name in fields else None
            if cell is None or not cell.strip():
                cell = mapping.defaults.get(name)
            raw[name] = clean_text(cell, name, FIELDS[name] or 100)
        keys, rejected = keys_of([(system, cells[i]) for system, i in ids.items()
                                  if cells[i].strip()])
        written_kind = raw["kind"] or "hcp"
        kind = KINDS.get(written_kind.casefold())
        if kind is None:
            raise RowError(f"kind must be hcp (a person) or hco (an organisation), not "
                           f"{written_kind!r}")
        name = raw["name"] or " ".join(
            p for p in (raw["title"], raw["first_name"], raw["last_name"]) if p)
        if not name:
            raise RowError(_nameless(kind, header, cells, fields))
        if len(name) > 300:
            raise RowError("name is longer than 300 characters")
        if not keys:
            raise RowError("no external id: an account needs one to be matched later"
                           + "".join(f"; {r.text()}" for r in rejected))
        warnings = [r.text() for r in rejected]
        flags = [IDENTIFIER_REJECTED] if rejected else []
        address = _address(raw, warnings, flags)
        hours_problem = opening_hours.problem(raw["opening_hours"])
        if hours_problem is not None:
            raise RowError(hours_problem)
        record = AccountIn(
            kind=kind, name=name, keys=keys, title=raw["title"], first_name=raw["first_name"],
            last_name=raw["last_name"], territory=raw["territory"], segment=raw["segment"],
            potential=_number(raw["potential"], "potential", 0, 1), email=raw["email"],
            phone=raw["phone"], opening_hours=raw["opening_hours"], address=address,
            warnings=warnings, rejected=rejected,
            flags=[*flags, *address_flags(address)],
            specialty=SpecialtyIn(specialty_code(raw["specialty"]), raw["specialty"])
            if raw["specialty"] else None,
        )
        if raw["institution"]:
            system, sep, value = raw["institution"].partition(":")
            if not sep:
                raise RowError("institution must be SYSTEM:value, e.g. BSNR:721111100")
            target = make_key(system, value)
            record.links.append(LinkIn(
                kind="affiliation", source=keys, target=[target], result=RowResult(ref),
                own_result=False, role=raw["institution_role"],
                describe_source="this doctor", describe_target=f"institution {raw['institution']}",
            ))
    except RowError as exc:
        return Item(ref=ref, error=str(exc))
    return Item(ref=ref, account=record)


def read_csv(data: bytes, mapping: Mapping | None = None,
             encoding: str = "utf-8") -> tuple[int, Iterator[Item]]:
    """Check the whole file, then return the row count and the items (validated lazily)."""
    mapping = mapping or Mapping()
    header, rows = parse(decode(data, encoding), mapping)
    fields, ids = resolve_columns(header, mapping)

    def items() -> Iterator[Item]:
        for line, cells in rows:
            yield row_to_item(line, cells, header, fields, ids, mapping)

    return len(rows), items()
