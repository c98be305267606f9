"""Every test leaves the process as it found it: no thread, thread pool, Qt timer or window
of its own still running once its fixtures are torn down.

Work a test leaves behind makes later tests slow or flaky: a thread still syncing writes
into a folder that is gone, a timer fires into the next test's window, a window that stays
open keeps its models for the garbage collector to walk while a later test measures (the
stall test once failed so). The autouse fixture below fails the test that leaked, at its
teardown, naming what it left and where it was started; it then stops what it can (timers,
windows), so the next test starts clean and only the culprit fails.

What session- or module-scoped fixtures start (the demo server, a shared live server) is
theirs, not the test's: `pytest_fixture_setup` records it and the check leaves it alone.

Allowed are only threads the frameworks keep for themselves (`FRAMEWORK_THREADS`): Python
sees a Qt or Chromium thread that once ran Python code as a "dummy" thread and never forgets
it, whatever became of the thread. Our code gets no exception.
"""

from __future__ import annotations

import gc
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

#: A thread told to stop may take a moment to return from its last call.
GRACE_S = 2.0
#: Threads the frameworks keep: Python's record of foreign (Qt, Chromium) threads that ran
#: Python code. Qt's pool threads are checked through their pools instead.
FRAMEWORK_THREADS: tuple[type[threading.Thread], ...] = (
    threading._DummyThread,  # foreign threads, never forgotten
)


def _started_here() -> str:
    """The first frame of the project that started something: file:line in function."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if "/tests/leaks.py" in frame.filename or "site-packages" in frame.filename:
            continue
        return f"{frame.filename}:{frame.lineno} in {frame.name}"
    return "unknown place"


@dataclass
class Use:
    """One Qt timer or thread pool started through Python: when (a serial) and where."""

    ref: weakref.ref[Any]
    serial: int
    where: str


@dataclass
class Started:
    """Qt timers and thread pools started through Python, by id of the object."""

    timers: dict[int, Use] = field(default_factory=dict)
    pools: dict[int, Use] = field(default_factory=dict)
    serial: int = 0
    owned_serials: set[int] = field(default_factory=set)  # by session and module fixtures
    owned_threads: set[threading.Thread] = field(default_factory=set)

    def record(self, table: dict[int, Use], obj: Any) -> None:
        use = table.get(id(obj))
        if use is None or use.ref() is not obj:  # ids of deleted objects come again
            self.serial += 1
            table[id(obj)] = Use(weakref.ref(obj), self.serial, _started_here())


STARTED = Started()


def _patch_qt() -> None:
    """Record every QTimer.start and QThreadPool.start/tryStart called from Python."""
    from PySide6.QtCore import QThreadPool, QTimer

    def recording(cls: Any, name: str, table: dict[int, Use]) -> None:
        real: Callable[..., Any] = getattr(cls, name)

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            STARTED.record(table, self)
            return real(self, *args, **kwargs)

        wrapper.__wrapped__ = real  # type: ignore[attr-defined]
        setattr(cls, name, wrapper)

    if not hasattr(QTimer.start, "__wrapped__"):
        recording(QTimer, "start", STARTED.timers)
        recording(QThreadPool, "start", STARTED.pools)
        recording(QThreadPool, "tryStart", STARTED.pools)


@dataclass(frozen=True)
class Snapshot:
    """What ran before the test: threads, open windows, the last timer or pool serial."""

    threads: frozenset[threading.Thread]
    widgets: frozenset[int]
    serial: int

    @staticmethod
    def take() -> Snapshot:
        return Snapshot(frozenset(threading.enumerate()), frozenset(map(id, _open_widgets())),
                        STARTED.serial)


def _open_widgets() -> list[Any]:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return []
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def _alive(ref: weakref.ref[Any]) -> Any:
    from shiboken6 import isValid

    obj = ref()
    return obj if obj is not None and isValid(obj) else None


def _describe_thread(thread: threading.Thread) -> str:
    target = getattr(thread, "_target", None)
    what = getattr(target, "__qualname__", None) or type(thread).__qualname__
    return f"thread {thread.name!r} running {what}"


def _new_threads(before: Snapshot) -> list[threading.Thread]:
    return [t for t in threading.enumerate()
            if t not in before.threads and not isinstance(t, FRAMEWORK_THREADS)
            and t not in STARTED.owned_threads]


def _new_uses(table: dict[int, Use], since: int) -> Iterator[tuple[Use, Any]]:
    """The test's timers or pools that still exist (forgetting the deleted ones)."""
    for key, use in list(table.items()):
        obj = _alive(use.ref)
        if obj is None:
            del table[key]
        elif use.serial > since and use.serial not in STARTED.owned_serials:
            yield use, obj


def _leaks(before: Snapshot) -> tuple[list[str], list[Callable[[], None]]]:
    """What the test left running, and how to stop what can be stopped."""
    found = [f"{_describe_thread(t)} is still alive" for t in _new_threads(before)]
    stops: list[Callable[[], None]] = []
    for use, timer in _new_uses(STARTED.timers, before.serial):
        if timer.isActive():
            found.append(f"QTimer (every {timer.interval()} ms, owner "
                         f"{type(timer.parent()).__name__}) started at {use.where} still runs")
            stops.append(timer.stop)
    for use, pool in _new_uses(STARTED.pools, before.serial):
        owner = type(pool.parent()).__name__
        if pool.activeThreadCount():
            found.append(f"QThreadPool (owner {owner}) used at {use.where} still runs "
                         f"{pool.activeThreadCount()} task(s)")
        elif pool.parent() is not None:
            found.append(f"QThreadPool (owner {owner}) used at {use.where} was never "
                         "deleted: its threads idle on for 30 s")
    for widget in _open_widgets():
        if id(widget) not in before.widgets:
            found.append(f"top-level widget {type(widget).__name__} "
                         f"({widget.windowTitle()!r}) is still open")
            stops.append(widget.close)
    return found, stops


def _delete_later_now() -> None:
    """Objects given to deleteLater() go now (fixtures do that last, with no loop left)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _collect_and_wait(before: Snapshot) -> None:
    """Garbage cycles collected, threads told to stop given a moment to return: a full
    collection costs tenths of a second, so it runs only when something survived."""
    gc.collect()
    _delete_later_now()
    deadline = time.monotonic() + GRACE_S
    for thread in _new_threads(before):
        thread.join(max(0.0, deadline - time.monotonic()))


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
                         ) -> Iterator[Any]:
    """Threads, timers and pools a session or module fixture starts belong to it."""
    if fixturedef.scope == "function":
        return (yield)
    threads = set(threading.enumerate())
    serial = STARTED.serial
    try:
        return (yield)
    finally:
        STARTED.owned_threads |= set(threading.enumerate()) - threads
        STARTED.owned_serials |= set(range(serial + 1, STARTED.serial + 1))


@pytest.fixture(autouse=True)
def no_leftovers() -> Iterator[None]:
    """Fail the test, at teardown, when it leaves threads, timers, pools or windows."""
    _patch_qt()
    before = Snapshot.take()
    yield
    # What is merely ending is no leak: look again after each chance it had to end.
    for settle in (_delete_later_now, lambda: _collect_and_wait(before)):
        found, stops = _leaks(before)
        if not found:
            return
        settle()
    found, stops = _leaks(before)
    for stop in stops:
        stop()
    if found:
        pytest.fail("The test left behind:\n  " + "\n  ".join(found), pytrace=False)
