"""Push (docs/sync-protocol.md) against a real server process, on SQLite and PostgreSQL:
idempotency, merge policies, conflicts and their log, locks, scope, bad input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from app.ids import uuid7
from server.models import Account, ConflictEntry, IdempotencyRecord, Interaction
from tests.server.conftest import Client, Live

SYNC = {"X-Fieldrep-Protocol": "1", "X-Fieldrep-Schema": "test"}


def mutation(entity: str, row_id: str, fields: dict[str, Any] | None = None, *,
             op: str = "upsert", base: int = 0) -> dict[str, Any]:
    return {"mutation_id": uuid7(), "entity": entity, "row_id": row_id, "op": op,
            "fields": fields or {}, "base_version": base}


def push(client: Client, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    r = client.post("/api/v1/sync/push", json={"mutations": list(mutations)}, headers=SYNC)
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    assert [x["mutation_id"] for x in results] == [m["mutation_id"] for m in mutations]
    return results


def pull_all(client: Client, cursor: str | None = None, limit: int = 1000,
             verify: bool = True) -> dict[str, Any]:
    """Every page after `cursor`: changes, revoked, the last cursor and checkpoint (asked
    for with `verify`)."""
    changes: list[dict[str, Any]] = []
    revoked: list[dict[str, Any]] = []
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {}),
                                  **({"verify": "true"} if verify else {})}
        r = client.get("/api/v1/sync/pull", params=params, headers=SYNC)
        assert r.status_code == 200, r.text
        page = r.json()
        pages += 1
        changes += page["changes"]
        revoked += page["revoked"]
        cursor = page["cursor"]
        if not page["more"]:
            return {"changes": changes, "revoked": revoked, "cursor": cursor,
                    "checkpoint": page["checkpoint"], "pages": pages}
        assert page["checkpoint"] is None


@dataclass
class Rep:
    client: Client
    user_id: str
    territory: str
    account: str


def rep_with_account(live: Live, territory: str | None = None, device: str = "laptop-1"
                     ) -> Rep:
    territory = territory or live.territory()
    client = live.login(live.user("rep", (territory,)), device)
    user_id = client.get("/api/v1/me").json()["id"]
    return Rep(client, user_id, territory, live.account(territory))


def call_fields(account: str, owner: str, **extra: Any) -> dict[str, Any]:
    return {"account_id": account, "owner_id": owner, "channel": "in_person",
            "status": "draft", "start_at": "2026-11-20T09:30:00", **extra}


def test_a_new_call_is_applied_once_and_a_repeat_is_a_duplicate(live: Live) -> None:
    rep = rep_with_account(live)
    call = uuid7()
    m = mutation("interactions", call, call_fields(rep.account, rep.user_id, notes="hi"))
    first = push(rep.client, m)[0]
    assert first["status"] == "applied", first
    assert first["row"]["notes"] == "hi" and first["row"]["id"] == call
    assert first["version"] == first["row"]["version"] > 0
    # The response was "lost": the client sends the same mutation again.
    again = push(rep.client, m)[0]
    assert again["status"] == "duplicate"
    assert again["version"] == first["version"] and again["row"] == first["row"]
    with live.db.reading() as s:
        assert s.get(Interaction, call) is not None
        assert s.scalar(select(IdempotencyRecord.status).where(
            IdempotencyRecord.mutation_id == m["mutation_id"])) == "applied"


def test_each_applied_mutation_bumps_the_version(live: Live) -> None:
    rep = rep_with_account(live)
    call = uuid7()
    v1 = push(rep.client, mutation("interactions", call,
                                   call_fields(rep.account, rep.user_id)))[0]["version"]
    v2 = push(rep.client, mutation("interactions", call, {"notes": "more"}, base=v1))[0]
    assert v2["status"] == "applied" and v2["version"] > v1


def test_rejections_do_not_block_later_mutations(live: Live) -> None:
    rep = rep_with_account(live)
    results = push(
        rep.client,
        mutation("nonsense", uuid7(), {"x": 1}),
        mutation("interactions", uuid7(), call_fields(rep.account, rep.user_id,
                                                      unknown_field=1)),
        mutation("interactions", uuid7(), call_fields(rep.account, rep.user_id,
                                                      duration_min="long")),
        mutation("interactions", uuid7(), call_fields(rep.account, rep.user_id,
                                                      start_at="yesterday")),
        mutation("interactions", uuid7(), {"notes": "no account, no channel"}),
        mutation("interactions", uuid7(), call_fields(rep.account, rep.user_id,
                                                      notes="nul\x00byte")),
        {"mutation_id": "not-a-uuid", "entity": "interactions"},
        mutation("products", uuid7(), {"name": "Mine", "therapeutic_area": "x"}),
        mutation("territories", uuid7(), {"code": "X", "name": "X"}),
        mutation("interactions", uuid7(), call_fields(rep.account, rep.user_id)),
    )
    assert [r["status"] for r in results] == ["rejected"] * 9 + ["applied"]
    reasons = [r["reason"] for r in results[:5] + results[6:9]]
    assert "cannot be stored" in results[5]["reason"]
    assert "unknown entity" in reasons[0]
    assert "unknown field" in reasons[1] and "unknown_field" in reasons[1]
    assert "wrong type" in reasons[2] and "is not a time in ISO 8601" in reasons[3]
    assert "needs" in reasons[4]
    assert "mutation_id" in reasons[5]
    assert "master data" in reasons[6] and "master data" in reasons[7]
    # A rejected mutation sent again is rejected again, never applied later.


def test_a_rejected_mutation_repeats_its_rejection(live: Live) -> None:
    rep = rep_with_account(live)
    m = mutation("territories", uuid7(), {"code": "X", "name": "X"})
    assert push(rep.client, m)[0]["status"] == "rejected"
    again = push(rep.client, m)[0]
    assert again["status"] == "rejected" and "master data" in again["reason"]


def test_out_of_scope_rows_are_rejected_directly_and_through_parents(live: Live) -> None:
    mine = rep_with_account(live)
    other = rep_with_account(live)  # another territory
    their_call = uuid7()
    assert push(other.client, mutation(
        "interactions", their_call, call_fields(other.account, other.user_id)))[0][
        "status"] == "applied"
    results = push(
        mine.client,
        mutation("interactions", uuid7(), call_fields(other.account, mine.user_id)),
        mutation("accounts", other.account, {"notes": "peek"}, base=1),
        mutation("addresses", uuid7(), {"account_id": other.account, "line1": "x",
                                        "city": "y"}),
        mutation("attendees", uuid7(), {"interaction_id": their_call, "name": "me"}),
        mutation("interactions", their_call, {"notes": "overwrite"}, base=1),
        mutation("tasks", uuid7(), {"subject": "not mine", "owner_id": other.user_id}),
        mutation("accounts", uuid7(), {"kind": "hcp", "name": "Dr. New"}),
    )
    assert [r["status"] for r in results] == ["rejected"] * 7
    for r in results[:5]:
        assert r["reason"] == "this account is not in your territories", r
    assert "other users" in results[5]["reason"]
    assert "your own territories" in results[6]["reason"]
    assert all(r["row"] is None for r in results)


def test_submitted_calls_and_their_children_are_locked(live: Live) -> None:
    rep = rep_with_account(live)
    call, attendee = uuid7(), uuid7()
    results = push(
        rep.client,
        mutation("interactions", call, call_fields(rep.account, rep.user_id)),
        mutation("interactions", call, {"status": "submitted",
                                        "submitted_at": "2026-11-20T10:00:00"}),
        # Written with the submission in the same push: accepted.
        mutation("attendees", attendee, {"interaction_id": call, "name": "Dr. A"}),
    )
    assert [r["status"] for r in results] == ["applied"] * 3
    version = results[1]["version"]
    later = push(
        rep.client,
        mutation("interactions", call, {"notes": "after the fact"}, base=version),
        mutation("attendees", attendee, {"name": "Dr. B"}, base=version),
        mutation("attendees", uuid7(), {"interaction_id": call, "name": "Dr. C"}),
        mutation("interactions", call, op="delete", base=version),
        mutation("attendees", uuid7(), {"interaction_id": uuid7(), "name": "orphan"}),
    )
    assert [r["status"] for r in later] == ["rejected"] * 5
    assert all("submitted calls are locked" in r["reason"] for r in later[:4]), later
    assert "unknown call" in later[4]["reason"]


def test_audit_entries_are_append_only(live: Live) -> None:
    rep = rep_with_account(live)
    entry, call = uuid7(), uuid7()
    push(rep.client, mutation("interactions", call, call_fields(rep.account, rep.user_id)))
    fields = {"at": "2026-11-20T10:00:00", "user_id": rep.user_id, "action": "call.submitted",
              "entity": "interactions", "row_id": call, "details": "{}"}
    first = push(rep.client, mutation("audit_log", entry, fields))[0]
    assert first["status"] == "applied"
    second = push(rep.client, mutation("audit_log", entry, {"action": "edited"}),
                  mutation("audit_log", entry, op="delete"),
                  mutation("audit_log", uuid7(), {**fields, "user_id": None}))
    assert [r["status"] for r in second] == ["rejected"] * 3
    assert "written once" in second[0]["reason"] and "written once" in second[1]["reason"]


def test_field_merge_conflicts_are_decided_per_field_and_logged(live: Live) -> None:
    territory = live.territory()
    laptop = rep_with_account(live, territory, "laptop-1")
    account = laptop.account
    tablet = live.login(live.user("rep", (territory,)), "tablet-1")
    with live.db.reading() as s:
        pulled = s.scalar(select(Account.version).where(Account.id == account))
    # Based on the version the client pulled: nothing changed since, applied.
    base = push(laptop.client, mutation("accounts", account, {"phone": "1"},
                                        base=pulled))[0]
    assert base["status"] == "applied", base
    # Based on an older version: the import's value may be newer, the server's wins.
    stale = push(laptop.client, mutation("accounts", account,
                                         {"segment": "A"}, base=0))[0]
    assert stale["status"] == "conflict" and stale["conflicts"][0]["kept"] == "theirs"
    v = base["version"]
    # The tablet changes phone (master data) and notes (the rep's own) ...
    assert push(tablet, mutation("accounts", account, {"phone": "2", "notes": "tablet"},
                                 base=v))[0]["status"] == "applied"
    # ... while the laptop, still at v, changes both too, and the email nobody touched.
    r = push(laptop.client, mutation("accounts", account,
                                     {"phone": "3", "notes": "laptop", "email": "a@b.de"},
                                     base=v))[0]
    assert r["status"] == "conflict", r
    by_field = {c["field"]: c for c in r["conflicts"]}
    assert by_field["phone"] == {"field": "phone", "mine": "3", "theirs": "2",
                                 "kept": "theirs"}
    assert by_field["notes"] == {"field": "notes", "mine": "laptop", "theirs": "tablet",
                                 "kept": "mine"}
    assert set(by_field) == {"phone", "notes"}
    assert (r["row"]["phone"], r["row"]["notes"], r["row"]["email"]) == ("2", "laptop",
                                                                         "a@b.de")
    assert r["version"] > v
    with live.db.reading() as s:
        logged = s.execute(select(ConflictEntry.field, ConflictEntry.kept, ConflictEntry.mine,
                                  ConflictEntry.theirs).where(
            ConflictEntry.mutation_id == r["mutation_id"])).all()
    assert {tuple(c) for c in logged} == {
        ("phone", "theirs", '"3"', '"2"'), ("notes", "mine", '"laptop"', '"tablet"')}
    # A device's own later edit is not in conflict with its earlier one.
    own = push(laptop.client, mutation("accounts", account, {"notes": "again"}, base=v))[0]
    assert own["status"] == "applied"


def test_consent_conflicts_keep_the_newest_consent_date(live: Live) -> None:
    territory = live.territory()
    laptop = rep_with_account(live, territory, "laptop-1")
    tablet = live.login(live.user("rep", (territory,)), "tablet-1")
    consent = uuid7()
    created = push(laptop.client, mutation("channel_consents", consent, {
        "account_id": laptop.account, "channel": "email", "consent": "granted",
        "consent_date": "2026-11-01"}))[0]
    v = created["version"]
    push(tablet, mutation("channel_consents", consent,
                          {"consent": "withdrawn", "consent_date": "2026-11-10"}, base=v))
    older = push(laptop.client, mutation("channel_consents", consent,
                                         {"consent": "granted", "consent_date": "2026-11-05"},
                                         base=v))[0]
    assert older["status"] == "conflict"
    assert {c["kept"] for c in older["conflicts"]} == {"theirs"}
    assert older["row"]["consent"] == "withdrawn"
    newer = push(tablet, mutation("channel_consents", consent,
                                  {"consent": "granted", "consent_date": "2026-11-20"},
                                  base=v))[0]
    assert newer["status"] == "applied"  # the tablet wrote both fields last itself


def test_delete_makes_a_tombstone_with_a_new_version(live: Live) -> None:
    rep = rep_with_account(live)
    task = uuid7()
    created = push(rep.client, mutation("tasks", task, {"account_id": rep.account,
                                                        "owner_id": rep.user_id,
                                                        "subject": "call back"}))[0]
    deleted = push(rep.client, mutation("tasks", task, op="delete",
                                        base=created["version"]))[0]
    assert deleted["status"] == "applied"
    assert deleted["row"]["deleted"] is True and deleted["version"] > created["version"]
    nothing = push(rep.client, mutation("tasks", uuid7(), op="delete"))[0]
    assert nothing["status"] == "rejected"


def test_managers_and_admins_cannot_push(live: Live) -> None:
    t = live.territory()
    boss = live.user("manager")
    live.user("rep", (t,), manager=boss)
    account = live.account(t)
    manager = live.login(boss)
    r = push(manager, mutation("accounts", account, {"notes": "boss"}, base=1))[0]
    assert r["status"] == "rejected" and "read-only" in r["reason"]
    admin = live.login(live.user("admin"))
    resp = admin.post("/api/v1/sync/push", json={"mutations": []}, headers=SYNC)
    assert resp.status_code == 403


@pytest.mark.parametrize(("protocol", "status", "words"), [
    (None, 426, "update Fieldrep"), ("0", 426, "update Fieldrep"),
    ("abc", 400, "version number"), ("2", 409, "the server is older"),
])
def test_protocol_mismatch_is_refused_before_anything(live: Live, protocol: str | None,
                                                      status: int, words: str) -> None:
    rep = rep_with_account(live)
    headers = {"X-Fieldrep-Schema": "test",
               **({"X-Fieldrep-Protocol": protocol} if protocol is not None else {})}
    m = mutation("interactions", uuid7(), call_fields(rep.account, rep.user_id))
    r = rep.client.post("/api/v1/sync/push", json={"mutations": [m]}, headers=headers)
    assert r.status_code == status and words in r.json()["error"]
    r = rep.client.get("/api/v1/sync/pull", headers=headers)
    assert r.status_code == status and words in r.json()["error"]
    with live.db.reading() as s:
        assert s.get(IdempotencyRecord, m["mutation_id"]) is None


def test_malformed_bodies_are_4xx_never_5xx(live: Live) -> None:
    rep = rep_with_account(live)
    for body in (b"{", b"[]", b'{"mutations": 1}', b'{"mutations": [], "x": 1}'):
        r = rep.client.post("/api/v1/sync/push", data=body,
                            headers={**SYNC, "Content-Type": "application/json"})
        assert 400 <= r.status_code < 500, (body, r.status_code)
    odd = [1, "x", None, [], {"mutation_id": uuid7()},
           {**mutation("accounts", rep.account, {"notes": 1}), "base_version": "x"},
           mutation("accounts", "not-a-uuid"), mutation("accounts", rep.account, op="merge"),
           mutation("accounts", rep.account, {"notes": "x" * 100_000})]
    r = rep.client.post("/api/v1/sync/push", json={"mutations": odd}, headers=SYNC)
    assert r.status_code in (200, 413), r.text
    if r.status_code == 200:
        assert {x["status"] for x in r.json()["results"]} == {"rejected"}
    r = rep.client.post("/api/v1/sync/push", json={"mutations": odd[:-1]}, headers=SYNC)
    assert r.status_code == 200
    assert {x["status"] for x in r.json()["results"]} == {"rejected"}
