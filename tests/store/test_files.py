"""Files and permissions: the data folder is the owner's alone, deletes overwrite, and the
log carries ids but no row values."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.config import Paths, make_private, setup_logging
from app.ids import uuid7
from app.store.database import Database, backup, open_database
from app.store.keys import TEST_KEY
from app.store.models import Account


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask of a careless desktop session (files 0644, folders 0755)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_store_its_wal_and_its_backups_are_private_whatever_the_umask(
        tmp_path: Path, loose_umask: None) -> None:
    db = open_database(tmp_path / "store.sqlite", TEST_KEY)
    try:
        with db.write() as session:
            session.add(Account(kind="hcp", name="Dr. A"))
        saved = backup(db.path, "test", db.key)
        files = [db.path, Path(f"{db.path}-wal"), Path(f"{db.path}-shm"), saved]
        assert all(p.exists() for p in files)
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
        assert mode(saved.parent) == 0o700
    finally:
        db.close()


def test_make_private_closes_the_data_folder_and_what_an_older_version_left_open(
        tmp_path: Path, loose_umask: None) -> None:
    data = tmp_path / "data"
    (data / "backups").mkdir(parents=True)
    old = data / "backups" / "fieldrep-0001.sqlite"
    old.write_bytes(b"x")
    os.chmod(data, 0o755)
    os.chmod(old, 0o644)
    try:
        make_private(data)
        assert mode(data) == mode(data / "backups") == 0o700
        assert mode(old) == 0o600
        (data / "running.json").write_text("{}")  # anything written later: private too
        (data / "later").mkdir()
        assert mode(data / "running.json") == 0o600 and mode(data / "later") == 0o700
    finally:
        os.umask(0o022)


def test_the_log_file_is_private(tmp_path: Path, loose_umask: None) -> None:
    paths = Paths(tmp_path)
    setup_logging(paths)
    try:
        logging.getLogger("app.test").info("hello")
        assert mode(paths.log_file) == 0o600
        assert mode(paths.log_file.parent) == 0o700
    finally:
        for handler in logging.getLogger().handlers[:]:
            logging.getLogger().removeHandler(handler)
            handler.close()


@pytest.mark.parametrize("key", [None, TEST_KEY], ids=["plain", "encrypted"])
def test_secure_delete_is_always_on(tmp_path: Path, key: bytes | None) -> None:
    """SQLCipher's build leaves it off by default (this machine's SQLite has it on)."""
    db = open_database(tmp_path / "store.sqlite", key)
    try:
        for engine in (db.writer, db.reader):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        db.close()


def test_a_deleted_row_leaves_no_trace_in_the_file(tmp_path: Path) -> None:
    db = open_database(tmp_path / "store.sqlite")  # plain: the bytes can be read back
    marker = "Revoked-Doctor-Zacharias-Quellmalz"
    try:
        with db.write() as session:
            session.info["from_server"] = True  # pulled, so no outbox copy of it
            account = Account(kind="hcp", name=marker)
            session.add(account)
        with db.write() as session:  # a revocation removes rows like this (app/sync/revoke)
            session.info["from_server"] = True
            session.execute(delete(Account).where(Account.id == account.id))
    finally:
        db.close()  # the last connection checkpoints the WAL into the file
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), path.name


def test_a_database_error_does_not_carry_row_values_into_the_log(db: Database) -> None:
    name = "Dr. Hildegard Privatname"
    same_id = uuid7()
    with db.write() as session:
        session.add(Account(id=same_id, kind="hcp", name=name))
    with pytest.raises(IntegrityError) as caught, db.write() as session:
        session.add(Account(id=same_id, kind="hcp", name=name))
    assert name not in str(caught.value)
