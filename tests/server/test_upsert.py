"""The import's write path on both databases: a row the database refuses is rolled back
alone, after the fast bulk path gave up on its batch."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.db import Database
from server.importing import upsert
from server.importing.records import SpecialtyIn
from server.importing.run import import_csv
from server.models import Account, Address, ExternalId


@pytest.fixture
def database(backend_dsn: str) -> Iterator[Database]:
    """The session's database (schema made by the live server fixture's migrations)."""
    from server.db import upgrade

    db = Database(backend_dsn)
    upgrade(db)
    yield db
    db.dispose()


def test_a_refused_row_leaves_nothing_and_stops_nothing(
        database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    real = upsert.Upserter._specialty_id

    def refuse_boom(self: upsert.Upserter, conn: object, specialty: SpecialtyIn,
                    version: int) -> str:
        if specialty.name == "BOOM":
            raise IntegrityError("INSERT ...", {}, Exception("refused by the database"))
        return real(self, conn, specialty, version)  # type: ignore[arg-type]

    monkeypatch.setattr(upsert.Upserter, "_specialty_id", refuse_boom)
    base = uuid.uuid4().int % 10**8
    rows = ["id:UPSERT,name,specialty,line1,city"]
    rows += [f"{base + i},Dr. Row {i},{'BOOM' if i == 3 else 'Kardiologie'},Weg {i},Bonn"
             for i in range(6)]
    report = import_csv(database, "\n".join(rows).encode())
    statuses = [r.status for r in report.results]
    assert statuses == ["created", "created", "created", "skipped", "created", "created"]
    assert "database refused the row" in (report.results[3].reason or "")
    with database.reading() as s:
        assert s.scalar(select(ExternalId.id).where(
            ExternalId.system == "UPSERT", ExternalId.value == str(base + 3))) is None
        assert s.scalar(select(func.count()).select_from(Account)
                        .where(Account.name == "Dr. Row 3")) == 0
        assert s.scalar(select(func.count()).select_from(Address)
                        .where(Address.line1 == "Weg 3", Address.city == "Bonn")) == 0
        assert s.scalar(select(func.count()).select_from(Account)
                        .where(Account.name.in_([f"Dr. Row {i}" for i in (0, 1, 2, 4, 5)]))
                        ) == 5


def test_same_account_twice_in_one_file(database: Database) -> None:
    key = str(uuid.uuid4().int % 10**9)
    csv = f"id:TWICE,name,city,line1\n{key},Dr. Erst,Bonn,A\n{key},Dr. Zweit,Köln,B\n"
    report = import_csv(database, csv.encode())
    assert [r.status for r in report.results] == ["created", "updated"]
    assert report.results[0].account_id == report.results[1].account_id
    with database.reading() as s:
        account = s.get(Account, report.results[0].account_id)
        assert account is not None
        assert account.name == "Dr. Zweit"
        assert s.scalars(select(Address.city).where(
            Address.account_id == account.id)).all() == ["Köln"]
