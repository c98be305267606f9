"""Python's garbage collector, run on the GUI thread only.

Python collects cyclic garbage in whichever thread happens to allocate when a generation's
count passes its threshold: often a worker of `app.ui.operations`. A Qt object caught in such a
cycle is then destroyed on that worker, and its destructor takes Qt's connection lock while
it waits for the interpreter lock, which the GUI thread holds while it waits for the same
connection lock: the window freezes for good. (Found as a hang of the test suite: a worker
planning Today collected a widget an earlier screen had left in a cycle, while the GUI thread
built a chart.) pyqtgraph's `GarbageCollector` answers the same trap the same way: automatic
collection off, a timer on the GUI thread collects, generation by generation, with Python's
own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

#: How often the GUI thread looks at the collector's counts.
INTERVAL_MS = 500


class GuiCollector(QObject):
    """Collects cyclic garbage on the thread it lives on (the GUI thread)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(INTERVAL_MS)
        gc.disable()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as Python would."""
        counts = gc.get_count()
        if counts[0] > self.thresholds[0]:
            gc.collect(0)
            if counts[1] > self.thresholds[1]:
                gc.collect(1)
                if counts[2] > self.thresholds[2]:
                    gc.collect(2)


def install() -> GuiCollector | None:
    """Collect on the GUI thread from now on; once per application (None: no application,
    or installed already)."""
    app = QCoreApplication.instance()
    if app is None or app.findChild(GuiCollector) is not None:
        return None
    collector = GuiCollector(app)
    app.destroyed.connect(gc.enable)
    return collector
