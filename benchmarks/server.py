"""Server figures: CSV import rate, concurrent scoped reads against the raw query limit, and
touchpoint ingest through the integration API against a plain INSERT of the same rows.

    python benchmarks/server.py [--quick] [--rows N] [--clients N] [--events N]

For SQLite (always) and PostgreSQL on 127.0.0.1:5432 (when reachable): imports N CSV rows
(100k; --quick: 20k), starts a real server process, lets 50 clients (--quick: 20) read pages
of 1,000 accounts of their territory over HTTP, and reads the same rows once with a direct
SQLAlchemy Core query (the limit). Then posts N touchpoints (20k; --quick: 5k) by LANR in
NDJSON bulks of 5,000 through the integration API (`touchpoint_ingest_events_per_s`, goal
beside it) and inserts the same rows with one Core executemany (`touchpoint_insert_rows_per_s`,
the limit; `touchpoint_ingest_to_insert_ratio`, the share of it the API reaches). Last, a
data warehouse's first read of the change feed: every page of an all-territories token from
the beginning (`feed_rows_per_s`). Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.db import Database, upgrade  # noqa: E402
from server.directory import add_territory, add_user, assign_territory  # noqa: E402
from server.importing.run import import_csv  # noqa: E402
from server.integration import service_accounts  # noqa: E402
from server.models import Account, ExternalId, Touchpoint  # noqa: E402
from server.scope import Principal, accounts_visible_to  # noqa: E402
from tests.server.conftest import start_server, stop_server  # noqa: E402

PASSWORD = "benchmark-password"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TERRITORIES = 10
#: Outside systems send their events in batches; a marketing platform's hourly export of
#: e-mail opens for a country is tens of thousands of lines.
INGEST_GOAL_EVENTS_PER_S = 5_000
BULK_LINES = 5_000
KINDS = ("webinar_attended", "website_visit", "event_registered", "email_opened",
         "email_clicked")


def _csv(rows: int) -> bytes:
    lines = ["id:LANR,name,kind,specialty,line1,postcode,city,latitude,longitude,territory"]
    for i in range(rows):
        lines.append(f"{100_000_000 + i},Dr. Jürgen Müller {i},hcp,Spec {i % 40},"
                     f"Königstraße {i % 300},{10_000 + i % 89_000},Köln,50.9,6.9,"
                     f"BENCH-{i % TERRITORIES}")
    return "\n".join(lines).encode()


def _login(base: str, username: str) -> str:
    r = requests.post(base + "/api/v1/login", timeout=60, json={
        "username": username, "password": PASSWORD, "device_id": "bench"})
    r.raise_for_status()
    token: str = r.json()["token"]
    return token


def _reader(base: str, token: str, start: threading.Barrier, pages: list[float],
            rows: list[int], errors: list[str]) -> None:
    with requests.Session() as http:
        headers = {"Authorization": f"Bearer {token}", "X-Device-Id": "bench",
                   "Accept-Encoding": "gzip"}
        cursor = None
        start.wait()
        while True:
            params: dict[str, Any] = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
            t0 = time.perf_counter()
            r = http.get(base + "/api/v1/accounts", params=params, headers=headers, timeout=60)
            pages.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors.append(r.text)
                return
            page = r.json()
            rows.append(len(page["items"]))
            cursor = page["next_cursor"]
            if not cursor:
                return


def _events(n_events: int, n_rows: int) -> list[dict[str, Any]]:
    return [{"event_id": f"bench-{i}", "kind": KINDS[i % len(KINDS)],
             "occurred_at": f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:15:00+01:00",
             "external_id": {"system": "LANR", "value": str(100_000_000 + i % n_rows)},
             "title": f"Campaign {i % 50}: renal outcomes"} for i in range(n_events)]


def _ingest(base: str, token: str, events: list[dict[str, Any]]) -> float:
    """Seconds to post every event in NDJSON bulks; every line must be created."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    bodies = [(len(events[start:start + BULK_LINES]), "\n".join(
        json.dumps(e) for e in events[start:start + BULK_LINES]).encode())
        for start in range(0, len(events), BULK_LINES)]
    t0 = time.perf_counter()
    with requests.Session() as http:
        for lines, body in bodies:
            r = http.post(base + "/api/v1/integration/touchpoints/bulk", data=body,
                          headers=headers, timeout=300)
            r.raise_for_status()
            counts = r.json()["counts"]
            if counts["created"] != lines:
                raise SystemExit(f"ingest refused lines: {r.json()['errors'][:3]}")
    return time.perf_counter() - t0


def _read_feed(base: str, token: str) -> tuple[int, float]:
    """Rows and seconds to page through the whole change feed from the beginning."""
    headers = {"Authorization": f"Bearer {token}"}
    rows, cursor = 0, None
    t0 = time.perf_counter()
    with requests.Session() as http:
        while True:
            params: dict[str, Any] = {"limit": 5000}
            if cursor:
                params["cursor"] = cursor
            r = http.get(base + "/api/v1/integration/changes", params=params,
                         headers=headers, timeout=300)
            r.raise_for_status()
            page = r.json()
            rows += len(page["changes"])
            cursor = page["cursor"]
            if not page["more"]:
                return rows, time.perf_counter() - t0


