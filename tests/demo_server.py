"""A real demo server (`fieldrep-server serve` in a child process on 127.0.0.1), seeded
once per test session by `fieldrep demo`'s own code, and demo laptops that log into it.

Tests that change the server's data each use accounts of their own (`nth_account`), so
they stay independent while sharing one seeded server. A test that needs a server nobody
edited starts its own on a copy of the seeded folder (`fresh_demo`): seeding takes ten
times as long as starting.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.config import Settings
from app.demo import laptop as demo_laptop
from app.demo import server as demo_server
from app.store.database import Database
from app.sync.auth import client_for
from app.sync.run import SyncReport, sync_once

ACCOUNTS = 40


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo server's folder as `fieldrep demo` seeds it, never served: copies start."""
    folder = tmp_path_factory.mktemp("demo-seeded")
    demo_server.seed(folder, ACCOUNTS, 7)
    return folder


def fresh_demo(seeded: Path, folder: Path) -> demo_server.DemoServer:
    """A demo server of its own in `folder`, on a copy of the seeded data."""
    shutil.copytree(seeded, folder)
    return demo_server.ensure(folder, ACCOUNTS, 7, say=lambda _text: None)


@pytest.fixture(scope="session")
def demo(seeded_demo: Path, tmp_path_factory: pytest.TempPathFactory, qapp: Any
         ) -> Iterator[demo_server.DemoServer]:
    """The demo server; `qapp` because a laptop that syncs its decks draws their thumbnails
    with Qt (the server draws none), in the app's QApplication as the app would."""
    server = fresh_demo(seeded_demo, tmp_path_factory.mktemp("demo") / "server")
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
