"""Alembic environment for the server: runs on the connection `server.db.upgrade` hands over,
or on `sqlalchemy.url` when run from the alembic command line."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from server.models import Base

config = context.config
target_metadata = Base.metadata


def _run_on(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url, or pass a connection in config.attributes")
    with create_engine(url).begin() as conn:
        _run_on(conn)


run()
