"""Change requests on the server, on SQLite and PostgreSQL (docs/change-requests.md): the
push's rules, the steward's API and CLI, and that nobody else decides. The round trip
through two laptops is tests/sync/test_change_requests.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import master_data
from app.ids import uuid7
from server import change_requests
from server.cli import main
from server.importing.csvfile import FIELDS
from server.importing.records import RowError, clean_text
from server.models import Account, AuditEntry, ChangeRequest
from tests.server.conftest import Live
from tests.server.test_sync_push import Rep, mutation, pull_all, push, rep_with_account


def request_fields(account: str | None, changes: dict[str, Any], *, kind: str = "change",
                   **extra: Any) -> dict[str, Any]:
    return {"account_id": account, "kind": kind, "status": "pending",
            "requested_at": "2026-12-07T10:00:00",
            "changes": master_data.encode({k: (None, v) for k, v in changes.items()}),
            **extra}


def propose(rep: Rep, changes: dict[str, Any], **extra: Any) -> tuple[str, dict[str, Any]]:
    row_id = uuid7()
    [answer] = push(rep.client, mutation("change_requests", row_id,
                                         request_fields(rep.account, changes, **extra)))
    return row_id, answer


def test_a_steward_decides_and_the_rep_pulls_the_decision(live: Live) -> None:
    rep = rep_with_account(live)
    row_id, answer = propose(rep, {"first_name": "Greta"})
    assert answer["status"] == "applied", answer
    assert answer["row"]["requested_by"] == rep.user_id  # from the token
    steward = live.login(live.user("steward"))
    listed = steward.get("/api/v1/change-requests").json()["items"]
    assert row_id in {item["id"] for item in listed}
    reply = steward.post(f"/api/v1/change-requests/{row_id}/accept", json={})
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "accepted"
    rows = pull_all(rep.client)["changes"]
    account = next(r for r in rows if r["entity"] == "accounts")["row"]
    assert account["first_name"] == "Greta"
    request = next(r for r in rows if r["entity"] == "change_requests")["row"]
    assert request["status"] == "accepted" and request["decided_at"]
    with live.db.reading() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.row_id == row_id))
        assert entry is not None and entry.action == "change_request_accepted"


@pytest.mark.parametrize("role", ["manager", "msl", "rep", "admin"])
def test_only_a_steward_may_decide(live: Live, role: str) -> None:
    rep = rep_with_account(live)
    row_id, _ = propose(rep, {"phone": "089 1"})
    other = live.login(live.user(role, (rep.territory,) if role in ("rep", "msl") else ()))
    assert other.get("/api/v1/change-requests").status_code == 403
    reply = other.post(f"/api/v1/change-requests/{row_id}/accept", json={})
    assert reply.status_code == 403, reply.text
    assert "only a data steward" in reply.json()["error"]
    with live.db.writing() as s, pytest.raises(change_requests.NotStewardError):
        change_requests.reject(s, row_id, by=live.user(role), reason="no")
    with live.db.reading() as s:
        row = s.get(ChangeRequest, row_id)
        assert row is not None and row.status == "pending"


def test_the_push_refuses_what_the_rules_refuse(live: Live) -> None:
    rep = rep_with_account(live)
    elsewhere = live.account(live.territory())
    cases = [
        (request_fields(elsewhere, {"last_name": "X"}), "not in your territories"),
        (request_fields(rep.account, {"segment": "A"}), "segment is not master data"),
        (request_fields(rep.account, {"potential": 0.9}), "potential is not master data"),
        (request_fields(rep.account, {"postcode": "123"}), "postcode must be five digits"),
        (request_fields(rep.account, {"email": "kein-at"}), "is not an e-mail address"),
        (request_fields(rep.account, {"city": "x" * 101}),
         "city is longer than 100 characters"),
        (request_fields(rep.account, {"specialty_id": uuid7()}), "no known specialty"),
        (request_fields(rep.account, {"name": "X"}, status="accepted"), "sent as pending"),
        (request_fields(None, {"last_name": "Neu", "city": "Ulm"}, kind="new_account",
                        territory_id=None), "in your own territories"),
        (request_fields(None, {"first_name": "Neu"}, kind="new_account"),
         "a new doctor needs last_name"),
    ]
    answers = push(rep.client, *(mutation("change_requests", uuid7(), f) for f, _ in cases))
    for (_fields, words), answer in zip(cases, answers, strict=True):
        assert answer["status"] == "rejected", (words, answer)
        assert words in answer["reason"], (words, answer["reason"])


def test_only_the_requester_withdraws_and_only_while_pending(live: Live) -> None:
    rep = rep_with_account(live)
    colleague = live.login(live.user("rep", (rep.territory,)), "laptop-2")
    row_id, answer = propose(rep, {"title": "Prof. Dr."})
    version = answer["version"]
    [theirs] = push(colleague, mutation("change_requests", row_id, {"status": "withdrawn"},
                                        base=version))
    assert theirs["status"] == "rejected" and "another user" in theirs["reason"]
    [edit] = push(rep.client, mutation("change_requests", row_id, {"comment": "anders"},
                                       base=version))
    assert edit["status"] == "rejected" and "only withdraw" in edit["reason"]
    [gone] = push(rep.client, mutation("change_requests", row_id, op="delete", base=version))
    assert gone["status"] == "rejected" and "never deleted" in gone["reason"]
    [withdrawn] = push(rep.client, mutation("change_requests", row_id,
                                            {"status": "withdrawn"}, base=version))
    assert withdrawn["status"] == "applied", withdrawn
    steward = live.login(live.user("steward"))
    late = steward.post(f"/api/v1/change-requests/{row_id}/accept", json={})
    assert late.status_code == 409 and "withdrawn already" in late.json()["error"]


def test_a_new_doctor_is_made_in_the_requesters_territory(live: Live) -> None:
    rep = rep_with_account(live)
    with live.db.reading() as s:
        territory_id = s.scalar(select(Account.territory_id).where(Account.id == rep.account))
    row_id = uuid7()
    [answer] = push(rep.client, mutation("change_requests", row_id, request_fields(
        None, {"first_name": "Eva", "last_name": "Neu", "city": "Ulm", "postcode": "89073"},
        kind="new_account", territory_id=territory_id)))
    assert answer["status"] == "applied", answer
    steward = live.login(live.user("steward"))
    reply = steward.post(f"/api/v1/change-requests/{row_id}/accept", json={"reason": "ok"})
    assert reply.status_code == 200, reply.text
    new_id = reply.json()["account_id"]
    assert new_id in rep.client.all_account_ids()
    with live.db.reading() as s:
        account = s.get(Account, new_id)
        assert account is not None and account.name == "Eva Neu"
        assert account.territory_id == territory_id


def test_the_cli_lists_accepts_and_rejects(live: Live, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    rep = rep_with_account(live)
    first, _ = propose(rep, {"phone": "0711 55"})
    second, _ = propose(rep, {"phone": "0711 66"})
    stewardess, manager = live.user("steward"), live.user("manager")
    dsn = str(live.db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("FIELDREP_SERVER_DSN", dsn)
    d = ["--data-dir", str(tmp_path)]
    assert main([*d, "change-request", "list"]) == 0
    assert first in capsys.readouterr().out
    assert main([*d, "change-request", "accept", first, "--by", manager]) == 2
    assert "only a data steward" in capsys.readouterr().err
    assert main([*d, "change-request", "accept", first, "--by", stewardess]) == 0
    assert main([*d, "change-request", "reject", second, "--by", stewardess,
                 "--reason", "Nummer unbekannt"]) == 0
    capsys.readouterr()
    with live.db.reading() as s:
        decided = {r.id: (r.status, r.reason) for r in s.scalars(
            select(ChangeRequest).where(ChangeRequest.id.in_([first, second])))}
    assert decided == {first: ("accepted", None), second: ("rejected", "Nummer unbekannt")}


@pytest.mark.parametrize("value", ["a\x01b", "x" * 400])
def test_the_words_are_the_imports(value: str) -> None:
    """A value the import refuses is refused with the import's very words, and the lengths
    are the import's."""
    for name, limit in master_data.FIELDS.items():
        if name in FIELDS:
            assert FIELDS[name] == limit, name
        with pytest.raises(RowError) as imported:
            clean_text(value, name, limit)
        with pytest.raises(ValueError) as proposed:
            master_data.clean(name, value)
        assert str(proposed.value) == str(imported.value)


def test_erasing_the_doctor_erases_his_change_requests(live: Live) -> None:
    """A request holds the doctor's name and address: a data-protection erasure takes it
    with the account (server/gdpr_rows.py), and nothing else stops the erasure."""
    from server.gdpr_erase import erase

    rep = rep_with_account(live)
    row_id, answer = propose(rep, {"last_name": "Vergessen"})
    assert answer["status"] == "applied"
    with live.db.writing() as s:
        report = erase(s, rep.account, by="dpo")
    assert report.removed.get("change_requests") == 1
    with live.db.reading() as s:
        assert s.get(ChangeRequest, row_id) is None
