"""A new laptop opens on Today before its first sync: once the sync has brought the
territory, Today's calls are listed and its suggestions planned from it (a real server
process on 127.0.0.1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent

from app.config import Paths, Settings
from app.demo.server import DemoServer
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from tests.demo_server import laptop

SYNC_TIMEOUT_MS = 60_000


def test_the_first_sync_brings_todays_suggestions(qtbot: Any, demo: DemoServer,
                                                  tmp_path: Path) -> None:
    db = laptop(tmp_path / "laptop", demo)
    window_dir = tmp_path / "window"
    window_dir.mkdir()
    settings = Settings(window_dir)  # no server yet: the window opens on an empty laptop
    main: MainWindow = create_main_window(db, settings, Paths(window_dir))
    try:
        with qtbot.waitSignal(main.home.suggestions_loaded, timeout=SYNC_TIMEOUT_MS) as empty:
            main.show()
        assert empty.args == [0]
        assert main.home.suggested_status.text() == "No suggestions for today."
        settings.set("server_url", demo.url)
        with qtbot.waitSignal(main.home.suggestions_loaded, timeout=SYNC_TIMEOUT_MS,
                              check_params_cb=lambda count: count > 0):
            main.sync_now()
        assert main.home.suggested.list.topLevelItemCount() > 0
        # The calls the sync brought are listed too, without leaving Today and coming back.
        qtbot.waitUntil(lambda: main.home.drafts.topLevelItemCount()
                        + main.home.planned.topLevelItemCount() > 0, timeout=SYNC_TIMEOUT_MS)
        assert not main.home.no_calls.isVisible()
    finally:
        main.close()
        main.ops.wait()
        main.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.close()
