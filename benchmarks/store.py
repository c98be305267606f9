"""Store benchmark: bulk load, search as the rep types, an account's history, first paint.

    python benchmarks/store.py            50,000 accounts, ~1,000,000 calls (several minutes)
    python benchmarks/store.py --quick    5,000 accounts, ~100,000 calls (under a minute)
    python benchmarks/store.py --encrypted   the app's store as SQLCipher (as the app opens
                                          it since stores are per user); raw stays plain

Progress goes to stderr; the last stdout line is one JSON object with every figure beside its
goal. Everything is measured in one run, on a demo territory generated into a temporary folder
(`app.demo.territory`, seed 7, two years of history).

- Bulk load: the demo rows are generated once, batch by batch; each batch is inserted with our
  Core path (`app.store.bulk.insert_rows`) into the app's database, and the SAME rows with
  plain `sqlite3.executemany` into an empty database with the same schema and the same
  PRAGMAs (the app's connection settings). Only insertion and the final commit are timed.
  Goal: our path at least half as fast as raw sqlite3.
- Search: prefixes as a rep types them (names with umlauts, transliterations, cities,
  specialties, LANRs, two words), each timed as count + first page of 200 (query to model
  ready) on one fresh reader connection. Goal: p95 <= 16 ms, one frame.
- History: the account row plus its whole history for random accounts. Goal: p95 <= 50 ms.
- First paint: `python -m app --data-dir DIR --probe` from spawn to its `painted` line, against
  a bare QMainWindow doing the same (median of 3 each, offscreen). Goal: <= 2x the bare window.
  The probe then opens the accounts list and one account and reports its memory (`rss_mb`,
  goal <= 300 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from app.config import DATABASE_FILE  # noqa: E402
from app.demo.territory import DemoGenerator  # noqa: E402
from app.store.bulk import insert_rows  # noqa: E402
from app.store.database import Database, open_database  # noqa: E402
from app.store.keys import TEST_KEY  # noqa: E402
from app.store.queries import (  # noqa: E402
    AccountFilter,
    account_history,
    count_accounts,
    search_accounts,
)

#: figure -> (name of its goal in the report, comparison, goal)
GOALS = {
    "bulk_load_ratio": ("bulk_load_goal", ">=", 0.5),
    "search_p95_ms": ("search_goal", "<=", 16.0),
    "history_p95_ms": ("history_goal", "<=", 50.0),
    "first_paint_ratio": ("first_paint_goal", "<=", 2.0),
    "rss_mb": ("rss_goal", "<=", 300.0),
    "generate_and_load_s": ("generate_and_load_goal", "<=", 300.0),
}
#: The app's connection settings (app/store/database.py), for the raw sqlite3 side.
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL",
           "PRAGMA busy_timeout=30000", "PRAGMA cache_size=-32000")
WORDS = ("Müller", "Schäfer", "Weiß", "Krüger", "Jürgen", "Sören", "Groß", "mueller",
         "schaefer", "München", "Münster", "Nürnberg", "Köln", "Düsseldorf", "Kardiologie",
         "Cardiology", "Allgemeinmedizin", "Onkologie", "Praxis", "Universitätsklinikum")
PHRASES = ("Müller München", "Dr. med. Schä", "Kardio Berlin", "Praxis Dr. med. Kö",
           "Klinik für Neuro")
PAINT_RUNS = 3
PAINT_TIMEOUT_S = 120.0
BARE_QT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print("painted", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
probe = Probe(window)
window.installEventFilter(probe)
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
"""


