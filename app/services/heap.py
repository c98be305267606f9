"""Giving back to the system what loading a whole territory used and no longer needs.

Loading the engine reads every call of the store once (a million at 50,000 accounts). Two
things stay with the process after it although nothing uses them: SQLite's page cache of the
connection that read (up to its `cache_size`, 32 MB, of pages no screen will ask for soon),
and the C heap's free memory, which glibc keeps for reuse instead of returning it
(`malloc_trim` returns free pages, from the middle of the heap too). Both are cheap to give
back once after the load; elsewhere than glibc there is nothing to trim.

No garbage collection here: the app collects on the GUI thread only (app/ui/gui_collector.py)
and this runs on a worker.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


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


def release_after_load(session: Session) -> None:
    """After a read of the whole store: drop the connection's cached pages, trim the heap."""
    session.execute(text("PRAGMA shrink_memory"))
    trim_heap()
