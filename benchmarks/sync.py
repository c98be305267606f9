"""Sync figures (issue 5, "Benchmarks"): server and client on 127.0.0.1, one run.

    python benchmarks/sync.py [--quick] [--accounts N [--calls C]]

- initial sync of a territory with 5,000 accounts and 250,000 interactions (--quick: a tenth;
  `--accounts 50000` with 20 calls each: the README's large territory, 1,000,000 calls)
  through the real server process (SQLite): `initial_sync_rows_per_s`, against
  `raw_insert_rows_per_s`, plain sqlite3 executemany of the same rows into an empty client
  database (the local limit), and their `initial_sync_ratio` (goal >= 0.25);
- incremental sync of 10 local and 10 remote changes on that database and on one 100x
  smaller (median of 5): `incremental_ms_large`, `incremental_ms_small` (goal <= 100 ms) and
  `incremental_growth` (goal <= 1.5: a sync's cost follows the changes, not the database);
- `gui_max_stall_ms`: the longest gap of a 5 ms timer on the GUI thread while the initial sync
  runs in the background with the main window open (goal <= 50);
- `client_rss_mb`: this process's peak resident memory during the initial sync (goal <= 300);
- `first_page_s`: from asking for the first page to holding it (goal: seconds, <= 10).

Prints progress on stderr and one JSON object on its last line, each figure beside its goal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert, text, update  # noqa: E402

from app.contract import ENTITIES  # noqa: E402
from app.ids import uuid7  # noqa: E402
from app.services import accounts as account_service  # noqa: E402
from app.store.database import Database, open_database  # noqa: E402
from app.sync.client import SyncClient  # noqa: E402
from app.sync.run import sync_once  # noqa: E402
from server.db import Database as ServerDatabase  # noqa: E402
from server.db import next_versions, upgrade  # noqa: E402
from server.directory import add_territory, add_user, assign_territory  # noqa: E402
from server.models import Account, Interaction  # noqa: E402
from tests.server.conftest import start_server, stop_server  # noqa: E402

PASSWORD = "benchmark-password"
CALLS_PER_ACCOUNT = 50


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def populate(db: ServerDatabase, code: str, accounts: int,
             calls: int = CALLS_PER_ACCOUNT) -> tuple[str, list[str]]:
    """A territory with `accounts` doctors and `calls` submitted calls each; (rep, ids)."""
    with db.writing() as s:
        add_territory(s, code, f"Gebiet {code}")
        rep = f"rep-{code.lower()}"
        user_id = add_user(s, rep, PASSWORD, "rep").id
        assign_territory(s, rep, code)
        territory = s.execute(text("SELECT id FROM territories WHERE code = :c"),
                              {"c": code}).scalar_one()
        version = next_versions(s)
    now = dt.datetime(2026, 11, 1)
    ids = [uuid7() for _ in range(accounts)]
    with db.writing() as s:
        s.execute(insert(Account), [
            {"id": a, "kind": "hcp", "name": f"Dr. Jürgen Müller {i}", "first_name": "Jürgen",
             "last_name": f"Müller {i}", "territory_id": territory, "segment": "A",
             "version": version, "updated_at": now, "deleted": False}
            for i, a in enumerate(ids)])
        batch: list[dict[str, Any]] = []
        for a in ids:
            for j in range(calls):
                start = now - dt.timedelta(days=j * 3)
                batch.append({"id": uuid7(), "account_id": a, "owner_id": user_id,
                              "channel": "in_person", "status": "submitted", "start_at": start,
                              "submitted_at": start, "notes": "Kardiologie: Studie besprochen",
                              "version": version, "updated_at": now, "deleted": False})
            if len(batch) >= 20000:
                s.execute(insert(Interaction), batch)
                batch.clear()
        if batch:
            s.execute(insert(Interaction), batch)
    return rep, ids


class Peak:
    """This process's resident memory, sampled every 20 ms while running."""

    def __init__(self) -> None:
        self.mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> float:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.mb = max(self.mb, self._rss())
            self._stop.wait(0.02)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.mb = max(self.mb, self._rss())


def login(base: str, username: str, device: str) -> SyncClient:
    client = SyncClient(base, device_id=device, timeout=(5.0, 300.0))
    client.token = client.login(username, PASSWORD)["token"]
    return client


def initial_sync_with_window(db: Database, client: SyncClient, data_dir: Path
                             ) -> tuple[float, int, float, float, float]:
    """(seconds, rows, longest GUI stall in ms, peak RSS in MB, seconds to the first page
    applied): the sync on a worker thread while the main window is open and a 5 ms timer
    measures the event loop's gaps."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.config import Paths, Settings
    from app.ui.application import create_main_window, freeze_startup_objects

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_main_window(db, Settings(data_dir), Paths(data_dir))
    window.show()
    freeze_startup_objects()  # as `fieldrep` does once its window is ready (application.run)
    outcome: dict[str, Any] = {}
    stall = {"last": time.perf_counter(), "max": 0.0, "on": False}

    def tick() -> None:
        now = time.perf_counter()
        if stall["on"]:
            stall["max"] = max(stall["max"], now - stall["last"])
        stall["last"] = now

    def first_page(_conn: object, page_no: int) -> None:
        outcome.setdefault("first_page_s", time.perf_counter() - outcome["started"])

    def work() -> None:
        started = outcome["started"] = time.perf_counter()
        try:
            outcome["report"] = sync_once(db, client, hook=first_page)
        except BaseException as exc:  # reported below, on the main thread
            outcome["error"] = exc
        outcome["s"] = time.perf_counter() - started

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:  # let the window settle before measuring
        app.processEvents()
    worker = threading.Thread(target=work)
    with Peak() as peak:
        stall["on"], stall["last"] = True, time.perf_counter()
        worker.start()
        while worker.is_alive():
            app.processEvents()
            time.sleep(0.001)
        stall["on"] = False
    worker.join()
    timer.stop()
    window.close()
    app.processEvents()
    if "error" in outcome:
        raise outcome["error"]
    report = outcome["report"]
    return (outcome["s"], report.pull.rows, stall["max"] * 1000, peak.mb,
            outcome["first_page_s"])


def raw_insert(replica: Path, template: Path, folder: Path) -> tuple[float, int]:
    """Plain sqlite3 executemany of the replica's synced rows into an empty client database."""
    target = folder / "raw.sqlite"
    shutil.copy(template, target)
    source = sqlite3.connect(replica)
    tables = {name: [r[1] for r in source.execute(f"PRAGMA table_info({name})")]
              for name in ENTITIES}
    data = {name: source.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall()
            for name, cols in tables.items() if cols}
    source.close()
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA foreign_keys = OFF")
    started = time.perf_counter()
    rows = 0
    for name, values in data.items():
        if values:
            cols = tables[name]
            conn.executemany(f"INSERT INTO {name} ({', '.join(cols)}) VALUES "
                             f"({', '.join('?' * len(cols))})", values)
            rows += len(values)
    conn.commit()
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, rows


