"""The window's one listener to the outbox: a burst of commits makes one `changed`, and
after close() nothing wakes it, not even a commit signalled just before."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.store.database import Database
from app.ui.outbox_watch import SETTLE_MS, OutboxWatch
from tests.ui.conftest import Territory
from tests.ui.test_sync_runner import edit_draft


def test_a_burst_of_commits_is_one_change(qtbot: Any, ui_db: Database,
                                          territory: Territory) -> None:
    watch = OutboxWatch(ui_db)
    changes: list[None] = []
    watch.changed.connect(lambda: changes.append(None))
    try:
        with qtbot.waitSignal(watch.changed, timeout=10 * SETTLE_MS):
            for n in range(3):
                edit_draft(ui_db, territory, f"Subject {n}")
        qtbot.wait(2 * SETTLE_MS)
        assert changes == [None]
    finally:
        watch.close()


def test_a_commit_delivered_after_close_starts_nothing(qtbot: Any, ui_db: Database,
                                                       territory: Territory) -> None:
    """The window closes while a commit's signal is still queued (it delivers queued
    answers as it closes): the settle timer stays stopped and no change is announced."""
    watch = OutboxWatch(ui_db)
    changes: list[None] = []
    watch.changed.connect(lambda: changes.append(None))
    writer = threading.Thread(target=edit_draft, args=(ui_db, territory, "Written on close"))
    writer.start()  # a worker commits, as the window's writes do: the signal is queued
    writer.join()
    watch.close()
    QCoreApplication.sendPostedEvents()
    assert not watch._settle.isActive()
    qtbot.wait(2 * SETTLE_MS)
    assert changes == []
