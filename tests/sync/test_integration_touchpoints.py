"""Touchpoints an outside system posted reach the laptops in scope through a real server
process, land in the account's history and the engine's, and no laptop can write one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from app.ids import uuid7
from app.services import login
from app.services.engine_data import read_touchpoints
from app.store.accounts import Account as LaptopAccount
from app.store.database import Database, open_database
from app.store.queries import account_history
from app.store.touchpoint_queries import with_touchpoints
from app.store.touchpoints import Touchpoint
from app.sync.auth import client_for
from app.sync.run import sync_once
from server.db import Database as ServerDatabase
from server.db import next_versions
from server.directory import add_territory, add_user, assign_territory
from server.integration import service_accounts
from server.models import Account as ServerAccount
from server.models import ExternalId, Territory
from server.models import Touchpoint as ServerTouchpoint
from tests.server.conftest import PASSWORD, start_server, stop_server

BULK = "/api/v1/integration/touchpoints/bulk"


@dataclass
class Server:
    base: str
    db: ServerDatabase
    doctor: str
    token: str


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    dsn = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    proc, base = start_server(tmp_path / "server", dsn)
    db = ServerDatabase(dsn)
    try:
        with db.writing() as s:
            north = add_territory(s, "DE-BY-01", "München Nord")
            add_territory(s, "DE-HH-01", "Hamburg")
            for user, territory in (("joerg", "DE-BY-01"), ("olaf", "DE-HH-01")):
                add_user(s, user, PASSWORD, "rep", user.title())
                assign_territory(s, user, territory)
            add_user(s, "root", PASSWORD, "admin", "Admin")
            version = next_versions(s)
            doctor = ServerAccount(kind="hcp", name="Dr. med. Jürgen Müller",
                                   territory_id=north.id, version=version)
            s.add(doctor)
            s.flush()
            s.add(ExternalId(account_id=doctor.id, system="LANR", value="123456701",
                             version=version))
            token = service_accounts.create(s, "marketing", by="root",
                                            territories=["DE-BY-01"], kinds=None)
            ids = Server(base, db, doctor.id, token)
        yield ids
    finally:
        db.dispose()
        stop_server(proc)


def laptop(tmp_path: Path, server: Server, username: str) -> Database:
    db = open_database(tmp_path / f"{username}.sqlite3")
    client = client_for(db, server.base)
    try:
        login.login(db, client, username, PASSWORD)
    finally:
        client.close()
    return db


def sync(db: Database, server: Server) -> None:
    client = client_for(db, server.base)
    try:
        sync_once(db, client)
    finally:
        client.close()


def post(server: Server, *touchpoints: dict[str, object]) -> dict[str, object]:
    r = requests.post(server.base + BULK, timeout=30,
                      data="\n".join(json.dumps(t) for t in touchpoints).encode(),
                      headers={"Authorization": f"Bearer {server.token}",
                               "Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    answer: dict[str, object] = r.json()
    return answer


def test_a_posted_touchpoint_reaches_the_history_of_the_laptops_in_scope(
        tmp_path: Path, server: Server) -> None:
    joerg, olaf = laptop(tmp_path, server, "joerg"), laptop(tmp_path, server, "olaf")
    try:
        sync(joerg, server)
        assert post(server, {
            "event_id": "wb-2026-03-0001", "kind": "webinar_attended",
            "occurred_at": "2026-03-05T14:30:00+01:00", "title": "Renal outcomes webinar",
            "external_id": {"system": "LANR", "value": "123456701"}}, {
            "event_id": "em-77", "kind": "email_opened", "occurred_at": "2026-03-06T08:00:00Z",
            "title": "Study CZ-RENAL-07", "account_id": server.doctor,
        })["counts"] == {"created": 2, "duplicate": 0, "rejected": 0}

        sync(joerg, server)
        sync(olaf, server)

        with joerg.read() as session:
            history = with_touchpoints(session.connection(), server.doctor, account_history(
                session.connection(), server.doctor))
            engine = read_touchpoints(session, server.doctor)
        assert [(e.touchpoint_kind, e.subject, e.owner, e.start_at.isoformat())
                for e in history] == [
            ("email_opened", "Study CZ-RENAL-07", "marketing", "2026-03-06T08:00:00"),
            ("webinar_attended", "Renal outcomes webinar", "marketing", "2026-03-05T13:30:00"),
        ]
        assert sorted((t.channel, t.opened, t.responded) for t in engine) == [
            ("email", True, False), ("event", None, True)], "the engine counts them"
        with olaf.read() as session:
            assert session.scalar(select(func.count()).select_from(Touchpoint)) == 0, \
                "another territory's rep never gets them"
    finally:
        joerg.close()
        olaf.close()


def test_a_reps_laptop_cannot_push_a_touchpoint(tmp_path: Path, server: Server) -> None:
    joerg = laptop(tmp_path, server, "joerg")
    try:
        sync(joerg, server)
        [posted] = post(server, {"event_id": "ev-1", "kind": "event_registered",
                                 "occurred_at": "2026-03-05T10:00:00Z",
                                 "account_id": server.doctor})["results"]  # type: ignore[misc]
        sync(joerg, server)
        client = client_for(joerg, server.base)
        try:
            forged, changed = client.push([
                {"mutation_id": uuid7(), "entity": "touchpoints", "row_id": uuid7(),
                 "op": "upsert", "base_version": 0,
                 "fields": {"account_id": server.doctor, "kind": "webinar_attended",
                            "occurred_at": "2026-03-01T10:00:00", "source": "marketing",
                            "event_id": "forged-1", "title": "Never happened"}},
                {"mutation_id": uuid7(), "entity": "touchpoints", "row_id": posted["id"],
                 "op": "upsert", "base_version": 1, "fields": {"title": "Changed"}},
            ])["results"]
        finally:
            client.close()
        assert (forged["status"], changed["status"]) == ("rejected", "rejected"), (forged,
                                                                                  changed)
        assert forged["reason"] == changed["reason"] == (
            "touchpoints is master data: it is changed on the server only")
        with server.db.reading() as s:
            rows = s.execute(select(ServerTouchpoint.event_id, ServerTouchpoint.title)).all()
        assert [tuple(r) for r in rows] == [("ev-1", None)]
    finally:
        joerg.close()


def test_an_account_leaving_the_scope_takes_its_touchpoints_along(
        tmp_path: Path, server: Server) -> None:
    joerg = laptop(tmp_path, server, "joerg")
    try:
        post(server, {"event_id": "wv-1", "kind": "website_visit",
                      "occurred_at": "2026-03-05T10:00:00Z", "account_id": server.doctor})
        sync(joerg, server)
        with joerg.read() as session:
            assert session.scalar(select(func.count()).select_from(Touchpoint)) == 1
        with server.db.writing() as s:  # the admin moves the doctor to Hamburg
            doctor = s.get(ServerAccount, server.doctor)
            hamburg = s.scalar(select(Territory.id).where(Territory.code == "DE-HH-01"))
            assert doctor is not None
            doctor.territory_id, doctor.version = hamburg, next_versions(s)

        sync(joerg, server)

        with joerg.read() as session:
            assert session.scalar(select(func.count()).select_from(Touchpoint)) == 0
            assert session.get(LaptopAccount, server.doctor) is None, \
                "removed, not kept as a hidden tombstone"
    finally:
        joerg.close()


def test_an_email_a_marketing_platform_saw_opened_sets_off_the_rule_on_the_laptop(
        tmp_path: Path, server: Server) -> None:
    """The default rules offer a remote call to a doctor who prefers one when he opened an
    e-mail. An opening reported by a marketing platform (the integration API) reaches the
    rep's laptop by sync and sets the rule off there, once; an old one does not."""
    import datetime as dt

    from app.engine import EngineSettings, default_rules, in_control_group
    from app.services.suggestions import Recommender
    from app.store.reference import User
    from server.models import ChannelConsent

    rules = default_rules()
    with server.db.writing() as s:
        version = next_versions(s)
        doctor = next(a for a in (uuid7() for _ in range(100)) if not in_control_group(
            a, rules.control_share, EngineSettings().control_salt))
        north = s.scalar(select(Territory.id).where(Territory.code == "DE-BY-01"))
        s.add(ServerAccount(id=doctor, kind="hcp", name="Dr. Anna Video", segment="B",
                            territory_id=north, version=version))
        s.flush()
        s.add(ChannelConsent(account_id=doctor, channel="video", consent="granted",
                             preferred=True, preference_rank=1, version=version))
    now = dt.datetime.now(dt.UTC)
    opened = {"kind": "email_opened", "title": "Study CZ-RENAL-07", "account_id": doctor}
    # Long ago: neither news nor a contact within the 30 days the cap counts.
    post(server, {**opened, "event_id": "old-1",
                  "occurred_at": (now - dt.timedelta(days=40)).isoformat()})
    joerg = laptop(tmp_path, server, "joerg")
    recommender = Recommender()

    def remote_calls_for_the_doctor(*, dismiss: bool = False) -> list[str]:
        with joerg.write() as session:
            rep = session.scalar(select(User.id).where(User.username == "joerg"))
            items = recommender.today(session, rep, dt.date.today())
            if dismiss:  # the day's plan offered her a call: the rep said not now
                for item in items:
                    if item.account_id == doctor:
                        recommender.dismiss(session, rep, item.id, "not now",
                                            dt.datetime.now(dt.UTC).replace(tzinfo=None))
        return [i.id for i in items if i.account_id == doctor and i.action == "remote_call"
                and any("Opened the e-mail" in r.text for r in i.reasons)]

    try:
        sync(joerg, server)
        # The first look: history, not news.
        assert remote_calls_for_the_doctor(dismiss=True) == []
        post(server, {**opened, "event_id": "new-1", "occurred_at": now.isoformat()})
        sync(joerg, server)
        recommender.history_changed()  # as the window does after a sync that brought rows
        made = remote_calls_for_the_doctor()
        assert len(made) == 1
        sync(joerg, server)
        recommender.history_changed()
        assert remote_calls_for_the_doctor() == made  # once, not at every look
    finally:
        joerg.close()
