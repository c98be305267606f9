"""The next pull page is asked for while this one is applied, never twice, never left running."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from app.store.database import Database
from app.sync.client import SyncClient
from app.sync.errors import OfflineError
from app.sync.prefetch import Prefetch
from app.sync.pull import pull_all
from app.sync.run import sync_once
from tests.sync.conftest import Seed
from tests.sync.protocol_server import ProtocolServer
from tests.sync.test_pull import add_accounts, no_push

MakeClient = Callable[..., SyncClient]


class Pages:
    """A stand-in server: the page after a cursor, recording which thread asked."""

    def __init__(self, fail_after: str | None = None) -> None:
        self.asked: list[tuple[str | None, str]] = []
        self.fail_after = fail_after
        self.release = threading.Event()
        self.release.set()

    def __call__(self, cursor: str | None) -> dict[str, Any]:
        self.release.wait(5)
        self.asked.append((cursor, threading.current_thread().name))
        if cursor is not None and cursor == self.fail_after:
            raise OfflineError("The server cannot be reached.")
        return {"after": cursor}


def test_a_started_page_is_taken_from_the_helper_thread_once() -> None:
    pages = Pages()
    prefetch = Prefetch(pages)
    prefetch.start("1")
    assert prefetch.take("1") == {"after": "1"}
    assert pages.asked == [("1", "sync-prefetch")]
    assert prefetch.take("2") == {"after": "2"}  # not started: asked for now, on this thread
    assert pages.asked[1] == ("2", threading.current_thread().name)


def test_a_page_for_another_cursor_is_dropped_and_the_right_one_asked_for() -> None:
    pages = Pages()
    prefetch = Prefetch(pages)
    prefetch.start("1")
    assert prefetch.take("7") == {"after": "7"}
    assert [c for c, _ in pages.asked] == ["1", "7"]  # the helper finished before "7" went


def test_an_error_of_the_helper_thread_is_raised_where_the_page_is_taken() -> None:
    prefetch = Prefetch(Pages(fail_after="1"))
    prefetch.start("1")
    with pytest.raises(OfflineError):
        prefetch.take("1")
    assert prefetch.take("2") == {"after": "2"}


def test_close_waits_for_the_running_request() -> None:
    pages = Pages()
    pages.release.clear()
    prefetch = Prefetch(pages)
    prefetch.start("1")
    threading.Timer(0.05, pages.release.set).start()
    prefetch.close()
    assert pages.asked == [("1", "sync-prefetch")]
    assert all(t.name != "sync-prefetch" for t in threading.enumerate())


def test_a_pull_asks_for_each_page_once_and_leaves_no_request_running(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    add_accounts(peer, seed, 10)
    before = len(peer.pull_queries)
    report = pull_all(db, client, push=no_push, limit=3)
    assert report.pages == 4
    queries = peer.pull_queries[before:]
    assert len(queries) == 4 and len(set(queries)) == 4
    assert all(t.name != "sync-prefetch" for t in threading.enumerate())
