"""Pull (docs/sync-protocol.md) against a real server process, on SQLite and PostgreSQL:
paging, order, scope, tombstones, revocation, checkpoints, and the cursor under concurrent
pushers."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from typing import Any

from sqlalchemy import delete, select, update

from app.contract import ENTITIES
from app.ids import uuid7
from server.db import next_versions
from server.models import (
    Account,
    Interaction,
    KeyMessage,
    Product,
    Territory,
    TerritoryAssignment,
    TerritoryProduct,
    User,
)
from tests.server.conftest import Live
from tests.server.test_sync_push import (
    SYNC,
    Rep,
    call_fields,
    mutation,
    pull_all,
    push,
    rep_with_account,
)

RANK = {name: i for i, name in enumerate(ENTITIES)}


def replica(changes: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """What a client holds after applying the changes in order."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for c in changes:
        rows[(c["entity"], c["row"]["id"])] = c["row"]
    return rows


def live_counts(rows: dict[tuple[str, str], dict[str, Any]]) -> dict[str, list[int]]:
    """The checkpoint of a replica: [live rows, sum of their versions] per entity."""
    counts = Counter(entity for (entity, _id), row in rows.items() if not row["deleted"])
    sums: Counter[str] = Counter()
    for (entity, _id), row in rows.items():
        if not row["deleted"]:
            sums[entity] += row["version"]
    return {name: [counts.get(name, 0), sums.get(name, 0)] for name in ENTITIES}


def with_calls(live: Live, rep: Rep, n: int) -> list[str]:
    calls = [uuid7() for _ in range(n)]
    results = push(rep.client, *(mutation("interactions", c,
                                          call_fields(rep.account, rep.user_id))
                                 for c in calls))
    assert {r["status"] for r in results} == {"applied"}
    return calls


