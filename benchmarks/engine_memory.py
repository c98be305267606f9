"""Engine memory benchmark: what loading the recommendation engine costs a laptop.

    python benchmarks/engine_memory.py --quick       5,000 accounts (~100,000 calls)
    python benchmarks/engine_memory.py               50,000 accounts (~1,000,000 calls)
    python benchmarks/engine_memory.py --keep DIR    build the store in DIR once and reuse it
                                                     (a second run with the same DIR and size
                                                     only measures)

Today plans with the engine, which reads the territory's whole history from the store
(`app.services.suggestions.Recommender.engine_for`). Issue 16's goal is at most 300 MB
resident with 50,000 accounts; docs/memory.md keeps the breakdown.

A demo territory (`app.demo.territory`, seed 7, two years of history, ~20 calls an account)
is generated into a plain database; then a FRESH process imports what the laptop's window
imports, opens the store, and loads the engine the way Today does (as the rep). It prints
one JSON line: `rss_before_mb` (store open, nothing loaded), `rss_after_mb` (engine loaded,
loading's temporaries freed), `engine_mb` (the difference), `peak_rss_mb` (the process's
highest resident size, `ru_maxrss`, so including the load's temporaries), `load_s` (and
`load_cpu_s`, the process's CPU time: the wall time varies with a machine's load), the
touchpoints the engine keeps as objects, then the first Today's training as the app does
it (`rss_trained_apart_mb`: in a child process) beside training in this process as it was
done before (`rss_trained_here_mb`), and each figure against the goal. Progress goes to
stderr; the last stdout line is the JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

GOAL_MB = 300.0
TODAY = dt.date(2026, 11, 23)
STORE = "engine-memory.sqlite"


def log(message: str) -> None:
    print(f"[engine memory] {message}", file=sys.stderr, flush=True)


def rss_mb() -> float:
    """The resident size now (Linux: /proc/self/statm)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def build(path: Path, accounts: int) -> dict[str, Any]:
    """The demo territory in a fresh store (kept when it already holds `accounts`)."""
    from sqlalchemy import func, select

    from app.demo.territory import generate
    from app.store.accounts import Account
    from app.store.database import open_database
    from app.store.interactions import Interaction

    if path.exists():
        db = open_database(path)
        with db.read() as session:
            held = session.scalar(select(func.count()).select_from(Account))
            calls = session.scalar(select(func.count()).select_from(Interaction))
        db.close()
        if held == accounts:
            log(f"reusing {path} ({held:,} accounts, {calls:,} calls)")
            return {"generate_s": None, "interactions": calls}
        path.unlink()
    db = open_database(path)
    log(f"generating {accounts:,} accounts into {path}")
    t0 = time.perf_counter()
    summary = generate(db, accounts=accounts, seed=7, years=2, today=TODAY,
                       progress=lambda done, total: log(f"{done:,}/{total:,} accounts")
                       if done % max(total // 10, 1) == 0 else None)
    seconds = time.perf_counter() - t0
    with db.read() as session:
        calls = session.scalar(select(func.count()).select_from(Interaction))
    db.close()
    del summary
    return {"generate_s": round(seconds, 1), "interactions": calls}


def measure(path: Path) -> dict[str, Any]:
    """In this (fresh) process: the laptop's imports, the store, then Today's engine load."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import gc

    from sqlalchemy import select

    import app.ui.main_window  # noqa: F401  (the window's modules, as on the laptop)
    from app.services.suggestions import Recommender
    from app.store.database import open_database
    from app.store.reference import User

    db = open_database(path)
    with db.read() as session:
        rep = session.scalar(select(User.id).where(User.role == "rep"))
    gc.collect()
    before = rss_mb()
    recommender = Recommender()
    t0, cpu = time.perf_counter(), time.process_time()
    with db.read() as session:
        engine = recommender.engine_for(session, rep)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu
    gc.collect()
    after = rss_mb()
    kept = sum(len(touches) for touches in engine.history.values())
    figures = {"accounts": len(engine.features.accounts),
               "samples": len(engine.features.sample_row), "touchpoints_kept": kept,
               "rss_before_mb": before, "rss_after_mb": after,
               "engine_mb": round(after - before, 1), "peak_rss_mb": peak_mb(),
               "load_s": round(seconds, 1), "load_cpu_s": round(cpu, 1)}
    figures.update(_first_today_training(db, recommender, rep))
    return figures


def _first_today_training(db: Any, recommender: Any, rep: str | None) -> dict[str, Any]:
    """A laptop without a stored model trains on its first Today: as the app does (in a
    child process, app.services.training), then, for comparison in the same run, in this
    process as it did before (which imports scikit-learn and SciPy for good)."""
    import gc

    t0 = time.perf_counter()
    with db.write() as session:
        recommender.train(session, rep)
    apart_s = time.perf_counter() - t0
    gc.collect()
    figures = {"train_apart_s": round(apart_s, 1), "rss_trained_apart_mb": rss_mb(),
               "peak_rss_trained_apart_mb": peak_mb(),
               "scikit_learn_loaded_after_apart": "sklearn" in sys.modules}
    engine = recommender.engine
    t0 = time.perf_counter()
    engine.train()
    figures["train_here_s"] = round(time.perf_counter() - t0, 1)
    gc.collect()
    figures["rss_trained_here_mb"] = rss_mb()
    return figures


def run(accounts: int, workdir: Path) -> dict[str, Any]:
    path = workdir / STORE
    figures: dict[str, Any] = {"accounts_generated": accounts, **build(path, accounts)}
    log("loading the engine in a fresh process")
    done = subprocess.run([sys.executable, __file__, "--measure", str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        figures["measure_error"] = f"exit code {done.returncode}: {done.stderr[-2000:]}"
        return figures
    figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
    figures["rss_goal_mb"] = GOAL_MB
    figures["goals_met"] = {name: figures[name] <= GOAL_MB for name in (
        "rss_after_mb", "peak_rss_mb", "rss_trained_apart_mb", "peak_rss_trained_apart_mb")
        if name in figures}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help="5,000 accounts (~100,000 calls) instead of 50,000")
    parser.add_argument("--accounts", type=int, help="number of accounts to generate")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the store in DIR and keep it for the next run")
    parser.add_argument("--measure", type=Path, metavar="STORE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    accounts = args.accounts or (5_000 if args.quick else 50_000)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = run(accounts, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="fieldrep-engine-memory-") as tmp:
            report = run(accounts, Path(tmp))
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
