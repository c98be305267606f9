"""The `fieldrep` command as a person runs it: version, bad data folders, demo, start-up."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app import __version__
from app.__main__ import EXIT_UNUSABLE_DATA, main
from app.store.database import open_database


def demo_accounts(laptop: Path) -> int:
    """The accounts in the demo rep's encrypted store (the demo knows the password)."""
    from app.demo.server import REP
    from app.store.keys import derive_key
    from app.store.user_stores import read_header, store_for

    store = store_for(laptop, REP.username)
    header = read_header(store)
    assert header is not None
    db = open_database(store.database, derive_key(REP.password, header.salt, header.kdf))
    try:
        with db.read() as session:
            return int(session.execute(text("SELECT count(*) FROM accounts")).scalar_one())
    finally:
        db.close()


def run_fieldrep(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"Fieldrep {__version__}"


def test_a_file_that_is_not_sqlite_gives_a_clear_message_and_exit_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "fieldrep.sqlite"
    database.write_text("these are my notes, not a database\n", encoding="utf-8")
    before = database.read_bytes()

    assert main(["--data-dir", str(tmp_path)]) == EXIT_UNUSABLE_DATA

    err = capsys.readouterr().err
    assert "not a Fieldrep database" in err
    assert database.read_bytes() == before
    assert (tmp_path / "logs" / "fieldrep.log").read_text(encoding="utf-8").count("cannot open")


def test_a_database_from_a_newer_fieldrep_is_left_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "fieldrep.sqlite"
    open_database(database).close()
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    before = database.read_bytes()

    assert main(["--data-dir", str(tmp_path)]) == EXIT_UNUSABLE_DATA

    assert "newer version of Fieldrep" in capsys.readouterr().err
    assert database.read_bytes() == before


@pytest.mark.slow  # two app processes and a seeded server: CI runs it with the slow tests
def test_demo_starts_the_server_syncs_and_reports_first_paint(tmp_path: Path) -> None:
    laptop, server = tmp_path / "laptop", tmp_path / "server"
    result = run_fieldrep("--data-dir", str(laptop), "--probe", "demo", "--accounts", "60",
                          "--server-dir", str(server))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "painted" in lines
    figures = json.loads(lines[-1])
    assert 0 < figures["rss_mb"] < 2000
    assert "Demo server: http://127.0.0.1:" in result.stderr
    assert "rep      demo-rep" in result.stderr and "msl      demo-msl" in result.stderr
    assert (laptop / "logs" / "fieldrep.log").exists()
    # The window's first sync brought the territory from the server, into the rep's own
    # encrypted store in a private data folder.
    assert demo_accounts(laptop) == 60
    assert not (laptop / "fieldrep.sqlite").exists()
    assert stat.S_IMODE(laptop.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in laptop.rglob("*") if p.is_file())
    # The server stopped with the app that started it.
    assert not (server / "running.json").exists()

    # A second start reuses the seeded server instead of generating it again.
    again = run_fieldrep("--data-dir", str(laptop), "--probe", "demo", "--accounts", "60",
                         "--server-dir", str(server))
    assert again.returncode == 0, again.stderr
    assert "Creating the demo server" not in again.stderr


@pytest.mark.slow  # two app processes and a seeded server: CI runs it with the slow tests
def test_a_second_demo_laptop_joins_the_running_demo_server(tmp_path: Path) -> None:
    from app.demo import server as demo_server

    server = demo_server.ensure(tmp_path / "server", 30, 7, say=lambda _text: None)
    try:
        result = run_fieldrep("--data-dir", str(tmp_path / "laptop-2"), "--probe", "demo",
                              "--accounts", "30", "--server-dir", str(tmp_path / "server"))
        assert result.returncode == 0, result.stderr
        assert f"Joining the demo server at {server.url}." in result.stderr
        assert "started by another Fieldrep window" in result.stderr
        assert demo_accounts(tmp_path / "laptop-2") == 30
        assert demo_server.healthy(server.url)  # a joining laptop never stops the server
    finally:
        server.stop()
