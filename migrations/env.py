"""Alembic environment: runs on the connection the app hands over, or on a file URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.store.models import Base
from app.store.search import FTS_TABLES

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Skip the FTS5 index: a virtual table (and its shadow tables) Alembic cannot compare."""
    if type_ == "table" and name is not None:
        return not any(name == t or name.startswith(f"{t}_") for t in FTS_TABLES)
    return True


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("set sqlalchemy.url, or pass a connection in config.attributes")
        with create_engine(url).connect() as conn:
            _run_on(conn)
            conn.commit()
    else:
        _run_on(connection)


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
