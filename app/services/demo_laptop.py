"""A demo laptop: a data folder that belongs to the demo server, with the rep logged in.

The laptop's database starts empty and fills by syncing with the demo server, as a real
rep's does on the first day. `local_state` remembers which demo server (by the id made when
it was seeded) the data came from: after the server was reset, the old data would not match
the new server's, so it is thrown away, but only when nothing typed on this laptop is still
waiting to be sent (nothing the rep typed is ever lost).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.config import Settings
from app.i18n import tr
from app.services.demo_server import REP, DemoServer, DemoServerError
from app.services.login import LoginResult, login
from app.store.database import Database
from app.sync import state
from app.sync.auth import client_for

#: local_state: the id of the demo server this laptop's data came from.
SERVER_ID = "demo.server_id"


def _facts(database: Path) -> tuple[bool, str | None, int]:
    """(holds data, the demo server id, changes waiting) of a database file, read-only."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        accounts = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
        marker = conn.execute("SELECT value FROM local_state WHERE key = ?",
                              (SERVER_ID,)).fetchone()
        truth = conn.execute("SELECT count(*) FROM demo_truth").fetchone()[0]
        pending = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    except sqlite3.DatabaseError:
        return True, None, 0
    finally:
        conn.close()
    # A demo made before the demo had a server holds the generator's hidden truth.
    server_id = marker[0] if marker else ("" if truth else None)
    return bool(accounts) or marker is not None, server_id, int(pending)


def check_discard(database: Path) -> None:
    """Raise unless `database` may be thrown away: demo data with nothing waiting to sync."""
    if not database.exists():
        return
    holds, server_id, pending = _facts(database)
    if holds and server_id is None:
        raise DemoServerError(tr("{path} is not demo data: the demo refuses to delete it.",
                                 path=database))
    if pending:
        raise DemoServerError(tr(
            "{path} holds {count} change(s) not yet sent to the demo server: the demo "
            "refuses to delete them. Sync first, or use another --data-dir.",
            path=database, count=pending))


def discard(database: Path) -> None:
    check_discard(database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def discard_if_stale(database: Path, server: DemoServer) -> bool:
    """Throw away demo data that came from another (reset) demo server; True if it did."""
    if not database.exists():
        return False
    holds, server_id, _pending = _facts(database)
    if not holds or server_id == server.seeded.server_id:
        return False
    discard(database)
    return True


def log_in(db: Database, settings: Settings, server: DemoServer) -> LoginResult:
    """Log the demo rep in on this laptop (a new device for the server) and point the
    settings at the demo server; the window's first sync fills the database."""
    with client_for(db, server.url) as client:
        result = login(db, client, REP.username, REP.password)
    if not result.online:
        raise DemoServerError(tr("The demo server at {url} does not answer.", url=server.url))
    with db.write() as session:
        state.put(session.connection(), SERVER_ID, server.seeded.server_id)
    settings.set("server_url", server.url)
    settings.save()
    return result
