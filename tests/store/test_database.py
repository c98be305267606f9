"""Opening the database file: pragmas, refusing files that are not ours, read-only reads."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app.store.database import Database, open_database
from app.store.errors import DatabaseOpenError
from app.store.models import Account, AuditEntry, LocalState
from tests.factories import World

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def assert_refused(path: Path, message: str) -> None:
    """Opening `path` fails with `message` and leaves the file (and its folder) as it was."""
    content = path.read_bytes()
    siblings = {p.name for p in path.parent.iterdir()}

    with pytest.raises(DatabaseOpenError, match=message) as caught:
        open_database(path)

    assert str(path) in str(caught.value)
    assert path.read_bytes() == content
    # No backup and nothing else beside it; reading a WAL database (read-only) may leave its
    # empty -wal and -shm files behind.
    wal = path.with_name(f"{path.name}-wal")
    added = {p.name for p in path.parent.iterdir()} - siblings
    assert added <= {wal.name, f"{path.name}-shm"}
    assert not wal.exists() or wal.stat().st_size == 0


def sqlite_file(path: Path, *statements: str) -> Path:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    return path


@pytest.mark.parametrize("engine_name", ["writer", "reader"])
def test_both_engines_use_wal_and_foreign_keys(db: Database, engine_name: str) -> None:
    engine = getattr(db, engine_name)
    assert pragma(engine, "journal_mode") == "wal"
    assert pragma(engine, "foreign_keys") == 1


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.write() as session:
        session.info["from_server"] = True
        session.add(Account(kind="hcp", name="Nobody", territory_id="no-such-territory"))


@pytest.mark.parametrize(
    "content",
    [b"name;city\nMueller;Muenchen\n", PNG_HEADER, b"SQLite"],
    ids=["text file", "png", "shorter than a header"],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fieldrep.sqlite"
    path.write_bytes(content)
    assert_refused(path, "not an SQLite file")


def test_a_damaged_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "fieldrep.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    assert_refused(path, "cannot be read")


def test_an_sqlite_file_of_another_program_is_refused_untouched(tmp_path: Path) -> None:
    path = sqlite_file(tmp_path / "fieldrep.sqlite",
                       "CREATE TABLE recipes (name TEXT)",
                       "INSERT INTO recipes VALUES ('Apfelstrudel')")
    assert_refused(path, "not a Fieldrep database")


def test_a_database_of_a_newer_fieldrep_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "fieldrep.sqlite"
    open_database(path).close()
    sqlite_file(path, "UPDATE alembic_version SET version_num = '9999_future'")
    assert_refused(path, "newer version of Fieldrep")


def test_reopening_a_current_database_keeps_its_rows_and_makes_no_backup(
        tmp_path: Path) -> None:
    path = tmp_path / "fieldrep.sqlite"
    db = open_database(path)
    with db.write() as session:
        session.add(LocalState(key="user", value="rep"))
    db.close()

    db = open_database(path)
    try:
        with db.read() as session:
            assert session.get(LocalState, "user").value == "rep"  # type: ignore[union-attr]
    finally:
        db.close()
    assert not (tmp_path / "backups").exists()


def test_a_read_session_refuses_orm_writes(db: Database) -> None:
    with pytest.raises(RuntimeError, match="must not change rows"), db.read() as session:
        session.add(LocalState(key="user", value="rep"))

    with db.read() as session:
        assert session.get(LocalState, "user") is None


def test_a_read_session_refuses_changes_to_loaded_rows(db: Database, world: World) -> None:
    with pytest.raises(RuntimeError, match="must not change rows"), db.read() as session:
        session.get(Account, world.doctor.id).notes = "typed in a read"  # type: ignore[union-attr]

    with db.read() as session:
        assert session.get(Account, world.doctor.id).notes is None  # type: ignore[union-attr]


def test_a_read_session_refuses_plain_sql_writes(db: Database) -> None:
    with pytest.raises(OperationalError, match="readonly"), db.read() as session:
        session.execute(text("INSERT INTO local_state (key, value) VALUES ('user', 'rep')"))

    with db.read() as session:
        assert session.get(LocalState, "user") is None


def test_the_audit_log_is_append_only(db: Database) -> None:
    with db.write() as session:
        entry = AuditEntry(action="call.submitted", entity="interactions", row_id="x")
        session.add(entry)

    with pytest.raises(IntegrityError, match="append-only"), db.write() as session:
        session.execute(text("UPDATE audit_log SET action = 'call.deleted'"))
    with pytest.raises(IntegrityError, match="append-only"), db.write() as session:
        session.execute(text("DELETE FROM audit_log"))
    with contextlib.closing(sqlite3.connect(db.path)) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET details = 'rewritten'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log")

    with db.read() as session:
        stored = session.get(AuditEntry, entry.id)
        assert stored is not None
        assert (stored.action, stored.details) == ("call.submitted", None)
