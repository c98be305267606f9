"""The sync migration (0002) goes up, down and up again on SQLite and PostgreSQL, on a
database of its own (the shared test database must stay at head)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from server.db import Database, alembic_config, current_revision, head_revision, upgrade


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_dsn(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    shared: str = request.getfixturevalue("postgres_url")  # skips when unreachable
    name = f"fieldrep_migrate_{uuid.uuid4().hex[:12]}"
    admin = create_engine(shared, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(shared).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_sync_migration_up_down_up(fresh_dsn: str) -> None:
    db = Database(fresh_dsn)
    try:
        assert upgrade(db) == head_revision()  # later migrations chain after the sync one
        assert {"interactions", "conflict_log", "scope_members"} <= set(
            inspect(db.engine).get_table_names())
        with db.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0001")
        assert current_revision(db) == "0001"
        tables = set(inspect(db.engine).get_table_names())
        assert "interactions" not in tables and "accounts" in tables
        assert "field_versions" not in {c["name"] for c in
                                        inspect(db.engine).get_columns("accounts")}
        assert upgrade(db) == head_revision()
    finally:
        db.dispose()
