"""Values on the wire: checking pushed fields against the columns, rows out, the cursor.

A pushed value is checked against its column's type here, before any SQL, so a wrong type is
a rejection the rep can read, never a 500 from the database driver or a silent coercion
(SQLite would store a string in an INTEGER column). Ranges are checked too, the narrower of
the two databases deciding, so a value is refused alike on SQLite and PostgreSQL: whole
numbers within INTEGER (32 bits on PostgreSQL) or BIGINT, finite floats, dates and times in
years 1900 to 2199 (Python cannot even convert year 1 or 9999 with an offset to UTC), text
without NUL (PostgreSQL refuses it) or lone surrogates (no UTF-8 encoding exists for them,
so neither the database nor the JSON answer could carry them).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import math
import uuid
from typing import Any, TypeGuard

import orjson
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, String, Table, Text
from sqlalchemy.engine import RowMapping

from app import opening_hours
from app.contract import COMMON_FIELDS, ENTITIES, YEARS, to_wire
from server.models import Base

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


class Rejected(Exception):  # noqa: N818 - it is an answer, not an error of the server
    """A business rejection: the mutation is answered `rejected` with this reason."""


def table_of(entity: str) -> Table:
    return Base.metadata.tables[entity]


@functools.cache
def wire_columns(entity: str) -> tuple[str, ...]:
    """The columns a pulled row carries: the contract's, never server-only ones."""
    return (*COMMON_FIELDS, *ENTITIES[entity].fields)


@functools.cache
def _temporal(entity: str) -> tuple[str, ...]:
    """The wire columns of `entity` whose values `to_wire` converts (dates and times)."""
    columns = table_of(entity).c
    return tuple(name for name in wire_columns(entity)
                 if isinstance(columns[name].type, (Date, DateTime)))


def row_out(entity: str, row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    """A row as the wire carries it (`app.contract.to_wire`). Only the date and time
    columns are converted: a first sync sends millions of values, and asking each one
    whether it is a date was a third of a page's cost."""
    out = {name: row[name] for name in wire_columns(entity)}
    for name in _temporal(entity):
        out[name] = to_wire(out[name])
    return out


def is_uuid(value: object) -> TypeGuard[str]:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def printable(text: str) -> str:
    """`text` safe to echo in an answer: a lone surrogate (which no JSON encoder can write
    as UTF-8) becomes "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def is_text(value: str) -> bool:
    """Whether `value` can be stored and sent back: no NUL, no lone surrogate."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def whole_number(value: Any, bounds: tuple[int, int] = INT64) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)
            and bounds[0] <= value <= bounds[1])


def _parse_datetime(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise ValueError("out of the sane window")
    if parsed.tzinfo is not None:  # the store keeps naive UTC
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def _parse_date(value: str) -> dt.date:
    parsed = dt.date.fromisoformat(value)
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise ValueError("out of the sane window")
    return parsed


def coerce(entity: str, name: str, value: Any) -> Any:
    """The pushed `value` for column `name`, as the database takes it; Rejected if it does
    not fit (wrong type, too long, null where the column needs a value)."""
    column = table_of(entity).c[name]
    if value is None:
        if not column.nullable:
            raise Rejected(f"{entity}.{name} needs a value")
        return None
    kind = column.type
    what = f"{entity}.{name}"
    if isinstance(kind, Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool)
        bounds = INT64 if isinstance(kind, BigInteger) else INT32
        if ok and not whole_number(value, bounds):
            raise Rejected(f"{what} is out of range: a whole number from {bounds[0]} to "
                           f"{bounds[1]} is needed")
    elif isinstance(kind, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and not ((isinstance(value, float) and math.isfinite(value))
                       or (isinstance(value, int) and whole_number(value))):
            raise Rejected(f"{what} is out of range: a finite number is needed")
        value = float(value) if ok else value
    elif isinstance(kind, DateTime | Date):
        ok = isinstance(value, str)
        if ok:
            try:
                value = (_parse_datetime(value) if isinstance(kind, DateTime)
                         else _parse_date(value))
            except (ValueError, OverflowError):
                raise Rejected(
                    f"{what} is not a {'time' if isinstance(kind, DateTime) else 'date'} "
                    f"in ISO 8601 between the years {YEARS[0]} and {YEARS[1]}") from None
    elif isinstance(kind, String | Text):
        ok = isinstance(value, str)
        if ok and not is_text(value):
            raise Rejected(f"{what} holds a character that cannot be stored (a NUL or an "
                           f"unpaired surrogate): remove it and sync again")
        length = getattr(kind, "length", None)
        if ok and length is not None and len(value) > length:
            raise Rejected(f"{what} is longer than {length} characters")
    else:  # pragma: no cover - every contract column has one of the types above
        ok = False
    if not ok:
        raise Rejected(f"{what} has the wrong type ({type(value).__name__})")
    if what == "accounts.opening_hours":  # read by the calendar and the route: readable
        problem = opening_hours.problem(value)
        if problem is not None:
            raise Rejected(problem)
    return value


def json_text(value: Any) -> str:
    return orjson.dumps(to_wire(value)).decode()


# The pull cursor: (version, entity rank, id) of the last row served, as base64url JSON.
# Opaque to the client; a forged one only moves the lower bound inside the caller's scope.

def encode_cursor(version: int, rank: int, row_id: str) -> str:
    raw = orjson.dumps([version, rank, row_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, rank, row_id = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        raise Rejected("invalid cursor: pass the cursor of the previous page") from None
    # Every part within what this server writes into a cursor: a version beyond BIGINT or a
    # NUL in the id would reach the database as a parameter it refuses.
    if not (whole_number(version, (-1, INT64[1])) and whole_number(rank, (-1, 1 << 16))
            and isinstance(row_id, str) and (row_id == "" or is_uuid(row_id))):
        raise Rejected("invalid cursor: pass the cursor of the previous page")
    return version, rank, row_id
