"""The integration API against a real server on 127.0.0.1 (SQLite and PostgreSQL): service
accounts made and revoked through `fieldrep-server`, touchpoints posted singly and as NDJSON,
idempotent replays, every bad line reported, the token's scope held."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import requests
from sqlalchemy import func, select

from server.db import next_versions
from server.models import AuditEntry, ExternalId, Touchpoint, User
from tests.server.conftest import Client, Live, MakeToken

SINGLE = "/api/v1/integration/touchpoints"
BULK = "/api/v1/integration/touchpoints/bulk"
WHEN = "2026-03-05T14:30:00+01:00"

def post(live: Live, token: str, body: object) -> requests.Response:
    return requests.post(live.base + SINGLE, json=body, timeout=30,
                         headers={"Authorization": f"Bearer {token}"})


def bulk(live: Live, token: str, lines: list[str]) -> requests.Response:
    return requests.post(live.base + BULK, data="\n".join(lines).encode(), timeout=60,
                         headers={"Authorization": f"Bearer {token}",
                                  "Content-Type": "application/x-ndjson"})


def event(**fields: object) -> dict[str, object]:
    return {"event_id": uuid.uuid4().hex, "kind": "webinar_attended", "occurred_at": WHEN,
            "title": "Renal outcomes webinar", **fields}


def rows_of(live: Live, account_id: str) -> list[Any]:
    """The touchpoints stored for the account (rows with attribute access)."""
    with live.db.reading() as s:
        return list(s.execute(select(Touchpoint.id, Touchpoint.kind, Touchpoint.occurred_at,
                                     Touchpoint.detail)
                              .where(Touchpoint.account_id == account_id)).all())


def lanr(live: Live, account_id: str) -> str:
    value = str(uuid.uuid4().int)[:9]
    with live.db.writing() as s:
        s.add(ExternalId(account_id=account_id, system="LANR", value=value,
                         version=next_versions(s)))
    return value


def test_a_touchpoint_is_written_once_and_a_replay_answers_the_same(
        live: Live, make_token: MakeToken) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    _, token = make_token(territory)
    sent = event(account_id=doctor, detail="Stayed 52 minutes, asked two questions")

    first = post(live, token, sent)
    again = post(live, token, sent)

    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.json() == {**first.json(), "status": "duplicate"}
    assert first.json()["account_id"] == doctor
    [row] = rows_of(live, doctor)
    assert (row.id, row.kind, row.occurred_at, row.detail) == (
        first.json()["id"], "webinar_attended", dt.datetime(2026, 3, 5, 13, 30),
        "Stayed 52 minutes, asked two questions")


def test_an_event_id_sent_again_with_other_content_is_refused(
        live: Live, make_token: MakeToken) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    _, token = make_token(territory)
    sent = event(account_id=doctor)
    assert post(live, token, sent).status_code == 201

    r = post(live, token, {**sent, "kind": "email_opened"})

    assert r.status_code == 409
    assert "a new event needs a new event id" in r.json()["error"]
    assert [t.kind for t in rows_of(live, doctor)] == ["webinar_attended"]


def test_bulk_keeps_the_good_lines_and_names_each_bad_one(
        live: Live, make_token: MakeToken) -> None:
    territory, elsewhere = live.territory(), live.territory()
    doctor, other = live.account(territory), live.account(elsewhere)
    number = lanr(live, doctor)
    _, token = make_token(territory)
    good = event(account_id=doctor)
    lines = [
        json.dumps(good),
        json.dumps(event(kind="email_opened", external_id={"system": "lanr",
                                                            "value": number})),
        "",  # blank lines are skipped, and still counted
        json.dumps(event(external_id={"system": "LANR", "value": "999999999"})),
        json.dumps(event(account_id=doctor, occurred_at="5 March 2026")),
        json.dumps(event(account_id=doctor, kind="fax_received")),
        json.dumps(event(account_id=doctor, title="x" * 301)),
        "{not json",
        json.dumps(event(account_id=other)),
        json.dumps({k: v for k, v in event(account_id=doctor).items() if k != "event_id"}),
        json.dumps(good),
        json.dumps(event(external_id={"system": "NPI", "value": "1234567890"})),
    ]

    r = bulk(live, token, lines)

    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["counts"] == {"created": 2, "duplicate": 1, "rejected": 8}
    assert [(e["line"], e["reason"]) for e in answer["errors"]] == [
        (4, "unknown external id LANR 999999999"),
        (5, "occurred_at '5 March 2026' is no date and time: write ISO 8601, "
            "e.g. 2026-03-05T14:30:00+01:00"),
        (6, "unknown kind 'fax_received': one of webinar_attended, website_visit, "
            "event_registered, email_opened, email_clicked"),
        (7, "title is too long: 301 characters, at most 300"),
        (8, "not JSON (one JSON object per line)"),
        (9, "this account is outside the territories of this token"),
        (10, "event_id is missing"),
        (12, "invalid NPI '1234567890': check digit (Luhn, prefix 80840) fails"),
    ]
    assert [(x["line"], x["status"]) for x in answer["results"]] == [
        (1, "created"), (2, "created"), (11, "duplicate")]
    assert answer["results"][2]["id"] == answer["results"][0]["id"]
    assert sorted(t.kind for t in rows_of(live, doctor)) == ["email_opened",
                                                             "webinar_attended"]
    assert rows_of(live, other) == []

    replay = bulk(live, token, lines).json()

    assert replay["counts"] == {"created": 0, "duplicate": 3, "rejected": 8}
    assert [x["id"] for x in replay["results"]] == [x["id"] for x in answer["results"]]
    assert len(rows_of(live, doctor)) == 2


def test_a_token_of_one_territory_cannot_post_onto_another(
        live: Live, make_token: MakeToken) -> None:
    mine, theirs = live.territory(), live.territory()
    doctor = live.account(theirs)
    number = lanr(live, doctor)
    _, token = make_token(mine)

    by_id = post(live, token, event(account_id=doctor))
    by_lanr = post(live, token, event(external_id={"system": "LANR", "value": number}))

    assert (by_id.status_code, by_id.json()["error"]) == (
        403, "this account is outside the territories of this token")
    assert by_lanr.status_code == 403
    assert rows_of(live, doctor) == []
    _, everywhere = make_token()  # a token for all territories may
    assert post(live, everywhere, event(account_id=doctor)).status_code == 201


def test_a_token_posts_only_its_kinds(live: Live, make_token: MakeToken) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    _, token = make_token(territory, kinds="webinar_attended,event_registered")

    refused = post(live, token, event(account_id=doctor, kind="email_clicked"))

    assert (refused.status_code, refused.json()["error"]) == (
        403, "this token may not post email_clicked touchpoints")
    assert post(live, token, event(account_id=doctor, kind="event_registered")
                ).status_code == 201


def test_unknown_accounts_and_bad_bodies_are_4xx(live: Live, make_token: MakeToken) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    _, token = make_token(territory)
    auth = {"Authorization": f"Bearer {token}"}

    unknown = post(live, token, event(account_id=str(uuid.uuid4())))
    both = post(live, token, event(account_id=doctor,
                                   external_id={"system": "LANR", "value": "1"}))
    extra = post(live, token, event(account_id=doctor, colour="red"))
    future = post(live, token, event(account_id=doctor, occurred_at="2199-01-01T00:00:00Z"))
    nul = bulk(live, token, [json.dumps(event(account_id=doctor, title="Web\x00inar")),
                             json.dumps(event(external_id={"system": "LANR",
                                                           "value": "1\x00"})),
                             json.dumps(event(account_id=doctor, event_id="x\x00"))])
    broken = requests.post(live.base + SINGLE, data=b"\xff{", headers=auth, timeout=30)
    empty = requests.post(live.base + BULK, data=b"\n \n", headers=auth, timeout=30)
    many = requests.post(live.base + BULK, data=b"{}\n" * 50_000, headers=auth, timeout=30)
    huge = requests.post(live.base + BULK, data=b"x" * (2 * 1024 * 1024 + 1), headers=auth,
                         timeout=30)

    assert (unknown.status_code, unknown.json()["error"].split(" ")[:2]) == (
        404, ["unknown", "account"])
    assert (both.status_code, both.json()["error"]) == (
        422, "name the account by account_id or by external_id (one of them)")
    assert (extra.status_code, extra.json()["error"]) == (422, "unknown field colour")
    assert (future.status_code, future.json()["error"]) == (422, "occurred_at lies in the future")
    assert [e["reason"] for e in nul.json()["errors"]] == [
        "title holds a character that cannot be stored (a NUL)",
        "external_id holds a character that cannot be stored (a NUL)",
        "event_id holds a character that cannot be stored (a NUL)"]
    assert broken.status_code == 400
    assert (empty.status_code, empty.json()["error"]) == (
        400, "empty body: send one JSON touchpoint per line")
    assert (many.status_code, many.json()["error"]) == (
        413, "more than 50000 lines: split them into several posts")
    assert huge.status_code == 413
    assert rows_of(live, doctor) == []


def test_a_revoked_token_is_refused_at_once_and_both_steps_are_audited(
        live: Live, make_token: MakeToken, cli: Callable[..., tuple[int, str, str]],
        admin_name: str) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    name, token = make_token(territory)
    assert post(live, token, event(account_id=doctor)).status_code == 201

    code, out, _ = cli("service-account", "revoke", name, "--by", admin_name)
    refused = post(live, token, event(account_id=doctor))
    refused_bulk = bulk(live, token, [json.dumps(event(account_id=doctor))])

    assert (code, out.strip()) == (0, f"revoked {name}")
    assert refused.status_code == 401
    assert refused.json()["error"].startswith("this API token was revoked on ")
    assert refused_bulk.status_code == 401
    assert len(rows_of(live, doctor)) == 1
    code, out, _ = cli("service-account", "list")
    [listed] = [json.loads(line) for line in out.splitlines() if json.loads(line)["name"] == name]
    assert listed["revoked_at"] is not None and listed["territories"] == [territory]
    assert "token" not in listed and token not in out
    with live.db.reading() as s:
        audit = s.execute(select(AuditEntry.action, User.username)
                          .join(User, User.id == AuditEntry.user_id)
                          .where(AuditEntry.entity == "service_accounts",
                                 AuditEntry.details.contains(name))
                          .order_by(AuditEntry.version)).all()
    assert audit == [("service_account.created", admin_name),
                     ("service_account.revoked", admin_name)]


def test_only_service_tokens_open_the_api(live: Live, make_token: MakeToken) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    rep = live.login(live.user("rep", (territory,)))
    assert rep.token is not None

    as_rep = post(live, rep.token, event(account_id=doctor))
    anonymous = requests.post(live.base + SINGLE, json=event(account_id=doctor), timeout=30)

    assert (as_rep.status_code, as_rep.json()["error"]) == (
        401, "unknown API token: ask the Fieldrep administrator for one")
    assert anonymous.status_code == 401
    assert rows_of(live, doctor) == []


def test_the_cli_refuses_what_it_cannot_do(cli: Callable[..., tuple[int, str, str]],
                                           live: Live, admin_name: str) -> None:
    rep = live.user("rep")
    territory = live.territory()

    not_admin = cli("service-account", "add", "crm-x", "--by", rep, "--all-territories")
    bad_kind = cli("service-account", "add", "crm-y", "--by", admin_name, "--territory",
                   territory, "--kinds", "fax")
    no_territory = cli("service-account", "add", "crm-z", "--by", admin_name, "--territory",
                       "NOWHERE")

    assert not_admin[0] == 2 and "no active admin" in not_admin[2]
    assert bad_kind[0] == 2 and "unknown touchpoint kind fax" in bad_kind[2]
    assert no_territory[0] == 2 and "NOWHERE" in no_territory[2]
    with live.db.reading() as s:
        from server.models import ServiceAccount

        assert s.scalar(select(func.count()).select_from(ServiceAccount).where(
            ServiceAccount.name.in_(["crm-x", "crm-y", "crm-z"]))) == 0


def test_an_export_holds_the_doctors_touchpoints_and_an_erasure_removes_them(
        live: Live, make_token: MakeToken, admin: Client) -> None:
    territory = live.territory()
    doctor = live.account(territory)
    _, token = make_token(territory)
    sent = event(account_id=doctor)
    assert post(live, token, sent).status_code == 201
    exported = admin.get(f"/api/v1/admin/gdpr/accounts/{doctor}/export").json()
    assert [(t["event_id"], t["kind"]) for t in exported["touchpoints"]] == [
        (sent["event_id"], "webinar_attended")]

    r = admin.post(f"/api/v1/admin/gdpr/accounts/{doctor}/erase", json={"confirm": doctor})

    assert r.status_code == 200, r.text
    assert r.json()["removed"]["touchpoints"] == 1
    assert rows_of(live, doctor) == []
    again = post(live, token, event(account_id=doctor))
    assert (again.status_code, again.json()["error"]) == (404, f"unknown account {doctor}")
