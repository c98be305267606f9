"""A real demo server (`fieldrep-server serve` in a child process on 127.0.0.1), seeded
once per test session by `fieldrep demo`'s own code, and demo laptops that log into it.

Tests that change the server's data each use accounts of their own (`nth_account`), so
they stay independent while sharing one seeded server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.config import Settings
from app.services import demo_laptop, demo_server
from app.store.database import Database
from app.sync.auth import client_for
from app.sync.engine import SyncReport, sync_once

ACCOUNTS = 40


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, qapp: Any
         ) -> Iterator[demo_server.DemoServer]:
    """The demo server; `qapp` because a laptop that syncs its decks draws their thumbnails
    with Qt (the server draws none), in the app's QApplication as the app would."""
    folder = tmp_path_factory.mktemp("demo-server")
    server = demo_server.ensure(folder, ACCOUNTS, 7, say=lambda _text: None)
    yield server
    server.stop()


def laptop(folder: Path, server: demo_server.DemoServer) -> Database:
    """A demo laptop in `folder`: the rep signed in (their store unlocked), nothing synced."""
    return demo_laptop.log_in(folder, Settings(folder), server).db


def sync(db: Database, server: demo_server.DemoServer) -> SyncReport:
    with client_for(db, server.url) as client:
        return sync_once(db, client)


def nth_account(db: Database, n: int) -> str:
    """The n-th doctor by id: the same account on every laptop of the demo."""
    with db.read() as session:
        return str(session.execute(text(
            "SELECT id FROM accounts WHERE kind = 'hcp' ORDER BY id LIMIT 1 OFFSET :n"),
            {"n": n}).scalar_one())
