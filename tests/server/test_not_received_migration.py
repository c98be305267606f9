"""The server's migration for calls not received (0014) goes up, down and up again on SQLite
and PostgreSQL, keeping the calls already stored, on a database of its own."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from server.db import Database, alembic_config, current_revision, head_revision, upgrade
from tests.server.test_sync_migration import fresh_dsn

__all__ = ["fresh_dsn"]  # the fixture, on SQLite and PostgreSQL

BEFORE = "0014_integration_touchpoints"
CALL = ("INSERT INTO interactions (id, account_id, channel, status, start_at, version, "
        "updated_at, deleted, field_versions) VALUES ('c1', 'a1', 'in_person', 'submitted', "
        "'2026-03-02 10:00:00', 1, '2026-03-02 11:00:00', false, '{}')")


def columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("interactions")}


def test_not_received_migration_up_down_up(fresh_dsn: str) -> None:
    db = Database(fresh_dsn)
    try:
        assert upgrade(db) == head_revision()
        assert "not_received" in columns(db)
        with db.engine.begin() as conn:
            command.downgrade(alembic_config(conn), BEFORE)
        assert current_revision(db) == BEFORE
        assert "not_received" not in columns(db)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO territories (id, code, name, version, updated_at, "
                              "deleted) VALUES ('t1', 'T1', 'T', 1, '2026-01-01', false)"))
            conn.execute(text("INSERT INTO accounts (id, kind, name, territory_id, version, "
                              "updated_at, deleted, field_versions) VALUES ('a1', 'hcp', "
                              "'Dr. A', 't1', 1, '2026-01-01', false, '{}')"))
            conn.execute(text(CALL))
        assert upgrade(db) == head_revision()
        with db.engine.connect() as conn:
            kept = conn.execute(text(
                "SELECT not_received FROM interactions WHERE id = 'c1'")).scalar()
        assert kept is not None and not kept  # received, as every call was before
    finally:
        db.dispose()
