"""The sync's small facts in `local_state` (docs/sync-protocol.md, "Client state").

Keys hold plain strings or JSON. Writes go through the caller's connection, so the cursor is
stored in the same transaction as the page it belongs to. The rejection log is a JSON list,
capped so a pathological server cannot grow it without bound; conflicts have their own table
(app/store/conflicts.py) because the rep settles them one by one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, select
from sqlalchemy.dialects.sqlite import insert

from app.store.journal import LocalState

CURSOR = "sync.cursor"
LAST_SUCCESS = "sync.last_success_at"
LAST_ERROR = "sync.last_error"
REJECTIONS = "sync.rejections"
#: Server rows the local lock triggers refused (see app/sync/revoke.py for the fix).
DIVERGED = "sync.diverged"
CLOCK_SKEW = "sync.clock_skew_s"
#: Present only inside a transaction that applies server data: the lock triggers let it
#: write the server's version of a submitted call (migration 0005).
APPLYING = "sync.applying"
#: Syncs since the last one that checked the server's checkpoint.
UNVERIFIED = "sync.unverified_syncs"
TOKEN = "auth.token"
USER_ID = "auth.user_id"
USERNAME = "auth.username"
DEVICE_ID = "auth.device_id"
VERIFIER = "auth.verifier"

#: Most entries kept in each log (oldest dropped first).
LOG_CAP = 5000

_table = cast(Table, LocalState.__table__)


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(select(_table.c.value).where(_table.c.key == key)).scalar()


def put(conn: Connection, key: str, value: str | None) -> None:
    """Set (or with None remove) one key."""
    if value is None:
        conn.execute(delete(_table).where(_table.c.key == key))
        return
    stmt = insert(_table).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def get_json(conn: Connection, key: str, default: Any) -> Any:
    raw = get(conn, key)
    if raw is None:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        return default


def append_log(conn: Connection, key: str, entries: list[dict[str, Any]]) -> None:
    if not entries:
        return
    log = get_json(conn, key, [])
    if not isinstance(log, list):
        log = []
    log.extend(entries)
    put(conn, key, json.dumps(log[-LOG_CAP:], default=str))


@contextmanager
def applying_server_data(conn: Connection) -> Iterator[None]:
    """Within the caller's transaction: the server's rows may replace locked local rows.
    The flag is removed before the commit; on an error the rollback removes it."""
    put(conn, APPLYING, "1")
    yield
    put(conn, APPLYING, None)
