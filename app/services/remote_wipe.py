"""Remote wipe: when the server says the user is disabled or this laptop revoked, the
user's store leaves the laptop.

The server answers such a token with 410 Gone (server/api/common.py, docs/server.md) — a
plain expired token stays 401, which only asks for the password again. Seeing 410, the
laptop stops the sync (so nothing more is pushed: the answer comes before any mutation is
read), closes the store and shreds its files, WAL, header and backups included.
"""

from __future__ import annotations

from typing import Any

from app.i18n import tr
from app.services.errors import ServiceError
from app.store.database import Database
from app.store.user_stores import UserStore, remove_store
from app.sync.client import SyncClient
from app.sync.errors import ServerError
from app.sync.run import SyncReport, sync_once

#: The server's status for "this user or device is gone: wipe" (server/api/common.py).
WIPE_STATUS = 410


class StoreWipedError(ServiceError):
    """The server ordered a wipe and this user's data was removed from the laptop."""


def is_wipe_order(error: BaseException) -> bool:
    return isinstance(error, ServerError) and error.status == WIPE_STATUS


def store_of(db: Database) -> UserStore:
    return UserStore(db.path.parent, db.path.stem)


def wipe(db: Database, reason: str) -> StoreWipedError:
    """Close the store and shred its files; the error to show says why."""
    db.close()
    remove_store(store_of(db))
    return StoreWipedError(tr(
        "The server says: {reason}. Fieldrep removed this user's data from this laptop, "
        "unsent changes included. Ask your administrator if this is a mistake.",
        reason=reason))


def sync_or_wipe(db: Database, client: SyncClient, *args: Any, **options: Any) -> SyncReport:
    """`sync_once`; on the server's wipe order the store is wiped and StoreWipedError raised."""
    try:
        return sync_once(db, client, *args, **options)
    except ServerError as exc:
        if not is_wipe_order(exc):
            raise
        raise wipe(db, str(exc).split(": ", 1)[-1].rstrip(".")) from exc
