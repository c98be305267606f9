"""Engine, sessions, migrations and the change sequence, for SQLite and PostgreSQL alike.

On SQLite, Python's driver would open transactions lazily and never for SAVEPOINTs; we take
over `BEGIN` ourselves (the SQLAlchemy docs' recipe) and write sessions use `BEGIN IMMEDIATE`,
so two concurrent writers queue on the busy timeout instead of failing with "database is
locked" when a read transaction tries to upgrade.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, update
from sqlalchemy.orm import Session, sessionmaker

from server.config import Settings
from server.models import ChangeCounter

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    """One engine per process; SQLite gets WAL, foreign keys and explicit transactions."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: object) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            # Freed bytes are overwritten: an erased doctor (server.gdpr_erase) or a row's old
            # values after an update leave nothing readable in the file's free space.
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Database:
    """The engine and the two session factories (read, write) of one server process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = url.startswith("sqlite")
        writer = self.engine.execution_options(sqlite_immediate=True)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.database_url)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only session (rolled back at the end: it never writes)."""
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def next_versions(session: Session, count: int = 1) -> int:
    """Reserve `count` change numbers; returns the first. Holds the counter's row lock until
    the caller's transaction ends, so versions commit in the order they were handed out."""
    new_value = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.name == "main")
        .values(value=ChangeCounter.value + count)
        .returning(ChangeCounter.value)
    ).scalar_one()
    return int(new_value) - count + 1


def alembic_config(connection: Any = None) -> Any:
    """An Alembic config for `server/migrations`, optionally bound to an open connection."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def backup_sqlite(db: Database, suffix: str) -> Path | None:
    """Copy an SQLite database (consistently, WAL included) before a migration touches it."""
    path = Path(db.engine.url.database or "")
    if not db.is_sqlite or not path.is_file():
        return None
    target = path.with_name(f"{path.name}.{suffix}.bak")
    raw = db.engine.raw_connection()
    try:
        import sqlite3

        with sqlite3.connect(target) as dst:
            raw.driver_connection.backup(dst)  # type: ignore[union-attr]
        dst.close()
    finally:
        raw.close()
    return target


def upgrade(db: Database) -> str:
    """Create or upgrade the schema to the newest migration; returns the revision. An
    existing SQLite file behind the newest schema is backed up first."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    before = current_revision(db)
    if before is not None and before != head_revision():
        backup_sqlite(db, f"before-{head_revision()}")

    with db.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with db.engine.connect() as conn:
        rev = MigrationContext.configure(conn).get_current_revision()
    return rev or ""


def current_revision(db: Database) -> str | None:
    """The schema revision of the database, None if it was never initialised."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
