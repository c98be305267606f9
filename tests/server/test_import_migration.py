"""Server migration 0010 (imports keep what the source says) on SQLite and PostgreSQL, on a
database of its own: specialties whose code was their name cut at 32 characters are re-coded
and re-versioned, and the next import gives each doctor the specialty of its own name."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import select, text

from server.db import Database, alembic_config, head_revision, upgrade
from server.importing.run import import_csv
from server.models import Account, ExternalId, Specialty
from tests.server.test_sync_migration import fresh_dsn

__all__ = ["fresh_dsn"]

TAXONOMY = "Allopathic & Osteopathic Physicians|Internal Medicine|"
CARDIOLOGY = TAXONOMY + "Cardiovascular Disease"
ELECTROPHYSIOLOGY = TAXONOMY + "Clinical Cardiac Electrophysiology"


def test_collided_specialties_are_repaired(fresh_dsn: str) -> None:
    db = Database(fresh_dsn)
    try:
        with db.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0009_gdpr")
            # What the cut made: one specialty for two names, both doctors on it.
            now = dt.datetime(2026, 1, 1)
            conn.execute(text("UPDATE change_counter SET value = 41 WHERE name = 'main'"))
            conn.execute(text(
                "INSERT INTO specialties (id, version, updated_at, deleted, code, name_en, "
                "name_de) VALUES ('s-cut', 7, :now, false, 'allopathic-osteopathic-physician',"
                " :name, :name), ('s-short', 7, :now, false, 'kardiologie', 'Kardiologie', "
                "'Kardiologie')"), {"now": now, "name": CARDIOLOGY})
            for n in (1, 2):
                conn.execute(text(
                    "INSERT INTO accounts (id, version, updated_at, deleted, kind, name, "
                    "specialty_id) VALUES (:id, 7, :now, false, 'hcp', :name, 's-cut')"),
                    {"id": f"a-{n}", "now": now, "name": f"Dr. {n}"})
                conn.execute(text(
                    "INSERT INTO external_ids (id, version, updated_at, deleted, account_id, "
                    "system, value) VALUES (:id, 7, :now, false, :account, 'NPPES', :value)"),
                    {"id": f"x-{n}", "now": now, "account": f"a-{n}", "value": str(n)})
        assert upgrade(db) == head_revision()
        with db.reading() as s:
            cut = s.get(Specialty, "s-cut")
            short = s.get(Specialty, "s-short")
            assert cut is not None and short is not None
            assert cut.code == "allopathic-osteopathic-c00dcc04"
            assert cut.version == 42  # a new change: laptops pull the repaired code
            assert (short.code, short.version) == ("kardiologie", 7)
        # The source names each doctor's specialty again: each gets its own.
        report = import_csv(db, (f'id:NPPES,name,specialty\n1,Dr. 1,"{CARDIOLOGY}"\n'
                                 f'2,Dr. 2,"{ELECTROPHYSIOLOGY}"\n').encode())
        assert [r.status for r in report.results] == ["unchanged", "updated"]
        with db.reading() as s:
            given = dict(s.execute(
                select(Account.name, Specialty.name_en)
                .join(Specialty, Specialty.id == Account.specialty_id)).all())
            assert given == {"Dr. 1": CARDIOLOGY, "Dr. 2": ELECTROPHYSIOLOGY}
        # External id systems are no longer cut at 32 characters.
        system = "urn:oid:" + ".".join(["2.16.840.1.113883.3"] * 8)
        with db.writing() as s:
            s.add(ExternalId(account_id="a-1", system=system, value="9"))
        with db.reading() as s:
            assert s.scalar(select(ExternalId.system).where(ExternalId.value == "9")) == system
        with db.engine.begin() as conn:  # down (a whole URI does not fit there) and up again
            conn.execute(text("DELETE FROM external_ids WHERE value = '9'"))
            command.downgrade(alembic_config(conn), "0009_gdpr")
        assert upgrade(db) == head_revision()
    finally:
        db.dispose()
