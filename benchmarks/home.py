"""Home benchmark: the rep's figures at 50,000 accounts and about 1,000,000 calls.

    python benchmarks/home.py            50,000 accounts, two years of calls (several minutes)
    python benchmarks/home.py --quick    5,000 accounts (under a minute)

Progress goes to stderr; the last stdout line is one JSON object with every figure beside its
limit. A demo territory (`app.demo.territory`, seed 7, with its sales figures) is generated
into a temporary folder; then, offscreen, on the app's own store and widgets:

- home ready: reading the figures (`app.store.home_figures`: data stamp, calls, reach,
  coverage, sales) on a reader connection and drawing every card of the figures screen.
  Limit: p95 <= 200 ms.
- chart refresh: one card redrawn from figures already read (the largest: coverage).
  Limit: p95 <= 50 ms.
- unchanged refresh: what a refresh costs when nothing changed (the data stamp only).
- team ready: the manager's home (`app.store.team_figures`: data stamp, per-rep figures in
  one pass over the quarter's calls, key accounts) read and drawn (the team card and the key
  accounts). Limit: p95 <= 200 ms, as the rep's home.
- opinion leaders: Today's new opinion leaders (`app.store.opinion_leaders`) read over the
  whole affiliation network. Limit: p95 <= 200 ms.
- with a cycle plan: the home and the team again once the territory has a cycle plan for
  the quarter (targets per segment and 500 accounts' own, `app.store.plan_targets`), which
  adds the plan's targets and the calls in its period. Limits as without.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import text  # noqa: E402

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.demo.territory import generate  # noqa: E402
from app.store import opinion_leaders, team_figures  # noqa: E402
from app.store.database import Database, open_database  # noqa: E402
from app.store.home_figures import data_stamp, home_figures  # noqa: E402

LIMITS = {"home_ready_p95_ms": 200.0, "chart_refresh_p95_ms": 50.0,
          "team_ready_p95_ms": 200.0, "opinion_leaders_p95_ms": 200.0}


def _times(action: Callable[[], object], runs: int) -> dict[str, float]:
    spent = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        spent.append((time.perf_counter() - start) * 1000)
    spent.sort()
    return {"p50_ms": round(statistics.median(spent), 1),
            "p95_ms": round(spent[max(0, round(len(spent) * 0.95) - 1)], 1)}


def _publish_plan(db: Database, today: dt.date) -> None:
    """A cycle plan for the quarter of `today`, as a pull would write it: per segment, and
    500 accounts with targets of their own (some per channel)."""
    from app.store.cycle_plans import CyclePlan

    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    after = dt.date(start.year + (start.month == 10), (start.month + 3 - 1) % 12 + 1, 1)
    end = after - dt.timedelta(days=1)
    with db.write() as session:
        session.info["from_server"] = True
        territory, = session.execute(text(
            "SELECT territory_id FROM accounts WHERE territory_id IS NOT NULL LIMIT 1")).one()
        ids = session.scalars(text(
            "SELECT id FROM accounts WHERE segment = 'A' AND territory_id = :t LIMIT 500"),
            {"t": territory}).all()

        def row(**values: object) -> CyclePlan:
            return CyclePlan(territory_id=territory, period_start=start, period_end=end,
                             published_by="bench", published_at=dt.datetime.now(), version=1,
                             **values)

        session.add_all([row(segment=s, calls=n) for s, n in (("A", 6), ("B", 3), ("C", 1))])
        session.add_all([row(account_id=a, calls=8, channel="in_person" if i % 2 else None)
                         for i, a in enumerate(ids)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 accounts")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    accounts = 5_000 if args.quick else 50_000
    app = QApplication.instance() or QApplication([])
    from app.ui.views.dashboard.cards import CallsCard, CoverageCard, ReachCard
    from app.ui.views.dashboard.team import KeyAccountsCard, TeamCard
    from app.ui.views.sales.trend import SalesTrendCard

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "fieldrep.sqlite")
        started = time.perf_counter()
        summary = generate(db, accounts=accounts, seed=7, years=2,
                           progress=lambda done, total: print(
                               f"\rgenerating {done}/{total}", end="", file=sys.stderr))
        print(f"\ngenerated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        today = dt.date.today()
        with db.reader.connect() as conn:
            user = summary.rep_id
            calls, reach, coverage = CallsCard(), ReachCard(), CoverageCard()
            sales = SalesTrendCard()
            for card in (calls, reach, coverage, sales):
                card.resize(600, 400)
                card.show()

            def ready() -> None:
                data_stamp(conn)
                figures = home_figures(conn, user, today)
                calls.show_figures(figures)
                reach.show_segments(figures.segments)
                coverage.show_figures(figures)
                sales.show_trends(list(figures.sales))
                app.processEvents()

            ready()  # warm the page cache and the widgets once
            home = _times(ready, args.runs)
            figures = home_figures(conn, user, today)

            def chart() -> None:
                coverage.show_figures(figures)
                app.processEvents()

            chart_times = _times(chart, args.runs * 5)
            unchanged = _times(lambda: data_stamp(conn), args.runs * 5)
            team_card, key_accounts = TeamCard(), KeyAccountsCard()
            for team_part in (team_card, key_accounts):
                team_part.resize(900, 400)
                team_part.show()

            def team_ready() -> None:
                team_figures.data_stamp(conn)
                team = team_figures.team_figures(conn, today)
                team_card.show_reps(team.reps)
                key_accounts.show_accounts(team.key_accounts)
                app.processEvents()

            team_ready()
            team = _times(team_ready, args.runs)
            leaders = _times(lambda: opinion_leaders.opinion_leaders(conn, today), args.runs)
            found = len(opinion_leaders.opinion_leaders(conn, today))
            rows = conn.exec_driver_sql("SELECT count(*) FROM market_sales").scalar()
        _publish_plan(db, today)
        with db.reader.connect() as conn:
            ready()
            home_plan = _times(ready, args.runs)
            team_ready()
            team_plan = _times(team_ready, args.runs)
            cycle = home_figures(conn, user, today).cycle
        db.close()
    result = {
        "accounts": accounts, "interactions": summary.interactions, "market_sales": rows,
        "home_ready_p50_ms": home["p50_ms"], "home_ready_p95_ms": home["p95_ms"],
        "home_ready_limit_ms": LIMITS["home_ready_p95_ms"],
        "chart_refresh_p50_ms": chart_times["p50_ms"],
        "chart_refresh_p95_ms": chart_times["p95_ms"],
        "chart_refresh_limit_ms": LIMITS["chart_refresh_p95_ms"],
        "unchanged_refresh_p95_ms": unchanged["p95_ms"],
        "team_ready_p50_ms": team["p50_ms"], "team_ready_p95_ms": team["p95_ms"],
        "team_ready_limit_ms": LIMITS["team_ready_p95_ms"],
        "opinion_leaders_p50_ms": leaders["p50_ms"],
        "opinion_leaders_p95_ms": leaders["p95_ms"],
        "opinion_leaders_limit_ms": LIMITS["opinion_leaders_p95_ms"],
        "opinion_leaders_found": found,
        "home_ready_cycle_plan_p50_ms": home_plan["p50_ms"],
        "home_ready_cycle_plan_p95_ms": home_plan["p95_ms"],
        "team_ready_cycle_plan_p50_ms": team_plan["p50_ms"],
        "team_ready_cycle_plan_p95_ms": team_plan["p95_ms"],
        "cycle_plan_calls": cycle.calls if cycle else None,
        "cycle_plan_target": cycle.target if cycle else None,
        "ok": home["p95_ms"] <= LIMITS["home_ready_p95_ms"]
        and chart_times["p95_ms"] <= LIMITS["chart_refresh_p95_ms"]
        and team["p95_ms"] <= LIMITS["team_ready_p95_ms"]
        and leaders["p95_ms"] <= LIMITS["opinion_leaders_p95_ms"]
        and home_plan["p95_ms"] <= LIMITS["home_ready_p95_ms"]
        and team_plan["p95_ms"] <= LIMITS["team_ready_p95_ms"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
