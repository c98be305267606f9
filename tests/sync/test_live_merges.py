"""Against the real server process (SQLite and PostgreSQL): rows recorded on two laptops
that the server must merge, and server rows that replace locked local ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from app.services import accounts as account_service
from app.services import calls
from app.store.database import Database, open_database
from app.sync import state
from app.sync.client import SyncClient
from app.sync.run import sync_once
from server.db import next_versions
from server.models import ChannelConsent, Interaction
from tests.server.conftest import PASSWORD, Live

Laptop = tuple[Database, SyncClient]
USERS: dict[str, str] = {}  # device -> the user id its login returned


@pytest.fixture
def laptops(live: Live, tmp_path: Path) -> Iterator[Callable[[str, str], Laptop]]:
    made: list[Laptop] = []

    def make(username: str, device: str) -> Laptop:
        db = open_database(tmp_path / f"{device}.sqlite")
        client = SyncClient(live.base, device_id=device)
        reply = client.login(username, PASSWORD)
        client.token, USERS[device] = reply["token"], reply["user_id"]
        with db.write() as session:  # as the app's login leaves it
            state.put(session.connection(), state.USER_ID, reply["user_id"])
        made.append((db, client))
        return db, client

    yield make
    for db, client in made:
        client.close()
        db.close()


def rows(db: Database, sql: str, **params: object) -> list[tuple[object, ...]]:
    with db.read() as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def test_the_same_consent_recorded_on_two_laptops_becomes_one_row(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    territory = live.territory()
    username = live.user("rep", (territory,))
    account = live.account(territory)
    (a, ca), (b, cb) = laptops(username, "laptop-a"), laptops(username, "laptop-b")
    for db, client in ((a, ca), (b, cb)):
        sync_once(db, client)
    with a.write() as session:
        account_service.set_consent(session, USERS["laptop-a"], account, "phone", "granted",
                                    dt.date(2026, 3, 1))
    with b.write() as session:
        account_service.set_consent(session, USERS["laptop-b"], account, "phone", "withdrawn",
                                    dt.date(2026, 3, 5))
    for db, client in ((a, ca), (b, cb), (a, ca)):
        sync_once(db, client)
    with live.db.reading() as s:
        live_rows = s.execute(select(ChannelConsent.id, ChannelConsent.consent).where(
            ChannelConsent.account_id == account, ChannelConsent.channel == "phone",
            ChannelConsent.deleted.is_(False))).all()
    assert len(live_rows) == 1
    server_id, consent = live_rows[0]
    assert consent == "withdrawn"  # the newer consent date wins
    sql = "SELECT id, consent FROM channel_consents WHERE account_id = :a AND channel = 'phone'"
    assert rows(a, sql, a=account) == rows(b, sql, a=account) == [(server_id, "withdrawn")]
    for db in (a, b):
        assert rows(db, "SELECT count(*) FROM outbox") == [(0,)]
        with db.read() as session:
            assert state.get_json(session.connection(), state.REJECTIONS, []) == []


def test_a_submitted_call_takes_the_servers_version(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    """A call submitted here and then changed on the server (an administrator corrects it)
    replaces the local one despite the lock triggers, and nothing is left diverged."""
    territory = live.territory()
    username = live.user("rep", (territory,))
    account = live.account(territory)
    db, client = laptops(username, "laptop-a")
    sync_once(db, client)
    with db.write() as session:
        me = USERS["laptop-a"]
        call = calls.save_draft(session, me, calls.CallForm(
            account_id=account, channel="phone", start_at=dt.datetime(2026, 11, 2, 9, 0),
            notes="typed here"))
        calls.submit_call(session, me, call)
    sync_once(db, client)
    with live.db.writing() as s:
        s.execute(update(Interaction).where(Interaction.id == call).values(
            notes="corrected on the server", version=next_versions(s)))
    sync_once(db, client)
    assert rows(db, "SELECT notes, status FROM interactions WHERE id = :c", c=call) == [
        ("corrected on the server", "submitted")]
    with db.read() as session:
        conn = session.connection()
        assert state.get_json(conn, state.DIVERGED, []) == []
        assert state.get(conn, state.APPLYING) is None
    with live.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Interaction)
                        .where(Interaction.id == call)) == 1


def dangling_consent_audit(db: Database) -> list[tuple[object, ...]]:
    return rows(db, "SELECT a.row_id, a.action FROM audit_log a WHERE a.entity = "
                    "'channel_consents' AND a.row_id NOT IN (SELECT id FROM channel_consents)")


def test_audit_entries_of_a_merged_consent_follow_the_surviving_row(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    """Both laptops record the same consent offline; the server keeps one row. Afterwards
    every audit entry about it, on the server and on both laptops, names that row."""
    territory = live.territory()
    username = live.user("rep", (territory,))
    account = live.account(territory)
    (a, ca), (b, cb) = laptops(username, "laptop-a"), laptops(username, "laptop-b")
    for db, client in ((a, ca), (b, cb)):
        sync_once(db, client)
    for db, device, day in ((a, "laptop-a", 1), (b, "laptop-b", 5)):
        with db.write() as session:
            account_service.set_consent(session, USERS[device], account, "email", "granted",
                                        dt.date(2026, 3, day))
    for db, client in ((a, ca), (b, cb), (a, ca)):
        sync_once(db, client)
    with live.db.reading() as s:
        (server_id,) = s.execute(select(ChannelConsent.id).where(
            ChannelConsent.account_id == account, ChannelConsent.channel == "email")).one()
        audit = s.execute(text(
            "SELECT row_id FROM audit_log WHERE entity = 'channel_consents' AND row_id IN "
            "(SELECT id FROM channel_consents WHERE account_id = :a) OR (entity = "
            "'channel_consents' AND row_id NOT IN (SELECT id FROM channel_consents))"),
            {"a": account}).scalars().all()
    assert audit == [server_id, server_id]  # one entry per laptop, both on the one row
    for db in (a, b):
        assert dangling_consent_audit(db) == []
        assert rows(db, "SELECT row_id FROM audit_log WHERE entity = 'channel_consents'") \
            == [(server_id,), (server_id,)]


def test_a_revoked_account_takes_other_users_audit_entries_with_it(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    """Both reps work a territory; the account moves to a territory only the second one has.
    The first rep's laptop keeps its own audit entries (the server still sends them) and
    drops the second rep's, which the server no longer sends to it."""
    from server.models import Account, Territory

    shared, other = live.territory(), live.territory()
    first, second = live.user("rep", (shared,)), live.user("rep", (shared, other))
    account = live.account(shared)
    (a, ca), (c, cc) = laptops(first, "laptop-a"), laptops(second, "laptop-c")
    for db, client in ((a, ca), (c, cc)):
        sync_once(db, client)
    for db, device in ((a, "laptop-a"), (c, "laptop-c")):
        with db.write() as session:
            account_service.update_contact(session, USERS[device], account, email=None,
                                           phone=None, notes=device)
        sync_once(db, cc if db is c else ca)
    sync_once(a, ca)
    audit = "SELECT user_id FROM audit_log WHERE entity = 'accounts' AND row_id = :a"
    assert sorted(rows(a, audit, a=account)) == sorted(
        [(USERS["laptop-a"],), (USERS["laptop-c"],)])
    with live.db.writing() as s:
        target = s.scalar(select(Territory.id).where(Territory.code == other))
        s.execute(update(Account).where(Account.id == account).values(
            territory_id=target, version=next_versions(s)))
    sync_once(a, ca)
    assert rows(a, "SELECT count(*) FROM accounts WHERE id = :a", a=account) == [(0,)]
    assert rows(a, audit, a=account) == [(USERS["laptop-a"],)]