def test_pages_are_complete_ordered_and_checkpointed(live: Live) -> None:
    rep = rep_with_account(live)
    more_accounts = [live.account(rep.territory, name=f"Dr. {i}") for i in range(4)]
    calls = with_calls(live, rep, 5)
    attendee = uuid7()
    push(rep.client, mutation("attendees", attendee, {"interaction_id": calls[0],
                                                      "name": "Dr. A"}))
    whole = pull_all(rep.client, limit=1000)
    paged = pull_all(rep.client, limit=3)
    assert paged["pages"] > 3
    assert paged["changes"] == whole["changes"]
    keys = [(c["row"]["version"], RANK[c["entity"]], c["row"]["id"]) for c in paged["changes"]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    rows = replica(paged["changes"])
    for account in (rep.account, *more_accounts):
        assert ("accounts", account) in rows and ("external_ids", account) not in rows
    assert {c for c in calls} <= {i for (e, i) in rows if e == "interactions"}
    assert ("attendees", attendee) in rows
    assert any(e == "territories" for e, _ in rows) and ("users", rep.user_id) in rows
    # The checkpoint counts what the client now holds.
    assert paged["checkpoint"] == live_counts(rows)
    assert paged["checkpoint"]["accounts"][0] == 5
    assert paged["checkpoint"]["interactions"][0] == 5


def test_incremental_pull_brings_only_news_and_tombstones(live: Live) -> None:
    rep = rep_with_account(live)
    calls = with_calls(live, rep, 2)
    first = pull_all(rep.client)
    nothing = pull_all(rep.client, first["cursor"])
    assert nothing["changes"] == [] and nothing["revoked"] == []
    version = replica(first["changes"])[("interactions", calls[0])]["version"]
    push(rep.client, mutation("interactions", calls[0], op="delete", base=version))
    news = pull_all(rep.client, first["cursor"])
    assert [(c["entity"], c["row"]["id"], c["row"]["deleted"]) for c in news["changes"]] \
        == [("interactions", calls[0], True)]
    assert news["checkpoint"]["interactions"][0] == 1


def test_rep_never_gets_another_territorys_rows(live: Live) -> None:
    a = rep_with_account(live)
    b = rep_with_account(live)
    b_calls = with_calls(live, b, 3)
    push(b.client, mutation("tasks", uuid7(), {"subject": "private", "owner_id": b.user_id}))
    rows = replica(pull_all(a.client)["changes"])
    ids = {i for _e, i in rows}
    assert b.account not in ids and not ids & set(b_calls)
    assert b.user_id not in ids
    assert not [e for e, _ in rows if e == "tasks"]
    b_territory = b.territory
    assert not [r for (e, _), r in rows.items() if e == "territories"
                and r["code"] == b_territory]


def _move(live: Live, account: str, territory_code: str) -> None:
    with live.db.writing() as s:
        territory = s.scalar(select(Territory.id).where(Territory.code == territory_code))
        s.execute(update(Account).where(Account.id == account).values(
            territory_id=territory, version=next_versions(s)))


def test_an_account_that_moves_away_is_revoked(live: Live) -> None:
    a = rep_with_account(live)
    b = rep_with_account(live)
    staying = live.account(a.territory)
    with_calls(live, a, 1)
    start = pull_all(a.client)
    assert ("accounts", a.account) in replica(start["changes"])
    _move(live, a.account, b.territory)
    after = pull_all(a.client, start["cursor"])
    assert after["revoked"] == [{"entity": "accounts", "id": a.account}]
    assert not [c for c in after["changes"] if c["row"]["id"] == a.account]
    assert after["checkpoint"]["accounts"][0] == 1
    assert after["checkpoint"]["interactions"][0] == 0
    # The new owner gets the account (and, by its checkpoint, learns it lacks the rest).
    b_rows = replica(pull_all(b.client)["changes"])
    assert ("accounts", a.account) in b_rows
    # The revocation repeats (harmlessly) while the change counter stands still; once a
    # pull's cursor is past it, it is not sent again. `staying` is never revoked.
    live.account(a.territory)  # the counter moves on
    again = pull_all(a.client, after["cursor"])
    later = pull_all(a.client, again["cursor"])
    assert later["revoked"] == [] and later["changes"] == []
    assert staying not in {r["id"] for r in again["revoked"]}


def test_unassigning_a_territory_revokes_its_accounts(live: Live) -> None:
    rep = rep_with_account(live)
    start = pull_all(rep.client)
    with live.db.writing() as s:
        user = s.scalar(select(User.id).where(User.id == rep.user_id))
        s.execute(delete(TerritoryAssignment).where(TerritoryAssignment.user_id == user))
    after = pull_all(rep.client, start["cursor"])
    assert {"entity": "accounts", "id": rep.account} in after["revoked"]
    assert after["checkpoint"]["accounts"][0] == 0


def test_a_forged_cursor_is_a_400(live: Live) -> None:
    rep = rep_with_account(live)
    for cursor in ("nonsense", "W10", "eyJ4IjoxfQ"):
        r = rep.client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=SYNC)
        assert r.status_code == 400, (cursor, r.text)
    r = rep.client.get("/api/v1/sync/pull", params={"limit": 0}, headers=SYNC)
    assert r.status_code == 422


def test_concurrent_pushers_never_skip_a_committed_change(live: Live) -> None:
    """Pushers commit calls and tasks (two entities, so a page mixes tables read at different
    moments unless the pull reads one snapshot) while a client pulls small pages continuously
    from its cursor; afterwards, one more pull from the last cursor: every applied row was
    seen."""
    territory = live.territory()
    pushers = [rep_with_account(live, territory, f"laptop-{i}") for i in range(6)]
    reader = live.login(live.user("rep", (territory,)), "reader")
    cursor = pull_all(reader)["cursor"]
    seen: set[str] = set()
    applied: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def pusher(rep: Rep) -> None:
        try:
            while not stop.is_set():
                batch = [mutation("interactions", uuid7(),
                                  call_fields(rep.account, rep.user_id)),
                         mutation("tasks", uuid7(), {"account_id": rep.account,
                                                     "owner_id": rep.user_id,
                                                     "subject": "follow up"}),
                         mutation("interactions", uuid7(),
                                  call_fields(rep.account, rep.user_id))]
                for r in push(rep.client, *batch):
                    assert r["status"] == "applied", r
                    with lock:
                        applied.add(r["row"]["id"])
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def note(changes: list[dict[str, Any]]) -> None:
        seen.update(c["row"]["id"] for c in changes
                    if c["entity"] in ("interactions", "tasks"))

    threads = [threading.Thread(target=pusher, args=(p,)) for p in pushers]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 4
    pulls = 0
    try:
        while time.monotonic() < deadline:
            r = reader.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": 7},
                           headers=SYNC)
            assert r.status_code == 200, r.text
            page = r.json()
            note(page["changes"])
            cursor = page["cursor"]
            pulls += 1
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors
    final = pull_all(reader, cursor)
    note(final["changes"])
    assert pulls > 3 and len(applied) > 30
    assert applied - seen == set()
    checkpoint = final["checkpoint"]
    assert checkpoint["interactions"][0] + checkpoint["tasks"][0] == len(applied)