def _plain_insert(dsn: str, events: list[dict[str, Any]]) -> float:
    """Seconds to INSERT the same rows (accounts resolved beforehand) in one transaction:
    what the database alone costs, the limit the API is measured against."""
    db = Database(dsn)
    with db.reading() as s:
        accounts = dict(s.execute(select(ExternalId.value, ExternalId.account_id)
                                  .where(ExternalId.system == "LANR")).all())
        service = s.execute(text(
            "SELECT id FROM service_accounts WHERE name = 'bench'")).scalar_one()
    rows = [{"id": str(uuid.uuid4()), "version": 1, "updated_at": dt.datetime(2026, 3, 1),
             "deleted": False, "account_id": accounts[e["external_id"]["value"]],
             "kind": e["kind"], "occurred_at": dt.datetime.fromisoformat(e["occurred_at"])
             .astimezone(dt.UTC).replace(tzinfo=None), "source": "plain",
             "event_id": e["event_id"], "title": e["title"], "detail": None,
             "service_account_id": service} for e in events]
    t0 = time.perf_counter()
    with db.writing() as s:
        s.execute(insert(Touchpoint), rows)
    seconds = time.perf_counter() - t0
    db.dispose()
    return seconds


def run_backend(dsn: str, folder: Path, n_rows: int, n_clients: int,
                workers: int = 1, n_events: int = 20_000) -> dict[str, Any]:
    db = Database(dsn)
    upgrade(db)
    with db.writing() as s:
        for t in range(TERRITORIES):
            add_territory(s, f"BENCH-{t}", f"Bench {t}")
    users = []
    with db.writing() as s:
        for c in range(n_clients):
            name = f"bench-{c}"
            add_user(s, name, PASSWORD, "rep")
            assign_territory(s, name, f"BENCH-{c % TERRITORIES}")
            users.append(name)
        add_user(s, "bench-admin", PASSWORD, "admin")
        ingest_token = service_accounts.create(s, "bench", by="bench-admin", territories=None,
                                               kinds=None)
        feed_token = service_accounts.create(s, "bench-feed", by="bench-admin",
                                             territories=None, kinds=None, feed=True)
    data = _csv(n_rows)
    t0 = time.perf_counter()
    report = import_csv(db, data)
    import_s = time.perf_counter() - t0
    assert report.counts() == {"created": n_rows}, report.counts()

    # The limit: the same rows for one rep read by one direct Core query.
    with db.reading() as s:
        uid = s.execute(text("SELECT id FROM users WHERE username = 'bench-0'")).scalar_one()
    principal = Principal(uid, "bench-0", "rep", "bench", "")
    scoped = accounts_visible_to(principal).subquery()
    t0 = time.perf_counter()
    with db.engine.connect() as conn:
        raw_rows = len(conn.execute(select(scoped).order_by(scoped.c.id)).all())
    raw_s = time.perf_counter() - t0
    db.dispose()

    proc, base = start_server(folder, dsn, "login_address_free_failures = 100000\n", workers)
    pages: list[float] = []
    rows: list[int] = []
    errors: list[str] = []
    # Log in first (argon2 is deliberately slow), then all clients read at once.
    tokens = [_login(base, u) for u in users]
    start = threading.Barrier(len(users) + 1)
    threads = [threading.Thread(target=_reader, args=(base, tok, start, pages, rows, errors))
               for tok in tokens]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    read_s = time.perf_counter() - t0
    events = _events(n_events, n_rows)
    ingest_s = _ingest(base, ingest_token, events)
    feed_rows, feed_s = _read_feed(base, feed_token)
    stop_server(proc)
    insert_s = _plain_insert(dsn, events)
    if errors:
        raise SystemExit(f"read errors: {errors[:3]}")
    ordered = sorted(pages)
    return {
        "import_rows": n_rows,
        "import_rows_per_s": round(n_rows / import_s),
        "clients": n_clients,
        "read_rows": sum(rows),
        "read_rows_per_s": round(sum(rows) / read_s),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "raw_query_rows_per_s": round(raw_rows / raw_s),
        "touchpoint_events": n_events,
        "touchpoint_ingest_events_per_s": round(n_events / ingest_s),
        "touchpoint_ingest_goal_events_per_s": INGEST_GOAL_EVENTS_PER_S,
        "touchpoint_insert_rows_per_s": round(n_events / insert_s),
        "touchpoint_ingest_to_insert_ratio": round(insert_s / ingest_s, 3),
        "feed_rows": feed_rows,
        "feed_rows_per_s": round(feed_rows / feed_s),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small run, under a minute")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--events", type=int, help="touchpoints to ingest")
    args = parser.parse_args()
    n_rows = args.rows or (20_000 if args.quick else 100_000)
    n_clients = args.clients or (20 if args.quick else 50)
    n_events = args.events or (5_000 if args.quick else 20_000)
    out: dict[str, Any] = {"rows": n_rows, "clients": n_clients, "workers": args.workers}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out["sqlite"] = run_backend(f"sqlite:///{folder / 'bench.sqlite3'}", folder / "s",
                                    n_rows, n_clients, args.workers, n_events)
        print(json.dumps({"sqlite": out["sqlite"]}), flush=True)
        name = f"fieldrep_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(os.environ.get("FIELDREP_BENCH_PG_ADMIN", PG_ADMIN),
                              isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # unreachable: report it instead of failing the run
            out["postgres"] = {"skipped": f"{type(exc).__name__}: unreachable"}
        else:
            dsn = make_url(str(admin.url)).set(database=name).render_as_string(
                hide_password=False)
            try:
                out["postgres"] = run_backend(dsn, folder / "p", n_rows, n_clients,
                                              args.workers, n_events)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print(json.dumps(out))


if __name__ == "__main__":
    _ = Account  # the scope function's model, imported for readers of this script
    main()
