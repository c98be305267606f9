"""The sync from the window: "Sync now" against a real protocol peer on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from PySide6.QtCore import QTimer

from app.store.database import Database
from app.store.interactions import Interaction
from app.sync import state
from app.sync.client import RetryPolicy
from app.sync.push import pending_count
from app.ui.main_window import MainWindow
from tests.sync.protocol_server import ProtocolServer
from tests.ui.conftest import Territory

SYNC_TIMEOUT_MS = 20_000


@pytest.fixture
def peer() -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    server.start()
    yield server
    server.stop()


def sign_in(db: Database, peer: ProtocolServer, territory: Territory) -> None:
    with db.write() as session:
        state.put(session.connection(), state.TOKEN, peer.issue_token(territory.rep_id))


def edit_draft(db: Database, territory: Territory, subject: str) -> None:
    with db.write() as session:
        draft = session.get(Interaction, territory.draft_id)
        assert draft is not None
        draft.subject = subject


def test_sync_now_pushes_a_local_draft(qtbot, window: MainWindow, ui_db: Database,
                                       territory: Territory, peer: ProtocolServer) -> None:
    window._settings.set("server_url", peer.url)
    sign_in(ui_db, peer, territory)
    edit_draft(ui_db, territory, "Congress: new date")
    assert pending_count(ui_db) > 0

    with qtbot.waitSignal(window.sync.finished, timeout=SYNC_TIMEOUT_MS):
        window.sync_action.trigger()
    # the status re-reads the outbox after the sync
    qtbot.waitUntil(lambda: window.status.pending.text.text() == "All changes synced")

    stored = peer.row("interactions", territory.draft_id)
    assert stored is not None and stored["subject"] == "Congress: new date"
    assert pending_count(ui_db) == 0
    assert window.status.pending.text.text() == "All changes synced"
    assert window.status.last_sync.text().startswith("Last sync ")
    assert window.status.connection.text.text() == "Online"
    assert not window.status.error.isVisible()
    assert not window.sync.running


def test_an_unreachable_server_shows_offline_and_keeps_the_outbox(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory,
        peer: ProtocolServer) -> None:
    peer.stop()
    window._settings.set("server_url", peer.url)  # nobody listens there any more
    window.sync.client_options = {"retry": RetryPolicy(attempts=1), "timeout": (2.0, 2.0)}
    sign_in(ui_db, peer, territory)
    edit_draft(ui_db, territory, "Written on the road")
    waiting = pending_count(ui_db)

    with qtbot.waitSignal(window.sync.failed, timeout=SYNC_TIMEOUT_MS) as failed:
        window.sync_now()
    qtbot.waitUntil(window.status.error.isVisible)

    assert failed.args and failed.args[0]  # in words
    assert window.status.connection.text.text() == "Offline"
    assert window.status.error.text().startswith("Sync failed: ")
    assert pending_count(ui_db) == waiting
    assert "waiting to sync" in window.status.pending.text.text()


def test_the_window_stays_responsive_during_a_sync(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory,
        peer: ProtocolServer) -> None:
    window._settings.set("server_url", peer.url)
    window.sync.client_options = {"retry": RetryPolicy(attempts=3, base_s=0.0)}
    sign_in(ui_db, peer, territory)
    edit_draft(ui_db, territory, "Sent while the rep keeps working")
    peer.fault("push", "timeout")  # the server holds the first push until released
    ticks: list[int] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    progress: list[tuple[str, int, object]] = []
    window.sync.progress.connect(lambda *args: progress.append(args))
    try:
        with qtbot.waitSignal(window.sync.finished, timeout=SYNC_TIMEOUT_MS):
            assert window.sync.sync_now()
            assert not window.sync.sync_now()  # one at a time
            qtbot.waitUntil(lambda: len(ticks) >= 10)  # the GUI thread keeps running
            assert window.sync.running
            assert window.status.syncing.isVisible()
            peer.release.set()
    finally:
        timer.stop()
    assert progress
    assert not window.sync.running
    assert pending_count(ui_db) == 0


def test_sync_now_without_a_server_asks_for_a_login(qtbot, window: MainWindow,
                                                      ui_db: Database, territory: Territory,
                                                      peer: ProtocolServer) -> None:
    from app.ui.login_dialog import LoginDialog

    peer.add_user("rep", "geheim-123", territory.rep_id)
    with qtbot.waitSignal(window.sync.login_required):
        window.sync_now()
    dialog = window.findChild(LoginDialog)
    assert dialog is not None
    dialog.server.setText(peer.url)
    dialog.user.setText("rep")
    dialog.password.setText("wrong")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.message.text() == "The user name or password is wrong.")

    dialog.password.setText("geheim-123")
    with qtbot.waitSignal(window.sync.finished, timeout=SYNC_TIMEOUT_MS):
        dialog.submit()
    assert window._settings.get("server_url") == peer.url


def test_cancel_stops_the_sync_and_keeps_the_outbox(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory,
        peer: ProtocolServer) -> None:
    window._settings.set("server_url", peer.url)
    window.sync.client_options = {"retry": RetryPolicy(attempts=3, base_s=0.0)}
    sign_in(ui_db, peer, territory)
    edit_draft(ui_db, territory, "Not sent yet")
    waiting = pending_count(ui_db)
    peer.fault("push", "timeout")
    with qtbot.waitSignal(window.sync.failed, timeout=SYNC_TIMEOUT_MS):
        window.sync_now()
        window.sync.cancel()
        peer.release.set()
    assert not window.sync.running
    assert pending_count(ui_db) == waiting


def test_automatic_syncs_are_scheduled(qtbot, window: MainWindow, ui_db: Database,
                                       territory: Territory, peer: ProtocolServer) -> None:
    assert window.sync.auto.isActive()
    assert window.sync.auto.interval() == 5 * 60 * 1000
    window.sync.local_write()
    assert not window.sync.soon.isActive()  # no server: nothing to sync with
    window._settings.set("server_url", peer.url)
    edit_draft(ui_db, territory, "Saved, to be sent soon")  # any committed local write
    qtbot.waitUntil(window.sync.soon.isActive)
    assert 5_000 <= window.sync.soon.interval() <= 15_000


def test_an_old_error_does_not_sit_under_syncing(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory,
        peer: ProtocolServer) -> None:
    """The last attempt's error goes while a new sync runs (a refresh meanwhile does not
    bring it back); a successful sync leaves none."""
    with ui_db.write() as session:
        state.put(session.connection(), state.LAST_ERROR, "The server did not answer.")
    window.status.refresh()
    qtbot.waitUntil(window.status.error.isVisible)
    window._settings.set("server_url", peer.url)
    sign_in(ui_db, peer, territory)
    seen: list[bool] = []

    def while_syncing(*_args: object) -> None:
        seen.append(window.status.error.isVisible())

    window.sync.started.connect(while_syncing)
    window.sync.progress.connect(while_syncing)
    edit_draft(ui_db, territory, "During the sync")  # a write refreshes the status bar
    with qtbot.waitSignal(window.sync.finished, timeout=SYNC_TIMEOUT_MS):
        window.sync_now()
    assert seen and not any(seen)
    qtbot.waitUntil(lambda: not window.sync.running)
    window.status.refresh()
    qtbot.wait(100)
    assert not window.status.error.isVisible()
