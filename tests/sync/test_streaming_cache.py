"""Pages are written with a small page cache, and the connection gets its own back after."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Connection

from app.store.database import Database
from app.sync.pull import STREAMING_CACHE_KIB, streaming_cache


def cache_size(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_the_cache_is_small_inside_and_restored_after_also_after_an_error(
        replicas: Callable[[str], Database]) -> None:
    db = replicas("a")
    with db.write() as session:
        conn = session.connection()
        own = cache_size(conn)
        assert own != -STREAMING_CACHE_KIB
        with streaming_cache(conn):
            assert cache_size(conn) == -STREAMING_CACHE_KIB
        assert cache_size(conn) == own
        with pytest.raises(RuntimeError), streaming_cache(conn):
            raise RuntimeError("the page failed")
        assert cache_size(conn) == own


def test_a_read_only_connection_can_use_it(replicas: Callable[[str], Database]) -> None:
    db = replicas("a")
    with db.read() as session:
        conn = session.connection()
        own = cache_size(conn)
        with streaming_cache(conn):
            assert cache_size(conn) == -STREAMING_CACHE_KIB
        assert cache_size(conn) == own
