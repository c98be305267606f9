"""The laptop's migration for calls not received (0013): calls kept as received, the lock
trigger guarding the new column, and back down without losing the lock on the others."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from app.store.database import Database, open_database
from app.store.schema import HEAD
from tests.factories import World
from tests.store.test_migrations import alembic_on, revision_of

BEFORE = "0013_integration_touchpoints"


def test_calls_stored_before_are_received_and_stay_locked(db: Database, world: World) -> None:
    db.close()
    with alembic_on(db.path) as (cfg, conn):
        command.downgrade(cfg, BEFORE)
        assert "not_received" not in {c["name"] for c in
                                      inspect(conn).get_columns("interactions")}
        conn.exec_driver_sql(
            "INSERT INTO interactions (id, account_id, owner_id, channel, status, start_at) "
            f"VALUES ('old', '{world.doctor.id}', '{world.rep.id}', 'in_person', "
            "'submitted', '2026-03-02 10:00:00')")
        # Down, the other columns of a submitted call are still locked.
        with pytest.raises(IntegrityError, match="a submitted call is locked"):
            conn.exec_driver_sql("UPDATE interactions SET notes = 'x' WHERE id = 'old'")

    again = open_database(db.path)  # the app upgrades its file at start
    again.close()
    assert revision_of(db.path) == HEAD
    with contextlib.closing(sqlite3.connect(db.path)) as raw:
        assert raw.execute("SELECT not_received FROM interactions WHERE id = 'old'"
                           ).fetchone() == (0,)
        for sql in ("UPDATE interactions SET not_received = 1 WHERE id = 'old'",
                    "UPDATE interactions SET notes = 'x' WHERE id = 'old'"):
            with pytest.raises(sqlite3.IntegrityError, match="a submitted call is locked"):
                raw.execute(sql)
