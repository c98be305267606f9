"""A laptop's process the simulation kills with SIGKILL at a chosen moment.

`python -m tests.sync.sim_child DB page URL TOKEN DEVICE`: syncs with small pages and kills
itself inside the first pull page's transaction, after its rows and cursor were written but
before the commit. `python -m tests.sync.sim_child DB outbox ACCOUNT USER`: saves a draft call
and kills itself after the flush that wrote the row and its outbox mutation, before the
commit. Either way SQLite must come back with all of the transaction or none of it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

from sqlalchemy import Connection

from app.services import calls
from app.store.database import open_database
from app.sync.client import RetryPolicy, SyncClient
from app.sync.run import sync_once


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str]) -> None:
    db = open_database(Path(argv[0]))
    if argv[1] == "page":
        url, token, device = argv[2:5]
        client = SyncClient(url, device_id=device, token=token,
                            retry=RetryPolicy(attempts=1), sleep=lambda _s: None)

        def hook(_conn: Connection, _page: int) -> None:
            _die()

        sync_once(db, client, page_limit=3, hook=hook)
        return
    account, user = argv[2:4]
    with db.write() as session:
        calls.save_draft(session, user, calls.CallForm(
            account_id=account, channel="phone", start_at=dt.datetime(2026, 11, 3, 10, 0),
            notes="typed when the laptop died"))
        session.flush()
        _die()


if __name__ == "__main__":
    main(sys.argv[1:])
