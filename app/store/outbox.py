"""Writes the sync outbox from the session's own record of what changed.

Hooked into the ORM session (`after_flush`), so every service that changes a synced row gets
its outbox mutation in the same transaction without having to remember it: no ORM write
reaches the database without its mutation. Bulk paths (demo data, rows applied from the server)
use Core or set `session.info["from_server"]`, and so add nothing.

Successive edits of a row are folded into its pending mutation while that mutation is the
newest in the outbox and not being pushed: a note typed into a call report stays one
mutation, not hundreds, and no change ever moves ahead of one made after it. Within a flush,
parents are written before their children; changes of rows that already exist go children
first, so a row that locks its children (a call submitted, a presentation ended) reaches the
server after their last changes, never before them (the server refuses a child's change
that arrives in a later push than its parent's lock). A revived tombstone is sent as a whole
upsert.

What a presentation of a deck imported on this laptop captured stays on this laptop: such a
deck was never approved centrally (the server has no such presentation), so it is a local
preview and its captures are not for the server (docs/content.md, "Local previews").

Because this writer sees every local change of a synced row, it is also the one place that
tells the app "something now waits for the server": `subscribe` registers a callback that
runs after each commit that wrote (or folded into) an outbox mutation. The status bar's count
and the "sync soon after a change" hang on that, so no screen or service has to remember to
announce its writes (Anki's OpChanges, reduced to the one fact the sync needs).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, func, insert, inspect, select, text, update
from sqlalchemy.orm import Session, UOWTransaction

from app.contract import ENTITIES, to_wire
from app.ids import uuid7
from app.store.base import Base, Synced
from app.store.errors import StoreError
from app.store.journal import OutboxMutation

FROM_SERVER = "from_server"
#: Set in `session.info` by a flush that wrote the outbox; read and cleared at commit.
WROTE = "outbox_wrote"

#: Per writer engine, what to call after a commit that wrote the outbox.
_subscribers: weakref.WeakKeyDictionary[Engine, list[Callable[[], None]]] = \
    weakref.WeakKeyDictionary()
_subscribers_lock = threading.Lock()


def _changed_fields(obj: Synced, names: tuple[str, ...], *, new: bool) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for name in names:
        if new or state.attrs[name].history.has_changes():
            out[name] = to_wire(getattr(obj, name))
    return out


def _write(session: Session, entity: str, row_id: str, op: str, fields: dict[str, Any],
           base_version: int) -> None:
    conn = session.connection()
    session.info[WROTE] = True
    table = OutboxMutation.__table__
    assert isinstance(table, Table)
    last = conn.execute(
        select(table.c.seq, table.c.op, table.c.fields, table.c.in_flight)
        .where(table.c.entity == entity, table.c.row_id == row_id)
        .order_by(table.c.seq.desc())
        .limit(1)
    ).first()
    # Fold only into the newest mutation of the whole outbox: folding into an older one
    # would move this change ahead of later ones that may depend on it (a call submitted
    # before its samples arrive).
    newest = conn.execute(select(func.max(table.c.seq))).scalar()
    if (op == "upsert" and last is not None and last.seq == newest and not last.in_flight
            and last.op == "upsert"):
        merged = json.loads(last.fields)
        merged.update(fields)
        conn.execute(
            update(table).where(table.c.seq == last.seq).values(fields=json.dumps(merged))
        )
        return
    conn.execute(
        insert(table).values(
            mutation_id=uuid7(), entity=entity, row_id=row_id, op=op,
            fields=json.dumps(fields), base_version=base_version,
        )
    )


def _before_flush(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    """Refuse a hard delete of a synced row before any SQL is sent."""
    if session.info.get(FROM_SERVER):
        return
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise StoreError(
                f"{type(obj).__name__} rows are synced: mark them deleted, never delete them"
            )


def _parents_first(objects: list[Synced]) -> list[Synced]:
    """Rows in the order of their tables' foreign keys: a call before its samples."""
    order = {table.name: i for i, table in enumerate(Base.metadata.sorted_tables)}
    return sorted(objects, key=lambda o: order.get(o.__tablename__, 0))  # type: ignore[attr-defined]


#: Per capture entity: the version of the deck a row belongs to (0: imported here).
_DECK_VERSION = {
    "presentation_sessions": ("presentation_id",
                              "SELECT version FROM presentations WHERE id = :ref"),
    "slide_views": ("session_id", "SELECT p.version FROM presentation_sessions s "
                                  "JOIN presentations p ON p.id = s.presentation_id "
                                  "WHERE s.id = :ref"),
    "clickstream_events": ("session_id", "SELECT p.version FROM presentation_sessions s "
                                         "JOIN presentations p ON p.id = s.presentation_id "
                                         "WHERE s.id = :ref"),
}


def _stays_local(conn: Connection, entity: str, obj: Synced) -> bool:
    """A capture of a local preview deck (one the server never sent: version 0)."""
    found = _DECK_VERSION.get(entity)
    if found is None:
        return False
    column, query = found
    return conn.execute(text(query), {"ref": getattr(obj, column)}).scalar() == 0


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    if session.info.get(FROM_SERVER):
        return
    created = [o for o in session.new if isinstance(o, Synced)]
    changed = [o for o in session.dirty if isinstance(o, Synced)]
    for obj in _parents_first(created) + _parents_first(changed)[::-1]:
        entity = ENTITIES.get(obj.__tablename__)  # type: ignore[attr-defined]
        if entity is None or _stays_local(session.connection(), entity.name, obj):
            continue
        new = obj in session.new
        if not new and not session.is_modified(obj, include_collections=False):
            continue
        deleted_now = not new and inspect(obj).attrs["deleted"].history.has_changes()
        if deleted_now and obj.deleted:
            _write(session, entity.name, obj.id, "delete", {}, obj.version)
            continue
        # A tombstone brought back carries the whole row: the server holds it deleted.
        fields = _changed_fields(obj, entity.fields, new=new or deleted_now)
        if fields:
            _write(session, entity.name, obj.id, "upsert", fields, 0 if new else obj.version)


def _after_commit(session: Session) -> None:
    if not session.info.pop(WROTE, False):
        return
    with _subscribers_lock:
        callbacks = list(_subscribers.get(session.bind, ())) if isinstance(
            session.bind, Engine) else []
    for callback in callbacks:
        callback()


def _after_rollback(session: Session) -> None:
    session.info.pop(WROTE, None)  # nothing of it reached the database


def subscribe(engine: Engine, callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback()` after every commit on `engine` that wrote the outbox; the
    unsubscribe function. It runs on the committing thread: a Qt receiver relays it."""
    with _subscribers_lock:
        _subscribers.setdefault(engine, []).append(callback)

    def unsubscribe() -> None:
        with _subscribers_lock:
            callbacks = _subscribers.get(engine, [])
            if callback in callbacks:
                callbacks.remove(callback)
    return unsubscribe


INSTALLED = "_fieldrep_outbox"


def install(session_factory: Any) -> None:
    """Attach the outbox writer to a sessionmaker (idempotent).

    Marked on the sessionmaker itself, not asked of `event.contains`: SQLAlchemy keys its
    listener registry by the target's id(), and a new sessionmaker can reuse the id of a
    collected one whose entries are still there, which then looked installed and silently
    wrote no outbox at all (seen in the test suite)."""
    if getattr(session_factory, INSTALLED, False):
        return
    event.listen(session_factory, "before_flush", _before_flush)
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "after_commit", _after_commit)
    event.listen(session_factory, "after_rollback", _after_rollback)
    setattr(session_factory, INSTALLED, True)
