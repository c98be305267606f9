"""Writing server rows into the local tables with Core: converted, upserted, never echoed.

Why Core: rows from the server must not become outbox mutations (they are the server's
already), and Core bypasses the ORM hook by design (app/store/bulk.py). Why an upsert that
names only the wire columns: the derived local columns of an account (`name_key`,
`search_text`, `last_contact_at`, ...) are not on the wire and must survive an update; the
caller refreshes them afterwards. Fields with an unsent local edit are left alone, so the
rep's pending change is still what the rep sees until the server has answered it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, bindparam, select, update
from sqlalchemy.dialects.sqlite import insert

from app.contract import COMMON_FIELDS, ENTITIES
from app.store.journal import OutboxMutation
from app.store.models import Base  # imports every table, so metadata knows them all
from app.sync.errors import MalformedReplyError

_outbox = cast(Table, OutboxMutation.__table__)


def table_for(entity: str) -> Table | None:
    """The local table of a synced entity, or None when this build does not know it."""
    if entity not in ENTITIES:
        return None
    return Base.metadata.tables.get(entity)


def _wire_date_time(table: str, name: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise MalformedReplyError(
                f"The server sent {value!r} for {table}.{name}, which is not a date.") from exc
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return moment
    return convert


def _wire_date(table: str, name: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError as exc:
            raise MalformedReplyError(
                f"The server sent {value!r} for {table}.{name}, which is not a date.") from exc
    return convert


@dataclass(frozen=True)
class _Shape:
    """What `local_values` needs of an entity, worked out once: the initial sync converts
    hundreds of thousands of rows, and asking each column's type for each value was a third
    of the time spent applying a page."""

    names: frozenset[str]
    convert: dict[str, Callable[[Any], Any]]  # only the columns whose value needs converting


@cache
def _shape(entity: str) -> _Shape:
    table = table_for(entity)
    assert table is not None
    names = frozenset(n for n in set(ENTITIES[entity].fields) | set(COMMON_FIELDS)
                      if n in table.c)
    convert: dict[str, Callable[[Any], Any]] = {}
    for name in names:
        kind = table.c[name].type
        if isinstance(kind, DateTime):
            convert[name] = _wire_date_time(table.name, name)
        elif isinstance(kind, Date):
            convert[name] = _wire_date(table.name, name)
        elif isinstance(kind, Boolean):
            convert[name] = bool
    return _Shape(names, convert)


def local_values(entity: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's wire fields this build stores, converted to the local column types."""
    shape = _shape(entity)
    names, convert = shape.names, shape.convert
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in names:
            to_local = convert.get(key)
            out[key] = value if to_local is None or value is None else to_local(value)
    return out


def _insert_defaults(table: Table) -> dict[str, Any]:
    """Values a new row needs for NOT NULL local columns that have only a Python default."""
    out: dict[str, Any] = {}
    for column in table.c:
        default = column.default
        if (not column.nullable and column.server_default is None and default is not None
                and getattr(default, "is_scalar", False)):
            out[column.name] = default.arg  # type: ignore[attr-defined]
    return out


def pending_fields(conn: Connection, entity: str, row_id: str) -> tuple[set[str], bool]:
    """Fields of this row with an unsent local change, and whether a delete is pending."""
    fields: set[str] = set()
    deleting = False
    for op, raw in conn.execute(
            select(_outbox.c.op, _outbox.c.fields)
            .where(_outbox.c.entity == entity, _outbox.c.row_id == row_id)):
        if op == "delete":
            deleting = True
        else:
            fields.update(json.loads(raw))
    return fields, deleting


def upsert(conn: Connection, entity: str, row: Mapping[str, Any], *,
           keep: Iterable[str] = ()) -> None:
    """Insert or update one server row; the fields in `keep` keep their local values."""
    table = table_for(entity)
    assert table is not None
    values = local_values(entity, row)
    if "id" not in values:
        raise MalformedReplyError(f"The server sent a {entity} row without an id.")
    kept = set(keep)
    changes = {k: v for k, v in values.items() if k != "id" and k not in kept}
    stmt = insert(table).values({**_insert_defaults(table), **values})
    if changes:
        conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=changes))
    else:
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["id"]))


def advance_last_contact(conn: Connection, latest: Mapping[str, dt.datetime]) -> None:
    """Move `accounts.last_contact_at` forward to the latest submitted call's start."""
    if not latest:
        return
    accounts = Base.metadata.tables["accounts"]
    conn.execute(
        update(accounts)
        .where(accounts.c.id == bindparam("a"),
               (accounts.c.last_contact_at.is_(None))
               | (accounts.c.last_contact_at < bindparam("t", type_=DateTime())))
        .values(last_contact_at=bindparam("t", type_=DateTime())),
        [{"a": a, "t": t} for a, t in latest.items()])


def take_over_twin(conn: Connection, entity: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """When the server's `row` and a local row not yet on the server share a natural key (the
    rep recorded the same consent on this laptop), the local row gives way: its pending
    mutations now name the server's row, and its unsent values are returned so the caller
    writes them over the server's (they are still to be pushed). Everything else here that
    names the local row follows it (`repoint`). {} when there is no twin.

    The pending mutations keep their base versions (0 for a row made here): the server's row
    may hold changes this laptop never saw, and the server merges against that base."""
    table = table_for(entity)
    key = ENTITIES[entity].natural_key if table is not None else ()
    if not key or table is None or any(row.get(name) is None for name in key):
        return {}
    twin = conn.execute(select(table).where(
        *(table.c[name] == row[name] for name in key), table.c.id != row["id"])).first()
    if twin is None:
        return {}
    keep, _deleting = pending_fields(conn, entity, twin.id)
    values = {name: getattr(twin, name) for name in keep if name in table.c}
    conn.execute(update(_outbox).where(_outbox.c.entity == entity, _outbox.c.row_id == twin.id)
                 .values(row_id=row["id"]))
    conn.execute(table.delete().where(table.c.id == twin.id))
    repoint(conn, entity, twin.id, row["id"])
    return values


def repoint(conn: Connection, entity: str, old: str, new: str) -> None:
    """References to a row the server merged into another move to the surviving id: the
    audit entries about it (kept and unsent), and its conflicts. Runs while server data is
    applied (`sync.applying`): the audit log's triggers let only that change an entry
    (migration 0009)."""
    audit = Base.metadata.tables["audit_log"]
    conn.execute(update(audit).where(audit.c.entity == entity, audit.c.row_id == old)
                 .values(row_id=new))
    conflicts = Base.metadata.tables["sync_conflicts"]
    conn.execute(update(conflicts).where(conflicts.c.entity == entity, conflicts.c.row_id == old)
                 .values(row_id=new))
    for seq, raw in conn.execute(select(_outbox.c.seq, _outbox.c.fields)
                                 .where(_outbox.c.entity == "audit_log")):
        fields = json.loads(raw)
        if fields.get("entity") == entity and fields.get("row_id") == old:
            conn.execute(update(_outbox).where(_outbox.c.seq == seq)
                         .values(fields=json.dumps({**fields, "row_id": new})))
