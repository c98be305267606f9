"""Running the sync in the background: "Sync now", every five minutes, and soon after a save.

`app.sync.run.sync_once` is plain code; this runs it on a pool of ONE worker thread (never
the GUI thread), one sync at a time, and relays its progress and outcome to the GUI thread
through a parented relay QObject (as app/ui/operations.py does). Without a server address or
a token there is nothing to sync with: "Sync now" then asks the window for a login
(`login_required`), while the automatic syncs simply wait.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from app.i18n import tr
from app.ui.operations import Report, describe, run_in_background

if TYPE_CHECKING:
    from app.config import Settings
    from app.store.database import Database

log = logging.getLogger(__name__)

#: Automatic sync while a server is set and a token exists.
AUTO_INTERVAL_MS = 5 * 60 * 1000
#: A sync this long after the last local write (a burst of saves makes one sync).
AFTER_WRITE_MS = 10 * 1000


class LoginNeededError(Exception):
    """No server address or no token: the rep has to log in first."""


def error_text(error: BaseException) -> str:
    """A sync error in words for the rep."""
    from app.sync.errors import SyncCancelledError, SyncError, cancelled

    if isinstance(error, SyncCancelledError):
        return cancelled()  # the same words wherever the sync noticed the cancel
    if isinstance(error, SyncError):
        return str(error) or tr("The sync failed.")
    return describe(error)


class SyncRunner(QObject):
    """One sync at a time, on a worker thread; the outcome as signals on the GUI thread."""

    started = Signal()
    progress = Signal(str, int, object)  # phase, done, total (int | None)
    finished = Signal(object)  # SyncReport
    failed = Signal(str)  # the error in words
    #: After each attempt: whether the server was reached.
    reached = Signal(bool)
    #: "Sync now" without a server or a token: the window asks for a login.
    login_required = Signal()
    wiped = Signal(str)  # the server ordered a wipe; the store is gone (app/services/remote_wipe)

    def __init__(self, db: Database, settings: Settings, parent: QObject | None = None,
                 **client_options: Any) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.client_options = client_options
        #: Further arguments of `sync_once` (tests ask for smaller pages).
        self.sync_options: dict[str, Any] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._state: Any = None  # the running sync's SyncState
        self._written_meanwhile = False  # a local write while a sync ran
        self.auto = QTimer(self, interval=AUTO_INTERVAL_MS)
        self.auto.timeout.connect(self.sync_auto)
        self.soon = QTimer(self, singleShot=True, interval=AFTER_WRITE_MS)
        self.soon.timeout.connect(self.sync_auto)

    @property
    def running(self) -> bool:
        return self._state is not None

    def server_url(self) -> str:
        return str(self.settings.get("server_url") or "").strip()

    def start_auto(self) -> None:
        """Sync every five minutes (a tick without server or token does nothing)."""
        self.auto.start()

    def local_write(self) -> None:
        """A change was saved here: sync about ten seconds later.

        During a sync the timer may fire while that sync still runs (and be refused); the
        write is remembered and the timer started again when the sync ends, so a change
        made after the sync's last push still goes out ten seconds later."""
        if self.server_url():
            self.soon.start()
            if self._state is not None:
                self._written_meanwhile = True

    def _ended(self) -> None:
        self._state = None
        if self._written_meanwhile:
            self._written_meanwhile = False
            self.local_write()

    def sync_now(self) -> bool:
        """The rep's "Sync now": without server or token, ask for a login."""
        if not self.server_url():
            self.login_required.emit()
            return False
        return self._start(interactive=True)

    def sync_auto(self) -> bool:
        if not self.server_url():
            return False
        return self._start(interactive=False)

    def cancel(self) -> None:
        if self._state is not None:
            self._state.cancel()

    def shutdown(self, msecs: int = 30_000) -> None:
        """Cancel a running sync and wait for its thread (closing the window)."""
        self.auto.stop()
        self.soon.stop()
        self.cancel()
        self._pool.waitForDone(msecs)

    def _start(self, *, interactive: bool) -> bool:
        if self._state is not None:
            return False
        from app.services.remote_wipe import sync_or_wipe
        from app.sync.auth import client_for
        from app.sync.run import SyncState

        url, db, options = self.server_url(), self.db, dict(self.client_options)
        sync_options = dict(self.sync_options)
        watch = SyncState()
        self._state = watch

        def work() -> Any:
            client = client_for(db, url, **options)
            if client.token is None:
                raise LoginNeededError
            return sync_or_wipe(db, client, watch, **sync_options)

        def done(report: object) -> None:
            self._ended()
            self.reached.emit(True)
            self.finished.emit(report)

        def failed(error: BaseException) -> None:
            from app.services.remote_wipe import StoreWipedError
            from app.sync.errors import (
                AuthRequiredError,
                OfflineError,
                SyncCancelledError,
                SyncError,
            )

            self._ended()
            if isinstance(error, StoreWipedError):
                self.auto.stop()
                self.soon.stop()
                self.wiped.emit(str(error))
                return
            if isinstance(error, LoginNeededError):
                if interactive:
                    self.login_required.emit()
                self.failed.emit(tr("Log in to sync with the server."))
                return
            if isinstance(error, OfflineError):
                self.reached.emit(False)
            elif not isinstance(error, SyncCancelledError):
                self.reached.emit(True)
            if not isinstance(error, SyncError):
                log.error("sync failed", exc_info=error)
            self.failed.emit(error_text(error))
            if isinstance(error, AuthRequiredError) and interactive:
                self.login_required.emit()

        def bind(report: Report) -> None:
            watch.listener = report

        self.started.emit()
        run_in_background(self, self._pool, work, done, failed, progress=self.progress.emit,
                          bind=bind, expected=(Exception,))
        return True
