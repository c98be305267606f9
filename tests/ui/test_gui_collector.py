"""Cyclic garbage is collected on the GUI thread, never on a worker (app/ui/gui_collector.py)."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from PySide6.QtCore import QObject

from app.ui import gui_collector


class Cycle:
    """A Qt object held in a reference cycle, as a screen's leftovers can be."""

    def __init__(self) -> None:
        self.qobject = QObject()
        self.me = self


def test_a_cycle_with_a_qt_object_is_collected_on_the_gui_thread(qtbot: Any) -> None:
    gui_collector.install()  # the suite installs it once; installing again does nothing
    assert gui_collector.install() is None
    assert not gc.isenabled()
    threads: list[str] = []
    cycle = Cycle()
    weakref.finalize(cycle, lambda: threads.append(threading.current_thread().name))
    del cycle

    kept: list[list[int]] = []

    def allocate() -> None:  # what a worker does: enough to pass every threshold
        kept.extend([i] for i in range(50_000))

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert threads == []  # the worker's allocations collected nothing
    qtbot.waitUntil(lambda: bool(threads), timeout=5 * gui_collector.INTERVAL_MS)
    assert threads == [threading.main_thread().name]
    assert len(kept) == 50_000
