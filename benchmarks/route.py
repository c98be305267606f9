"""Plan benchmark: the day's route and the week's calendar.

    python benchmarks/route.py            200 routes of 25 stops, 30 eight-stop days
    python benchmarks/route.py --quick    fewer rounds (a few seconds)

Progress goes to stderr; the last stdout line is one JSON object, each figure with its goal.

- `route_25_stops_p95_ms`: `plan_route` for a day of 25 visits in a city (a tenth of them
  fixed appointments, a third with morning or afternoon hours), goal <= 50 ms.
- `gap_8_stops_mean` / `gap_8_stops_max`: how far the route's cost (km, plus the penalty of
  any lateness) lies above the optimum found by trying all 40,320 orders, goal <= 5 %.
- `calendar_week_p95_ms`: the calendar's read of a week (planned calls with their
  addresses' coordinates, due tasks) from a store of `--accounts` doctors and
  `--interactions` calls, plus filling the week's table, goal <= 50 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.engine.route import ROAD_FACTOR, SPEED_KMH, Day, Point, Stop, plan_route  # noqa: E402
from app.ids import uuid7  # noqa: E402
from app.store.accounts import Account, Address  # noqa: E402
from app.store.database import open_database  # noqa: E402
from app.store.interactions import Interaction, Task  # noqa: E402
from app.store.journal import LocalState  # noqa: E402
from app.store.reference import User  # noqa: E402
from app.ui.operations import Operations  # noqa: E402
from app.ui.views.plan.calendar import CalendarView, monday_of, read_week  # noqa: E402

HOME = Point(50.94, 6.96)
GOALS = {"route_25_stops_p95_ms": 50.0, "gap_8_stops_max": 0.05,
         "calendar_week_p95_ms": 50.0}


def city_day(rng: random.Random, count: int) -> list[Stop]:
    stops = []
    for i in range(count):
        point = Point(HOME.latitude + rng.uniform(-0.06, 0.06),
                      HOME.longitude + rng.uniform(-0.09, 0.09))
        draw = rng.random()
        if draw < 0.1:
            stops.append(Stop.fixed(f"s{i}", point, rng.randrange(10 * 60, 15 * 60, 30), 15))
        elif draw < 0.4:
            opens = rng.choice((8 * 60, 14 * 60))
            stops.append(Stop(f"s{i}", point, 15, opens, opens + 4 * 60))
        else:
            stops.append(Stop(f"s{i}", point, 15))
    return stops


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def bench_routes(rounds: int) -> list[float]:
    rng = random.Random(25)
    times = []
    for n in range(rounds):
        stops = city_day(rng, 25)
        began = time.perf_counter()
        plan_route(HOME, stops, 7 * 60 + 30)
        times.append((time.perf_counter() - began) * 1000)
        if n % 50 == 0:
            print(f"route {n}/{rounds}", file=sys.stderr)
    return times


def bench_gaps(cases: int) -> list[float]:
    rng = random.Random(8)
    gaps = []
    for n in range(cases):
        stops = city_day(rng, 8)
        day = Day(HOME, stops, 7 * 60 + 30, ROAD_FACTOR, SPEED_KMH)
        best = min(day.cost(order) for order in itertools.permutations(range(1, 9)))
        found = plan_route(HOME, stops, 7 * 60 + 30).cost
        gaps.append((found - best) / best)
        print(f"gap {n + 1}/{cases}: {gaps[-1]:.4f}", file=sys.stderr)
    return gaps


def fill_store(path: Path, accounts: int, interactions: int) -> None:
    """Doctors with addresses, a rep's history, this and next week's plan, open tasks."""
    db = open_database(path)
    rng = random.Random(1)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with db.write() as session:
            session.info["from_server"] = True
            rep = User(username="rep", display_name="Lena Vogel", role="rep")
            session.add(rep)
            session.flush()
            session.add(LocalState(key="current_user_id", value=rep.id))
            ids = [uuid7() for _ in range(accounts)]
            base = {"version": 1, "deleted": False, "updated_at": now}
            session.execute(insert(Account), [
                {**base, "id": i, "kind": "hcp", "name": f"Dr. med. Test {n}",
                 "name_key": f"test {n}", "search_text": ""} for n, i in enumerate(ids)])
            session.execute(insert(Address), [
                {**base, "id": uuid7(), "account_id": i, "line1": "Hauptstraße 1",
                 "city": "Köln", "country": "DE", "is_primary": True,
                 "latitude": HOME.latitude + rng.uniform(-0.1, 0.1),
                 "longitude": HOME.longitude + rng.uniform(-0.1, 0.1)} for i in ids])
            # The history (submitted calls of the past year) and a rep's plan: ten
            # visits a working day over this week and the next.
            rows = [{**base, "id": uuid7(), "account_id": rng.choice(ids), "owner_id": rep.id,
                     "channel": "in_person", "status": "submitted",
                     "start_at": now - dt.timedelta(minutes=rng.randrange(1, 365 * 24 * 60))}
                    for _ in range(interactions)]
            monday = dt.datetime.combine(monday_of(now.date()), dt.time(7))
            rows += [{**base, "id": uuid7(), "account_id": rng.choice(ids),
                      "owner_id": rep.id, "channel": "in_person", "status": "planned",
                      "start_at": monday + dt.timedelta(days=day, minutes=45 * visit)}
                     for day in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11) for visit in range(10)]
            session.execute(insert(Interaction), rows)
            session.execute(insert(Task), [
                {**base, "id": uuid7(), "account_id": rng.choice(ids), "owner_id": rep.id,
                 "subject": f"Task {n}", "status": "open",
                 "due_date": (now + dt.timedelta(days=rng.randrange(-30, 30))).date()}
                for n in range(2_000)])
    finally:
        db.close()


def bench_calendar(rounds: int, accounts: int, interactions: int) -> tuple[list[float], int]:
    QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fieldrep.sqlite"
        print("filling the store…", file=sys.stderr)
        fill_store(path, accounts, interactions)
        db = open_database(path)
        times, shown = [], 0
        try:
            view = CalendarView(Operations(db))
            monday = monday_of(dt.date.today())
            for _ in range(rounds):
                began = time.perf_counter()
                with db.read() as session:
                    week = read_week(session, monday)
                view.fill(week)
                times.append((time.perf_counter() - began) * 1000)
                shown = len(week.calls)
        finally:
            db.close()
    return times, shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.quick:
        args.accounts, args.interactions = min(args.accounts, 5_000), min(args.interactions,
                                                                          100_000)
    routes = bench_routes(40 if args.quick else 200)
    gaps = bench_gaps(5 if args.quick else 30)
    week, calls = bench_calendar(10 if args.quick else 30, args.accounts, args.interactions)
    report = {
        "route_25_stops_median_ms": round(statistics.median(routes), 1),
        "route_25_stops_p95_ms": round(p95(routes), 1),
        "gap_8_stops_mean": round(statistics.mean(gaps), 4),
        "gap_8_stops_max": round(max(gaps), 4),
        "gap_8_stops_cases": len(gaps),
        "calendar_week_median_ms": round(statistics.median(week), 1),
        "calendar_week_p95_ms": round(p95(week), 1),
        "calendar_week_calls": calls,
        "accounts": args.accounts,
        "interactions": args.interactions,
        "goals": GOALS,
    }
    report["met"] = {name: report[name] <= goal for name, goal in GOALS.items()}
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
