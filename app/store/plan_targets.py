"""The plan the home, the account and the team figures measure calls against: the cycle plans
a manager published (app/store/cycle_plans.py), else the segments' call frequency.

A territory with a plan covering the day is measured by it alone: its accounts of a segment
get the segment's target, an account with a target of its own gets that instead, and a
segment the plan does not name gets none (the manager planned no calls for it). A target
split by channel counts as the sum of its channels, unless a target for any channel is given
too, which is then the total. A territory without a plan, and an account in none, keeps the
frequency the field force is measured by (`CALLS_PER_YEAR`), so the figures never go blank
before the first plan arrives.

The figures speak in calls a year (the home's week and month are a 52nd and a 12th of it,
as before) and calls per account in a quarter (the frequency target); a plan's period is
scaled to them, except that a plan of about a quarter keeps its numbers as they were
published (6 calls in Q4, 92 days, stays 6 a quarter).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, false, func, select

from app.store.accounts import Account
from app.store.cycle_plans import CyclePlan
from app.store.interactions import Interaction

SEGMENTS = ("A", "B", "C")
#: Calls a year each segment's account should get without a cycle plan.
CALLS_PER_YEAR = {"A": 22, "B": 12, "C": 6}
QUARTER_DAYS = 91
#: Periods this long are a quarter: their targets are taken as quarterly ones unscaled.
QUARTER_LIKE = range(89, 93)


@dataclass(frozen=True)
class Target:
    """Calls in the period: the total, and the channels' parts where the plan names them."""

    calls: int
    channels: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TerritoryPlan:
    """The plan of one territory (`territory_id` None: the accounts in none) on a day."""

    territory_id: str | None
    start: dt.date | None  # the plan's period; None: no plan, the segments' frequency
    end: dt.date | None
    yearly: float  # calls a year the territory's accounts should get
    per_quarter: dict[str, float]  # calls per account of each segment in a quarter
    accounts: dict[str, int]  # the territory's accounts per segment
    target: int | None  # the calls planned in the period (None without a plan)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1 if self.start and self.end else 365


@dataclass(frozen=True)
class AccountPlan:
    """One account's target and its calls so far in the plan's period."""

    start: dt.date
    end: dt.date
    target: Target
    calls: int
    by_channel: dict[str, int]  # calls so far per channel the target names

    @property
    def quarter(self) -> bool:
        return (self.end - self.start).days + 1 in QUARTER_LIKE


def _total(rows: list[tuple[str | None, int]]) -> Target:
    """A target from its (channel, calls) rows (see the module)."""
    channels = {str(c): n for c, n in rows if c is not None}
    anything = [n for c, n in rows if c is None]
    return Target(anything[0] if anything else sum(channels.values()), channels)


def _covering(conn: Connection, today: dt.date,
              territories: list[str] | None = None) -> list[Any]:
    query = select(CyclePlan.territory_id, CyclePlan.account_id, CyclePlan.segment,
                   CyclePlan.channel, CyclePlan.calls, CyclePlan.period_start,
                   CyclePlan.period_end).where(
        CyclePlan.deleted == false(), CyclePlan.period_start <= today,
        CyclePlan.period_end >= today)
    if territories is not None:
        query = query.where(CyclePlan.territory_id.in_(territories))
    return list(conn.execute(query))


