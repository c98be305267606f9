"""Cycle plans: a manager publishes for the team's territories (API and CLI, the same words),
whole or not at all; re-publishing changes only what changed; a rep pulls their territory's
plan and never another's. Against a real server on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from server import cycle_plans
from server.cli import main
from server.db import Database
from server.directory import add_user
from server.models import CyclePlan, Territory
from tests.server.conftest import PASSWORD, Live
from tests.server.test_sync_push import pull_all


def _stored(live: Live, territory: str) -> dict[tuple[Any, ...], int]:
    """The territory's live targets: (segment or account, channel, start) -> calls."""
    with live.db.reading() as s:
        return {(r.segment or r.account_id, r.channel, r.period_start.isoformat()): r.calls
                for r in s.scalars(select(CyclePlan).join(
                    Territory, Territory.id == CyclePlan.territory_id).where(
                    Territory.code == territory, CyclePlan.deleted.is_(False)))}


def _count(live: Live) -> int:
    with live.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(CyclePlan)) or 0)


def _lines(territory: str, **calls: int) -> list[dict[str, Any]]:
    return [{"territory": territory, "period": "2026-Q4", "segment": s, "calls": n}
            for s, n in calls.items()]


def test_a_manager_publishes_and_republishing_changes_only_what_changed(live: Live) -> None:
    territory = live.territory()
    boss = live.user("manager")
    live.user("rep", (territory,), manager=boss)
    doctor = live.account(territory)
    manager = live.login(boss)
    lines = [*_lines(territory, A=6, B=4),
             {"territory": territory, "period": "2026-10-01..2026-12-31", "account": doctor,
              "channel": "in_person", "calls": "8"}]
    r = manager.post("/api/v1/cycle-plans", json={"lines": lines})
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 3, "updated": 0, "unchanged": 0, "withdrawn": 0}
    assert _stored(live, territory) == {("A", None, "2026-10-01"): 6,
                                        ("B", None, "2026-10-01"): 4,
                                        (doctor, "in_person", "2026-10-01"): 8}
    again = manager.post("/api/v1/cycle-plans", json={"lines": lines})
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3, "withdrawn": 0}
    # The plan for the period is what is published: B changes, the doctor's target goes.
    r = manager.post("/api/v1/cycle-plans", json={"lines": _lines(territory, A=6, B=5)})
    assert r.json() == {"created": 0, "updated": 1, "unchanged": 1, "withdrawn": 1}
    assert _stored(live, territory) == {("A", None, "2026-10-01"): 6,
                                        ("B", None, "2026-10-01"): 5}


def test_only_a_manager_publishes_and_only_for_the_team(live: Live) -> None:
    mine, theirs = live.territory(), live.territory()
    boss, other_boss = live.user("manager"), live.user("manager")
    rep = live.user("rep", (mine,), manager=boss)
    live.user("rep", (theirs,), manager=other_boss)
    before = _count(live)
    r = live.login(rep).post("/api/v1/cycle-plans", json={"lines": _lines(mine, A=6)})
    assert r.status_code == 403
    assert r.json()["error"] == "only managers and admins publish cycle plans"
    # One line for another manager's territory refuses the whole plan, naming it.
    r = live.login(boss).post("/api/v1/cycle-plans",
                              json={"lines": [*_lines(mine, A=6), *_lines(theirs, A=9)]})
    assert r.status_code == 422
    assert r.json()["detail"] == [{
        "line": 2, "reason": f"territory {theirs} is not one of your team's territories: "
                             "only its reps' manager publishes its plan"}]
    assert _count(live) == before


def test_every_bad_line_is_named_and_nothing_is_published(live: Live) -> None:
    territory, elsewhere = live.territory(), live.territory()
    boss = live.user("manager", ())
    live.user("rep", (territory,), manager=boss)
    stranger = live.account(elsewhere)
    csv = (f"territory;period;account;segment;channel;calls\n"
           f"{territory};2026-Q4;;A;;6\n"                      # 2: good
           f"NOWHERE;2026-Q4;;A;;6\n"                          # 3: unknown territory
           f"{territory};Herbst;;B;;6\n"                       # 4: no period
           f"{territory};2026-Q4;;D;;6\n"                      # 5: no segment
           f"{territory};2026-Q4;{stranger};;;6\n"             # 6: another territory's
           f"{territory};2026-Q4;;B;fax;6\n"                   # 7: unknown channel
           f"{territory};2026-Q4;;C;;many\n"                   # 8: no number
           f"{territory};2026-Q4;;A;;7\n"                      # 9: repeats line 2
           f"{territory};2026-11-01..2027-01-31;;B;;3\n").encode()  # 10: overlaps
    lines = cycle_plans.read_csv(csv)
    before = _count(live)
    with live.db.writing() as s:
        report = cycle_plans.publish(s, cycle_plans.publisher(s, boss), lines)
    reasons = dict(report.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert reasons[3] == "unknown territory 'NOWHERE'"
    assert reasons[4] == ("period 'Herbst' is no period (2026-Q4, or "
                          "2026-10-01..2026-12-31)")
    assert reasons[5] == "segment 'D' is none of A, B or C"
    assert reasons[6] == f"account {stranger} is not in territory {territory}"
    assert reasons[7].startswith("unknown channel 'fax'")
    assert reasons[8] == "calls 'many' must be a whole number from 0 to 366"
    assert "repeats line 2" in reasons[9] and "overlaps" in reasons[10]
    assert report.to_dict()["written"] == 0 and _count(live) == before


def test_a_rep_pulls_only_their_territorys_plan(live: Live) -> None:
    mine, other = live.territory(), live.territory()
    boss = live.user("manager")
    rep = live.login(live.user("rep", (mine,), manager=boss))
    live.user("rep", (other,), manager=boss)
    msl = live.login(live.user("msl", (mine,)))
    r = live.login(boss).post("/api/v1/cycle-plans",
                              json={"lines": [*_lines(mine, A=6), *_lines(other, A=9)]})
    assert r.status_code == 200, r.text

    def pulled(client: object) -> set[int]:
        changes = pull_all(client)["changes"]  # type: ignore[arg-type]
        return {c["row"]["calls"] for c in changes if c["entity"] == "cycle_plans"}

    assert pulled(rep) == {6}
    assert pulled(live.login(boss)) == {6, 9}
    assert pulled(msl) == set()


def test_publishing_from_the_command_line(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert main([*d, "init"]) == 0
    assert main([*d, "territory", "add", "BER-1", "Berlin Mitte"]) == 0
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with db.writing() as s:
        add_user(s, "ines", PASSWORD, "admin")
        add_user(s, "rita", PASSWORD, "rep")
    capsys.readouterr()
    plan = ["cycle-plan", "publish", "--territory", "BER-1", "--period", "2026-Q4"]
    assert main([*d, *plan, "--by", "ines", "--target", "A=6", "--target", "B=4/phone"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "created": 2, "updated": 0, "unchanged": 0, "withdrawn": 0}
    assert main([*d, *plan, "--by", "ines", "--target", "A=six"]) == 1
    out = capsys.readouterr()
    assert "nothing published" in out.err
    assert json.loads(out.out)["errors"] == [
        {"line": 1, "reason": "calls 'six' must be a whole number from 0 to 366"}]
    assert main([*d, *plan, "--by", "rita", "--target", "A=1"]) == 1
    assert "only managers and admins publish cycle plans" in capsys.readouterr().err
    with db.reading() as s:
        assert sorted(s.scalars(select(CyclePlan.calls))) == [4, 6]
    db.dispose()
