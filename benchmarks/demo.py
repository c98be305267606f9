"""The large demo as a person starts it: `fieldrep demo --accounts 50000 --reset`.

    python benchmarks/demo.py [--accounts N] [--timeout S]

Runs the real `fieldrep` command with `--probe` (the app measures itself: first paint, the
first sync, the accounts list, the first account, its memory, then it quits) on a new demo
territory and reports, against the goal of a synced, usable laptop within three minutes:

- `seconds`: from the command to the probe's end (server seeded, first sync, list open);
- `painted_s`: when the window first painted (the rep sees the app at once);
- `accounts_synced`: the accounts in the rep's store at the end (all of the territory?);
- `rss_mb`: the app's resident memory at the end (the footprint goal is 300 MB);
- `last_progress`: the last progress line the command printed (where a timed-out run was).

A run that passes `--timeout` is stopped and reported as `timed_out` with how far it came: an
honest miss, not a crash. Prints progress on stderr and one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 180.0
GOAL_RSS_MB = 300.0


def _stored_accounts(laptop: Path) -> int | None:
    """The accounts in the demo rep's encrypted store (the demo knows the password)."""
    from sqlalchemy import text

    from app.demo.server import REP
    from app.store.database import open_database
    from app.store.keys import derive_key
    from app.store.user_stores import read_header, store_for

    store = store_for(laptop, REP.username)
    header = read_header(store)
    if header is None:
        return None
    db = open_database(store.database, derive_key(REP.password, header.salt, header.kdf))
    try:
        with db.read() as session:
            return int(session.execute(text("SELECT count(*) FROM accounts")).scalar_one())
    finally:
        db.close()


def _follow(stream: IO[str], lines: list[str], on_line: Any) -> None:
    """Reads a stream line by line (progress bars end in carriage returns) as it comes."""
    buffer = ""
    while chunk := stream.read(1):
        if chunk in "\r\n":
            if buffer.strip():
                lines.append(buffer)
                on_line(buffer)
            buffer = ""
        else:
            buffer += chunk
    if buffer.strip():
        lines.append(buffer)


def run(accounts: int, timeout: float) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="fieldrep-demo-bench-"))
    laptop, server = work / "laptop", work / "server"
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    command = [sys.executable, "-m", "app", "--data-dir", str(laptop), "--probe", "demo",
               "--accounts", str(accounts), "--reset", "--server-dir", str(server)]
    started = time.monotonic()
    painted: list[float] = []
    out_lines: list[str] = []
    err_lines: list[str] = []
    last_shown = [0.0]

    def on_out(line: str) -> None:
        if line == "painted" and not painted:
            painted.append(time.monotonic() - started)

    def on_err(line: str) -> None:
        now = time.monotonic()
        if now - last_shown[0] >= 10:  # a line every ten seconds is enough to follow
            last_shown[0] = now
            print(f"  {now - started:6.0f} s  {line.strip()[:100]}", file=sys.stderr)

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    readers = [threading.Thread(target=_follow, args=(process.stdout, out_lines, on_out)),
               threading.Thread(target=_follow, args=(process.stderr, err_lines, on_err))]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        process.kill()
        process.wait()
    for reader in readers:
        reader.join()
    seconds = time.monotonic() - started

    rss = None
    for line in out_lines:
        if line.startswith("{"):
            rss = json.loads(line).get("rss_mb")
    progress = [line for line in err_lines if re.search(r"\d+%|account|sync", line, re.I)]
    try:
        synced = _stored_accounts(laptop)
    except Exception as error:  # a killed run may leave a store that cannot be read
        print(f"the rep's store could not be read: {error}", file=sys.stderr)
        synced = None
    shutil.rmtree(work, ignore_errors=True)
    return {
        "accounts": accounts,
        "timed_out": timed_out,
        "exit_code": None if timed_out else process.returncode,
        "seconds": round(seconds, 1),
        "painted_s": round(painted[0], 1) if painted else None,
        "accounts_synced": synced,
        "rss_mb": rss,
        "last_progress": progress[-1].strip()[:200] if progress else None,
        "goals": {"seconds": GOAL_SECONDS, "rss_mb": GOAL_RSS_MB,
                  "accounts_synced": accounts},
        "goals_met": {
            "seconds": not timed_out and seconds <= GOAL_SECONDS,
            "rss_mb": rss is not None and rss <= GOAL_RSS_MB,
            "accounts_synced": synced == accounts,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="stop the run after this many seconds (default 1800)")
    args = parser.parse_args()
    print(f"fieldrep demo --accounts {args.accounts} --reset (probe)", file=sys.stderr)
    print(json.dumps(run(args.accounts, args.timeout)))


if __name__ == "__main__":
    main()
