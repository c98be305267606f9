"""The window keeps answering while a long sync runs (issue 5): the longest gap of a 5 ms
timer on the GUI thread, measured during an initial pull of thousands of rows.

The window is measured as the app runs it: start-up's objects frozen out of the garbage
collector's rounds (`freeze_startup_objects`, which `application.run` calls). Frozen with
them is whatever earlier tests of the session left in the process, so a full collection
walks only what the sync allocates, and the figure does not depend on what ran before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from PySide6.QtCore import QTimer

from app.ids import uuid7
from app.store.database import Database
from app.sync import state
from app.ui.application import freeze_startup_objects
from app.ui.main_window import MainWindow
from tests.sync.protocol_server import ProtocolServer
from tests.ui.conftest import Territory

ACCOUNTS = 3000
#: Far above a frame (16 ms) on a loaded CI machine, far below a frozen window. The
#: benchmark (benchmarks/sync.py, gui_max_stall_ms) measures the figure under its goal.
MAX_STALL_MS = 250


@pytest.fixture
def peer() -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    server.start()
    yield server
    server.stop()


def test_the_event_loop_never_stalls_during_a_long_sync(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory,
        peer: ProtocolServer) -> None:
    for i in range(ACCOUNTS):
        account = uuid7()
        peer.write("accounts", {"id": account, "kind": "hcp", "name": f"Dr. Müller {i}",
                                "last_name": f"Müller {i}"})
        peer.write("interactions", {"id": uuid7(), "account_id": account, "channel": "phone",
                                    "status": "submitted", "start_at": "2026-10-01T09:00:00",
                                    "owner_id": territory.rep_id})
    window._settings.set("server_url", peer.url)
    with ui_db.write() as session:
        state.put(session.connection(), state.TOKEN, peer.issue_token(territory.rep_id))
    gaps = {"last": time.perf_counter(), "max": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        gaps["max"] = max(gaps["max"], now - gaps["last"])
        gaps["last"] = now

    freeze_startup_objects()  # the window's closeEvent unfreezes, as in the app
    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    gaps["last"] = time.perf_counter()
    try:
        with qtbot.waitSignal(window.sync.finished, timeout=120_000):
            window.sync_action.trigger()
    finally:
        timer.stop()
    stall_ms = gaps["max"] * 1000
    print(f"longest event-loop stall during the sync: {stall_ms:.0f} ms")
    assert stall_ms < MAX_STALL_MS
    with ui_db.read() as session:
        synced = session.connection().exec_driver_sql(
            "SELECT count(*) FROM interactions WHERE version > 0").scalar_one()
    assert synced >= ACCOUNTS
