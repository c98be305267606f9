"""The device's identity and token in `local_state`, and a client made from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.ids import uuid7
from app.store.database import Database
from app.store.user_stores import STORES_DIR
from app.sync import state
from app.sync.client import SyncClient
from app.sync.transport import configured_ca_bundle


def device_id(db: Database) -> str:
    """This installation's device id, made once (tokens are bound to it on the server)."""
    with db.write() as session:
        conn = session.connection()
        known = state.get(conn, state.DEVICE_ID)
        if known is None:
            known = uuid7()
            state.put(conn, state.DEVICE_ID, known)
        return known


def data_dir_of(db: Database) -> Path:
    """The data folder (with its settings) a store belongs to: a user's store lies in the
    folder's `stores/` (app/store/user_stores.py), an older single store in the folder."""
    folder = db.path.parent
    return folder.parent if folder.name == STORES_DIR else folder


def stored_token(db: Database) -> str | None:
    with db.read() as session:
        return state.get(session.connection(), state.TOKEN)


def client_for(db: Database, base_url: str, **options: Any) -> SyncClient:
    """A client for this database's device, with its token if it has one."""
    options.setdefault("ca_bundle", configured_ca_bundle(data_dir_of(db)))
    return SyncClient(base_url, device_id=device_id(db), token=stored_token(db), **options)
