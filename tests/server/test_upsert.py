"""The import's write path on both databases: a row the database refuses is rolled back
alone, after the fast bulk path gave up on its batch; specialty codes never collide; the files
of one command link in any order; a refused row or file is one line in the log."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from server.db import Database
from server.importing import upsert
from server.importing.records import ImportFormatError, SpecialtyIn
from server.importing.run import Batch, import_csv
from server.models import Account, Address, Affiliation, ExternalId, Specialty
from tests.server.import_fixtures import synthetic_bundles


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


def test_long_specialty_names_never_share_a_code(database: Database) -> None:
    """US taxonomy names share their first 32 characters: each keeps its own specialty."""
    taxonomy = "Allopathic & Osteopathic Physicians|Internal Medicine|"
    names = [taxonomy + "Cardiovascular Disease", taxonomy + "Clinical Cardiac Electrophysiology",
             "Allopathic & Osteopathic Physicians|Orthopaedic Surgery"]
    base = uuid.uuid4().int % 10**8
    rows = ["id:SPEC,name,specialty"]
    rows += [f'{base + i},Dr. Spec {i},"{name}"' for i, name in enumerate(names)]
    report = import_csv(database, "\n".join(rows).encode())
    with database.reading() as s:
        stored = [s.scalar(select(Specialty.name_en).join(
            Account, Account.specialty_id == Specialty.id).where(Account.id == r.account_id))
            for r in report.results]
        codes = s.scalars(select(Specialty.code).where(Specialty.name_en.in_(names))).all()
    assert stored == names
    assert len(set(codes)) == 3
    assert all(len(code) <= 32 for code in codes)
    # The same name always gets the same code; a short name is its slug as before.
    assert upsert.specialty_code(names[0]) == upsert.specialty_code(names[0].upper())
    assert upsert.specialty_code("Innere Medizin") == "innere-medizin"


def test_files_in_any_order_link_by_any_identifier(database: Database) -> None:
    tag = uuid.uuid4().hex[:8]
    organisations, practitioners, roles = synthetic_bundles(tag)
    with database.writing() as s:  # the valid NPI of the example may be left by another run
        s.execute(delete(ExternalId).where(ExternalId.value == "1234567893"))
    batch = Batch(database)
    reports = [batch.fhir(roles), batch.fhir(practitioners), batch.fhir(organisations)]
    batch.finish()
    role_rows = {r.ref: r for r in reports[0].results}
    assert {r: row.status for r, row in role_rows.items()} == {
        f"PractitionerRole/role-bad-{tag}": "linked", f"PractitionerRole/role-good-{tag}": "linked"}
    people = {r.ref: r for r in reports[1].results}
    keller = people[f"Practitioner/bad-{tag}"]
    assert keller.status == "created"
    assert keller.flags == ["identifier rejected", "no address"]
    with database.reading() as s:
        org_id = s.scalar(select(ExternalId.account_id).where(
            ExternalId.system == "github.com/synthetichealth/synthea",
            ExternalId.value == f"org-{tag}"))
        assert org_id is not None  # the whole system, not its last 32 characters
        linked = set(s.scalars(select(Affiliation.hcp_id).where(Affiliation.hco_id == org_id)))
        assert linked == {keller.account_id, people[f"Practitioner/good-{tag}"].account_id}
        assert s.scalar(select(ExternalId.id).where(ExternalId.value == "9999941995")) is None
        assert s.scalar(select(Address.region).where(Address.account_id == org_id)) == "US-MA"


def test_a_refused_row_or_file_is_one_log_line(database: Database,
                                                caplog: pytest.LogCaptureFixture) -> None:
    key = uuid.uuid4().int % 10**9
    caplog.set_level(logging.WARNING, logger="server.importing")
    import_csv(database, f"id:LOG,name,line1,latitude\n{key},Dr. Log,Weg 1,north\n"
                         f"{key + 1},,,\n".encode())
    with pytest.raises(ImportFormatError):
        import_csv(database, b"id:LOG,name\n1,\x00\n")
    lines = [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records]
    assert lines == [
        ("WARNING", "CSV import, line 2 refused: latitude 'north' is not a number", None),
        ("WARNING", "CSV import, line 3 refused: a person row without a name: `name`, "
                    "`first_name` and `last_name` are empty", None),
        ("WARNING", "CSV import refused: the file contains NUL bytes: it is not a text CSV "
                    "file", None),
    ]
