"""The figures of a rep's home, read from the local store alone (works offline).

Calls this week and month against the plan (a visit the doctor did not receive is a failed
attempt, not a call: it counts in none of them); reach and frequency of the A, B and C accounts
against their targets; where coverage lags, by city and by specialty; and the territory's
sales trend. The plan is the cycle plan the manager published for the territory, else the
segments' call frequency (`CALLS_PER_YEAR`): app/store/plan_targets.py decides.

`data_stamp` is what the screen compares before it redraws: figures are read again only
when the accounts, the calls, the sales figures or the cycle plans changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, and_, case, false, func, select
from sqlalchemy.orm import InstrumentedAttribute

from app.store import plan_targets
from app.store.accounts import Account
from app.store.cycle_plans import CyclePlan
from app.store.interactions import Interaction
from app.store.market import MarketSale
from app.store.reference import Specialty
from app.store.sales_queries import ProductTrend, territory_sales

SEGMENTS = ("A", "B", "C")
#: Calls a year each segment's account should get, and the share of a segment's accounts
#: a rep should reach (call at least once) in a quarter.
CALLS_PER_YEAR = plan_targets.CALLS_PER_YEAR
REACH_TARGET = {"A": 0.9, "B": 0.7, "C": 0.4}
#: The period reach and frequency are measured over: a quarter.
QUARTER_DAYS = 91
#: How many regions or specialties the coverage chart shows: those lagging most.
COVERAGE_BARS = 8


@dataclass(frozen=True)
class SegmentReach:
    segment: str
    accounts: int
    reached: int  # called at least once in the quarter
    calls: int  # submitted calls in the quarter (not the visits he did not receive)
    reach_target: float
    frequency_target: float  # calls per reached account in a quarter

    @property
    def reach(self) -> float:
        return self.reached / self.accounts if self.accounts else 0.0

    @property
    def frequency(self) -> float:
        return self.calls / self.reached if self.reached else 0.0


@dataclass(frozen=True)
class Coverage:
    """Reach of the A and B accounts in one city or specialty."""

    key: str  # the city, or the specialty's id: what the accounts list filters by
    label: str
    accounts: int
    reached: int

    @property
    def reach(self) -> float:
        return self.reached / self.accounts if self.accounts else 0.0


@dataclass(frozen=True)
class HomeFigures:
    calls_week: int
    plan_week: float
    calls_month: int
    plan_month: float
    segments: tuple[SegmentReach, ...]
    by_city: tuple[Coverage, ...]
    by_specialty: tuple[Coverage, ...]
    sales: tuple[ProductTrend, ...]
    #: Calls in the cycle plan's period so far against its target (None: no plan today).
    cycle: CycleProgress | None = None


@dataclass(frozen=True)
class CycleProgress:
    start: dt.date
    end: dt.date
    calls: int
    target: int


def data_stamp(conn: Connection) -> tuple[object, ...]:
    """Changes whenever an account, a call or a sales row is written or removed, read
    through indexes: a pulled row brings a newer server version, a local edit a newer time.
    Calls and sales rows are only removed with their account (revocation, erasure), which
    the count of accounts shows. A server clock far ahead of the laptop's could hide a local
    edit until the next pull: the screen's refresh after every sync covers it."""
    stamp: list[object] = list(conn.execute(select(
        func.count(), func.max(Account.version), func.max(Account.updated_at))).one())
    for table in (Interaction, MarketSale, CyclePlan):
        stamp += [conn.scalar(select(func.max(table.version))),
                  conn.scalar(select(func.max(table.updated_at)))]
    return tuple(stamp)


