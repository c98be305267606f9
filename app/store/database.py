"""Opening the local database: checks, migrations with a backup first, engines, sessions.

Two engines over one file: writes run in `BEGIN IMMEDIATE` transactions, so two writers
(the rep saving a call while sync applies a page) queue on SQLite's lock instead of failing
half-way with "database is locked"; reads run in deferred transactions and never block a
writer (WAL). Only write sessions record the sync outbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.store import outbox
from app.store.errors import DatabaseOpenError
from app.store.preflight import preflight
from app.store.schema import HEAD
from app.store.search import rebuild_search

log = logging.getLogger(__name__)

BACKUPS_KEPT = 3


def _make_engine(path: Path, *, begin: str, query_only: bool = False) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own handling is lax).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        # FULL: a commit survives a power cut, not only a killed process. A laptop's battery
        # runs out; a call report must not vanish with it.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA cache_size=-32000")
        if query_only:
            # A read session refuses every write, also one in plain SQL.
            cur.execute("PRAGMA query_only=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def backup(path: Path, label: str) -> Path:
    """Copy the database (consistently, with SQLite's backup API) into backups/ beside it."""
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{label}-{stamp}.sqlite"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    for old in sorted(folder.glob(f"{path.stem}-*.sqlite"))[:-BACKUPS_KEPT]:
        old.unlink()
    return target


def migrate(engine: Engine) -> None:
    """Upgrade the schema to HEAD with Alembic, on this engine's connection."""
    from alembic import command
    from alembic.config import Config

    from migrations import script_location

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    with engine.connect() as conn:
        # Batch migrations recreate a table (copy, drop, rename): with foreign keys on, dropping
        # a table that other rows refer to fails. SQLite ignores this pragma inside a
        # transaction, so it is switched on the raw connection before BEGIN, and the keys are
        # checked before the commit instead (SQLite's "12 steps" of ALTER TABLE).
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                rebuild_search(conn)  # a table rebuild renumbers rowids (search.py)
                if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DatabaseOpenError(
                        "The database could not be upgraded: rows refer to rows that are "
                        "missing. Nothing was changed."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


class Database:
    """The open local database. Make one per process and pass it down."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writer = _make_engine(path, begin="BEGIN IMMEDIATE")
        self.reader = _make_engine(path, begin="BEGIN", query_only=True)
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False, autoflush=False)
        outbox.install(self._write_sessions)

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on an error."""
        with self._write_sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot; never blocks writers."""
        with self._read_sessions() as session, session.begin():
            session.info["read_only"] = True
            yield session
            if session.new or session.dirty or session.deleted:
                raise RuntimeError("a read session must not change rows; use Database.write()")

    def close(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def open_database(path: Path) -> Database:
    """Open (creating or upgrading) the database at `path`.

    Raises DatabaseOpenError, with words for the rep, when the file is not a Fieldrep
    database or comes from a newer version; the file is then left untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    revision = preflight(path)
    db = Database(path)
    if revision != HEAD:
        if revision is not None:
            saved = backup(path, revision)
            log.info("database at schema %s, backed up to %s before upgrading", revision, saved)
        migrate(db.writer)
    return db
