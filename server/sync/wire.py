"""Values on the wire: checking pushed fields against the columns, rows out, the cursor.

A pushed value is checked against its column's type here, before any SQL, so a wrong type is
a rejection the rep can read, never a 500 from the database driver or a silent coercion
(SQLite would store a string in an INTEGER column).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import uuid
from typing import Any, TypeGuard

import orjson
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Table, Text
from sqlalchemy.engine import RowMapping

from app.contract import COMMON_FIELDS, ENTITIES, to_wire
from server.models import Base


class Rejected(Exception):  # noqa: N818 - it is an answer, not an error of the server
    """A business rejection: the mutation is answered `rejected` with this reason."""


def table_of(entity: str) -> Table:
    return Base.metadata.tables[entity]


def wire_columns(entity: str) -> tuple[str, ...]:
    """The columns a pulled row carries: the contract's, never server-only ones."""
    return (*COMMON_FIELDS, *ENTITIES[entity].fields)


def row_out(entity: str, row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    return {name: to_wire(row[name]) for name in wire_columns(entity)}


def is_uuid(value: object) -> TypeGuard[str]:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _parse_datetime(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is not None:  # the store keeps naive UTC
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
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
    if isinstance(kind, Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(kind, Float):
        ok = (isinstance(value, int | float) and not isinstance(value, bool)
              and math.isfinite(value))
        value = float(value) if ok else value
    elif isinstance(kind, DateTime | Date):
        ok = isinstance(value, str)
        if ok:
            try:
                value = (_parse_datetime(value) if isinstance(kind, DateTime)
                         else dt.date.fromisoformat(value))
            except ValueError:
                ok = False
    elif isinstance(kind, String | Text):
        ok = isinstance(value, str) and "\x00" not in value  # PostgreSQL refuses NUL
        length = getattr(kind, "length", None)
        if ok and length is not None and len(value) > length:
            raise Rejected(f"{entity}.{name} is longer than {length} characters")
    else:  # pragma: no cover - every contract column has one of the types above
        ok = False
    if not ok:
        raise Rejected(f"{entity}.{name} has the wrong type ({type(value).__name__})")
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
    if not (isinstance(version, int) and isinstance(rank, int) and isinstance(row_id, str)):
        raise Rejected("invalid cursor: pass the cursor of the previous page")
    return version, rank, row_id
