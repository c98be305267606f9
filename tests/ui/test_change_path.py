"""One change path: every kind of write the app offers moves the status bar's pending count
and schedules the sync ten seconds later, with no per-screen wiring.

Each write is made the way a rep makes it (real widgets, real services, the real window over
a real database); the test then reads the outbox itself and the status bar. The window is
built with a server address set, so "a sync was scheduled" is the runner's after-write timer
running; no server is needed (no token: a sync that did start would only ask for a login).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QCoreApplication, QEvent, Qt

from app.config import Paths, Settings
from app.edetail.package import import_package
from app.store.content import Presentation
from app.store.database import Database
from app.store.queries import pending_changes
from app.sync import state
from app.sync.push import pending_count
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from app.ui.status import pending_text
from app.ui.views.escalation.dialog import EscalationDialog
from tests.edetail.conftest import files, manifest, write_zip
from tests.sync.protocol_server import ProtocolServer
from tests.ui.conftest import Territory, wait_for_account
from tests.ui.test_sync_runner import edit_draft

pytestmark = pytest.mark.gui
TIMEOUT = 15_000


@pytest.fixture
def main(qtbot: Any, ui_db: Database, tmp_path: Path) -> Iterator[MainWindow]:
    settings = Settings(tmp_path)
    settings.set("server_url", "http://127.0.0.1:9")  # set, but never reached: no token
    window = create_main_window(ui_db, settings, Paths(tmp_path))
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.ops.wait()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def bar_text(window: MainWindow) -> str:
    return window.status.pending.text.text()


def expected_text(db: Database) -> str:
    with db.read() as session:
        return pending_text(pending_changes(session.connection()))


def settled(qtbot: Any, window: MainWindow, db: Database, before: int) -> int:
    """Wait for the write's sync to be scheduled and the bar to show the outbox's count."""
    qtbot.waitUntil(window.sync.soon.isActive, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bar_text(window) == expected_text(db), timeout=TIMEOUT)
    after = pending_count(db)
    assert after > before, "the write left nothing in the outbox"
    assert bar_text(window) != "All changes saved on this laptop"
    window.sync.soon.stop()  # the next write must schedule it again
    return after


def server_deck(db: Database, tmp_path: Path) -> str:
    """A deck as the server sends it (approved centrally, with a server version)."""
    members = files()
    data = manifest()
    data["slides"] = [s for s in data["slides"] if not s["file"].endswith(".html")]
    members["manifest.json"] = json.dumps(data).encode()
    deck = import_package(db, write_zip(tmp_path / "server-deck.zip", members)).presentation_id
    with db.write() as session:
        session.info["from_server"] = True
        row = session.get(Presentation, deck)
        assert row is not None
        row.version = 41
    return deck


def test_every_write_moves_the_count_and_schedules_a_sync(
        qtbot: Any, main: MainWindow, ui_db: Database, territory: Territory,
        tmp_path: Path) -> None:
    window = main
    # Today's planning at start-up wrote the day's suggestions.
    qtbot.waitUntil(lambda: window.user is not None, timeout=TIMEOUT)
    count = settled(qtbot, window, ui_db, 0)
    qtbot.waitUntil(lambda: window.ops.pending == 0, timeout=60_000)

    # A suggestion accepted on Today.
    panel = window.home.suggested
    qtbot.waitUntil(lambda: panel.list.current_id() is not None, timeout=TIMEOUT)
    with qtbot.waitSignal(panel.answered, timeout=TIMEOUT):
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    count = settled(qtbot, window, ui_db, count)

    # A suggestion dismissed with a reason.
    qtbot.waitUntil(lambda: panel.list.current_id() is not None, timeout=TIMEOUT)
    qtbot.keyClicks(panel.reason, "Im Urlaub")
    with qtbot.waitSignal(panel.answered, timeout=TIMEOUT):
        qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    count = settled(qtbot, window, ui_db, count)

    # A consent given on the account screen.
    wait_for_account(qtbot, window, territory.doctor_id)
    consent = window.account.edit_consent()
    assert consent is not None
    qtbot.waitExposed(consent)
    phone = next(r for r in consent.rows if r.channel == "phone")
    phone.consent.setCurrentIndex(phone.consent.findData("granted"))
    with qtbot.waitSignal(window.account.history_shown, timeout=TIMEOUT):
        consent.buttons.button(consent.buttons.StandardButton.Save).click()
    count = settled(qtbot, window, ui_db, count)

    # A call: a new report on the doctor's account, typed into and saved.
    page = window.log_call()
    assert page is not None
    report = page.report
    with qtbot.waitSignal(report.loaded, timeout=TIMEOUT):
        pass  # the new call's catalog is read in the background
    report.notes.notes.setFocus()
    with qtbot.waitSignal(report.saved, timeout=TIMEOUT):
        qtbot.keyClicks(report.notes.notes, "Asked for the new study")
    count = settled(qtbot, window, ui_db, count)

    # An escalation of a medical question from that call.
    qtbot.mouseClick(report.escalate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(report, "escalation", None) is not None
                    and report.escalation.isVisible(), timeout=TIMEOUT)
    dialog: EscalationDialog = report.escalation
    qtbot.waitUntil(lambda: dialog.product.count() > 1, timeout=TIMEOUT)
    dialog.question.setPlainText("Kann ich Cardiozan mit Dialyse geben?")
    dialog.product.setCurrentIndex(1)
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    count = settled(qtbot, window, ui_db, count)
    report.close_report()
    qtbot.waitUntil(lambda: window.ops.pending == 0, timeout=TIMEOUT)
    window.sync.soon.stop()
    count = pending_count(ui_db)

    # A presentation's capture (a deck that came from the server), from the Library.
    deck = server_deck(ui_db, tmp_path)
    window.show_library()
    window.library.present_requested.emit(deck)
    qtbot.waitUntil(lambda: getattr(window, "audience_picker", None) is not None
                    and window.audience_picker.isVisible(), timeout=TIMEOUT)
    window.audience_picker.anonymous_button.click()
    qtbot.waitUntil(lambda: window.presentations.presenter is not None, timeout=TIMEOUT)
    presenter = window.presentations.presenter
    assert presenter is not None
    with qtbot.waitSignal(presenter.ready, timeout=TIMEOUT):
        pass
    count = settled(qtbot, window, ui_db, count)
    with qtbot.waitSignal(presenter.finished, timeout=TIMEOUT):
        presenter.end()
    count = settled(qtbot, window, ui_db, count)


def test_a_library_import_sends_nothing_and_schedules_nothing(
        qtbot: Any, main: MainWindow, ui_db: Database, tmp_path: Path) -> None:
    """Content imported on this laptop is a local preview: nothing of it is for the server,
    so the bar's count and the sync stay as they were (they follow the outbox)."""
    window = main
    qtbot.waitUntil(lambda: window.user is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.ops.pending == 0, timeout=60_000)
    qtbot.waitUntil(window.sync.soon.isActive, timeout=TIMEOUT)  # Today's planning
    window.sync.soon.stop()
    qtbot.waitUntil(lambda: bar_text(window) == expected_text(ui_db), timeout=TIMEOUT)
    before = pending_count(ui_db)
    members = files()
    members["manifest.json"] = json.dumps(manifest()).encode()
    with qtbot.waitSignal(window.library.imported, timeout=30_000):
        window.library.import_file(write_zip(tmp_path / "deck.zip", members))
    qtbot.wait(400)  # longer than the watch's settle time: a `changed` would have come
    assert pending_count(ui_db) == before
    assert not window.sync.soon.isActive()


def test_a_write_during_a_sync_schedules_the_next_one(
        qtbot: Any, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    """The timer may fire while a sync runs (and be turned away); the write is remembered and
    the timer starts again when that sync ends, so the change is not left for five minutes."""
    peer = ProtocolServer()
    peer.start()
    try:
        window._settings.set("server_url", peer.url)
        with ui_db.write() as session:
            state.put(session.connection(), state.TOKEN, peer.issue_token(territory.rep_id))
        edit_draft(ui_db, territory, "Sent by the first sync")
        qtbot.waitUntil(window.sync.soon.isActive, timeout=TIMEOUT)
        window.sync.soon.stop()
        peer.fault("push", "timeout")  # the push waits until released
        with qtbot.waitSignal(window.sync.finished, timeout=TIMEOUT):
            assert window.sync.sync_now()
            edit_draft(ui_db, territory, "Typed while it ran")
            qtbot.waitUntil(window.sync.soon.isActive, timeout=TIMEOUT)
            window.sync.soon.stop()  # as if it had fired and been turned away
            peer.release.set()
        qtbot.waitUntil(window.sync.soon.isActive, timeout=TIMEOUT)
    finally:
        window.sync.shutdown()
        peer.stop()
