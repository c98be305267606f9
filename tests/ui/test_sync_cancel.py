"""Cancel in the status bar: a running sync stops between two pages, keeps every page it
applied whole, and the next sync goes on from there (a real server process on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from PySide6.QtCore import QCoreApplication, QEvent

from app.config import Paths, Settings
from app.demo.server import DemoServer
from app.store.database import Database
from app.sync import state
from app.sync.errors import cancelled
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from tests.demo_server import ACCOUNTS, fresh_demo, laptop

SYNC_TIMEOUT_MS = 60_000


def counts(db: Database) -> tuple[int, int, int]:
    """Accounts, changes waiting, and call parts without their call (a half-applied page
    would leave some: a page brings a call before its parts)."""
    with db.read() as session:
        row = session.execute(text(
            "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM outbox), "
            "(SELECT count(*) FROM discussed_products p LEFT JOIN interactions i "
            " ON i.id = p.interaction_id WHERE i.id IS NULL)")).one()
    return int(row[0]), int(row[1]), int(row[2])


@pytest.fixture
def demo(seeded_demo: Path, tmp_path: Path) -> Iterator[DemoServer]:
    """A demo server of its own: nothing edited yet, so its pages are applied one by one
    (rows that refer to rows changed later make the pull join pages)."""
    server = fresh_demo(seeded_demo, tmp_path / "server")
    yield server
    server.stop()


def test_cancel_stops_the_sync_at_a_page_boundary_and_the_next_sync_resumes(
        qtbot, demo: DemoServer, tmp_path: Path) -> None:
    db = laptop(tmp_path / "laptop", demo)
    window_dir = tmp_path / "window"
    window_dir.mkdir()
    settings = Settings(window_dir)  # set below: the window does not sync on its own first
    main: MainWindow = create_main_window(db, settings, Paths(window_dir))
    main.show()
    qtbot.waitExposed(main)
    try:
        settings.set("server_url", demo.url)
        main.sync.sync_options = {"page_limit": 200}
        asked: list[str] = []

        def cancel_on_first_page(phase: str, _done: int, _total: object) -> None:
            if phase == "pull" and not asked:
                asked.append(phase)
                assert main.status.cancel.isVisible()
                main.status.cancel.click()

        main.sync.progress.connect(cancel_on_first_page)
        with qtbot.waitSignal(main.sync.failed, timeout=SYNC_TIMEOUT_MS) as failed:
            main.sync_now()
        assert failed.args == [cancelled()]  # in words, with what happens next
        assert main.status.syncing.text() == "Stopping the sync…"
        qtbot.waitUntil(lambda: not main.status.cancel.isVisible())
        accounts, outbox, orphans = counts(db)
        assert accounts < ACCOUNTS  # stopped before the end
        assert outbox == 0 and orphans == 0  # whole pages only
        with db.read() as session:
            conn = session.connection()
            assert state.get(conn, state.LAST_ERROR) is None  # a cancel is not an error
            cursor = state.get(conn, state.CURSOR)
        assert cursor is not None

        main.sync.progress.disconnect(cancel_on_first_page)
        with qtbot.waitSignal(main.sync.finished, timeout=SYNC_TIMEOUT_MS):
            main.sync_now()
        assert counts(db) == (ACCOUNTS, 0, 0)
    finally:
        main.close()
        main.ops.wait()
        main.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.close()
