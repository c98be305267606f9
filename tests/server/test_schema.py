"""The server's store against the wire contract and its own migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.contract import COMMON_FIELDS, ENTITIES
from server.models import SYNCED_TABLES, Base
from tests.server.conftest import Live


def test_synced_tables_carry_every_contract_field() -> None:
    for name in SYNCED_TABLES:
        columns = set(Base.metadata.tables[name].columns.keys())
        missing = set(COMMON_FIELDS) | set(ENTITIES[name].fields)
        assert missing <= columns, f"{name} lacks {missing - columns}"


def test_migrations_match_the_models(live: Live) -> None:
    """`alembic check` in a test: a model change without a migration fails here, on both
    databases (the live server's database was created by the migrations)."""
    with live.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []
