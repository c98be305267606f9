"""Sales and market figures from regional sales exports (the shape of IQVIA or Insight Health
data): one CSV line per account or postcode area ("brick"), product and month, with units
and/or value and the units of the whole market there.

A mapping (TOML or JSON) names the columns; a column named like the field is taken without:

    delimiter = ";"
    decimal = ","            # "1.234,50" in a German export
    account_system = "LANR"  # the account column holds this external id (default: our id)
    [columns]                # field = "column header"
    account = "LANR"
    brick = "Brick"
    territory = "Gebiet"     # needed for brick lines; an account line is its account's
    product = "Produkt"
    month = "Monat"          # 2026-03, 2026-03-01, 03/2026 or 03.2026
    units = "Menge"
    value = "Umsatz"
    market_units = "Marktmenge"

Every line is checked before anything is written, and one bad line refuses the file: a
sales export half imported would show a territory's trend with months missing, which reads
as a slump. A line matching a stored row (same account or brick, product and month) updates
it only if a figure changed, so importing the same file again changes nothing and sends
nothing to the laptops.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import false, func, select, tuple_
from sqlalchemy.orm import Session

from server.db import Database, next_versions
from server.importing.csvfile import decode, read_mapping_file
from server.importing.records import ImportFormatError, RowError
from server.models import Account, ExternalId, MarketSale, Product, Territory

FIELDS = ("account", "brick", "territory", "product", "month", "units", "value",
          "market_units")
#: Figures above this are no plausible monthly sales of one product in one place.
MAX_UNITS = 10_000_000
MAX_VALUE = 1_000_000_000.0
_MONTH = (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"),
          re.compile(r"^(\d{1,2})[./](\d{4})$"))
_BRICK = re.compile(r"^[0-9A-Za-z]{1,16}$")


@dataclass
class MarketMapping:
    columns: dict[str, str] = field(default_factory=dict)  # field -> header
    account_system: str | None = None
    delimiter: str = ","
    decimal: str = "."

    @classmethod
    def load(cls, path: Path) -> MarketMapping:
        return cls.from_dict(read_mapping_file(path))

    @classmethod
    def from_dict(cls, data: object) -> MarketMapping:
        if not isinstance(data, dict):
            raise ImportFormatError("mapping must be an object")
        unknown = set(data) - {"columns", "account_system", "delimiter", "decimal"}
        if unknown:
            raise ImportFormatError(f"mapping: unknown key(s) {', '.join(sorted(unknown))}")
        columns = data.get("columns", {})
        if not isinstance(columns, dict) or set(columns) - set(FIELDS):
            raise ImportFormatError(f"mapping: columns may name only {', '.join(FIELDS)}")
        mapping = cls(columns={str(k): str(v) for k, v in columns.items()},
                      account_system=data.get("account_system"),
                      delimiter=str(data.get("delimiter", ",")),
                      decimal=str(data.get("decimal", ".")))
        if len(mapping.delimiter) != 1:
            raise ImportFormatError("mapping: delimiter must be one character")
        if mapping.decimal not in (".", ","):
            raise ImportFormatError("mapping: decimal must be \".\" or \",\"")
        return mapping


@dataclass
class MarketReport:
    """What an import did: counts, or (then nothing was written) every bad line's reason."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        if self.errors:
            return {"refused": True, "written": 0,
                    "errors": [{"line": line, "reason": reason} for line, reason in self.errors]}
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass(frozen=True)
class _Line:
    line: int
    territory_id: str
    account_id: str | None
    brick: str | None
    product_id: str
    month: dt.date
    units: int | None
    value: float | None
    market_units: int | None

    @property
    def key(self) -> tuple[str | None, str | None, str, dt.date]:
        return (self.account_id, self.brick, self.product_id, self.month)


def import_market(db: Database, data: bytes, mapping: MarketMapping | None = None,
                  encoding: str = "utf-8") -> MarketReport:
    """Check every line, then write all of them in one transaction or none (see above).
    Raises ImportFormatError when the file as a whole is unusable."""
    mapping = mapping or MarketMapping()
    header, rows = _parse(decode(data, encoding), mapping)
    columns = _columns(header, mapping)
    report = MarketReport()
    with db.writing() as session:
        lookup = _Lookup(session, mapping.account_system)
        lines: list[_Line] = []
        seen: dict[tuple[str | None, str | None, str, dt.date], int] = {}
        for number, cells in rows:
            try:
                line = _read(number, cells, columns, mapping, lookup)
            except RowError as exc:
                report.errors.append((number, str(exc)))
                continue
            if line.key in seen:
                report.errors.append((number, f"repeats line {seen[line.key]} (same account or "
                                              "brick, product and month)"))
                continue
            seen[line.key] = number
            lines.append(line)
        if report.errors:
            return report  # nothing was written: every check before it only read
        _write(session, lines, report)
    return report


def _parse(text: str, mapping: MarketMapping) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if "\x00" in text:
        raise ImportFormatError("the file contains NUL bytes: it is not a text CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        rows = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    except StopIteration:
        raise ImportFormatError("the file is empty: a header line is needed") from None
    except csv.Error as exc:
        raise ImportFormatError(f"CSV error on line {reader.line_num}: {exc}") from exc
    return header, rows


def _columns(header: list[str], mapping: MarketMapping) -> dict[str, int]:
    if len(set(header)) != len(header):
        raise ImportFormatError("the header names a column twice")
    index = {h: i for i, h in enumerate(header)}
    found: dict[str, int] = {}
    for name in FIELDS:
        column = mapping.columns.get(name, name)
        if column in index:
            found[name] = index[column]
        elif name in mapping.columns:
            raise ImportFormatError(f"column {column!r} (for {name}) is not in the header")
    lacking = [n for n in ("product", "month") if n not in found]
    if "account" not in found and "brick" not in found:
        lacking.append("account or brick")
    if "units" not in found and "value" not in found:
        lacking.append("units or value")
    if lacking:
        raise ImportFormatError(f"the file has no column for {', '.join(lacking)}")
    return found


class _Lookup:
    """Accounts, products and territories by what a file names them, read once."""

    def __init__(self, session: Session, system: str | None) -> None:
        self.session, self.system = session, system
        self.products = {name.casefold(): pid for pid, name in session.execute(
            select(Product.id, Product.name).where(Product.deleted == false()))}
        self.product_ids = set(self.products.values())
        self.territories: dict[str, str] = {code: tid for code, tid in session.execute(
            select(func.upper(Territory.code), Territory.id).where(
                Territory.deleted == false()))}
        self._accounts: dict[str, tuple[str, str | None] | None] = {}

    def account(self, value: str) -> tuple[str, str | None] | None:
        """(account id, its territory id) of the live account the file names."""
        if value not in self._accounts:
            query = select(Account.id, Account.territory_id).where(Account.deleted == false())
            if self.system is None:
                query = query.where(Account.id == value)
            else:
                query = query.join(ExternalId, ExternalId.account_id == Account.id).where(
                    ExternalId.system == self.system, ExternalId.value == value,
                    ExternalId.deleted == false())
            row = self.session.execute(query).first()
            self._accounts[value] = None if row is None else (row[0], row[1])
        return self._accounts[value]


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _read(number: int, cells: list[str], columns: dict[str, int], mapping: MarketMapping,
          lookup: _Lookup) -> _Line:
    cell = lambda name: _cell(cells, columns, name)  # noqa: E731 - a short reader
    account, brick = cell("account"), cell("brick")
    if bool(account) == bool(brick):
        raise RowError("name either an account or a brick (postcode area), not both or none")
    product = cell("product")
    product_id = lookup.products.get(product.casefold()) or (
        product if product in lookup.product_ids else None)
    if product_id is None:
        raise RowError(f"unknown product {product!r}" if product else "the product is empty")
    territory_id: str | None
    if account:
        found = lookup.account(account)
        if found is None:
            what = f"{lookup.system} {account}" if lookup.system else f"id {account}"
            raise RowError(f"no account with {what}")
        account_id, territory_id = found
        if territory_id is None:
            raise RowError(f"account {account} is in no territory: its figures would reach "
                           "nobody")
    else:
        if not _BRICK.match(brick):
            raise RowError(f"brick {brick!r} is no postcode area (digits and letters, at most "
                           "16)")
        account_id, code = None, cell("territory")
        territory_id = lookup.territories.get(code.upper()) if code else None
        if territory_id is None:
            raise RowError(f"unknown territory {code!r}" if code else
                           "a brick line needs its territory")
    units = _number(cell("units"), "units", mapping.decimal, whole=True)
    value = _number(cell("value"), "value", mapping.decimal, whole=False)
    market = _number(cell("market_units"), "market units", mapping.decimal, whole=True)
    if units is None and value is None:
        raise RowError("neither units nor value given")
    if market is not None and units is not None and market < units:
        raise RowError(f"market units {market} are fewer than the product's units {units}")
    return _Line(number, territory_id, account_id, brick.upper() or None, product_id,
                 _month(cell("month")), None if units is None else int(units),
                 value, None if market is None else int(market))


def _month(text: str) -> dt.date:
    for pattern in _MONTH:
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups() if p is not None]
            year, month = (parts[0], parts[1]) if pattern is _MONTH[0] else (parts[1], parts[0])
            day = parts[2] if pattern is _MONTH[0] and len(parts) == 3 else 1
            try:
                dt.date(year, month, day)
            except ValueError:
                break
            if not 1990 <= year <= 2199:
                break
            return dt.date(year, month, 1)
    raise RowError(f"month {text!r} is no month (2026-03, 2026-03-01, 03/2026 or 03.2026)"
                   if text else "the month is empty")


def _number(text: str, what: str, decimal: str, *, whole: bool) -> float | None:
    if not text:
        return None
    plain = text.replace(" ", "")
    plain = plain.replace(".", "").replace(",", ".") if decimal == "," else plain.replace(",", "")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        raise RowError(f"{what} {text!r} is no number") from None
    if not number.is_finite() or number < 0:
        raise RowError(f"{what} {text!r} must be zero or more")
    if whole and number != number.to_integral_value():
        raise RowError(f"{what} {text!r} must be a whole number")
    if number > (MAX_UNITS if whole else MAX_VALUE):
        raise RowError(f"{what} {text!r} is too large for one month")
    return float(number)


def _write(session: Session, lines: list[_Line], report: MarketReport) -> None:
    stored: dict[tuple[str | None, str | None, str, dt.date], MarketSale] = {}
    pairs = sorted({(line.product_id, line.month) for line in lines})
    for start in range(0, len(pairs), 500):
        for found in session.scalars(select(MarketSale).where(
                tuple_(MarketSale.product_id, MarketSale.month).in_(pairs[start:start + 500]))):
            stored[(found.account_id, found.brick, found.product_id, found.month)] = found
    changed: list[tuple[_Line, MarketSale | None]] = []
    for line in lines:
        row = stored.get(line.key)
        figures = (line.territory_id, line.units, line.value, line.market_units, False)
        if row is not None and figures == (row.territory_id, row.units, row.value,
                                           row.market_units, row.deleted):
            report.unchanged += 1
        else:
            changed.append((line, row))
    if not changed:
        return
    version = next_versions(session, len(changed))
    for offset, (line, old) in enumerate(changed):
        if old is None:
            session.add(MarketSale(
                territory_id=line.territory_id, account_id=line.account_id, brick=line.brick,
                product_id=line.product_id, month=line.month, units=line.units,
                value=line.value, market_units=line.market_units, version=version + offset))
            report.created += 1
        else:
            old.territory_id, old.units, old.value = line.territory_id, line.units, line.value
            old.market_units, old.deleted, old.version = line.market_units, False, version + offset
            report.updated += 1
