"""A writer killed with SIGKILL in the middle of its work loses nothing it committed."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import subprocess
import sys
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import calls
from app.store.database import Database, open_database
from app.store.models import Interaction, OutboxMutation
from tests.factories import make_world

ROOT = Path(__file__).resolve().parents[2]
SAVES = 30


def child(path: str, account_id: str) -> None:
    """Run in the child process: save drafts until killed, reporting each commit.

    Every third save starts a new draft, the others edit the latest one (notes and an
    attendee change, so the parent row and its children change together).
    """
    db = open_database(Path(path))
    call_id: str | None = None
    for counter in count():
        if counter % 3 == 0:
            call_id = None
        form = calls.CallForm(account_id=account_id, start_at="2026-03-02 10:00",
                              notes=f"save {counter}", attendees=[f"Guest {counter}"])
        with db.write() as session:
            call_id = calls.save_draft(session, None, form, call_id)
        print(call_id, counter, flush=True)


def start_database(path: Path) -> str:
    """A database with reference data; the id of the account to log calls for."""
    db = open_database(path)
    try:
        with db.write() as session:
            session.info["from_server"] = True
            return make_world(session).doctor.id
    finally:
        db.close()


def run_and_kill(path: Path, account_id: str) -> dict[str, int]:
    """Start the child, SIGKILL it after SAVES reports: the last counter reported per draft."""
    code = f"from tests.store.test_kill import child; child({str(path)!r}, {account_id!r})"
    reported: dict[str, int] = {}
    with subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        lines: list[str] = []
        try:
            while len(lines) < SAVES:
                line = proc.stdout.readline()
                if not line:
                    pytest.fail(f"the writer stopped on its own:\n{proc.stderr.read()}")
                lines.append(line)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        lines += proc.stdout.readlines()  # printed before the kill: committed too
        assert proc.returncode == -signal.SIGKILL
    for line in lines:
        call_id, counter = line.split()
        reported[call_id] = int(counter)
    return reported


def test_a_killed_writer_keeps_every_draft_it_committed(tmp_path: Path) -> None:
    path = tmp_path / "fieldrep.sqlite"
    account_id = start_database(path)

    reported = run_and_kill(path, account_id)

    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert len(reported) >= SAVES // 3
    db: Database = open_database(path)
    try:
        with db.read() as session:
            for call_id, last_reported in reported.items():
                call = session.get(Interaction, call_id)
                assert call is not None, f"draft {call_id} was reported saved but is gone"
                saved = int((call.notes or "").removeprefix("save "))
                # A save may have committed after the last line was printed, never before.
                assert saved >= last_reported
                assert [a.name for a in call.attendees if not a.deleted] == [f"Guest {saved}"]
                pending = session.scalars(select(OutboxMutation.fields)
                                          .where(OutboxMutation.row_id == call_id)
                                          .order_by(OutboxMutation.seq)).all()
                # Folded or not, the newest pending mutation carries the newest notes.
                newest = [json.loads(f) for f in pending if "notes" in json.loads(f)][-1]
                assert newest["notes"] == f"save {saved}"
    finally:
        db.close()
