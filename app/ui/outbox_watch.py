"""The one place the window learns that something now waits for the server.

The store's outbox writer calls back after every commit that wrote an outbox mutation,
whichever screen, dialog or service made it (app/store/outbox.py, `subscribe`). That call
comes on the committing worker thread; this object relays it to the GUI thread and folds a
burst of commits (a call report saved as it is typed) into one `changed`. The status bar and
the sync scheduler listen to `changed` once, so no view has to announce its writes by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from app.store import outbox

if TYPE_CHECKING:
    from app.store.database import Database

#: Commits closer together than this make one `changed`.
SETTLE_MS = 150


class OutboxWatch(QObject):
    """Emits `changed` on the GUI thread after local writes that wait for the server."""

    changed = Signal()
    _wrote = Signal()  # emitted on the committing thread, delivered queued

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self._wrote.connect(self._wake)
        self._closed = False
        self._unsubscribe = outbox.subscribe(db.writer, self._committed)

    def _committed(self) -> None:
        if shiboken6.isValid(self):  # a commit racing the window's close
            self._wrote.emit()

    def _wake(self) -> None:
        # A commit signalled before close() may be delivered after it (the window
        # delivers queued answers while it closes): it must not start the timer again.
        if not self._closed:
            self._settle.start()

    def close(self) -> None:
        """Stop listening (the window closes; the database outlives it in tests)."""
        self._closed = True
        self._unsubscribe()
        self._settle.stop()
