"""Hardening: security headers on every answer and no server banner, private data files,
and pruning of idempotency records, tokens and failed logins (by command and while serving).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from server.cli import main
from server.db import Database, upgrade
from server.directory import add_user
from server.models import IdempotencyRecord, LoginAttempt, Token, User, utcnow
from tests.server.conftest import PASSWORD, ROOT, Live, start_server, stop_server


def test_every_answer_forbids_caching_and_sniffing_and_names_no_server(live: Live) -> None:
    anonymous = live.client()
    answers = [
        anonymous.get("/api/v1/health"),  # 200
        anonymous.get("/api/v1/openapi.json"),  # 200, large: gzip
        anonymous.get("/api/v1/me"),  # 401
        anonymous.get("/api/v1/no-such-thing"),  # 404
        anonymous.post("/api/v1/login", json={"username": "x"}),  # 422
        anonymous.post("/api/v1/login", data=b"x" * 70_000,  # 413 from the body limit
                       headers={"Content-Type": "application/json"}),
        live.login(live.user("rep")).get("/api/v1/me"),  # 200 with a token
    ]
    assert [r.status_code for r in answers] == [200, 200, 401, 404, 422, 413, 200]
    for r in answers:
        assert r.headers["Cache-Control"] == "no-store", r.url
        assert r.headers["X-Content-Type-Options"] == "nosniff", r.url
        assert "server" not in {k.lower() for k in r.headers}, r.headers


def _modes(folder: Path) -> dict[str, int]:
    out = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        if not path.is_symlink():
            out[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return out


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FIELDREP_SERVER_DSN"}
    return subprocess.run([sys.executable, "-m", "server.cli", "--data-dir", str(data_dir),
                           *args], cwd=ROOT, env={**env, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_data_files_and_folders_are_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # what a shell usually has; the server must not rely on it
    try:
        data = tmp_path / "server"
        assert _cli(data, "init").returncode == 0
        assert _cli(data, "product", "add", "Cardiovel", "--area", "Cardiology"
                    ).returncode == 0
        added = _cli(data, "content", "add",
                     str(ROOT / "resources" / "content" / "cardiovel-heart-failure.zip"))
    finally:
        os.umask(previous)
    assert added.returncode == 0, added.stderr
    modes = _modes(data)
    assert "content" in modes and "server.sqlite3" in modes
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o700 if (data / name).is_dir() else 0o600)}
    assert wrong == {}


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_init_makes_an_existing_open_folder_private(tmp_path: Path) -> None:
    data = tmp_path / "server"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    assert _cli(data, "init").returncode == 0
    assert _modes(data)["."] == 0o700 and _modes(data)["server.sqlite3"] == 0o600


def _old_and_new(db: Database) -> None:
    """Per kind, one row past its use and one still needed."""
    now = utcnow()
    long_ago, recent = now - dt.timedelta(days=100), now - dt.timedelta(days=1)
    with db.writing() as s:
        user = add_user(s, "pruned-rep", PASSWORD, "rep")
        for i, at in enumerate((long_ago, recent)):
            s.add(IdempotencyRecord(mutation_id=f"m-{i}", user_id=user.id, device_id="d",
                                    received_at=at, status="applied", response="{}"))
            s.add(LoginAttempt(kind="addr", key="10.0.0.1",
                               at=now - dt.timedelta(hours=2) if i == 0 else now))
        s.add_all([
            Token(token_hash="a" * 64, user_id=user.id, device_id="d", created_at=long_ago,
                  expires_at=long_ago + dt.timedelta(days=1)),  # expired long ago
            Token(token_hash="b" * 64, user_id=user.id, device_id="d", created_at=long_ago,
                  expires_at=now + dt.timedelta(days=1), revoked_at=long_ago),
            Token(token_hash="c" * 64, user_id=user.id, device_id="d", created_at=recent,
                  expires_at=recent + dt.timedelta(hours=1)),  # expired yesterday: kept
            Token(token_hash="d" * 64, user_id=user.id, device_id="d", created_at=recent,
                  expires_at=now + dt.timedelta(days=13)),  # live
        ])


def _counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as s:
        return (s.scalar(select(func.count()).select_from(IdempotencyRecord)) or 0,
                s.scalar(select(func.count()).select_from(Token)) or 0,
                s.scalar(select(func.count()).select_from(LoginAttempt)) or 0)


def test_prune_removes_only_what_is_past_its_use(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("FIELDREP_SERVER_DSN", raising=False)
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    upgrade(db)
    _old_and_new(db)
    assert _counts(db) == (2, 4, 2)
    assert main(["--data-dir", str(tmp_path), "prune"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "idempotency_records": 1, "tokens": 2, "login_attempts": 1}
    assert _counts(db) == (1, 2, 1)
    with db.reading() as s:
        assert s.scalars(select(IdempotencyRecord.mutation_id)).all() == ["m-1"]
        assert sorted(s.scalars(select(Token.token_hash))) == ["c" * 64, "d" * 64]
    assert main(["--data-dir", str(tmp_path), "prune"]) == 0  # nothing left to do
    assert json.loads(capsys.readouterr().out) == {
        "idempotency_records": 0, "tokens": 0, "login_attempts": 0}
    db.dispose()


def test_serve_prunes_periodically(tmp_path: Path) -> None:
    dsn = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    db = Database(dsn)
    upgrade(db)
    _old_and_new(db)
    proc, base = start_server(tmp_path, dsn, "prune_interval_s = 1\n")
    try:
        deadline = time.monotonic() + 30
        while _counts(db) != (1, 2, 1):
            assert time.monotonic() < deadline, f"not pruned: {_counts(db)}"
            time.sleep(0.2)  # waiting for the server's own timer; nothing to wait on instead
        assert requests.get(base + "/api/v1/health", timeout=5).ok
        with db.reading() as s:
            assert s.scalar(select(User.id).where(User.username == "pruned-rep"))
    finally:
        stop_server(proc)
        db.dispose()
