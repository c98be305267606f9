"""Alembic migrations: the known revisions, upgrading a file full of data, models vs schema."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, text

from app.services import calls
from app.store.database import Database, open_database
from app.store.queries import AccountFilter, search_accounts, sql_datetime
from app.store.schema import HEAD, REVISIONS
from migrations import script_location
from tests.factories import World

PREVIOUS = "0001_initial"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    return cfg


@contextlib.contextmanager
def alembic_on(path: Path) -> Iterator[tuple[Config, Connection]]:
    """An Alembic config running on a plain connection to `path` (committed at the end)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            yield cfg, conn
    finally:
        engine.dispose()


def revision_of(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_known_revisions_are_the_alembic_chain() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    chain = [rev.revision for rev in script.walk_revisions(base="base", head="heads")]
    assert tuple(reversed(chain)) == REVISIONS
    assert script.get_heads() == [HEAD]


# --- upgrading a file with data -------------------------------------------------------

OLD_DATA = [
    "INSERT INTO territories (id, code, name) VALUES ('t1', 'DE-BY-01', 'München Nord')",
    "INSERT INTO specialties (id, code, name_en, name_de) "
    "VALUES ('s1', 'CARD', 'Cardiology', 'Kardiologie')",
    "INSERT INTO users (id, username, display_name, role, territory_id) "
    "VALUES ('u1', 'rep', 'Lena Vogel', 'rep', 't1')",
    "INSERT INTO accounts (id, kind, title, first_name, last_name, name, specialty_id, "
    "territory_id) VALUES ('a1', 'hcp', 'Dr. med.', 'Jürgen', 'Müller', "
    "'Dr. med. Jürgen Müller', 's1', 't1')",
    "INSERT INTO accounts (id, kind, first_name, last_name, name, territory_id) "
    "VALUES ('a2', 'hcp', 'Anna', 'Schäfer', 'Dr. Anna Schäfer', 't1')",
    "INSERT INTO addresses (id, account_id, line1, postcode, city, country, is_primary) "
    "VALUES ('ad1', 'a1', 'Hauptstraße 1', '80331', 'München', 'DE', 1)",
    "INSERT INTO addresses (id, account_id, line1, postcode, city, country, is_primary) "
    "VALUES ('ad2', 'a2', 'Ring 5', '50667', 'Köln', 'DE', 1)",
    "INSERT INTO external_ids (id, account_id, system, value) "
    "VALUES ('e1', 'a1', 'LANR', '123456701')",
]
CALLS = {  # account -> (start_at, status) of its calls
    "a1": [(dt.datetime(2026, 3, 2, 10), "submitted"), (dt.datetime(2026, 5, 4, 9), "submitted"),
           (dt.datetime(2026, 6, 1, 9), "draft")],
    "a2": [],
}


def write_old_database(path: Path) -> None:
    with alembic_on(path) as (cfg, conn):
        command.upgrade(cfg, PREVIOUS)
        for sql in OLD_DATA:
            conn.exec_driver_sql(sql)
        for account_id, rows in CALLS.items():
            for n, (start_at, status) in enumerate(rows):
                conn.exec_driver_sql(
                    "INSERT INTO interactions (id, account_id, owner_id, channel, status, "
                    "start_at, notes) VALUES (?, ?, 'u1', 'in_person', ?, ?, 'Kept')",
                    (f"{account_id}-call-{n}", account_id, status, sql_datetime(start_at)))


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "fieldrep.sqlite"
    write_old_database(path)
    assert revision_of(path) == PREVIOUS
    db = open_database(path)
    yield db
    db.close()


def find(db: Database, typed: str) -> set[str]:
    with db.read() as session:
        return {row.id for row in search_accounts(session.connection(), AccountFilter(typed))}


def test_an_upgrade_backs_up_the_file_first(upgraded: Database) -> None:
    [saved] = (upgraded.path.parent / "backups").iterdir()
    assert PREVIOUS in saved.name
    assert revision_of(saved) == PREVIOUS
    with contextlib.closing(sqlite3.connect(saved)) as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone() == (2,)
    assert revision_of(upgraded.path) == HEAD


def test_an_upgrade_keeps_the_data(upgraded: Database) -> None:
    with upgraded.read() as session:
        accounts = session.connection().exec_driver_sql(
            "SELECT id, name, specialty_id FROM accounts ORDER BY id").all()
        calls = session.connection().exec_driver_sql(
            "SELECT count(*), min(notes), max(notes) FROM interactions").one()
        ext = session.connection().exec_driver_sql("SELECT value FROM external_ids").all()
    assert [tuple(r) for r in accounts] == [("a1", "Dr. med. Jürgen Müller", "s1"),
                                            ("a2", "Dr. Anna Schäfer", None)]
    assert tuple(calls) == (3, "Kept", "Kept")
    assert [tuple(r) for r in ext] == [("123456701",)]


def test_an_upgrade_fills_the_derived_columns(upgraded: Database) -> None:
    with upgraded.read() as session:
        rows = {r[0]: tuple(r[1:]) for r in session.connection().exec_driver_sql(
            "SELECT id, name_key, city, city_key, postcode, last_contact_at FROM accounts")}
    assert rows == {
        "a1": ("muller jurgen", "München", "munchen", "80331",
               sql_datetime(dt.datetime(2026, 5, 4, 9))),
        "a2": ("schafer anna", "Köln", "koln", "50667", None),
    }


@pytest.mark.parametrize(
    ("typed", "found"),
    [("mül", {"a1"}), ("muel", {"a1"}), ("Müller Jürg", {"a1"}), ("münch", {"a1"}),
     ("koeln", {"a2"}), ("kardio", {"a1"}), ("1234567", {"a1"}), ("dr", {"a1", "a2"}),
     ("berlin", set())],
)
def test_an_upgraded_database_finds_its_accounts(upgraded: Database, typed: str,
                                                 found: set[str]) -> None:
    assert find(upgraded, typed) == found


# --- models and schema ----------------------------------------------------------------


def test_the_models_match_the_migrated_schema(db: Database) -> None:
    """`alembic check`: autogenerate finds nothing to migrate (env.py's filters apply)."""
    db.close()
    with alembic_on(db.path) as (cfg, _conn):
        command.check(cfg)


def test_downgrade_and_upgrade_again(db: Database, world: World) -> None:
    db.close()
    with alembic_on(db.path) as (cfg, conn):
        command.downgrade(cfg, PREVIOUS)
        assert "name_key" not in {c["name"] for c in inspect(conn).get_columns("accounts")}
        assert conn.exec_driver_sql("SELECT count(*) FROM accounts").scalar() == 2

    again = open_database(db.path)  # upgrades the data back, searchable again
    try:
        assert find(again, "muel") == {world.doctor.id}
    finally:
        again.close()

    with alembic_on(db.path) as (cfg, conn):
        command.downgrade(cfg, "base")
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
        command.upgrade(cfg, "head")
        command.check(cfg)
    assert revision_of(db.path) == HEAD


#: The guards the schema promises (README, app/store/interactions.py, journal.py). A batch
#: migration that rebuilds a table drops its triggers silently: this list catches that.
GUARDS = {
    "audit_log_no_update", "audit_log_no_delete", "interactions_locked",
    "interactions_no_delete", "account_search_ai", "account_search_au", "account_search_ad",
    *(f"{table}_locked_{op}" for table in ("samples", "discussed_products",
                                           "discussed_key_messages", "attendees")
      for op in ("update", "delete")),
}


def test_every_guard_trigger_is_there_at_head(db: Database) -> None:
    with db.read() as session:
        triggers = set(session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert triggers >= GUARDS


def test_a_submitted_calls_children_and_the_audit_log_cannot_be_rewritten(
        db: Database, world: World) -> None:
    form = calls.CallForm(account_id=world.doctor.id, start_at="2026-05-01T10:00",
                          products=[world.promoted.id],
                          samples=[calls.SampleLine(world.promoted.id, "L1", 2)],
                          attendees=["Dr. Weber"], signature="[[[0.1,0.1],[0.5,0.5]]]",
                          signer_name="Dr. Müller")
    with db.write() as session:
        call_id = calls.save_draft(session, world.rep.id, form)
    with db.write() as session:
        calls.submit_call(session, world.rep.id, call_id,
                          now=dt.datetime(2026, 6, 1, 12, 0))
    conn = sqlite3.connect(db.path)
    try:
        for sql in ("UPDATE samples SET quantity = 9",
                    "UPDATE attendees SET deleted = 1",
                    "DELETE FROM discussed_products",
                    "UPDATE audit_log SET action = 'rewritten', version = version + 1"):
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(sql)
        conn.execute("UPDATE samples SET version = 7")  # sync may acknowledge a row
        conn.commit()
    finally:
        conn.close()
