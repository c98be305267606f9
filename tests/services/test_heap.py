"""What loading the engine no longer needs goes back to the system: the C heap's free pages
and the page cache of the connection that read the whole store."""

from __future__ import annotations

import datetime as dt
import os
import sys

import pytest
from sqlalchemy import text

from app.demo.territory import generate
from app.services.engine_data import stream_touchpoints
from app.services.heap import READ_CACHE_KIB, reading_everything, release_after_load, trim_heap
from app.store.database import Database

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not trim_heap(),
                                reason="glibc's malloc_trim and /proc are Linux's")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_the_heaps_free_pages_go_back() -> None:
    freed = [bytes(2000) for _ in range(40_000)]  # 80 MB from the C heap, not mmap
    pin = bytes(2000)  # above them: the heap's top cannot shrink on its own
    del freed
    before = rss_mb()
    assert trim_heap()
    assert before - rss_mb() > 40
    del pin


def test_after_reading_the_whole_store_its_cached_pages_go_back(db: Database) -> None:
    generate(db, accounts=400, seed=3, years=1, today=dt.date(2026, 11, 23))
    with db.read() as session:
        trim_heap()
        start = rss_mb()
        assert sum(1 for _ in stream_touchpoints(session)) > 1000
        trim_heap()  # what the reading freed itself: what stays is mostly the cache
        read = rss_mb()
        release_after_load(session)
        after = rss_mb()
    cached = read - start
    assert cached > 2 and read - after > 0.5 * cached


def test_the_whole_store_is_read_with_a_small_page_cache_then_the_screens_get_theirs_back(
        db: Database) -> None:
    with db.read() as session:
        own = session.execute(text("PRAGMA cache_size")).scalar()
        with reading_everything(session):
            assert session.execute(text("PRAGMA cache_size")).scalar() == -READ_CACHE_KIB
        assert session.execute(text("PRAGMA cache_size")).scalar() == own != -READ_CACHE_KIB
