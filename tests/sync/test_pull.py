"""Pull against the protocol peer: pages with the cursor, all or nothing, revocations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, text

from app.ids import uuid7
from app.services import accounts as account_service
from app.store.database import Database
from app.sync import state
from app.sync.client import SyncClient
from app.sync.errors import MalformedReplyError, OfflineError, ProtocolMismatchError
from app.sync.pull import pull_all
from app.sync.push import push_all
from app.sync.run import VERIFY_EVERY, sync_once
from tests.sync.conftest import Seed, local_state
from tests.sync.protocol_server import ProtocolServer
from tests.sync.test_push import edit_notes, outbox

MakeClient = Callable[..., SyncClient]


def count(db: Database, sql: str, **params: object) -> int:
    with db.read() as session:
        return int(session.execute(text(sql), params).scalar_one())


def add_accounts(peer: ProtocolServer, seed: Seed, n: int) -> list[str]:
    ids = []
    for i in range(n):
        account = uuid7()
        peer.write("accounts", {"id": account, "kind": "hcp", "name": f"Dr. Extra {i}",
                                "last_name": f"Extra{i}", "territory_id": seed.territory})
        ids.append(account)
    return ids


def no_push() -> None:
    raise AssertionError("nothing to push")


def test_the_initial_sync_fills_the_replica_and_its_derived_columns(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    report = sync_once(db, make_client())
    assert report.pull.rows == 4 + 2 * len(seed.accounts)
    with db.read() as session:
        row = session.execute(text("SELECT name_key, city, search_text, version FROM accounts "
                                   "WHERE id = :a"), {"a": seed.accounts[0]}).one()
    assert row.city == "München" and "muller0" in row.name_key
    assert " muenchen" in row.search_text
    assert row.version == peer.row("accounts", seed.accounts[0])["version"]  # type: ignore[index]
    assert count(db, "SELECT count(*) FROM account_search WHERE account_search MATCH 'mull*'") == 3
    assert local_state(db, state.CURSOR) == str(peer.seq)
    assert local_state(db, state.LAST_SUCCESS) is not None
    assert outbox(db) == []


def test_pages_are_applied_one_transaction_each_and_a_kill_resumes_at_the_lost_page(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    extra = add_accounts(peer, seed, 10)
    cursor_before = local_state(db, state.CURSOR)

    class KilledError(Exception):
        pass

    def kill_on_page_3(_conn: Connection, page_no: int) -> None:
        if page_no == 3:
            raise KilledError

    with pytest.raises(KilledError):
        pull_all(db, client, push=no_push, limit=3, hook=kill_on_page_3)
    assert count(db, "SELECT count(*) FROM accounts WHERE id IN "
                     f"({','.join(repr(a) for a in extra)})") == 6  # pages 1-2 kept
    assert local_state(db, state.CURSOR) == str(int(cursor_before or 0) + 6)
    requests_before = len(peer.requests)
    report = pull_all(db, client, push=no_push, limit=3)
    assert report.pages == 2  # page 3 again, then the last one
    assert count(db, "SELECT count(*) FROM accounts") == 13
    assert len(peer.requests) - requests_before == 2


@pytest.mark.parametrize("fault", ["malformed", "cut_close", "old_client", "cut"])
def test_a_bad_page_applies_nothing_and_keeps_cursor_and_outbox(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient, fault: str) -> None:
    db = replicas("a")
    client = make_client(attempts=2)
    sync_once(db, client)
    add_accounts(peer, seed, 2)
    edit_notes(db, seed, seed.accounts[0], "unsent")
    pending = [m.mutation_id for m in outbox(db)]
    cursor = local_state(db, state.CURSOR)
    peer.fault("pull", fault, times=2)
    expected = {"malformed": MalformedReplyError, "cut_close": MalformedReplyError,
                "old_client": ProtocolMismatchError, "cut": OfflineError}[fault]
    with pytest.raises(expected):
        pull_all(db, client, push=no_push)
    assert local_state(db, state.CURSOR) == cursor
    assert count(db, "SELECT count(*) FROM accounts") == 3
    assert [m.mutation_id for m in outbox(db)] == pending


def test_a_failed_sync_records_the_last_error_in_words(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    peer.fault("pull", "old_client")
    with pytest.raises(ProtocolMismatchError):
        sync_once(db, make_client())
    assert "please update Fieldrep" in (local_state(db, state.LAST_ERROR) or "")
    sync_once(db, make_client())
    assert local_state(db, state.LAST_ERROR) is None


def test_a_pulled_change_keeps_the_reps_unsent_edit_of_the_same_row(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    edit_notes(db, seed, seed.accounts[0], "mine, unsent")
    peer.write("accounts", {"id": seed.accounts[0], "segment": "C", "notes": "theirs"})
    pull_all(db, client, push=no_push)
    with db.read() as session:
        row = session.execute(text("SELECT notes, segment FROM accounts WHERE id = :a"),
                              {"a": seed.accounts[0]}).one()
    assert (row.notes, row.segment) == ("mine, unsent", "C")


def test_tombstones_and_submitted_calls_arrive_with_last_contact(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    call = uuid7()
    peer.write("interactions", {"id": call, "account_id": seed.accounts[1],
                                "channel": "phone", "status": "submitted",
                                "start_at": "2026-11-20T09:30:00",
                                "submitted_at": "2026-11-20T10:00:00Z"})
    peer.write("addresses", {"id": seed.addresses[seed.accounts[1]], "deleted": True})
    sync_once(db, client)
    with db.read() as session:
        row = session.execute(text("SELECT city, last_contact_at FROM accounts WHERE id = :a"),
                              {"a": seed.accounts[1]}).one()
        submitted = session.execute(text("SELECT submitted_at FROM interactions"
                                         " WHERE id = :c"), {"c": call}).scalar()
    assert row.city is None  # its only address is a tombstone now
    assert row.last_contact_at == "2026-11-20 09:30:00.000000"
    assert submitted == "2026-11-20 10:00:00.000000"  # naive UTC


def test_a_pulled_visit_not_received_leaves_the_last_contact(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    """Another laptop's failed visit arrives for the history, not as a contact."""
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    for start, missed in (("2026-11-10T09:30:00", False), ("2026-11-20T09:30:00", True)):
        peer.write("interactions", {"id": uuid7(), "account_id": seed.accounts[1],
                                    "channel": "in_person", "status": "submitted",
                                    "start_at": start, "not_received": missed,
                                    "submitted_at": "2026-11-20T10:00:00Z"})
    sync_once(db, client)
    assert count(db, "SELECT count(*) FROM interactions WHERE not_received = 1") == 1
    with db.read() as session:
        last = session.execute(text("SELECT last_contact_at FROM accounts WHERE id = :a"),
                               {"a": seed.accounts[1]}).scalar()
    assert last == "2026-11-10 09:30:00.000000"