def test_reference_data_follows_the_territories(live: Live) -> None:
    mine, other = rep_with_account(live), rep_with_account(live)
    with live.db.writing() as s:
        version = next_versions(s)
        ids = {code: s.scalar(select(Territory.id).where(Territory.code == code))
               for code in (mine.territory, other.territory)}
        promoted, elsewhere = uuid7(), uuid7()
        s.add_all([Product(id=promoted, name=f"P-{promoted}", therapeutic_area="x",
                           version=version),
                   Product(id=elsewhere, name=f"P-{elsewhere}", therapeutic_area="x",
                           version=version)])
        s.flush()
        s.add_all([TerritoryProduct(territory_id=ids[mine.territory], product_id=promoted,
                                    version=version),
                   TerritoryProduct(territory_id=ids[other.territory], product_id=elsewhere,
                                    version=version),
                   KeyMessage(product_id=promoted, code="KM1", title="t", topic="x",
                              version=version),
                   KeyMessage(product_id=elsewhere, code="KM2", title="t", topic="x",
                              version=version)])
    rows = replica(pull_all(mine.client)["changes"])
    products = {i for e, i in rows if e == "products"}
    assert promoted in products and elsewhere not in products
    assert {r["code"] for (e, _), r in rows.items() if e == "key_messages"} >= {"KM1"}
    assert "KM2" not in {r["code"] for (e, _), r in rows.items() if e == "key_messages"}
    assert {r["product_id"] for (e, _), r in rows.items() if e == "territory_products"} \
        == {promoted}
    # Parents before children within one version: the product precedes its key message.
    changes = pull_all(mine.client)["changes"]
    order = [c["entity"] for c in changes if c["row"]["version"] == version]
    assert order.index("products") < order.index("key_messages")


def test_a_writer_in_flight_neither_blocks_nor_is_skipped(live: Live) -> None:
    """A transaction holding change numbers stays open while a push queues behind it and a
    client pulls: the pull answers at once, serves nothing of either, and after both commit
    the next pull from its cursor brings both rows."""
    rep = rep_with_account(live)
    cursor = pull_all(rep.client)["cursor"]
    in_flight, pushed = uuid7(), uuid7()
    done = threading.Event()

    def pusher() -> None:
        push(rep.client, mutation("interactions", pushed,
                                  call_fields(rep.account, rep.user_id)))
        done.set()

    with live.db.writing() as s:
        version = next_versions(s)
        s.add(Interaction(id=in_flight, account_id=rep.account, owner_id=rep.user_id,
                          channel="phone", status="draft", start_at=dt.datetime(2026, 11, 1),
                          version=version))
        s.flush()
        thread = threading.Thread(target=pusher)
        thread.start()
        assert not done.wait(0.5)  # the push waits for the counter
        started = time.monotonic()
        during = pull_all(rep.client, cursor)
        assert time.monotonic() - started < 5
        assert not {c["row"]["id"] for c in during["changes"]} & {in_flight, pushed}
    thread.join(30)
    assert done.is_set()
    after = pull_all(rep.client, during["cursor"])
    ids = [c["row"]["id"] for c in after["changes"] if c["entity"] == "interactions"]
    assert ids == [in_flight, pushed]
