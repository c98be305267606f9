"""Medical inquiries on a real server process (SQLite and PostgreSQL): routing by territory
and therapeutic area, the fallback queue, reassignment, rerouting when an MSL is disabled,
the MSL's scope growing and shrinking, the firewall, and bad input."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.ids import uuid7
from server.db import next_versions
from server.directory import disable_user
from server.escalations.routing import cover
from server.models import AuditEntry, MedicalInquiry, Product, Territory, TerritoryProduct
from tests.server.conftest import Client, Live
from tests.server.test_sync_push import mutation, pull_all, push

ANSWER = "Off-label dosing in renal impairment: see the SmPC section 4.2, study NCT-0001"


@dataclass
class World:
    territory: str
    rep: Client
    rep_id: str
    account: str
    product: str  # promoted in the territory, area covered by the MSLs below
    area: str


def product(live: Live, area: str, territory: str | None) -> str:
    """A product of `area`, promoted in `territory` (by code) when given."""
    with live.db.writing() as s:
        version = next_versions(s)
        p = Product(id=uuid7(), name=f"Product {uuid.uuid4().hex[:8]}", therapeutic_area=area,
                    version=version)
        s.add(p)
        s.flush()
        if territory:
            tid = s.scalar(select(Territory.id).where(Territory.code == territory))
            s.add(TerritoryProduct(territory_id=tid, product_id=p.id, version=version))
        return p.id


def world(live: Live) -> World:
    territory = live.territory()
    rep = live.login(live.user("rep", (territory,)))
    area = f"Area {uuid.uuid4().hex[:6]}"
    return World(territory, rep, rep.get("/api/v1/me").json()["id"], live.account(territory),
                 product(live, area, territory), area)


def msl(live: Live, w: World) -> tuple[str, Client, str]:
    """A new MSL covering the world's territory and area: (user name, client, id)."""
    name = live.user("msl")
    with live.db.writing() as s:
        cover(s, name, w.territory, w.area)
    client = live.login(name)
    return name, client, client.get("/api/v1/me").json()["id"]


def inquiry_fields(w: World, **extra: Any) -> dict[str, Any]:
    return {"account_id": w.account, "product_id": w.product, "call_id": None,
            "raised_by": w.rep_id, "raised_at": "2026-11-20T10:00:00",
            "question": "Can I give it to a patient on dialysis?", "urgency": "high",
            "answer_channel": "phone", "consent_to_contact": True, "unsolicited": True,
            "status": "raised", "assigned_to": None, **extra}


def raise_inquiry(w: World, **extra: Any) -> dict[str, Any]:
    result = push(w.rep, mutation("medical_inquiries", uuid7(), inquiry_fields(w, **extra)))[0]
    assert result["status"] == "applied", result
    return result


def rows(pulled: dict[str, Any], entity: str) -> dict[str, dict[str, Any]]:
    return {c["row"]["id"]: c["row"] for c in pulled["changes"] if c["entity"] == entity}


def actions(live: Live, inquiry_id: str) -> list[str]:
    with live.db.reading() as s:
        return list(s.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "medical_inquiries", AuditEntry.row_id == inquiry_id)
            .order_by(AuditEntry.version, AuditEntry.at)))


def test_routed_to_the_msl_of_territory_and_area_with_the_account_history(live: Live) -> None:
    w = world(live)
    _, other_area_msl, _ = msl(live, world(live))  # covers another territory and area
    _, client, msl_id = msl(live, w)
    call = uuid7()
    push(w.rep, mutation("interactions", call, {
        "account_id": w.account, "owner_id": w.rep_id, "channel": "in_person",
        "status": "submitted", "start_at": "2026-11-19T09:00:00", "notes": "first visit",
        "submitted_at": "2026-11-19T09:30:00"}))
    row = raise_inquiry(w, call_id=call)["row"]
    assert (row["status"], row["assigned_to"]) == ("routed", msl_id)
    assert row["routed_at"] is not None
    pulled = pull_all(client)
    assert rows(pulled, "medical_inquiries")[row["id"]]["assigned_to"] == msl_id
    assert w.account in rows(pulled, "accounts")
    assert call in rows(pulled, "interactions"), "the MSL reads the account's history"
    assert w.rep_id in rows(pulled, "users")
    assert not rows(pull_all(other_area_msl), "medical_inquiries")
    assert actions(live, row["id"]) == ["inquiry.routed"]