def test_a_revoked_account_goes_only_after_its_pending_changes_are_pushed(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    gone, locked = seed.accounts[0], seed.accounts[1]
    with db.write() as session:
        account_service.set_consent(session, seed.rep, gone, "email", "granted",
                                    dt.date(2026, 11, 1))
    submitted = uuid7()
    peer.write("interactions", {"id": submitted, "account_id": locked, "channel": "phone",
                                "status": "submitted", "start_at": "2026-11-20T09:30:00"})
    sync_once(db, client)
    with db.write() as session:
        account_service.update_contact(session, seed.rep, gone, email=None, phone=None,
                                       notes="last words")
    peer.revoke(gone)
    peer.revoke(locked)
    seen_at_push: list[int] = []

    def push() -> None:  # what the engine passes: record that the account was still here
        seen_at_push.append(count(db, "SELECT count(*) FROM accounts WHERE id = :a", a=gone))
        push_all(db, client)

    report = pull_all(db, client, push=push)
    assert seen_at_push == [1]
    assert outbox(db) == []  # answered: the server no longer takes edits of that account
    rejections = json.loads(local_state(db, state.REJECTIONS) or "[]")
    assert rejections[0]["reason"] == "this account is no longer in your territory"
    assert count(db, "SELECT count(*) FROM accounts WHERE id = :a", a=gone) == 0
    assert count(db, "SELECT count(*) FROM channel_consents WHERE account_id = :a", a=gone) == 0
    # The lock triggers let the server's revocation remove a submitted call too (0005).
    assert report.hidden == []
    assert count(db, "SELECT count(*) FROM accounts WHERE id = :a", a=locked) == 0
    assert count(db, "SELECT count(*) FROM interactions WHERE id = :c", c=submitted) == 0
    assert local_state(db, state.APPLYING) is None
    assert outbox(db) == []


def test_a_checkpoint_mismatch_resyncs_the_entity_and_keeps_unsent_writes(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    stray = uuid7()  # a row the server no longer has for us (e.g. a lost tombstone)
    with db.write() as session:
        session.connection().execute(text(
            "INSERT INTO accounts (id, version, kind, name, name_key, search_text) "
            "VALUES (:id, 3, 'hcp', 'Dr. Stray', 'stray', '')"), {"id": stray})
    assert sync_once(db, client, verify=False).pull.resynced == []  # not checked every time
    report = sync_once(db, client, verify=True)
    assert report.pull.resynced == ["accounts"]
    assert count(db, "SELECT count(*) FROM accounts WHERE id = :a", a=stray) == 0
    assert count(db, "SELECT count(*) FROM accounts") == 3
    assert sync_once(db, client, verify=True).pull.resynced == []


def test_a_missed_change_is_caught_by_the_checksum_and_repaired(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    """The replica holds the right number of rows but an older version of one (a change it
    never applied): counts agree, the checksum does not, and the entity is pulled again."""
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    account = seed.accounts[0]
    old = peer.row("accounts", account)
    assert old is not None
    peer.write("accounts", {"id": account, "segment": "C"})
    sync_once(db, client, verify=False)
    with db.write() as session:  # as if that page had been lost
        session.connection().execute(text(
            "UPDATE accounts SET segment = :s, version = :v WHERE id = :a"),
            {"s": old["segment"], "v": old["version"], "a": account})
    report = sync_once(db, client, verify=True)
    assert report.pull.resynced == ["accounts"]
    assert count(db, "SELECT count(*) FROM accounts WHERE segment = 'C'") == 1


def test_a_checkpoint_is_asked_for_on_the_first_sync_and_every_few_after(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    client = make_client()
    for _ in range(VERIFY_EVERY + 1):
        sync_once(db, client)
    asked = [query for method, query in peer.pull_queries if "verify=true" in query]
    assert len(asked) == 2, peer.pull_queries


def test_a_child_served_a_page_before_its_newer_parent_waits_for_it(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    """Pages ordered by version put a call (v2) before its account edited later (v3): the
    page with the call is joined to the next one and both apply together."""
    account = add_accounts(peer, seed, 1)[0]
    peer.write("interactions", {"id": uuid7(), "account_id": account, "channel": "phone",
                                "status": "draft", "start_at": "2026-11-20T09:30:00"})
    peer.write("accounts", {"id": account, "notes": "edited later"})
    db = replicas("a")
    client = make_client()
    total = len(peer.rows)
    pull_all(db, client, push=no_push, limit=total - 1)  # the call ends page 1
    assert count(db, "SELECT count(*) FROM interactions") == 1
    assert count(db, "SELECT count(*) FROM accounts WHERE notes = 'edited later'") == 1


def test_a_page_that_contradicts_its_checkpoint_resyncs_and_keeps_the_outbox(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    """The last page claims one account more than the server serves: the replica pulls the
    accounts again, keeps every row it had and the rep's unsent consent change."""
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    with db.write() as session:
        account_service.set_consent(session, seed.rep, seed.accounts[0], "email", "granted",
                                    dt.date(2026, 11, 1))
    waiting = outbox(db)
    assert waiting
    peer.fault("pull", "bad_checkpoint")
    report = pull_all(db, client, push=no_push, verify=True)
    assert report.resynced == ["accounts"]
    assert outbox(db) == waiting
    assert count(db, "SELECT count(*) FROM accounts") == len(seed.accounts)
    assert count(db, "SELECT count(*) FROM channel_consents WHERE consent = 'granted'") == 1


def test_a_pulled_consent_takes_over_a_local_twin_with_its_unsent_values_and_history(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: Callable[..., SyncClient]) -> None:
    """The same consent came from another laptop while this one's is still unsent: the local
    row gives way to the server's id, keeps its unsent values, and its audit entries (kept
    and unsent) name the server's row."""
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    account = seed.accounts[0]
    with db.write() as session:
        account_service.set_consent(session, seed.rep, account, "email", "granted",
                                    dt.date(2026, 3, 5), source="here")
    server_id = uuid7()
    peer.write("channel_consents", {"id": server_id, "account_id": account, "channel": "email",
                                    "consent": "withdrawn", "consent_date": "2026-03-01",
                                    "preferred": False, "source": "there"})
    pull_all(db, client, push=lambda: None)
    with db.read() as session:
        conn = session.connection()
        assert conn.execute(text(
            "SELECT id, consent, source FROM channel_consents WHERE account_id = :a "
            "AND channel = 'email'"), {"a": account}).all() == [(server_id, "granted", "here")]
        assert conn.execute(text(
            "SELECT row_id FROM audit_log WHERE entity = 'channel_consents'")).scalars().all() \
            == [server_id]
        unsent = conn.execute(text("SELECT entity, row_id, fields FROM outbox")).all()
    assert {(e, r) for e, r, _f in unsent if e == "channel_consents"} == {
        ("channel_consents", server_id)}
    assert [json.loads(f)["row_id"] for e, _r, f in unsent if e == "audit_log"] == [server_id]
