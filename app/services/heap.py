"""Giving back to the system what loading a whole territory used and no longer needs.

Loading the engine reads every call of the store once (a million at 50,000 accounts). Two
things would stay with the process after it although nothing uses them: SQLite's page cache of
the connection that read (up to its `cache_size`, 32 MB, of pages no screen will ask for soon;
kept small while reading),
and the C heap's free memory, which glibc keeps for reuse instead of returning it
(`malloc_trim` returns free pages, from the middle of the heap too). Both are cheap to give
back once after the load; elsewhere than glibc there is nothing to trim.

No garbage collection here: the app collects on the GUI thread only (app/ui/gui_collector.py)
and this runs on a worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

#: The page cache while the whole store is read: the indexes' upper pages fit.
READ_CACHE_KIB = 4_000


@cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def trim_heap() -> bool:
    """Return the C heap's free pages to the system; False where there is no such call."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


@contextlib.contextmanager
def reading_everything(session: Session, cache_kib: int = READ_CACHE_KIB) -> Iterator[None]:
    """Read the whole store with a small page cache (each page is read once, in order; a
    full cache would only add to the load's peak), then give back the cached pages and the
    heap's free ones; the connection's own cache size is restored for the screens."""
    size = session.execute(text("PRAGMA cache_size")).scalar()
    session.execute(text(f"PRAGMA cache_size=-{int(cache_kib)}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size={int(size or -2000)}"))
        release_after_load(session)


def release_after_load(session: Session) -> None:
    """After a read of the whole store: drop the connection's cached pages, trim the heap."""
    session.execute(text("PRAGMA shrink_memory"))
    trim_heap()
