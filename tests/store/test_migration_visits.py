"""The laptop's migration 0017_visits: a visit the doctor did not receive stops being the
account's last contact, and the calls' (status, start) index covers `not_received`."""

from __future__ import annotations

import contextlib
import sqlite3

from alembic import command

from app.store.database import Database, open_database
from app.store.schema import HEAD
from tests.factories import World
from tests.store.test_migrations import alembic_on, revision_of

BEFORE = "0016_clm_records"


def test_a_last_contact_a_failed_visit_had_moved_goes_back(db: Database, world: World) -> None:
    db.close()
    with alembic_on(db.path) as (cfg, conn):
        command.downgrade(cfg, BEFORE)
        for call, start, missed in (("seen", "2026-03-02 10:00:00.000000", 0),
                                    ("missed", "2026-03-09 10:00:00.000000", 1)):
            conn.exec_driver_sql(
                "INSERT INTO interactions (id, account_id, owner_id, channel, status, "
                f"start_at, not_received) VALUES ('{call}', '{world.doctor.id}', "
                f"'{world.rep.id}', 'in_person', 'submitted', '{start}', {missed})")
        # What the code before did: the failed visit moved the last contact.
        conn.exec_driver_sql("UPDATE accounts SET last_contact_at = "
                             "'2026-03-09 10:00:00.000000'")
    again = open_database(db.path)  # the app upgrades its file at start
    again.close()
    assert revision_of(db.path) == HEAD
    with contextlib.closing(sqlite3.connect(db.path)) as raw:
        assert raw.execute("SELECT last_contact_at FROM accounts WHERE id = ?",
                           (world.doctor.id,)).fetchone() == ("2026-03-02 10:00:00.000000",)
        columns = [row[2] for row in raw.execute(
            "PRAGMA index_info('ix_interactions_status_start')")]
    assert columns == ["status", "start_at", "deleted", "not_received", "account_id"]
    with alembic_on(db.path) as (cfg, _conn):  # and down and up again
        command.downgrade(cfg, BEFORE)
        command.upgrade(cfg, "head")
        command.check(cfg)