def test_an_msl_who_already_synced_gets_the_account_incrementally(live: Live) -> None:
    w = world(live)
    _, client, _ = msl(live, w)
    cursor = pull_all(client)["cursor"]
    row = raise_inquiry(w)["row"]
    pulled = pull_all(client, cursor)
    assert w.account in rows(pulled, "accounts"), "old account rows come with the routing"
    assert row["id"] in rows(pulled, "medical_inquiries")


def test_the_least_loaded_covering_msl_gets_it(live: Live) -> None:
    w = world(live)
    _, _, first = msl(live, w)
    _, _, second = msl(live, w)
    a = raise_inquiry(w)["row"]["assigned_to"]
    b = raise_inquiry(w)["row"]["assigned_to"]
    assert {a, b} == {first, second}


def test_nobody_covers_it_so_it_waits_in_the_queue_for_any_msl(live: Live) -> None:
    w = world(live)
    row = raise_inquiry(w)["row"]
    assert (row["status"], row["assigned_to"]) == ("queued", None)
    _, client, msl_id = msl(live, world(live))  # an MSL of somewhere else
    assert row["id"] in rows(pull_all(client), "medical_inquiries")
    taken = push(client, mutation("medical_inquiries", row["id"], {
        "assigned_to": msl_id, "status": "in_progress", "taken_over_at": "2026-11-20T11:00:00"},
        base=row["version"]))[0]
    assert taken["status"] == "applied", taken
    assert taken["row"]["assigned_to"] == msl_id
    assert actions(live, row["id"]) == ["inquiry.queued"]


def test_a_manager_or_an_msl_reassigns_and_the_old_msls_scope_shrinks(live: Live) -> None:
    w = world(live)
    boss_name = live.user("manager", (w.territory,))
    boss = live.login(boss_name)
    first_name, first, first_id = msl(live, w)
    second_name, second, _ = msl(live, w)
    row = raise_inquiry(w)["row"]
    holder, other_name = ((first, second_name) if row["assigned_to"] == first_id
                          else (second, first_name))
    cursor = pull_all(holder)["cursor"]
    r = boss.post(f"/api/v1/escalations/{row['id']}/reassign", json={"to": other_name})
    assert r.status_code == 200, r.text
    assert r.json() == {"assigned_to": other_name}
    assert w.account in {x["id"] for x in pull_all(holder, cursor)["revoked"]}
    assert actions(live, row["id"]) == ["inquiry.routed", "inquiry.reassigned"]
    # The MSL holding it may pass it on (here back to the queue); the one who held it
    # before may not any more; a rep may not; a foreign manager sees no such inquiry.
    new_holder = second if holder is first else first
    assert holder.post(f"/api/v1/escalations/{row['id']}/reassign",
                       json={"to": None}).status_code == 403
    r = new_holder.post(f"/api/v1/escalations/{row['id']}/reassign", json={"to": None})
    assert r.status_code == 200 and r.json() == {"assigned_to": "queue"}, r.text
    assert w.rep.post(f"/api/v1/escalations/{row['id']}/reassign",
                      json={"to": other_name}).status_code == 403
    stranger = live.login(live.user("manager", (live.territory(),)))
    assert stranger.post(f"/api/v1/escalations/{row['id']}/reassign",
                         json={"to": other_name}).status_code == 404
    r = boss.post(f"/api/v1/escalations/{row['id']}/reassign", json={"to": w.rep_id[:8]})
    assert r.status_code == 409 and "not an active MSL" in r.json()["error"], r.text
    # Out of the queue again (the shared server's MSLs see every queued inquiry).
    r = boss.post(f"/api/v1/escalations/{row['id']}/reassign", json={"to": other_name})
    assert r.status_code == 200, r.text


