"""Cycle plans feed the figures: the home's calls against plan and frequency targets, the
account's "3 of 6 calls this quarter", the team's calls in the plan's period; a territory
without a plan keeps the segments' frequency."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.store.accounts import Account
from app.store.cycle_plans import CyclePlan
from app.store.database import Database
from app.store.home_figures import data_stamp, home_figures
from app.store.interactions import Interaction
from app.store.plan_targets import account_plan
from app.store.reference import Territory, User
from app.store.team_figures import team_figures

TODAY = dt.date(2026, 11, 25)
Q4 = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def _plan(s: Session, territory: str, calls: int, *, segment: str | None = None,
          account: str | None = None, channel: str | None = None,
          period: tuple[dt.date, dt.date] = Q4) -> None:
    s.add(CyclePlan(territory_id=territory, segment=segment, account_id=account,
                    channel=channel, period_start=period[0], period_end=period[1],
                    calls=calls, published_by="boss", published_at=dt.datetime(2026, 9, 1),
                    version=1))


def _world(db: Database) -> dict[str, str]:
    """Territory N (planned) with two A and one B account, territory S (no plan) with one A."""
    with db.write() as s:
        s.info["from_server"] = True
        north, south = Territory(code="N", name="Nord"), Territory(code="S", name="Süd")
        s.add_all([north, south])
        s.flush()
        anna = User(username="anna", display_name="Anna", role="rep", territory_id=north.id)
        ben = User(username="ben", display_name="Ben", role="rep", territory_id=south.id)
        s.add_all([anna, ben])
        ids = {"north": north.id, "south": south.id}
        for key, territory, segment in (("a1", north, "A"), ("a2", north, "A"),
                                        ("b1", north, "B"), ("s1", south, "A")):
            account = Account(kind="hcp", name=f"Dr. {key}", territory_id=territory.id,
                              segment=segment)
            s.add(account)
            s.flush()
            ids[key] = account.id
        s.flush()
        ids["anna"] = anna.id
        for days, channel in ((5, "in_person"), (20, "phone"), (70, "in_person")):
            # The third is in Q3: before the plan's period.
            s.add(Interaction(account_id=ids["a1"], owner_id=anna.id, channel=channel,
                              status="submitted",
                              start_at=dt.datetime(2026, 11, 25, 9) - dt.timedelta(days=days)))
    return ids


def test_a_plan_replaces_the_segments_frequency_and_an_account_target_its_segments(
        db: Database) -> None:
    ids = _world(db)
    with db.reader.connect() as conn:
        before = home_figures(conn, ids["anna"], TODAY)
        stamp = data_stamp(conn)
    assert before.cycle is None
    assert before.plan_week == (3 * 22 + 12) / 52  # no plan anywhere: the frequency
    with db.write() as s:
        s.info["from_server"] = True
        _plan(s, ids["north"], 6, segment="A")
        _plan(s, ids["north"], 2, segment="B")
        _plan(s, ids["north"], 3, account=ids["a1"], channel="in_person")
        _plan(s, ids["north"], 2, account=ids["a1"], channel="phone")
        _plan(s, ids["north"], 99, segment="A", period=(dt.date(2026, 7, 1),
                                                        dt.date(2026, 9, 30)))  # over
    with db.reader.connect() as conn:
        assert data_stamp(conn) != stamp  # a plan arriving redraws the home
        figures = home_figures(conn, ids["anna"], TODAY)
        mine = account_plan(conn, ids["a1"], TODAY)
        theirs = account_plan(conn, ids["a2"], TODAY)
        unplanned = account_plan(conn, ids["s1"], TODAY)
        team = {r.name: r for r in team_figures(conn, TODAY).reps}
    # North: a2 gets A's 6, b1 B's 2, a1 its own 3 + 2 = 5, in the 92 days of Q4; South
    # keeps the frequency (one A account, 22 a year).
    north = 6 + 2 + 5
    assert figures.plan_week == (north * 365 / 92 + 22) / 52
    a, b, c = figures.segments
    # A's quarterly target, weighted: two planned A accounts at 6, one unplanned at 22 / 4.
    assert a.frequency_target == (6 * 2 + 5.5) / 3
    assert (b.frequency_target, c.frequency_target) == (2, 1.5)
    assert figures.cycle is not None
    assert (figures.cycle.calls, figures.cycle.target) == (2, north)
    assert (figures.cycle.start, figures.cycle.end) == Q4
    assert mine is not None and mine.quarter
    assert (mine.calls, mine.target.calls, mine.by_channel) == (
        2, 5, {"in_person": 1, "phone": 1})
    assert theirs is not None and (theirs.calls, theirs.target.calls) == (0, 6)
    assert unplanned is None
    assert (team["Anna"].cycle_calls, team["Anna"].cycle_target) == (2, north)
    assert team["Anna"].plan_month == north * 365 / 92 / 12
    assert (team["Ben"].cycle_calls, team["Ben"].cycle_target) == (None, None)
    assert team["Ben"].plan_month == 22 / 12


def test_a_withdrawn_target_no_longer_counts(db: Database) -> None:
    ids = _world(db)
    with db.write() as s:
        s.info["from_server"] = True
        _plan(s, ids["north"], 6, segment="A")
        row = CyclePlan(territory_id=ids["north"], segment="B", period_start=Q4[0],
                        period_end=Q4[1], calls=4, published_by="boss",
                        published_at=dt.datetime(2026, 9, 1), version=2, deleted=True)
        s.add(row)
    with db.reader.connect() as conn:
        figures = home_figures(conn, ids["anna"], TODAY)
        b_account = account_plan(conn, ids["b1"], TODAY)
    assert figures.cycle is not None and figures.cycle.target == 12  # B's withdrawn: none
    assert b_account is None
