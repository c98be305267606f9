"""`fieldrep demo`'s loop end to end: a real server process seeded with the demo territory,
the rep logged in on two laptops, a call made on one seen on the other after both sync."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import Connection, create_engine, text

from app.demo import laptop as demo_laptop
from app.demo import server as demo_server
from app.demo.server import REP, DemoServer, DemoServerError
from app.services.calls import CallForm, save_draft, submit_call
from app.store.base import utcnow
from app.store.database import Database
from app.store.queries import account_history
from app.store.touchpoint_queries import with_touchpoints
from app.sync.client import LOGIN_PATH
from tests.demo_server import ACCOUNTS, laptop, nth_account, sync

DEMO_DECKS = len(list((Path(__file__).resolve().parents[2] / "resources" / "content")
                      .glob("*.zip")))


@contextlib.contextmanager
def sqlalchemy_engine(demo: DemoServer) -> Iterator[Connection]:
    """The demo server's own database, read directly."""
    engine = create_engine(f"sqlite:///{demo.folder / demo_server.DATABASE_FILE}")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def count(db: Database, sql: str) -> int:
    with db.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def test_the_demo_server_is_seeded_running_and_recorded(demo: DemoServer) -> None:
    assert demo.owned and demo_server.healthy(demo.url)
    assert demo.url.startswith("http://127.0.0.1:")
    state = json.loads((demo.folder / demo_server.RUNNING_FILE).read_text(encoding="utf-8"))
    assert state == {"url": demo.url, "pid": demo.pid}
    assert demo_server.read_seeded(demo.folder) == demo.seeded
    login = requests.post(f"{demo.url}{LOGIN_PATH}", timeout=10, json={
        "username": "msl", "password": "demo-msl", "device_id": "test"})
    assert login.status_code == 200, login.text


def test_a_laptop_logs_in_and_the_first_sync_brings_the_territory(
        demo: DemoServer, tmp_path: Path) -> None:
    db = laptop(tmp_path, demo)
    try:
        report = sync(db, demo)
        assert report.pull.rows > 1000
        assert count(db, "SELECT count(*) FROM accounts") == ACCOUNTS
        assert count(db, "SELECT count(*) FROM interactions WHERE status = 'submitted'") > 100
        assert count(db, "SELECT count(*) FROM users u JOIN local_state s ON s.value = u.id "
                         "AND s.key = 'current_user_id' WHERE u.username = 'rep'") == 1
        assert count(db, "SELECT count(*) FROM outbox") == 0
        # The demo decks are added as drafts and approved by the demo's admin: approved.
        assert count(db, "SELECT count(*) FROM presentations "
                         "WHERE approval_state = 'approved'") == DEMO_DECKS
    finally:
        db.close()


def test_the_demo_doctors_histories_show_what_outside_systems_reported(
        demo: DemoServer, tmp_path: Path) -> None:
    """The demo's touchpoints come through the integration path (the marketing platform's
    service account and the API's write function) and reach the rep's history."""
    db = laptop(tmp_path, demo)
    try:
        sync(db, demo)
        with db.read() as session:
            kinds = dict(session.execute(text(
                "SELECT kind, count(*) FROM touchpoints GROUP BY kind")).all())
            doctor = session.execute(text(
                "SELECT account_id FROM touchpoints GROUP BY account_id "
                "ORDER BY count(*) DESC, account_id LIMIT 1")).scalar_one()
            history = with_touchpoints(session.connection(), doctor, account_history(
                session.connection(), doctor))
    finally:
        db.close()
    assert set(kinds) == {"webinar_attended", "event_registered", "website_visit",
                          "email_opened", "email_clicked"}
    reported = [e for e in history if e.touchpoint_kind is not None]
    assert len(reported) >= 2 and {e.owner for e in reported} == {"Marketing-Plattform"}
    assert all(e.subject for e in reported)
    with sqlalchemy_engine(demo) as conn:
        assert conn.execute(text(
            "SELECT DISTINCT s.name FROM touchpoints t JOIN service_accounts s "
            "ON s.id = t.service_account_id")).scalars().all() == ["demo-marketing"]


