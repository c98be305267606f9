"""The window while the server is silent: the bar says it waits, and Cancel ends it at once.

The server is a real TCP socket on 127.0.0.1 that accepts and never answers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.store.database import Database
from app.sync import state
from app.sync.errors import cancelled
from app.sync.push import pending_count
from app.ui.main_window import MainWindow
from tests.sync.test_deadline_messages import SilentServer
from tests.ui.conftest import Territory
from tests.ui.test_sync_runner import edit_draft

pytestmark = pytest.mark.gui


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_the_bar_says_waiting_for_the_server_and_cancel_ends_it(
        qtbot: Any, window: MainWindow, ui_db: Database, territory: Territory,
        silent: SilentServer) -> None:
    window._settings.set("server_url", silent.url)
    with ui_db.write() as session:
        state.put(session.connection(), state.TOKEN, "a-token")
    edit_draft(ui_db, territory, "Waiting to be sent")
    waiting = pending_count(ui_db)
    window.sync_now()
    qtbot.waitUntil(lambda: window.status.syncing.text().startswith(
        "Waiting for the server…"), timeout=10_000)
    assert window.status.cancel.isVisible()
    with qtbot.waitSignal(window.sync.failed, timeout=3_000) as failed:
        started = time.monotonic()
        window.status.cancel.click()
    assert time.monotonic() - started < 1.5
    assert failed.args == [cancelled()]
    assert not window.sync.running
    assert pending_count(ui_db) == waiting
