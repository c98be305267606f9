"""Push against the protocol peer: exactly once, in order, nothing lost on any fault."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from app.services import accounts as account_service
from app.store import conflicts as conflict_log
from app.store.database import Database
from app.sync import state
from app.sync.client import SyncClient
from app.sync.errors import MalformedReplyError, OfflineError, ProtocolMismatchError, SyncError
from app.sync.push import push_all, take_batch
from app.sync.run import sync_once
from tests.sync.conftest import Seed, local_state
from tests.sync.protocol_server import REJECT_MARK, ProtocolServer

MakeClient = Callable[..., SyncClient]


def outbox(db: Database) -> list[Any]:
    with db.read() as session:
        return list(session.execute(text(
            "SELECT mutation_id, entity, row_id, op, fields, base_version, in_flight "
            "FROM outbox ORDER BY seq")))


def edit_notes(db: Database, seed: Seed, account: str, notes: str) -> None:
    with db.write() as session:
        account_service.update_contact(session, seed.rep, account, email=None, phone=None,
                                       notes=notes)


def notes_of(db: Database, account: str) -> tuple[str | None, int]:
    with db.read() as session:
        row = session.execute(text("SELECT notes, version FROM accounts WHERE id = :a"),
                              {"a": account}).one()
        return row.notes, row.version


@pytest.fixture
def replica(replicas: Callable[[str], Database], make_client: MakeClient
            ) -> tuple[Database, SyncClient]:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    return db, client


def test_pushed_changes_are_applied_once_and_adopt_the_servers_version(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    edit_notes(db, seed, seed.accounts[0], "Prefers mornings")
    sent = [m.mutation_id for m in outbox(db)]
    report = push_all(db, client)
    assert report.applied == len(sent) == 2  # the account and its audit entry
    assert outbox(db) == []
    notes, version = notes_of(db, seed.accounts[0])
    assert notes == "Prefers mornings"
    assert version == peer.row("accounts", seed.accounts[0])["version"]  # type: ignore[index]
    assert peer.applied == sent


@pytest.mark.parametrize("fault", ["drop_request", "drop_response", "500", "timeout", "cut"])
def test_a_lost_request_or_answer_is_sent_again_and_applied_exactly_once(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient],
        fault: str) -> None:
    db, client = replica
    client.timeout = (0.3, 0.3)
    edit_notes(db, seed, seed.accounts[0], "A")
    sent = [m.mutation_id for m in outbox(db)]
    peer.fault("push", fault, times=2)
    push_all(db, client)
    assert outbox(db) == []
    assert sorted(peer.applied) == sorted(sent)  # each exactly once
    assert client.retries_made == 2


def test_an_answer_lost_for_good_keeps_the_mutations_frozen_and_an_edit_is_not_lost(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    edit_notes(db, seed, seed.accounts[0], "first")
    peer.fault("push", "drop_response", times=4)  # the server commits, the answers vanish
    with pytest.raises(OfflineError):
        push_all(db, client)
    assert all(m.in_flight for m in outbox(db))
    edit_notes(db, seed, seed.accounts[0], "second")  # must not fold into the sent one
    assert len(outbox(db)) == 4
    push_all(db, client)
    assert outbox(db) == []
    assert peer.row("accounts", seed.accounts[0])["notes"] == "second"  # type: ignore[index]
    assert notes_of(db, seed.accounts[0])[0] == "second"
    assert not peer.conflict_log  # the second edit was re-based on the first's version


def test_a_request_the_server_never_read_unfreezes_the_outbox(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    edit_notes(db, seed, seed.accounts[0], "x")
    peer.fault("push", "old_client")
    with pytest.raises(ProtocolMismatchError):
        push_all(db, client)
    assert [m.in_flight for m in outbox(db)] == [False, False]
    assert peer.applied == []


def test_a_malformed_answer_applies_nothing_and_keeps_the_outbox(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    edit_notes(db, seed, seed.accounts[0], "x")
    before = [m.mutation_id for m in outbox(db)]
    version = notes_of(db, seed.accounts[0])[1]
    peer.fault("push", "malformed")
    with pytest.raises(MalformedReplyError):
        push_all(db, client)
    assert [m.mutation_id for m in outbox(db)] == before
    assert notes_of(db, seed.accounts[0]) == ("x", version)  # nothing adopted
    push_all(db, client)  # the server held them: answered again from its records
    assert outbox(db) == []
    assert sorted(peer.applied) == sorted(before)


def test_a_batch_never_holds_two_mutations_of_one_row(
        replica: tuple[Database, SyncClient], seed: Seed) -> None:
    db, _client = replica
    edit_notes(db, seed, seed.accounts[0], "a")
    edit_notes(db, seed, seed.accounts[1], "b")
    edit_notes(db, seed, seed.accounts[0], "c")  # the newest is another row's: a new one
    batch = take_batch(db)
    rows = [(m.entity, m.row_id) for m in batch]
    assert len(rows) == len(set(rows))
    assert (batch[-1].entity, batch[-1].row_id) == ("audit_log", batch[-1].row_id)


def test_a_conflict_adopts_the_winning_values_and_is_logged(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    account = seed.accounts[0]
    # Master data changed on the server meanwhile; the rep changed the same field offline.
    peer.write("accounts", {"id": account, "segment": "B"})
    with db.write() as session:
        from app.store.models import Account
        row = session.get(Account, account)
        assert row is not None
        row.segment = "C"
    push_all(db, client)
    with db.read() as session:
        segment = session.execute(text("SELECT segment FROM accounts WHERE id = :a"),
                                  {"a": account}).scalar()
        log = conflict_log.listed(session.connection())
    assert segment == "B"  # the server's value won and is now the local one
    assert [(c.row_id, c.field, c.mine, c.theirs, c.kept) for c in log] == [
        (account, "segment", "C", "B", "theirs")]
    assert outbox(db) == []


def test_a_rejection_is_logged_and_does_not_block_the_queue(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    edit_notes(db, seed, seed.accounts[0], REJECT_MARK)
    edit_notes(db, seed, seed.accounts[1], "fine")
    report = push_all(db, client)
    assert report.rejected == 1
    assert outbox(db) == []
    assert peer.row("accounts", seed.accounts[1])["notes"] == "fine"  # type: ignore[index]
    rejections = json.loads(local_state(db, state.REJECTIONS) or "[]")
    assert rejections[0]["reason"] == "the server refuses this value"
    assert rejections[0]["fields"] == {"notes": REJECT_MARK}
    assert notes_of(db, seed.accounts[0])[0] is None  # the server's row was adopted


def test_a_conflict_whose_answer_was_lost_is_still_logged_from_the_duplicate(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    account = seed.accounts[0]
    peer.write("accounts", {"id": account, "segment": "B"})
    with db.write() as session:
        from app.store.models import Account
        row = session.get(Account, account)
        assert row is not None
        row.segment = "C"
    peer.fault("push", "drop_response")
    report = push_all(db, client)
    assert report.duplicate == 1 and outbox(db) == []
    with db.read() as session:
        log = conflict_log.listed(session.connection())
    assert [c.theirs for c in log] == ["B"]


def test_a_cancel_after_a_send_that_may_have_arrived_keeps_the_mutations_frozen(
        peer: ProtocolServer, seed: Seed, replica: tuple[Database, SyncClient]) -> None:
    db, client = replica
    edit_notes(db, seed, seed.accounts[0], "first")
    peer.fault("push", "drop_response")  # committed on the server, the answer lost
    client.cancelled = lambda: client.retries_made > 0  # the rep cancels during back-off
    with pytest.raises(SyncError) as caught:
        push_all(db, client)
    assert caught.value.maybe_delivered is True
    assert all(m.in_flight for m in outbox(db))
    client.cancelled = None
    edit_notes(db, seed, seed.accounts[0], "second")
    push_all(db, client)
    assert peer.row("accounts", seed.accounts[0])["notes"] == "second"  # type: ignore[index]