def home_figures(conn: Connection, user_id: str | None, today: dt.date,
                 lang: str = "en") -> HomeFigures:
    week_start = today - dt.timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    since = dt.datetime.combine(today - dt.timedelta(days=QUARTER_DAYS), dt.time())
    # A visit the doctor did not receive is an attempt, not a call: it counts nowhere here
    # (and never moved an account's last contact, which reach is read from).
    submitted = and_(Interaction.status == "submitted", Interaction.deleted == false(),
                     Interaction.not_received == false())
    mine = Interaction.owner_id == user_id

    def calls_since(start: dt.date) -> int:
        return int(conn.scalar(select(func.count()).where(
            submitted, mine, Interaction.start_at >= dt.datetime.combine(start, dt.time())))
            or 0)

    live = and_(Account.deleted == false(), Account.segment.in_(SEGMENTS))
    per_segment = dict.fromkeys(SEGMENTS, 0)
    reached = dict.fromkeys(SEGMENTS, 0)
    for segment, count, hit in conn.execute(
            select(Account.segment, func.count(),
                   func.sum(case((Account.last_contact_at >= since, 1), else_=0)))
            .where(live).group_by(Account.segment)):
        per_segment[str(segment)], reached[str(segment)] = int(count), int(hit or 0)
    calls = dict.fromkeys(SEGMENTS, 0)
    # Counted per account first, from the covering (status, start, ...) index alone, then summed
    # per segment: one account lookup per account called, not one per call (a quarter of a
    # 50,000-account territory is ~130,000 calls).
    per_account = (select(Interaction.account_id, func.count().label("n"))
                   .where(submitted, Interaction.start_at >= since)
                   .group_by(Interaction.account_id).subquery())
    for segment, count in conn.execute(
            select(Account.segment, func.sum(per_account.c.n))
            .join(per_account, per_account.c.account_id == Account.id)
            .where(live).group_by(Account.segment)):
        calls[str(segment)] = int(count or 0)
    plans = plan_targets.territory_plans(conn, today, segment_counts=per_segment)
    yearly, frequency = plan_targets.yearly_and_frequency(plans)
    segments = tuple(SegmentReach(s, per_segment[s], reached[s], calls[s], REACH_TARGET[s],
                                  frequency[s]) for s in SEGMENTS)
    return HomeFigures(
        calls_week=calls_since(week_start), plan_week=yearly / 52,
        calls_month=calls_since(month_start), plan_month=yearly / 12, segments=segments,
        by_city=_coverage(conn, Account.city, None, since),
        by_specialty=_coverage(conn, Account.specialty_id,
                               Specialty.name_de if lang == "de" else Specialty.name_en, since),
        sales=tuple(territory_sales(conn)), cycle=_cycle(conn, plans, today))


def _cycle(conn: Connection, plans: dict[str | None, plan_targets.TerritoryPlan],
           today: dt.date) -> CycleProgress | None:
    """The planned territories' calls so far in their periods against their targets."""
    planned = [p for p in plans.values() if p.start and p.end and p.target is not None]
    if not planned:
        return None
    done = plan_targets.calls_in_periods(conn, plans, today)
    return CycleProgress(min(p.start for p in planned if p.start),
                         max(p.end for p in planned if p.end),
                         sum(done.get(str(p.territory_id), 0) for p in planned),
                         sum(p.target or 0 for p in planned))


def _coverage(conn: Connection, key: InstrumentedAttribute[str | None],
              label: InstrumentedAttribute[str] | None,
              since: dt.datetime) -> tuple[Coverage, ...]:
    """The A and B accounts' reach per value of `key` (an account column: the city, or the
    specialty id, shown by `label`), the lagging first."""
    hit = func.sum(case((Account.last_contact_at >= since, 1), else_=0))
    shown = label if label is not None else key
    query = select(key, shown, func.count(), hit).where(
        Account.deleted == false(), Account.segment.in_(("A", "B")), key.is_not(None))
    if label is not None:
        query = query.join(Specialty, Specialty.id == Account.specialty_id)
    found = [Coverage(str(k), str(name), int(n), int(h or 0)) for k, name, n, h in
             conn.execute(query.group_by(key, shown))]
    found.sort(key=lambda c: (c.reach, -c.accounts, c.label))
    return tuple(found[:COVERAGE_BARS])