def territory_plans(conn: Connection, today: dt.date, territories: list[str] | None = None,
                    segment_counts: dict[str, int] | None = None
                    ) -> dict[str | None, TerritoryPlan]:
    """Each territory's plan on `today`: of `territories`, or else of every account here,
    where the planned territories are counted apart and every other account (`None`, the
    rest: `segment_counts` per segment, if the caller counted them already) keeps the
    segments' frequency. Without a plan that is no read beyond the plans' index."""
    rows = _covering(conn, today, territories)
    accounts: dict[str | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SEGMENTS, 0))
    counted = territories if territories is not None else sorted(
        {r.territory_id for r in rows})
    live = and_(Account.deleted == false(), Account.segment.in_(SEGMENTS))
    if counted:
        for territory, segment, count in conn.execute(
                select(Account.territory_id, Account.segment, func.count())
                .where(live, Account.territory_id.in_(counted))
                .group_by(Account.territory_id, Account.segment)):
            accounts[territory][str(segment)] = int(count)
    for territory in counted:
        _ = accounts[territory]  # a territory without accounts still has a plan
    if territories is None:
        if segment_counts is None:
            segment_counts = dict.fromkeys(SEGMENTS, 0)
            for segment, count in conn.execute(
                    select(Account.segment, func.count()).where(live)
                    .group_by(Account.segment)):
                segment_counts[str(segment)] = int(count)
        accounts[None] = {s: segment_counts.get(s, 0) - sum(
            accounts[t][s] for t in counted) for s in SEGMENTS}
    segment_rows: dict[tuple[str, str], list[tuple[str | None, int]]] = defaultdict(list)
    account_rows: dict[tuple[str, str], list[tuple[str | None, int]]] = defaultdict(list)
    periods: dict[str, tuple[dt.date, dt.date]] = {}
    for row in rows:
        periods[row.territory_id] = (row.period_start, row.period_end)
        if row.account_id is not None:
            account_rows[row.territory_id, row.account_id].append((row.channel, row.calls))
        elif row.segment is not None:
            segment_rows[row.territory_id, row.segment].append((row.channel, row.calls))
    own: dict[str, str] = {}  # account -> its segment, for the accounts with own targets
    ids = sorted({a for _t, a in account_rows})
    for at in range(0, len(ids), 500):
        own.update((str(a), str(s)) for a, s in conn.execute(
            select(Account.id, Account.segment).where(Account.id.in_(ids[at:at + 500]),
                                                      Account.deleted == false())))
    plans: dict[str | None, TerritoryPlan] = {}
    for territory, counts in accounts.items():
        if territory not in periods:
            plans[territory] = TerritoryPlan(
                territory, None, None,
                float(sum(counts[s] * CALLS_PER_YEAR[s] for s in SEGMENTS)),
                {s: CALLS_PER_YEAR[s] / 4 for s in SEGMENTS}, dict(counts), None)
            continue
        start, end = periods[territory]
        per_segment = {s: _total(segment_rows[territory, s]).calls
                       if (territory, s) in segment_rows else 0 for s in SEGMENTS}
        total = sum(counts[s] * per_segment[s] for s in SEGMENTS)
        for (t, account), found in account_rows.items():
            if t != territory:
                continue
            segment = own.get(account)
            if segment in per_segment:
                total -= per_segment[segment]  # its own target replaces the segment's
            total += _total(found).calls
        days = (end - start).days + 1
        scale = 1.0 if days in QUARTER_LIKE else QUARTER_DAYS / days
        plans[territory] = TerritoryPlan(
            territory, start, end, total * 365 / days,
            {s: per_segment[s] * scale for s in SEGMENTS}, dict(counts), max(total, 0))
    return plans


def yearly_and_frequency(plans: dict[str | None, TerritoryPlan]
                         ) -> tuple[float, dict[str, float]]:
    """Calls a year over all the plans, and each segment's quarterly frequency target,
    weighted by the territories' accounts of the segment."""
    yearly = sum(p.yearly for p in plans.values())
    frequency = {}
    for s in SEGMENTS:
        weight = sum(p.accounts.get(s, 0) for p in plans.values())
        frequency[s] = (sum(p.per_quarter[s] * p.accounts.get(s, 0) for p in plans.values())
                        / weight if weight else CALLS_PER_YEAR[s] / 4)
    return yearly, frequency


def calls_in_periods(conn: Connection, plans: dict[str | None, TerritoryPlan],
                     today: dt.date) -> dict[str, int]:
    """Submitted calls on each planned territory's accounts from its period's start to
    `today`, counted per account first through the calls' covering index."""
    planned = [p for p in plans.values() if p.start is not None and p.territory_id]
    found: dict[str, int] = {}
    for start in sorted({p.start for p in planned if p.start is not None}):
        ids = [str(p.territory_id) for p in planned if p.start == start]
        per_account = (select(Interaction.account_id, func.count().label("n"))
                       .where(Interaction.status == "submitted", Interaction.deleted == false(),
                              Interaction.start_at >= dt.datetime.combine(start, dt.time()),
                              Interaction.start_at < dt.datetime.combine(
                                  today + dt.timedelta(days=1), dt.time()))
                       .group_by(Interaction.account_id).subquery())
        for territory, count in conn.execute(
                select(Account.territory_id, func.sum(per_account.c.n))
                .join(per_account, per_account.c.account_id == Account.id)
                .where(Account.territory_id.in_(ids)).group_by(Account.territory_id)):
            found[str(territory)] = int(count or 0)
    return found


def account_plan(conn: Connection, account_id: str, today: dt.date) -> AccountPlan | None:
    """The account's target on `today` (its own, else its segment's in its territory's
    plan) and its submitted calls so far in the period; None when no plan names it."""
    account = conn.execute(select(Account.territory_id, Account.segment).where(
        Account.id == account_id)).first()
    if account is None or account.territory_id is None:
        return None
    rows = _covering(conn, today, [account.territory_id])
    mine = [r for r in rows if r.account_id == account_id]
    if not mine:
        mine = [r for r in rows if r.account_id is None and r.segment == account.segment]
    if not mine:
        return None
    start, end = mine[0].period_start, mine[0].period_end
    target = _total([(r.channel, r.calls) for r in mine])
    calls: dict[str, int] = {}
    for channel, count in conn.execute(
            select(Interaction.channel, func.count()).where(
                Interaction.account_id == account_id, Interaction.status == "submitted",
                Interaction.deleted == false(),
                Interaction.start_at >= dt.datetime.combine(start, dt.time()),
                Interaction.start_at < dt.datetime.combine(end + dt.timedelta(days=1),
                                                           dt.time()))
            .group_by(Interaction.channel)):
        calls[str(channel)] = int(count)
    return AccountPlan(start, end, target, sum(calls.values()),
                       {c: calls.get(c, 0) for c in target.channels})
