"""The server's migration for the feed right and token rotation (0017_feed) goes up, down
and up again on SQLite and PostgreSQL, keeping the service accounts made before, which may
not read the feed until an admin decides so."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from server.db import Database, alembic_config, current_revision, head_revision, upgrade
from tests.server.test_sync_migration import fresh_dsn

__all__ = ["fresh_dsn"]  # the fixture, on SQLite and PostgreSQL

BEFORE = "0016_clm_records"
NEW = {"may_read_feed", "expires_at", "previous_token_hash", "previous_valid_until",
       "rotated_at"}


def columns(db: Database) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("service_accounts")}


def test_feed_migration_up_down_up(fresh_dsn: str) -> None:
    db = Database(fresh_dsn)
    try:
        assert upgrade(db) == head_revision()
        assert columns(db) >= NEW
        with db.engine.begin() as conn:
            command.downgrade(alembic_config(conn), BEFORE)
        assert current_revision(db) == BEFORE
        assert not NEW & columns(db)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO users (id, username, display_name, role, "
                              "password_hash, version, updated_at, deleted, disabled) VALUES "
                              "('u1', 'admin', 'Admin', 'admin', 'x', 1, '2026-01-01', false, "
                              "false)"))
            conn.execute(text("INSERT INTO service_accounts (id, name, system, token_hash, "
                              "kinds, created_at, created_by) VALUES ('s1', 'crm', 'crm', "
                              "'h', '[]', '2026-01-01', 'u1')"))
        assert upgrade(db) == head_revision()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT may_read_feed, expires_at, previous_token_hash "
                                    "FROM service_accounts WHERE id = 's1'")).one()
        assert (bool(row[0]), row[1], row[2]) == (False, None, None)
    finally:
        db.dispose()
