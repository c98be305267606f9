"""The window's sync meets the server's wipe order: the store's files go, the window is told."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.store.database import Database
from app.sync import state
from app.ui.main_window import MainWindow
from tests.sync.protocol_server import ProtocolServer
from tests.ui.conftest import Territory


@pytest.fixture
def peer() -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    server.start()
    yield server
    server.stop()


def test_a_wipe_order_removes_the_store_and_stops_the_sync(
        qtbot: QtBot, window: MainWindow, ui_db: Database, territory: Territory,
        peer: ProtocolServer) -> None:
    window._settings.set("server_url", peer.url)
    with ui_db.write() as session:
        state.put(session.connection(), state.TOKEN, peer.issue_token(territory.rep_id))
    files = [p for p in ui_db.path.parent.glob(f"{ui_db.path.name}*")]
    assert ui_db.path in files
    peer.fault("push", "410")
    peer.fault("pull", "410")  # whichever the sync asks first

    with qtbot.assertNotEmitted(window.sync.finished), \
            qtbot.waitSignal(window.sync.wiped, timeout=20_000) as wiped:
        window.sync_now()
    assert "this device was revoked" in wiped.args[0]
    assert "removed this user's data" in wiped.args[0]
    assert not any(p.exists() for p in files)
    assert not window.sync.auto.isActive()  # no further sync tries to push
