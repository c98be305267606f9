"""The server authorises every write (issue 14, items 1-4), tried from outside: a script
speaking the documented push API as a modified laptop would, against a real server process
on SQLite and PostgreSQL. Each test is one attack that the server applied before."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.ids import uuid7
from server.models import (
    Account,
    AuditEntry,
    AuditTrail,
    Interaction,
    MedicalAnswer,
    Territory,
)
from tests.server.conftest import Live
from tests.server.test_escalations import (
    ANSWER,
    msl,
    raise_inquiry,
    rows,
    world,
)
from tests.server.test_sync_push import (
    Rep,
    call_fields,
    mutation,
    pull_all,
    push,
    rep_with_account,
)

NOT_YOURS = "this account is not in your territories"


def territory_id(live: Live, code: str) -> str:
    with live.db.reading() as s:
        found = s.scalar(select(Territory.id).where(Territory.code == code))
        assert found is not None
        return found


def account_row(live: Live, account: str) -> Account:
    with live.db.reading() as s:
        row = s.get(Account, account)
        assert row is not None
        s.expunge(row)
        return row


def two_reps(live: Live) -> tuple[Rep, Rep]:
    return rep_with_account(live), rep_with_account(live)


def test_the_affiliation_takeover_is_rejected_and_the_scope_does_not_grow(live: Live) -> None:
    a, b = two_reps(live)
    before = pull_all(a.client)
    link = mutation("affiliations", uuid7(), {"hcp_id": a.account, "hco_id": b.account})
    [result] = push(a.client, link)
    assert result["status"] == "rejected" and result["row"] is None, result
    after = pull_all(a.client, before["cursor"])
    assert b.account not in rows(after, "accounts"), "B's doctor reached A's laptop"
    assert b.account not in a.client.all_account_ids()
    # Nor can A move B's doctor into A's territory, or take B's doctor as an institution.
    [moved] = push(a.client, mutation("accounts", b.account,
                                      {"territory_id": territory_id(live, a.territory)},
                                      base=1))
    assert moved["status"] == "rejected" and moved["reason"] == NOT_YOURS, moved
    assert account_row(live, b.account).territory_id == territory_id(live, b.territory)


def test_an_affiliation_links_a_doctor_with_an_institution(live: Live) -> None:
    a = rep_with_account(live)
    colleague = live.account(a.territory, "hcp", "Dr. Colleague")
    hospital = live.account(a.territory, "hco", "Klinikum")
    results = push(a.client,
                   mutation("affiliations", uuid7(), {"hcp_id": a.account, "hco_id": colleague}),
                   mutation("affiliations", uuid7(), {"hcp_id": hospital, "hco_id": a.account}),
                   mutation("affiliations", uuid7(), {"hcp_id": a.account, "hco_id": hospital}))
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"], results
    assert "links a doctor (hcp_id) with an institution (hco_id)" in results[0]["reason"]


def test_an_affiliated_institution_is_readable_not_writable(live: Live) -> None:
    a, b = two_reps(live)
    hospital = live.account(b.territory, "hco", "Klinikum of B")
    live.affiliate(a.account, hospital)  # master data: A's doctor works at B's hospital
    assert hospital in rows(pull_all(a.client), "accounts"), "A reads the hospital"
    results = push(a.client,
                   mutation("accounts", hospital, {"notes": "mine now"}, base=1),
                   mutation("accounts", hospital,
                            {"territory_id": territory_id(live, a.territory)}, base=1),
                   mutation("addresses", uuid7(), {"account_id": hospital, "line1": "x",
                                                   "city": "y"}),
                   mutation("external_ids", uuid7(), {"account_id": hospital,
                                                      "system": "X", "value": uuid7()}))
    assert [r["status"] for r in results] == ["rejected"] * 4, results
    assert {r["reason"] for r in results} == {NOT_YOURS}
    assert account_row(live, hospital).notes is None


def test_moving_an_account_between_territories_is_an_admin_action(live: Live) -> None:
    second, home = live.territory(), live.territory()
    rep = live.login(live.user("rep", (home, second)))
    account = live.account(home)
    [moved] = push(rep, mutation("accounts", account,
                                 {"territory_id": territory_id(live, second)},
                                 base=account_row(live, account).version))
    assert moved["status"] == "rejected" and "administrator" in moved["reason"], moved
    assert account_row(live, account).territory_id == territory_id(live, home)


def test_msl_reassign_across_territories_is_refused(live: Live) -> None:
    w = world(live)
    holder_name, holder, holder_id = msl(live, w)
    elsewhere_name, elsewhere, _ = msl(live, world(live))  # another territory and area
    outsider = live.login(live.user("msl"))  # covers nothing, holds nothing
    boss = live.login(live.user("manager", (w.territory,)))
    row = raise_inquiry(w)["row"]
    assert row["assigned_to"] == holder_id
    url = f"/api/v1/escalations/{row['id']}/reassign"
    r = boss.post(url, json={"to": elsewhere_name})
    assert r.status_code == 409 and "does not cover" in r.json()["error"], r.text
    r = outsider.post(url, json={"to": None})
    assert r.status_code == 403, r.text
    r = elsewhere.post(url, json={"to": elsewhere_name})
    assert r.status_code in (403, 409), r.text
    assert w.account not in rows(pull_all(elsewhere), "accounts")
    assert w.account not in rows(pull_all(outsider), "accounts")
    # A covering MSL is a valid target, for the manager and for the holder.
    covering_name, _, _ = msl(live, w)
    r = holder.post(url, json={"to": covering_name})
    assert r.status_code == 200 and r.json() == {"assigned_to": covering_name}, r.text
    assert holder_name != covering_name


def test_an_msl_never_writes_master_data_of_an_escalated_account(live: Live) -> None:
    w = world(live)
    _, client, _ = msl(live, w)
    raise_inquiry(w)
    assert w.account in rows(pull_all(client), "accounts"), "taking over grants reading"
    home = live.territory()
    results = push(client,
                   mutation("accounts", w.account, {"notes": "edited by medical"}, base=1),
                   mutation("accounts", w.account,
                            {"territory_id": territory_id(live, home)}, base=1),
                   mutation("addresses", uuid7(), {"account_id": w.account, "line1": "x",
                                                   "city": "y"}))
    assert [r["status"] for r in results] == ["rejected"] * 3, results
    assert all("an MSL cannot change" in r["reason"] for r in results), results
    assert account_row(live, w.account).territory_id == territory_id(live, w.territory)


def answer_fields(inquiry: str, author: str, **extra: Any) -> dict[str, Any]:
    return {"inquiry_id": inquiry, "author_id": author, "answered_at": "2026-11-20T12:00:00",
            "channel": "phone", "answer": ANSWER, **extra}


def test_medical_answer_takeover_is_refused_and_never_echoed(live: Live) -> None:
    first_world, second_world = world(live), world(live)
    _, first, first_id = msl(live, first_world)
    _, second, second_id = msl(live, second_world)
    mine = raise_inquiry(first_world)["row"]
    theirs = raise_inquiry(second_world)["row"]
    answer = uuid7()
    [written] = push(first, mutation("medical_answers", answer,
                                     answer_fields(mine["id"], first_id)))
    assert written["status"] == "applied", written
    # The second MSL pushes the first one's answer onto an inquiry they hold.
    results = push(second,
                   mutation("medical_answers", answer,
                            answer_fields(theirs["id"], second_id, answer="mine now")),
                   mutation("medical_answers", answer, {"inquiry_id": theirs["id"]}, base=1))
    assert [r["status"] for r in results] == ["rejected"] * 2, results
    assert all(r["row"] is None for r in results)
    assert ANSWER not in str(results)
    # The author may not move it to another inquiry either: inquiry_id is fixed.
    [moved] = push(first, mutation("medical_answers", answer, {"inquiry_id": theirs["id"]},
                                   base=written["version"]))
    assert moved["status"] == "rejected" and ANSWER not in str(moved), moved
    with live.db.reading() as s:
        stored = s.get(MedicalAnswer, answer)
        assert stored is not None
        assert (stored.inquiry_id, stored.author_id, stored.answer) == (
            mine["id"], first_id, ANSWER)
    assert answer not in rows(pull_all(second), "medical_answers")


def test_an_msl_cannot_edit_a_reps_draft_call(live: Live) -> None:
    w = world(live)
    _, client, _ = msl(live, w)
    draft = uuid7()
    [made] = push(w.rep, mutation("interactions", draft, call_fields(w.account, w.rep_id)))
    assert made["status"] == "applied"
    raise_inquiry(w, call_id=draft)
    assert draft in rows(pull_all(client), "interactions"), "the MSL reads the history"
    results = push(client,
                   mutation("interactions", draft, {"subject": "typed by medical"},
                            base=made["version"]),
                   mutation("attendees", uuid7(), {"interaction_id": draft, "name": "MSL"}),
                   mutation("interactions", draft, op="delete", base=made["version"]))
    assert [r["status"] for r in results] == ["rejected"] * 3, results
    assert "belongs to another user" in results[0]["reason"]
    with live.db.reading() as s:
        call = s.get(Interaction, draft)
        assert call is not None and call.subject is None and not call.deleted


def test_an_msl_cannot_own_a_promotional_call(live: Live) -> None:
    w = world(live)
    _, client, msl_id = msl(live, w)
    raise_inquiry(w)
    planned, medical = uuid7(), uuid7()
    results = push(
        client,
        mutation("interactions", planned, call_fields(w.account, msl_id, status="planned",
                                                      subject="Visit (suggested)")),
        mutation("interactions", medical, call_fields(
            w.account, msl_id, channel="phone", status="submitted",
            submitted_at="2026-11-20T10:00:00", subject="Medical inquiry answered")),
        mutation("discussed_products", uuid7(), {"interaction_id": medical,
                                                 "product_id": w.product, "position": 1}),
    )
    assert [r["status"] for r in results] == ["rejected", "applied", "rejected"], results
    assert "promotional" in results[0]["reason"]
    with live.db.reading() as s:
        assert s.get(Interaction, planned) is None


def test_owner_spoofing_is_refused_and_a_missing_owner_comes_from_the_token(live: Live
                                                                            ) -> None:
    territory = live.territory()
    boss = live.login(live.user("manager", (territory,)))
    boss_id = boss.get("/api/v1/me").json()["id"]
    rep = rep_with_account(live, territory)
    call, task, session, unowned = uuid7(), uuid7(), uuid7(), uuid7()
    results = push(
        rep.client,
        mutation("interactions", call, call_fields(
            rep.account, boss_id, status="submitted", submitted_at="2026-11-20T10:00:00")),
        mutation("tasks", task, {"account_id": rep.account, "owner_id": boss_id,
                                 "subject": "boss's"}),
        mutation("presentation_sessions", session, {"user_id": boss_id,
                                                    "presentation_id": uuid7(),
                                                    "started_at": "2026-11-20T10:00:00"}),
        mutation("audit_log", uuid7(), {"at": "2026-11-20T10:00:00", "user_id": boss_id,
                                        "action": "account.updated", "entity": "accounts",
                                        "row_id": rep.account}),
        mutation("medical_inquiries", uuid7(), {
            **inquiry_fields_for(rep), "raised_by": boss_id}),
        mutation("interactions", unowned, {k: v for k, v in call_fields(
            rep.account, rep.user_id).items() if k != "owner_id"}),
    )
    assert [r["status"] for r in results] == ["rejected"] * 5 + ["applied"], results
    assert all("own name" in r["reason"] for r in results[:5]), results
    assert results[5]["row"]["owner_id"] == rep.user_id


def inquiry_fields_for(rep: Rep) -> dict[str, Any]:
    return {"account_id": rep.account, "product_id": uuid7(), "raised_at": "2026-11-20T10:00",
            "question": "?", "urgency": "high", "answer_channel": "phone",
            "status": "raised"}


def test_audit_injection_is_refused(live: Live) -> None:
    a, b = two_reps(live)
    w = world(live)  # an inquiry in a third territory
    msl(live, w)
    inquiry = raise_inquiry(w)["row"]
    call = uuid7()
    push(a.client, mutation("interactions", call, call_fields(a.account, a.user_id)))

    def entry(entity: str, row_id: str, user: str = a.user_id) -> dict[str, Any]:
        return mutation("audit_log", uuid7(), {
            "at": "2026-11-20T10:00:00", "user_id": user, "action": "account.updated",
            "entity": entity, "row_id": row_id, "details": '{"note": "forged"}'})

    results = push(a.client, entry("accounts", b.account),
                   entry("medical_inquiries", inquiry["id"]),
                   entry("accounts", a.account, user=b.user_id),
                   entry("users", b.user_id),
                   entry("interactions", call))
    assert [r["status"] for r in results] == ["rejected"] * 4 + ["applied"], results
    for reader in (b.client, w.rep):
        assert "forged" not in str(rows(pull_all(reader), "audit_log"))
    with live.db.reading() as s:
        assert s.scalars(select(AuditEntry.row_id).where(
            AuditEntry.details.contains("forged"))).all() == [call]


def test_the_server_writes_the_audit_trail_of_applied_mutations(live: Live) -> None:
    rep = rep_with_account(live, device="tablet-7")
    call = uuid7()
    results = push(rep.client,
                   mutation("interactions", call, call_fields(rep.account, rep.user_id)),
                   mutation("accounts", rep.account, {"notes": "likes data"},
                            base=account_row(live, rep.account).version),
                   mutation("accounts", live.account(live.territory()), {"notes": "x"}))
    assert [r["status"] for r in results] == ["applied", "applied", "rejected"]
    with live.db.reading() as s:
        trail = s.scalars(select(AuditTrail).where(AuditTrail.user_id == rep.user_id)
                          .order_by(AuditTrail.version)).all()
        assert [(t.entity, t.row_id, t.op, t.device_id, t.mutation_id) for t in trail] == [
            ("interactions", call, "upsert", "tablet-7", results[0]["mutation_id"]),
            ("accounts", rep.account, "upsert", "tablet-7", results[1]["mutation_id"])]
        assert trail[0].fields == "account_id,channel,owner_id,start_at,status"
        assert trail[1].fields == "notes"
        assert [t.version for t in trail] == [results[0]["version"], results[1]["version"]]


def test_a_refusal_is_a_reason_and_the_rest_of_the_batch_applies(live: Live) -> None:
    a, b = two_reps(live)
    r = a.client.post("/api/v1/sync/push", headers={"X-Fieldrep-Protocol": "1",
                                                    "X-Fieldrep-Schema": "test"}, json={
        "mutations": [
            mutation("affiliations", uuid7(), {"hcp_id": a.account, "hco_id": b.account}),
            mutation("accounts", a.account, {"notes": "still applied"},
                     base=account_row(live, a.account).version)]})
    assert r.status_code == 200, r.text
    first, second = r.json()["results"]
    assert first["status"] == "rejected" and first["reason"], first
    assert second["status"] == "applied", second