def test_a_second_laptop_joins_the_running_server_and_sees_the_first_ones_call(
        demo: DemoServer, tmp_path: Path) -> None:
    joined = demo_server.ensure(demo.folder, ACCOUNTS, 7, say=lambda _text: None)
    assert not joined.owned and (joined.url, joined.pid) == (demo.url, demo.pid)
    first, second = laptop(tmp_path / "one", joined), laptop(tmp_path / "two", joined)
    try:
        sync(first, joined)
        sync(second, joined)
        account = nth_account(first, 3)
        with first.read() as session:
            rep_id = session.execute(text("SELECT id FROM users WHERE username = 'rep'")
                                     ).scalar_one()
        start = (utcnow() - dt.timedelta(hours=1)).replace(microsecond=0)
        with first.write() as session:
            call_id = save_draft(session, rep_id, CallForm(
                account_id=account, channel="phone", start_at=start, duration_min=10,
                subject="Telefonat vom ersten Laptop", notes="Rückruf vereinbart."))
            submit_call(session, rep_id, call_id)
        assert sync(first, joined).push.applied >= 1
        sync(second, joined)
        with second.read() as session:
            seen = session.execute(text(
                "SELECT subject, status, account_id FROM interactions WHERE id = :id"),
                {"id": call_id}).one()
        assert tuple(seen) == ("Telefonat vom ersten Laptop", "submitted", account)
    finally:
        first.close()
        second.close()


def test_a_reset_is_refused_while_the_server_is_in_use(demo: DemoServer) -> None:
    with pytest.raises(DemoServerError, match="in use"):
        demo_server.ensure(demo.folder, ACCOUNTS, 7, reset=True, say=lambda _text: None)
    assert demo_server.healthy(demo.url)


def test_a_laptop_of_an_earlier_demo_server_is_replaced_unless_it_holds_changes(
        demo: DemoServer, tmp_path: Path) -> None:
    db = laptop(tmp_path, demo)
    sync(db, demo)
    with db.write() as session:
        session.execute(text("UPDATE local_state SET value = 'an-earlier-server' "
                             "WHERE key = :k"), {"k": demo_laptop.SERVER_ID})
    account = nth_account(db, 5)
    from app.services.accounts import update_contact

    with db.write() as session:
        update_contact(session, None, account, email=None, phone="089 1234", notes=None)
    db.close()
    database = db.path  # the rep's own store in the data folder
    with pytest.raises(DemoServerError, match="not yet sent"):
        demo_laptop.discard_if_stale(tmp_path, demo)
    assert database.exists()

    other = tmp_path / "other"
    db = laptop(other, demo)
    sync(db, demo)
    with db.write() as session:
        session.execute(text("UPDATE local_state SET value = 'an-earlier-server' "
                             "WHERE key = :k"), {"k": demo_laptop.SERVER_ID})
    db.close()
    assert demo_laptop.discard_if_stale(other, demo)
    assert not db.path.exists()


def test_a_database_that_is_not_demo_data_is_never_discarded(tmp_path: Path) -> None:
    from app.demo.server import REP
    from app.store.database import open_database
    from app.store.user_stores import store_for
    from tests.factories import make_world

    db = open_database(store_for(tmp_path, REP.username).database)
    with db.write() as session:
        session.info["from_server"] = True
        make_world(session)
    db.close()
    with pytest.raises(DemoServerError, match="not demo data"):
        demo_laptop.check_discard(tmp_path)


@pytest.mark.slow  # seeds, stops and restarts a server process
def test_a_stopped_demo_server_is_started_again_on_the_same_data(tmp_path: Path) -> None:
    folder = tmp_path / "server"
    server = demo_server.ensure(folder, 5, 3, say=lambda _text: None)
    seeded = server.seeded
    server.stop()
    assert demo_server.running(folder) is None
    assert not (folder / demo_server.RUNNING_FILE).exists()
    said: list[str] = []
    again = demo_server.ensure(folder, 5, 3, say=said.append)
    try:
        assert again.owned and again.seeded == seeded
        assert again.url == server.url  # laptops still open find it at the same address
        assert not any("Creating" in s for s in said)
        db = laptop(tmp_path / "laptop", again)
        try:
            sync(db, again)
            assert count(db, "SELECT count(*) FROM accounts") == 5
        finally:
            db.close()
    finally:
        again.stop()
    assert REP.username == "rep"


def test_a_demo_server_of_an_earlier_version_is_upgraded_before_it_serves(
        tmp_path: Path) -> None:
    """A demo server made by an earlier Fieldrep holds an older schema: it is brought up to
    this version's (backed up first) before it serves, instead of answering every sync with
    an error."""
    from alembic import command

    from server.db import Database as ServerDatabase
    from server.db import alembic_config, current_revision, head_revision

    folder = tmp_path / "server"
    demo_server.ensure(folder, 5, 3, say=lambda _text: None).stop()
    old = ServerDatabase(f"sqlite:///{folder / demo_server.DATABASE_FILE}")
    try:
        with old.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "-1")
        assert current_revision(old) != head_revision()
    finally:
        old.dispose()
    again = demo_server.ensure(folder, 5, 3, say=lambda _text: None)
    try:
        db = laptop(tmp_path / "laptop", again)
        try:
            sync(db, again)
            assert count(db, "SELECT count(*) FROM accounts") == 5
        finally:
            db.close()
    finally:
        again.stop()
    assert list(folder.glob("*.bak")), "a backup before the upgrade"
