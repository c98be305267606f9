"""Rule sets published by managers reach every laptop; suggestions and the rep's answers
travel to the server within the rep's scope (real server process, SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.ids import uuid7
from server.cli import main
from server.directory import DirectoryError
from server.models import RuleSet
from server.rules import publish_rules
from tests.server.conftest import Live
from tests.server.test_sync_push import mutation, pull_all, push, rep_with_account

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = (ROOT / "resources" / "rules" / "default.toml").read_text(encoding="utf-8")


def versioned(version: int, name: str = "Team rules") -> str:
    return DEFAULT.replace("version = 1\n", f"version = {version}\n", 1).replace(
        'name = "Demo default"', f'name = "{name}"', 1)


def next_revision(live: Live) -> int:
    with live.db.reading() as s:
        return (s.scalar(select(func.max(RuleSet.revision))) or 0) + 1


def suggestion(account: str, **extra: object) -> dict[str, object]:
    return {"account_id": account, "owner_role": "rep", "action": "call",
            "channel": "in_person", "due_date": "2026-11-24", "expires_on": "2026-12-01",
            "priority": 0.7, "reasons": '[{"text": "No contact for {days} days", '
            '"values": {"days": 50}}]', "status": "open", **extra}


def test_a_published_rule_set_reaches_the_reps(live: Live) -> None:
    manager = live.user("manager")
    rep = rep_with_account(live)
    with live.db.writing() as s:
        newest = publish_rules(s, versioned(next_revision(live)), manager).revision
    rows = [c["row"] for c in pull_all(rep.client)["changes"] if c["entity"] == "rule_sets"]
    active = [r for r in rows if r["active"]]
    assert [r["revision"] for r in active] == [newest]
    assert "seminar-personal-contact" in active[0]["body"]


def test_only_managers_publish_newer_versions(live: Live) -> None:
    rep, manager = live.user("rep"), live.user("manager")
    revision = next_revision(live)
    with live.db.writing() as s, pytest.raises(DirectoryError, match="only managers"):
        publish_rules(s, versioned(revision), rep)
    with live.db.writing() as s:
        publish_rules(s, versioned(revision), manager)
    with live.db.writing() as s, pytest.raises(DirectoryError, match="version must be above"):
        publish_rules(s, versioned(revision), manager)
    with live.db.writing() as s, pytest.raises(DirectoryError, match="TOML"):
        publish_rules(s, "format = [", manager)


def test_suggestions_and_answers_sync_within_scope(live: Live) -> None:
    rep = rep_with_account(live)
    sid = uuid7()
    made = push(rep.client, mutation("suggestions", sid, suggestion(rep.account)))
    assert made[0]["status"] == "applied"
    answer = push(rep.client, mutation("suggestions", sid, {
        "status": "dismissed", "status_reason": "Im Urlaub", "status_at": "2026-11-24T08:00:00"},
        base=made[0]["version"]))
    assert answer[0]["status"] == "applied"
    pulled = {c["row"]["id"]: c["row"] for c in pull_all(rep.client)["changes"]
              if c["entity"] == "suggestions"}
    assert pulled[sid]["status"] == "dismissed"
    other = rep_with_account(live, live.territory())
    outside = push(rep.client, mutation("suggestions", uuid7(), suggestion(other.account)))
    assert outside[0]["status"] == "rejected"


def test_the_cli_publishes_and_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIELDREP_SERVER_DSN", raising=False)
    d = ["--data-dir", str(tmp_path)]
    assert main([*d, "init"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("manager-password\n"))
    assert main([*d, "user", "add", "boss", "--role", "manager", "--password-stdin"]) == 0
    rules = tmp_path / "rules.toml"
    rules.write_text(versioned(2), encoding="utf-8")
    assert main([*d, "rules", "publish", str(rules), "--by", "boss"]) == 0
    assert main([*d, "rules", "publish", str(rules), "--by", "boss"]) == 2
    assert main([*d, "rules", "publish", str(tmp_path / "missing.toml"), "--by", "boss"]) == 2
    assert main([*d, "rules", "list"]) == 0
    out = capsys.readouterr().out
    assert "published rule set 2 (Team rules)" in out and "2\tactive\tTeam rules" in out
