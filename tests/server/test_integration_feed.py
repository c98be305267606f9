"""The change feed against a real server on 127.0.0.1 (SQLite and PostgreSQL), read with a
real HTTP client: every change once, none skipped while writers commit, nothing out of the
token's scope or of the entities that never leave, the right to read it, bad cursors."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from typing import Any

import requests

from app.ids import uuid7
from server.db import next_versions
from server.models import Interaction
from tests.server.conftest import Client, Live, MakeToken
from tests.server.test_integration import bulk, event, post
from tests.server.test_sync_push import Rep, call_fields, mutation, push, rep_with_account

CHANGES = "/api/v1/integration/changes"


def page(live: Live, token: str, cursor: str | None = None, limit: int = 1000
         ) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit}
    if cursor:
        params["cursor"] = cursor
    r = requests.get(live.base + CHANGES, params=params, timeout=30,
                     headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    return answer


def read_all(live: Live, token: str, cursor: str | None = None, limit: int = 1000
             ) -> tuple[list[dict[str, Any]], str]:
    """Every page after `cursor`: the changes and the last cursor."""
    changes: list[dict[str, Any]] = []
    while True:
        answer = page(live, token, cursor, limit)
        changes.extend(answer["changes"])
        cursor = answer["cursor"]
        if not answer["more"]:
            assert cursor
            return changes, cursor


def feed_token(make_token: MakeToken, *territories: str) -> str:
    return make_token(*territories, extra=("--feed",))[1]


def test_paging_serves_every_change_of_the_scope_exactly_once(
        live: Live, make_token: MakeToken) -> None:
    territory, other = live.territory(), live.territory()
    rep = rep_with_account(live, territory)
    doctors = [rep.account, *(live.account(territory) for _ in range(4))]
    stranger = live.account(other)
    _, poster = make_token()
    answer = bulk(live, poster, [json.dumps(event(account_id=d))
                                 for d in [*doctors, *doctors, stranger]]).json()
    assert answer["counts"]["created"] == 11
    calls = [uuid7() for _ in range(3)]
    push(rep.client, *(mutation("interactions", c, call_fields(
        rep.account, rep.user_id, signature="M0,0 L10,10")) for c in calls),
        mutation("tasks", uuid7(), {"account_id": rep.account, "owner_id": rep.user_id,
                                    "subject": "send the study"}))
    token = feed_token(make_token, territory)

    changes, _ = read_all(live, token, limit=3)

    keys = Counter((c["entity"], c["row"]["id"]) for c in changes)
    assert [k for k, n in keys.items() if n > 1] == []
    by_entity: dict[str, set[str]] = {}
    for c in changes:
        by_entity.setdefault(c["entity"], set()).add(c["row"]["id"])
    assert by_entity["accounts"] == set(doctors)
    tps = [c["row"] for c in changes if c["entity"] == "touchpoints"]
    assert len(tps) == 10 and {t["account_id"] for t in tps} == set(doctors)
    assert by_entity["interactions"] == set(calls)
    assert stranger not in str(changes)  # neither the account nor its touchpoint
    # What never leaves: the people who work here, their tasks, the audit trail, and the
    # strokes of a signature.
    assert not {"users", "tasks", "audit_log", "suggestions"} & by_entity.keys()
    assert all("signature" not in c["row"] for c in changes if c["entity"] == "interactions")
    assert [c["row"]["code"] for c in changes if c["entity"] == "territories"] == [territory]
    versions = [c["row"]["version"] for c in changes]
    assert versions == sorted(versions)


def test_an_incremental_read_brings_only_news_and_an_erasure_as_a_tombstone(
        live: Live, make_token: MakeToken, admin: Client) -> None:
    territory = live.territory()
    doctor, kept = live.account(territory), live.account(territory)
    _, poster = make_token(territory)
    assert post(live, poster, event(account_id=doctor)).status_code == 201
    token = feed_token(make_token, territory)
    _, cursor = read_all(live, token)
    assert page(live, token, cursor)["changes"] == []

    r = admin.post(f"/api/v1/admin/gdpr/accounts/{doctor}/erase", json={"confirm": doctor})
    assert r.status_code == 200, r.text
    assert post(live, poster, event(account_id=kept)).status_code == 201

    news, _ = read_all(live, token, cursor)
    [erased] = [c for c in news if c["entity"] == "accounts"]
    assert erased["erased"] is True and erased["row"]["id"] == doctor
    assert erased["row"]["deleted"] and erased["row"]["name"] == ""
    assert [c["row"]["account_id"] for c in news if c["entity"] == "touchpoints"] == [kept]
    # From the beginning, the erased doctor is the tombstone and nothing else.
    everything, _ = read_all(live, token)
    about = [c for c in everything if doctor in (c["row"]["id"], c["row"].get("account_id"))]
    assert about == [erased]


def test_concurrent_writers_never_make_the_feed_skip_a_change(
        live: Live, make_token: MakeToken) -> None:
    """Reps push calls and a service account posts touchpoints (two entities and two write
    paths, so a page mixes tables) while the feed is read in small pages from its cursor;
    afterwards one more read from the last cursor: every committed row was seen."""
    territory = live.territory()
    reps = [rep_with_account(live, territory, f"laptop-{i}") for i in range(4)]
    _, poster = make_token(territory)
    token = feed_token(make_token, territory)
    _, cursor = read_all(live, token)
    seen: set[str] = set()
    written: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def pusher(rep: Rep) -> None:
        try:
            while not stop.is_set():
                for r in push(rep.client, *(mutation("interactions", uuid7(), call_fields(
                        rep.account, rep.user_id)) for _ in range(3))):
                    assert r["status"] == "applied", r
                    with lock:
                        written.add(r["row"]["id"])
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def poster_thread() -> None:
        try:
            while not stop.is_set():
                lines = [json.dumps(event(account_id=reps[0].account))
                         for _ in range(2)]
                r = bulk(live, poster, lines)
                assert r.status_code == 200, r.text
                with lock:
                    written.update(x["id"] for x in r.json()["results"])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=pusher, args=(r,)) for r in reps]
    threads.append(threading.Thread(target=poster_thread))
    for t in threads:
        t.start()
    deadline = time.monotonic() + 4
    reads = 0
    try:
        while time.monotonic() < deadline:
            answer = page(live, token, cursor, limit=5)
            seen.update(c["row"]["id"] for c in answer["changes"])
            cursor = answer["cursor"]
            reads += 1
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors
    rest, _ = read_all(live, token, cursor)
    seen.update(c["row"]["id"] for c in rest)
    assert reads > 3 and len(written) > 30
    assert written - seen == set()


def test_a_transaction_in_flight_is_neither_served_nor_skipped(
        live: Live, make_token: MakeToken) -> None:
    """A writer holds a version while the feed is read: the read answers at once without
    the row; after the commit the next read from that cursor brings it."""
    rep = rep_with_account(live)
    token = feed_token(make_token, rep.territory)
    _, cursor = read_all(live, token)
    in_flight = uuid7()
    with live.db.writing() as s:
        s.add(Interaction(id=in_flight, account_id=rep.account, owner_id=rep.user_id,
                          channel="phone", status="draft", start_at=dt.datetime(2026, 11, 1),
                          version=next_versions(s)))
        s.flush()
        during, cursor = read_all(live, token, cursor)
        assert in_flight not in {c["row"]["id"] for c in during}
    after, _ = read_all(live, token, cursor)
    assert [c["row"]["id"] for c in after] == [in_flight]


def test_a_token_without_the_feed_right_is_refused_in_words(
        live: Live, make_token: MakeToken) -> None:
    _, token = make_token()
    r = requests.get(live.base + CHANGES, timeout=30,
                     headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["error"] == ("this API token may not read the change feed: ask the "
                                 "Fieldrep administrator for a service account with --feed")
    rep = live.login(live.user("rep", (live.territory(),)))
    assert rep.get(CHANGES).status_code == 401  # a person's login opens no feed


def test_a_malformed_cursor_or_limit_is_a_400_in_words(
        live: Live, make_token: MakeToken) -> None:
    token = feed_token(make_token)
    bad = ["x", "!!!", "W10", "WzEsMiwzXQ", "W251bGwsMCwiIl0", "eyJhIjoxfQ", "A" * 401,
           "WzEsMSwiXHUwMDAwIl0", "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5LDAsIiJd", "\u00e9"]
    for cursor in bad:
        r = requests.get(live.base + CHANGES, params={"cursor": cursor}, timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 400, (cursor, r.text)
        assert r.json()["error"] == "invalid cursor: pass the cursor of the previous page"
    for limit, words in (("0", "limit is from 1 to 5000"), ("5001", "limit is from 1 to 5000"),
                         ("ten", "limit 'ten' is no whole number: 1 to 5000")):
        r = requests.get(live.base + CHANGES, params={"limit": limit}, timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
        assert (r.status_code, r.json()["error"]) == (400, words)

