"""A demo laptop: a data folder that belongs to the demo server, with the rep signed in.

The rep's store starts empty and fills by syncing with the demo server, as a real rep's
does on the first day. It is encrypted like every store; the demo knows the rep's password,
so it can look inside. `local_state` remembers which demo server (by the id made when it was
seeded) the data came from: after the server was reset, the old data would not match the new
server's, so it is thrown away, but only when nothing typed on this laptop is still waiting to
be sent (nothing the rep typed is ever lost).
"""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from app.demo.server import REP, DemoServer, DemoServerError
from app.i18n import tr
from app.services.login import SignedIn, sign_in
from app.store.database import connect_raw
from app.store.keys import derive_key
from app.store.user_stores import read_header, remove_store, store_for
from app.sync import state
from app.sync.client import SyncClient

#: local_state: the id of the demo server this laptop's data came from.
SERVER_ID = "demo.server_id"


def _facts(data_dir: Path) -> tuple[bool, str | None, int]:
    """(holds data, the demo server id, changes waiting) of the rep's store, read-only."""
    store = store_for(data_dir, REP.username)
    header = read_header(store)
    key = derive_key(REP.password, header.salt, header.kdf) if header else None
    try:
        conn = connect_raw(store.database, key)
    except Exception:
        return True, None, 0
    try:
        accounts = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
        marker = conn.execute("SELECT value FROM local_state WHERE key = ?",
                              (SERVER_ID,)).fetchone()
        truth = conn.execute("SELECT count(*) FROM demo_truth").fetchone()[0]
        pending = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    except Exception:  # sqlite3's or SQLCipher's DatabaseError: not a demo store
        return True, None, 0
    finally:
        conn.close()
    # A demo made before the demo had a server holds the generator's hidden truth.
    server_id = marker[0] if marker else ("" if truth else None)
    return bool(accounts) or marker is not None, server_id, int(pending)


def _exists(data_dir: Path) -> bool:
    return store_for(data_dir, REP.username).database.exists()


def check_discard(data_dir: Path) -> None:
    """Raise unless the rep's store may be thrown away: demo data with nothing to sync."""
    if not _exists(data_dir):
        return
    holds, server_id, pending = _facts(data_dir)
    database = store_for(data_dir, REP.username).database
    if holds and server_id is None:
        raise DemoServerError(tr("{path} is not demo data: the demo refuses to delete it.",
                                 path=database))
    if pending:
        raise DemoServerError(tr(
            "{path} holds {count} change(s) not yet sent to the demo server: the demo "
            "refuses to delete them. Sync first, or use another --data-dir.",
            path=database, count=pending))


def discard(data_dir: Path) -> None:
    check_discard(data_dir)
    remove_store(store_for(data_dir, REP.username))


def discard_if_stale(data_dir: Path, server: DemoServer) -> bool:
    """Throw away demo data that came from another (reset) demo server; True if it did."""
    if not _exists(data_dir):
        return False
    holds, server_id, _pending = _facts(data_dir)
    if not holds or server_id == server.seeded.server_id:
        return False
    discard(data_dir)
    return True


def log_in(data_dir: Path, settings: Settings, server: DemoServer) -> SignedIn:
    """Sign the demo rep in on this laptop (a new device for the server), unlocking their
    store, and point the settings at the demo server; the window's first sync fills it."""
    signed = sign_in(data_dir, REP.username, REP.password,
                     lambda device: SyncClient(server.url, device_id=device))
    if not signed.result.online:
        signed.db.close()
        raise DemoServerError(tr("The demo server at {url} does not answer.", url=server.url))
    with signed.db.write() as session:
        state.put(session.connection(), SERVER_ID, server.seeded.server_id)
    settings.set("server_url", server.url)
    settings.save()
    return signed
