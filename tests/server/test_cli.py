"""The admin CLI: every command, `--help` everywhere, progress for big imports."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from server.cli import main
from server.db import Database
from server.importing.run import import_csv
from tests.server.import_fixtures import synthetic_bundles

ROOT = Path(__file__).resolve().parents[2]

COMMANDS = [[], ["init"], ["user"], ["user", "add"], ["user", "list"], ["user", "disable"],
            ["user", "manager"], ["territory"], ["territory", "add"], ["territory", "assign"],
            ["import"], ["rules"], ["rules", "publish"], ["rules", "list"], ["serve"],
            ["demo"], ["prune"], ["user", "enable"], ["user", "password"],
            ["territory", "unassign"], ["territory", "promote"], ["territory", "unpromote"],
            ["product", "add"], ["product", "set"], ["product", "list"], ["keymessage", "add"],
            ["keymessage", "list"], ["keymessage", "retire"], ["area", "list"],
            ["area", "rename"], ["content", "approve"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_everywhere(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: fieldrep-server" in capsys.readouterr().out


def test_module_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "server", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=60)
    assert "init" in out.stdout and "serve" in out.stdout


def test_a_whole_session(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FIELDREP_SERVER_DSN", raising=False)
    d = ["--data-dir", str(tmp_path)]
    with pytest.raises(SystemExit, match="not initialised"):
        main([*d, "user", "list"])
    assert main([*d, "init"]) == 0
    assert main([*d, "init"]) == 0  # upgrading an up-to-date database is a no-op
    assert (tmp_path / "server.sqlite3").is_file()
    assert main([*d, "territory", "add", "BER-1", "Berlin Mitte"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("manager-password\n"))
    assert main([*d, "user", "add", "boss", "--role", "manager", "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("rep-password\n"))
    assert main([*d, "user", "add", "Anna", "--role", "rep", "--manager", "boss",
                 "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main([*d, "user", "add", "bob", "--role", "rep", "--password-stdin"]) == 2
    assert main([*d, "territory", "assign", "anna", "BER-1"]) == 0
    assert main([*d, "territory", "assign", "anna", "NOPE"]) == 2
    csv = tmp_path / "ärzte.csv"
    csv.write_text("LANR;Name;Ort;Straße\n123456601;Dr. Änne Groß;Köln;Domplatz 1\n",
                   encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('delimiter = ";"\n[columns]\nname = "Name"\ncity = "Ort"\n'
                       'line1 = "Straße"\n[external_ids]\nLANR = "LANR"\n', encoding="utf-8")
    capsys.readouterr()
    assert main([*d, "import", str(csv), "--mapping", str(mapping), "--territory", "BER-1",
                 "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert '"created": 1' in out
    assert main([*d, "user", "disable", "anna"]) == 0
    assert main([*d, "user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "anna\trep\tdisabled\tBER-1" in listing
    assert "boss\tmanager\tactive" in listing


def test_import_refuses_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    d = ["--data-dir", str(tmp_path)]
    main([*d, "init"])
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("id:LANR,name\n1,M\xfcller\n".encode("latin-1"))
    assert main([*d, "import", str(bad), "--no-progress"]) == 1
    assert "not valid utf-8" in capsys.readouterr().err
    assert main([*d, "import", str(bad), "--encoding", "latin-1", "--no-progress"]) == 0


def test_import_links_files_given_in_reverse_order(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Roles, then practitioners, then organisations in one command: every role links."""
    d = ["--data-dir", str(tmp_path)]
    main([*d, "init"])
    files = []
    for name, body in zip(("3-organisations", "2-practitioners", "1-roles"),
                          synthetic_bundles("cli"), strict=True):
        files.append(tmp_path / f"{name}.json")
        files[-1].write_bytes(body)
    capsys.readouterr()
    assert main([*d, "import", *map(str, reversed(files)), "--no-progress"]) == 0
    reports = json.loads(capsys.readouterr().out)
    roles = reports[str(files[2])]
    assert roles["counts"] == {"linked": 2}
    assert reports[str(files[1])]["flags"] == {"identifier rejected": 1, "no address": 2}
    assert list(reports) == [str(f) for f in reversed(files)]


@pytest.mark.slow
def test_100k_rows_with_progress(tmp_path: Path) -> None:
    from server.db import upgrade

    db = Database(f"sqlite:///{tmp_path / 'big.sqlite3'}")
    upgrade(db)
    lines = ["id:LANR,name,city,line1,postcode,specialty"]
    lines += [f"{100000000 + i},Dr. Müller {i},Köln,Domplatz {i},50667,Spec {i % 40}"
              for i in range(100_000)]
    seen: list[int] = []
    report = import_csv(db, "\n".join(lines).encode(), progress=lambda n, _t: seen.append(n))
    assert report.counts() == {"created": 100_000}
    assert seen[-1] == 100_000
    assert len(seen) > 10
    db.dispose()


def test_sqlite_backup_before_migrations(tmp_path: Path) -> None:
    import sqlite3

    from server.db import backup_sqlite, upgrade

    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    upgrade(db)
    target = backup_sqlite(db, "before-test")
    db.dispose()
    assert target is not None
    with sqlite3.connect(target) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {"accounts", "users", "alembic_version"} <= tables


def test_a_database_of_an_older_schema_is_refused_in_words_until_init(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A server updated without `init` would answer every sync with an error: it refuses to
    start on an older schema and says what to do; `init` upgrades it."""
    from alembic import command

    from server.db import alembic_config, head_revision

    assert main(["--data-dir", str(tmp_path), "init"]) == 0
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "-1")
    db.dispose()
    for args in (["serve", "--port", "1"], ["user", "list"]):
        with pytest.raises(SystemExit) as refused:
            main(["--data-dir", str(tmp_path), *args])
        assert f"this server needs {head_revision()}" in str(refused.value.code)
        assert "run `fieldrep-server init` to upgrade it" in str(refused.value.code)
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path), "init"]) == 0
    assert head_revision() in capsys.readouterr().out