def incremental(server: ServerDatabase, db: Database, client: SyncClient, accounts: list[str],
                user_id: str, runs: int = 5) -> float:
    """Median ms of a sync that sends 10 local edits and receives 10 remote ones."""
    times = []
    for run in range(runs):
        with server.writing() as s:
            version = next_versions(s, 10)
            for i, a in enumerate(accounts[10:20]):
                s.execute(update(Account).where(Account.id == a).values(
                    segment="ABC"[run % 3], version=version + i))
        with db.write() as session:
            for a in accounts[:10]:
                account_service.update_contact(session, user_id, a, email=None, phone=None,
                                               notes=f"Notiz {run} {uuid7()}")
        started = time.perf_counter()
        report = sync_once(db, client, verify=False)
        times.append((time.perf_counter() - started) * 1000)
        assert report.push.applied == 20 or report.push.sent >= 10, report.summary()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--accounts", type=int, help="accounts of the large territory")
    parser.add_argument("--calls", type=int, help="calls per account (default: 50, or 20 "
                        "from 50,000 accounts on: the README's 1,000,000-call territory)")
    args = parser.parse_args()
    large = args.accounts or (500 if args.quick else 5000)
    calls = args.calls or (20 if large >= 50_000 else CALLS_PER_ACCOUNT)
    small = max(large // 100, 20)
    folder = Path(tempfile.mkdtemp(prefix="fieldrep-sync-bench-"))
    dsn = f"sqlite:///{folder / 'server.sqlite3'}"
    server_db = ServerDatabase(dsn)
    upgrade(server_db)
    log(f"populating the server: {large} + {small} accounts, {calls} calls each")
    big_rep, big_accounts = populate(server_db, "BIG", large, calls)
    small_rep, small_accounts = populate(server_db, "SMALL", small, calls)
    proc, base = start_server(folder / "server", dsn)
    template = folder / "template.sqlite"
    open_database(template).close()
    try:
        big = folder / "big.sqlite"
        shutil.copy(template, big)
        db = open_database(big)
        client = login(base, big_rep, "bench-big")
        log("initial sync with the main window open")
        seconds, rows, stall_ms, rss_mb, first_page_s = initial_sync_with_window(
            db, client, folder / "ui")
        sync_rate = rows / seconds
        log(f"  {rows} rows in {seconds:.1f} s (first page after {first_page_s:.1f} s); "
            f"longest stall {stall_ms:.0f} ms")
        raw_s, raw_rows = raw_insert(big, template, folder)
        raw_rate = raw_rows / raw_s
        big_user = _user_id(server_db, big_rep)
        log("incremental syncs (large)")
        inc_large = incremental(server_db, db, client, big_accounts, big_user)
        client.close()
        db.close()
        small_path = folder / "small.sqlite"
        shutil.copy(template, small_path)
        sdb = open_database(small_path)
        sclient = login(base, small_rep, "bench-small")
        sync_once(sdb, sclient)
        log("incremental syncs (small)")
        inc_small = incremental(server_db, sdb, sclient, small_accounts,
                                _user_id(server_db, small_rep))
        sclient.close()
        sdb.close()
    finally:
        stop_server(proc)
        server_db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    ratio = sync_rate / raw_rate
    growth = inc_large / inc_small
    figures = {
        "accounts": large, "interactions": large * calls, "rows_synced": rows,
        "first_page_s": round(first_page_s, 2), "first_page_s_goal": "<= 10",
        "initial_sync_s": round(seconds, 2),
        "initial_sync_rows_per_s": round(sync_rate),
        "raw_insert_rows_per_s": round(raw_rate),
        "initial_sync_ratio": round(ratio, 3), "initial_sync_ratio_goal": ">= 0.25",
        "incremental_ms_large": round(inc_large, 1), "incremental_ms_small": round(inc_small, 1),
        "incremental_ms_goal": "<= 100",
        "incremental_growth": round(growth, 2), "incremental_growth_goal": "<= 1.5",
        "gui_max_stall_ms": round(stall_ms, 1), "gui_max_stall_ms_goal": "<= 50",
        "client_rss_mb": round(rss_mb, 1), "client_rss_mb_goal": "<= 300",
        "quick": args.quick,
    }
    print(json.dumps(figures))
    return 0


def _user_id(db: ServerDatabase, username: str) -> str:
    with db.reading() as s:
        return str(s.execute(text("SELECT id FROM users WHERE username = :u"),
                             {"u": username}).scalar_one())


if __name__ == "__main__":
    raise SystemExit(main())