def log(message: str) -> None:
    print(f"[store benchmark] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the value below which `share` of the values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# --------------------------------------------------------------------------- bulk load


@dataclass
class LoadResult:
    rows: int = 0
    interactions: int = 0
    generate_s: float = 0.0
    core_s: float = 0.0
    raw_s: float = 0.0


def converters_for(conn: Connection, table: Table,
                   columns: Iterable[str]) -> list[tuple[str, Callable[[Any], Any] | None]]:
    """Per column, SQLAlchemy's own bind processor for SQLite (dates to text, ...)."""
    dialect = conn.dialect
    return [(name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in columns]


def to_tuples(rows: list[dict[str, Any]],
              converters: list[tuple[str, Callable[[Any], Any] | None]]) -> list[tuple[Any, ...]]:
    return [tuple(row[name] if proc is None else proc(row[name]) for name, proc in converters)
            for row in rows]


def open_raw(path: Path) -> sqlite3.Connection:
    """An empty database with the app's schema, opened with plain sqlite3."""
    open_database(path).close()
    raw = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        raw.execute(pragma)
    return raw


def bulk_load(db: Database, raw_path: Path, accounts: int) -> LoadResult:
    """Generate the demo rows once; insert each batch with Core and with raw sqlite3."""
    result = LoadResult()
    raw = open_raw(raw_path)
    generator = DemoGenerator(accounts=accounts, seed=7, years=2)
    converters: dict[str, list[tuple[str, Callable[[Any], Any] | None]]] = {}
    batches = generator.batches()
    with db.writer.connect() as conn:
        trans = conn.begin()
        raw.execute("BEGIN IMMEDIATE")
        reported = 0
        while True:
            t0 = time.perf_counter()
            batch = next(batches, None)
            result.generate_s += time.perf_counter() - t0
            if batch is None:
                break
            t0 = time.perf_counter()
            insert_rows(conn, batch.table, batch.rows)
            result.core_s += time.perf_counter() - t0

            name = batch.table.name
            if name not in converters:
                converters[name] = converters_for(conn, batch.table, batch.rows[0])
            columns = [c for c, _ in converters[name]]
            sql = (f"INSERT INTO {name} ({', '.join(columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            tuples = to_tuples(batch.rows, converters[name])
            t0 = time.perf_counter()
            raw.executemany(sql, tuples)
            result.raw_s += time.perf_counter() - t0

            result.rows += len(batch.rows)
            if name == "interactions":
                result.interactions += len(batch.rows)
            if batch.accounts_done - reported >= max(accounts // 10, 1):
                reported = batch.accounts_done
                log(f"loaded {reported:,}/{accounts:,} accounts, {result.rows:,} rows")
        t0 = time.perf_counter()
        trans.commit()
        result.core_s += time.perf_counter() - t0
    t0 = time.perf_counter()
    raw.execute("COMMIT")
    result.raw_s += time.perf_counter() - t0
    raw.close()
    return result


# --------------------------------------------------------------------------- reads


def typed_prefixes(conn: Connection) -> list[str]:
    """What a rep types, keystroke by keystroke: words, LANRs, two-word phrases."""
    typed = [word[:n] for word in WORDS for n in range(1, min(len(word), 8) + 1)]
    lanrs = [r[0] for r in conn.execute(text(
        "SELECT value FROM external_ids WHERE system = 'LANR' ORDER BY id LIMIT 5"))]
    typed += [value[:n] for value in lanrs for n in range(1, len(value) + 1)]
    typed += [phrase[:n] for phrase in PHRASES for n in range(4, len(phrase) + 1)]
    return typed


def time_searches(db: Database) -> dict[str, Any]:
    timings: list[tuple[float, str]] = []
    with db.reader.connect() as conn:
        with conn.begin():
            typed = typed_prefixes(conn)
        for query in typed:
            flt = AccountFilter(text=query)
            t0 = time.perf_counter()
            with conn.begin():
                count_accounts(conn, flt)
                search_accounts(conn, flt, limit=200)
            timings.append(((time.perf_counter() - t0) * 1000, query))
    ms = [t for t, _ in timings]
    slowest = max(timings)
    return {"search_queries": len(ms), "search_p50_ms": round(percentile(ms, 0.5), 2),
            "search_p95_ms": round(percentile(ms, 0.95), 2),
            "search_max_ms": round(slowest[0], 2), "search_slowest_text": slowest[1]}


def time_histories(db: Database, samples: int = 200) -> dict[str, Any]:
    ms: list[float] = []
    entries = 0
    with db.reader.connect() as conn:
        with conn.begin():
            ids = [r[0] for r in conn.execute(text("SELECT id FROM accounts ORDER BY id"))]
        for account_id in random.Random(1).sample(ids, min(samples, len(ids))):
            t0 = time.perf_counter()
            with conn.begin():
                conn.execute(text("SELECT * FROM accounts WHERE id = :id"),
                             {"id": account_id}).one()
                entries += len(account_history(conn, account_id))
            ms.append((time.perf_counter() - t0) * 1000)
    return {"history_samples": len(ms), "history_p50_ms": round(percentile(ms, 0.5), 2),
            "history_p95_ms": round(percentile(ms, 0.95), 2),
            "history_entries_avg": round(entries / max(len(ms), 1), 1)}


# --------------------------------------------------------------------------- first paint


def _lines(stream: Any, out: queue.Queue[str | None]) -> None:
    for line in stream:
        out.put(line.strip())
    out.put(None)


def paint_once(command: list[str], *, want_rss: bool) -> tuple[float, float | None]:
    """Seconds from spawn to the `painted` line (and the probe's rss_mb); raises on failure."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                      os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True,
                                cwd=ROOT, env=env)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_lines, args=(proc.stdout, lines), daemon=True).start()
        painted: float | None = None
        rss: float | None = None
        try:
            while painted is None or (want_rss and rss is None):
                line = lines.get(timeout=max(0.1, PAINT_TIMEOUT_S - (time.perf_counter()
                                                                     - start)))
                if line is None:
                    break
                if line == "painted" and painted is None:
                    painted = time.perf_counter() - start
                elif line.startswith("{") and "rss_mb" in line:
                    rss = float(json.loads(line)["rss_mb"])
            proc.wait(timeout=PAINT_TIMEOUT_S)
        except (queue.Empty, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        errors.seek(0)
        if painted is None or proc.returncode != 0:
            tail = errors.read()[-400:].strip()
            raise RuntimeError(f"exit code {proc.returncode}, painted={painted is not None}: "
                               f"{tail}")
    return painted, rss


def time_first_paint(data_dir: Path) -> dict[str, Any]:
    """Median of interleaved runs of the app's probe and of a bare QMainWindow."""
    app_cmd = [sys.executable, "-m", "app", "--data-dir", str(data_dir), "--probe"]
    bare_cmd = [sys.executable, "-c", BARE_QT]
    app_s: list[float] = []
    bare_s: list[float] = []
    rss: list[float] = []
    out: dict[str, Any] = {}
    for run in range(PAINT_RUNS):
        try:
            bare_s.append(paint_once(bare_cmd, want_rss=False)[0])
        except RuntimeError as exc:
            out["bare_qt_error"] = str(exc)
        try:
            seconds, mib = paint_once(app_cmd, want_rss=True)
            app_s.append(seconds)
            if mib is not None:
                rss.append(mib)
        except RuntimeError as exc:
            out["first_paint_error"] = str(exc)
        log(f"first paint run {run + 1}/{PAINT_RUNS}: app {app_s[-1:]}, bare {bare_s[-1:]}")
    first = statistics.median(app_s) if len(app_s) == PAINT_RUNS else None
    bare = statistics.median(bare_s) if len(bare_s) == PAINT_RUNS else None
    out.update({
        "first_paint_s": round(first, 3) if first is not None else None,
        "bare_qt_first_paint_s": round(bare, 3) if bare is not None else None,
        "first_paint_ratio": round(first / bare, 2) if first and bare else None,
        "rss_mb": statistics.median(rss) if rss else None,
    })
    return out


# --------------------------------------------------------------------------- report


def with_goals(figures: dict[str, Any]) -> dict[str, Any]:
    """Each goal beside its figure, and which goals were met (None: not measured)."""
    report: dict[str, Any] = {}
    met: dict[str, bool | None] = {}
    for key, value in figures.items():
        report[key] = value
        if key in GOALS:
            goal_name, op, goal = GOALS[key]
            report[goal_name] = f"{op} {goal:g}"
            met[key] = None if value is None else (value >= goal if op == ">=" else
                                                   value <= goal)
    report["goals_met"] = met
    return report


def run(accounts: int, workdir: Path, key: bytes | None = None) -> dict[str, Any]:
    data_dir = workdir / "app"
    # Encrypted, the store sits where per-user stores live (the probe then paints and stops
    # at the sign-in, as the app starts); plain, where the single store used to be.
    database = data_dir / ("stores/bench.sqlite" if key else DATABASE_FILE)
    db = open_database(database, key)
    log(f"generating and loading {accounts:,} accounts into {data_dir}")
    load = bulk_load(db, workdir / "raw.sqlite", accounts)
    figures: dict[str, Any] = {
        "accounts": accounts, "interactions": load.interactions, "rows": load.rows,
        "generate_s": round(load.generate_s, 1), "bulk_load_s": round(load.core_s, 1),
        "raw_sqlite_s": round(load.raw_s, 1),
        "generate_and_load_s": round(load.generate_s + load.core_s, 1),
        "bulk_load_rows_per_s": round(load.rows / load.core_s),
        "raw_sqlite_rows_per_s": round(load.rows / load.raw_s),
        "bulk_load_ratio": round(load.raw_s / load.core_s, 2),
        "db_size_mb": round(database.stat().st_size / 2**20, 1),
    }
    log(f"bulk load: {figures['bulk_load_rows_per_s']:,} rows/s vs raw "
        f"{figures['raw_sqlite_rows_per_s']:,} rows/s")
    (workdir / "raw.sqlite").unlink()
    log("searching as a rep types")
    figures.update(time_searches(db))
    log("opening accounts with their history")
    figures.update(time_histories(db))
    db.close()
    log("first paint (app probe vs bare QMainWindow)")
    figures.update(time_first_paint(data_dir))
    return with_goals(figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true",
                        help="5,000 accounts (~100,000 calls) instead of 50,000")
    parser.add_argument("--accounts", type=int, help="number of accounts to generate")
    parser.add_argument("--encrypted", action="store_true",
                        help="open the app's database with SQLCipher (a fixed raw key)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep the generated database there")
    args = parser.parse_args(argv)
    accounts = args.accounts or (5_000 if args.quick else 50_000)
    key = TEST_KEY if args.encrypted else None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = run(accounts, args.keep, key)
    else:
        with tempfile.TemporaryDirectory(prefix="fieldrep-bench-") as tmp:
            report = run(accounts, Path(tmp), key)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
