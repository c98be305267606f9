"""Shared fixtures: a fresh database per test and Qt without a screen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never look for a display in tests (docs/platform.md); set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")

from app.store.database import Database, open_database
from app.ui.views.presenter.scheme import prepare_webengine
from tests.factories import World, make_world

#: The `demo` fixture: a real demo server process, started only for the tests that ask;
#: the check that fails a test leaving threads, Qt timers or windows behind (tests/leaks.py);
#: `pytester`, which runs that check on a test file of its own (tests/test_leaks.py).
pytest_plugins = ("tests.demo_server", "tests.leaks", "pytester")

# HTML slides are served from a custom scheme, which WebEngine learns only before the
# QApplication exists (pytest-qt makes it later, in the `qapp` fixture).
prepare_webengine()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "fieldrep.sqlite")
    yield database
    database.close()


@pytest.fixture
def world(db: Database) -> World:
    with db.write() as session:
        session.info["from_server"] = True  # reference data arrives from the server
        return make_world(session)