def test_a_disabled_msl_s_inquiries_are_rerouted(live: Live) -> None:
    w = world(live)
    first_name, _, first_id = msl(live, w)
    row = raise_inquiry(w)["row"]
    assert row["assigned_to"] == first_id
    _, _, second_id = msl(live, w)
    with live.db.writing() as s:
        disable_user(s, first_name)
    with live.db.reading() as s:
        inquiry = s.get(MedicalInquiry, row["id"])
        assert inquiry is not None and inquiry.assigned_to == second_id
    assert actions(live, row["id"])[-2:] == ["inquiry.routed", "inquiry.rerouted"]


def test_closing_takes_the_account_out_of_the_msls_scope(live: Live) -> None:
    w = world(live)
    _, client, _ = msl(live, w)
    row = raise_inquiry(w)["row"]
    pulled = pull_all(client)
    version = rows(pulled, "medical_inquiries")[row["id"]]["version"]
    closed = push(client, mutation("medical_inquiries", row["id"], {
        "status": "closed", "closed_at": "2026-11-21T10:00:00"}, base=version))[0]
    assert closed["status"] == "applied", closed
    after = pull_all(client, pulled["cursor"])
    assert w.account in {x["id"] for x in after["revoked"]}
    assert client.get(f"/api/v1/accounts/{w.account}").status_code == 404
    # A closed inquiry stays closed.
    again = push(client, mutation("medical_inquiries", row["id"], {"status": "in_progress"},
                                  base=closed["version"]))[0]
    assert again["status"] == "rejected"


def test_the_answer_reaches_msls_only(live: Live) -> None:
    w = world(live)
    boss = live.login(live.user("manager", (w.territory,)))
    _, client, msl_id = msl(live, w)
    row = raise_inquiry(w)["row"]
    answer = uuid7()
    results = push(client,
                   mutation("medical_answers", answer, {
                       "inquiry_id": row["id"], "author_id": msl_id,
                       "answered_at": "2026-11-20T12:00:00", "channel": "phone",
                       "answer": ANSWER, "medical_notes": "renal function checked"}),
                   mutation("medical_inquiries", row["id"], {
                       "status": "handed_back", "answered_at": "2026-11-20T12:00:00",
                       "handed_back_at": "2026-11-20T12:05:00",
                       "hand_back_note": "Answered by phone; the doctor is happy."},
                       base=row["version"]))
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert answer in rows(pull_all(client), "medical_answers")
    for reader in (w.rep, boss):
        pulled = pull_all(reader)
        assert not rows(pulled, "medical_answers")
        assert pulled["checkpoint"]["medical_answers"] == [0, 0]  # count, checksum
        seen = rows(pulled, "medical_inquiries")[row["id"]]
        assert seen["status"] == "handed_back"
        assert seen["hand_back_note"] == "Answered by phone; the doctor is happy."
        assert msl_id in rows(pulled, "users"), "the rep sees who answered"
        assert ANSWER not in str(pulled)


def test_bad_inquiries_are_rejected_with_a_reason(live: Live) -> None:
    w = world(live)
    _, client, msl_id = msl(live, w)
    foreign = live.account(live.territory())
    not_promoted = product(live, w.area, None)
    cases = {
        "this account is not in your territories": inquiry_fields(w, account_id=foreign),
        "this product may not be detailed to this account":
            inquiry_fields(w, product_id=not_promoted),
        "the doctor's question is empty": inquiry_fields(w, question="   "),
        "a new inquiry is routed by the server": inquiry_fields(w, status="routed"),
    }
    for reason, fields in cases.items():
        result = push(w.rep, mutation("medical_inquiries", uuid7(), fields))[0]
        assert result["status"] == "rejected" and reason in result["reason"], result
    row = raise_inquiry(w)["row"]
    forged = push(w.rep,
                  mutation("medical_inquiries", row["id"], {"status": "closed"},
                           base=row["version"]),
                  mutation("medical_answers", uuid7(), {
                      "inquiry_id": row["id"], "author_id": w.rep_id,
                      "answered_at": "2026-11-20T12:00:00", "channel": "phone",
                      "answer": "made up"}))
    assert [r["reason"] for r in forged] == [
        "a rep cannot change medical inquiries",
        "a rep cannot change medical answers: this change was not applied"]
    deleting = push(client, mutation("medical_inquiries", row["id"], op="delete"))[0]
    assert "never deleted" in deleting["reason"]
    assert msl_id
