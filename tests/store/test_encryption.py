"""Encryption at rest: a store opened with a key is SQLCipher throughout (database, WAL,
backups); plain sqlite3 reads nothing of it and the bytes hold no personal data."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.ids import uuid7
from app.store.accounts import Account
from app.store.bulk import upsert_rows
from app.store.database import Database, WrongKeyError, backup, open_database
from app.store.escalations import MedicalAnswer, MedicalInquiry
from app.store.keys import TEST_KEY, KdfParams, derive_key
from app.store.models import Base
from app.store.queries import AccountFilter, search_accounts
from tests.factories import make_world

specialties = Base.metadata.tables["specialties"]
ANSWER = "Dosisanpassung bei Niereninsuffizienz: Kreatinin-Clearance 29 ml/min"
NOTE = "Patientin Erika Mustermann vertraegt Cardiozan nicht"


@pytest.fixture
def sealed(tmp_path: Path) -> Iterator[Database]:
    """An encrypted store (the fixed test key) holding a doctor, a note and a medical answer."""
    db = open_database(tmp_path / "store.sqlite", TEST_KEY)
    with db.write() as session:
        session.info["from_server"] = True
        world = make_world(session)
        doctor = session.get(Account, world.doctor.id)
        assert doctor is not None
        doctor.notes = NOTE
        inquiry = MedicalInquiry(id=uuid7(), account_id=world.doctor.id,
                                 product_id=world.promoted.id, raised_by=world.rep.id,
                                 raised_at=dt.datetime(2026, 5, 1), question="Dosis?",
                                 urgency="routine", answer_channel="email", status="answered")
        session.add(inquiry)
        session.flush()
        session.add(MedicalAnswer(id=uuid7(), inquiry_id=inquiry.id, author_id=world.rep.id,
                                  answered_at=dt.datetime(2026, 5, 2), channel="email",
                                  answer=ANSWER))
    yield db
    db.close()


def folder_bytes(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_plain_sqlite3_cannot_read_an_encrypted_store(sealed: Database) -> None:
    assert sealed.path.read_bytes()[:16] != b"SQLite format 3\x00"
    with contextlib.closing(sqlite3.connect(sealed.path)) as conn, \
            pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM accounts").fetchone()


def test_no_file_of_the_folder_holds_a_name_a_note_or_a_medical_answer(
        sealed: Database) -> None:
    with sealed.read() as session:  # the WAL holds the pages until a checkpoint
        assert session.execute(text("SELECT answer FROM medical_answers")).scalar() == ANSWER
    wal = Path(f"{sealed.path}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    saved = backup(sealed.path, "test", sealed.key)
    files = folder_bytes(sealed.path.parent)
    assert saved in files and wal in files
    for path, data in files.items():
        for secret in (ANSWER, NOTE, "Müller", "Jürgen"):
            for encoded in (secret.encode(), secret.encode("utf-16-le")):
                assert encoded not in data, f"{secret!r} in {path.name}"


def test_a_backup_is_encrypted_with_the_same_key(sealed: Database) -> None:
    saved = backup(sealed.path, "test", sealed.key)
    with contextlib.closing(sqlite3.connect(saved)) as conn, \
            pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM accounts").fetchone()
    copy = open_database(saved, TEST_KEY)
    try:
        with copy.read() as session:
            assert session.execute(text("SELECT answer FROM medical_answers")).scalar() \
                == ANSWER
    finally:
        copy.close()


def test_a_wrong_key_opens_nothing_and_changes_nothing(sealed: Database) -> None:
    sealed.close()
    before = folder_bytes(sealed.path.parent)
    with pytest.raises(WrongKeyError):
        open_database(sealed.path, bytes(32))
    assert folder_bytes(sealed.path.parent) == before
    with pytest.raises(Exception, match="not an SQLite file"):  # and without a key at all
        open_database(sealed.path)


def test_search_and_bulk_paths_work_on_an_encrypted_store(sealed: Database) -> None:
    """FTS5 search and the raw-connection executemany (app/store/bulk.py) run on SQLCipher."""
    rows = [{"id": uuid7(), "code": f"S{i}", "name_en": f"Specialty {i}", "name_de": "x",
             "version": 1, "updated_at": dt.datetime(2026, 1, 1), "deleted": False}
            for i in range(50)]
    with sealed.write() as session:
        upsert_rows(session.connection(), specialties, rows, ["code"])
    with sealed.read() as session:
        conn = session.connection()
        found = {r.id for r in search_accounts(conn, AccountFilter("muel"))}
        count = conn.execute(text("SELECT count(*) FROM specialties")).scalar()
    assert len(found) == 1 and count == 51


def test_keys_come_from_argon2id_and_differ_by_salt() -> None:
    cheap = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
    first = derive_key("Sehr-geheim-4711", b"0" * 16, cheap)
    assert len(first) == 32
    assert derive_key("Sehr-geheim-4711", b"0" * 16, cheap) == first
    assert derive_key("Sehr-geheim-4711", b"1" * 16, cheap) != first
    assert derive_key("Sehr-geheim-4712", b"0" * 16, cheap) != first
    with pytest.raises(ValueError):
        KdfParams.from_json({"alg": "argon2id", "time_cost": 1, "memory_kib": 64,
                             "parallelism": 1})  # a header cannot lower the cost to nothing
