"""Running store work off the GUI thread, with the result delivered back on it.

Every read and write of the database is an operation: a plain function that gets a fresh
session, run on a thread pool, whose result (or error) arrives in a callback on the GUI
thread (the shape of Anki's CollectionOp/QueryOp). Writes go through a pool of ONE thread,
so they commit in the order the rep made them (a draft saved twice is saved in order).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from app.content_format.errors import ContentError
from app.i18n import tr
from app.services.errors import ServiceError

if TYPE_CHECKING:  # types only: the window paints before SQLAlchemy is imported
    from sqlalchemy.orm import Session

    from app.store.database import Database

log = logging.getLogger(__name__)
T = TypeVar("T")


class Relay(QObject):
    """Lives on the GUI thread, one per owner; every job of the owner reports through it.

    Workers emit `finished(job, ok, payload)` and `progress(job, phase, done, total)`; the
    relay's own slots, connected once when it is made, find the job's callbacks by number and
    call them on the GUI thread. No connection is made or dropped per job: connecting each job
    to Python closures and deleting a relay per job made PySide create and destroy a receiver
    object for every read and write, and under load a worker's emit now and then met one
    being destroyed (a segmentation fault in the test suite)."""

    progress = Signal(int, str, int, object)
    finished = Signal(int, bool, object)

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._jobs: dict[int, _Callbacks] = {}
        self._numbers = itertools.count(1)
        self.finished.connect(self._deliver)
        self.progress.connect(self._report)

    def add(self, callbacks: _Callbacks) -> int:
        number = next(self._numbers)
        self._jobs[number] = callbacks
        return number

    @Slot(int, bool, object)
    def _deliver(self, job: int, ok: bool, payload: Any) -> None:
        callbacks = self._jobs.pop(job, None)
        if callbacks is None:
            return
        call = callbacks.done if ok else callbacks.failed
        if call is not None and _alive(call):
            call(payload)

    @Slot(int, str, int, object)
    def _report(self, job: int, phase: str, done: int, total: object) -> None:
        callbacks = self._jobs.get(job)
        if callbacks is not None and callbacks.progress is not None:
            callbacks.progress(phase, done, total)


@dataclass(frozen=True)
class _Callbacks:
    done: Callable[[Any], None] | None
    failed: Callable[[BaseException], None] | None
    progress: Callable[[str, int, object], None] | None


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: Relay, number: int,
                 expected: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._relay = relay
        self._number = number
        self._expected = expected

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:
            if isinstance(exc, self._expected):
                log.info("refused: %s", exc)  # the reason is the rep's to read: no traceback
            else:
                log.exception("operation failed")
            self._send(False, exc)
        else:
            self._send(True, result)

    def _send(self, ok: bool, payload: Any) -> None:
        try:
            self._relay.finished.emit(self._number, ok, payload)
        except RuntimeError:  # the owner (and its relay) went away meanwhile: nobody to tell
            log.debug("operation finished after its owner was deleted")


def describe(error: BaseException) -> str:
    """An error in words for the rep: the service's own sentence, or what to do."""
    if isinstance(error, ServiceError):
        return str(error)
    return tr("Something went wrong ({kind}). Nothing you typed is lost; please try again. "
              "Details are in the log file.", kind=type(error).__name__)


def _alive(callback: Callable[..., Any]) -> bool:
    """False for a method of a widget that was deleted while its operation ran (the rep
    closed the dialog): its answer has nowhere to go, and calling it would raise."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def relay_of(owner: QObject) -> Relay:
    """The owner's relay, made on first use (on the GUI thread) and parented to the owner:
    Qt owns it there, so Python never frees it on a worker thread."""
    relay = owner.findChild(Relay, RELAY_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    if relay is None:
        relay = Relay(owner)
        relay.setObjectName(RELAY_NAME)
    return relay


RELAY_NAME = "fieldrepRelay"
Report = Callable[[str, int, object], None]


def run_in_background(owner: QObject, pool: QThreadPool, work: Callable[[], Any],
                      done: Callable[[Any], None] | None,
                      failed: Callable[[BaseException], None] | None, *,
                      progress: Callable[[str, int, object], None] | None = None,
                      bind: Callable[[Report], None] | None = None,
                      expected: tuple[type[BaseException], ...] = (ServiceError,)) -> None:
    """Run `work()` on `pool`; `done`/`failed` (and `progress`) are called on the GUI thread.

    `bind(report)` runs before the job starts and gets the function the work calls from its
    thread to report progress (`report(phase, done, total)`), so it never misses its first
    report. Errors of the `expected` kinds are the rep's to read, logged as one line with the
    reason; any other is a bug, logged with its traceback.
    """
    relay = relay_of(owner)
    number = relay.add(_Callbacks(done, failed, progress))
    if bind is not None:
        bind(lambda phase, count, total: relay.progress.emit(number, phase, count, total))
    pool.start(_Job(work, relay, number, expected))


class Operations(QObject):
    """The window's gateway to the database: read() and write() in the background."""

    busy_changed = Signal(bool)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._running = 0

    @property
    def pending(self) -> int:
        return self._running

    def _start(self, pool: QThreadPool, work: Callable[[], T],
               done: Callable[[T], None] | None,
               failed: Callable[[BaseException], None] | None) -> None:
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)

        def finish() -> None:
            self._running -= 1
            if not self._running:
                self.busy_changed.emit(False)

        def on_success(result: Any) -> None:
            finish()
            if done is not None and _alive(done):
                done(result)

        def on_failure(error: BaseException) -> None:
            finish()
            if failed is not None and _alive(failed):
                failed(error)

        # A refused package or file is the rep's (or the content's) error, not a bug.
        run_in_background(self, pool, work, on_success, on_failure,
                          expected=(ServiceError, ContentError))

    def read(self, query: Callable[[Session], T], done: Callable[[T], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Run `query(session)` in a read transaction on a worker thread."""
        def work() -> T:
            with self.db.read() as session:
                return query(session)
        self._start(self._reads, work, done, failed)

    def write(self, change: Callable[[Session], T], done: Callable[[T], None] | None = None,
              failed: Callable[[BaseException], None] | None = None) -> None:
        """Run `change(session)` in one write transaction, after every earlier write."""
        def work() -> T:
            with self.db.write() as session:
                return change(session)
        self._start(self._writes, work, done, failed)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work is done (closing the window: never drop a draft)."""
        return self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)
