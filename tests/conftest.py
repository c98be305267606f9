"""Shared fixtures: a fresh database per test and Qt without a screen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never look for a display in tests (docs/platform.md); set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
# The engine's model is learned in the test's own process (app.services.training): the real
# training, without an interpreter started per test; tests/services/test_training.py and the
# self-check test the child process itself.
os.environ.setdefault("FIELDREP_TRAIN_IN_PROCESS", "1")

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


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication(qapp: object) -> object:
    """pytest-qt's QApplication exists before the first test: code that draws thumbnails in
    a command (a demo server seeded in-process, a CLI) makes a plain QGuiApplication when no
    application runs, and every widget test after it would then fail on the wrong kind."""
    return qapp


@pytest.fixture(autouse=True)
def _locale_as_found() -> Iterator[None]:
    """A test that switches to German (`app.ui.translation.install` sets the default locale)
    leaves the locale it found, whatever order the tests run in: an English test after it
    would otherwise format "15,7" where it means "15.7"."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    yield
    QLocale.setDefault(before)


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
