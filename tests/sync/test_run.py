"""sync_once as the UI's worker and the CLI use it: progress, cancel, what the rep sees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from app.store.database import Database
from app.sync import state
from app.sync.client import SyncClient
from app.sync.errors import SyncCancelledError
from app.sync.run import SyncState, oldest_pending, sync_once
from tests.sync.conftest import Seed, local_state
from tests.sync.protocol_server import ProtocolServer
from tests.sync.test_pull import add_accounts
from tests.sync.test_push import edit_notes, outbox

MakeClient = Callable[..., SyncClient]


def test_progress_reports_counts_per_phase(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    edit_notes(db, seed, seed.accounts[0], "x")
    add_accounts(peer, seed, 5)
    seen: list[tuple[str, int, int | None]] = []
    report = sync_once(db, client, SyncState(listener=lambda *a: seen.append(a)),
                       page_limit=2)
    assert ("push", 2, 2) in seen
    assert [s for s in seen if s[0] == "pull"] == [
        ("pull", 2, None), ("pull", 4, None), ("pull", 6, None), ("pull", 7, None)]
    assert seen[-1] == ("done", 9, None)
    assert "sent 2 change(s) (2 applied" in report.summary()


def test_a_cancelled_sync_stops_between_steps_and_is_not_an_error(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    edit_notes(db, seed, seed.accounts[0], "x")
    watch = SyncState()
    watch.cancel()
    with pytest.raises(SyncCancelledError):
        sync_once(db, client, watch)
    assert len(outbox(db)) == 2 and not any(m.in_flight for m in outbox(db))
    assert local_state(db, state.LAST_ERROR) is None
    assert watch.phase == "cancelled"


def test_edits_saved_while_the_pull_runs_go_out_in_the_same_sync(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    add_accounts(peer, seed, 3)
    typed: list[int] = []

    def rep_types(phase: str, done: int, _total: int | None) -> None:
        if phase == "pull" and not typed:  # between two pages, from "the GUI"
            typed.append(done)
            edit_notes(db, seed, seed.accounts[1], "typed during sync")

    report = sync_once(db, client, SyncState(listener=rep_types), page_limit=1)
    assert typed and outbox(db) == []
    assert report.push.applied == 2
    assert peer.row("accounts", seed.accounts[1])["notes"] == "typed during sync"  # type: ignore[index]


def test_a_clock_far_off_the_servers_is_reported(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    peer.clock_offset = dt.timedelta(minutes=12)
    edit_notes(db, seed, seed.accounts[0], "x")
    report = sync_once(db, client)
    assert report.clock_skew_s is not None and -800 < report.clock_skew_s < -700
    assert "clock is 12 min off" in report.summary()
    assert local_state(db, state.CLOCK_SKEW) == f"{report.clock_skew_s:.0f}"


def test_the_oldest_unsent_change_is_known(
        seed: Seed, replicas: Callable[[str], Database], make_client: MakeClient) -> None:
    db = replicas("a")
    sync_once(db, make_client())
    assert oldest_pending(db) is None
    edit_notes(db, seed, seed.accounts[0], "x")
    assert oldest_pending(db) is not None
