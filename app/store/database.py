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
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.store import outbox
from app.store.errors import DatabaseOpenError
from app.store.preflight import preflight
from app.store.schema import HEAD, REVISIONS
from app.store.search import rebuild_search

log = logging.getLogger(__name__)

BACKUPS_KEPT = 3
#: SQLite page cache per connection of an encrypted store, in KiB (plain: 32 MB).
CIPHER_CACHE_KIB = 128_000


class WrongKeyError(DatabaseOpenError):
    """The key does not open this encrypted store (a wrong password, when derived from one)."""

#: Owner-only: the files hold doctors' personal data (folders: app.config.PRIVATE_DIR).
PRIVATE_FILE = 0o600


def key_pragma(key: bytes) -> str:
    """The SQLCipher key statement for a raw 32-byte key (no SQLCipher KDF: it was derived
    already, and a raw key opens in microseconds)."""
    if len(key) != 32:
        raise ValueError("a store key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if missing, else set 0600.

    SQLite gives the -wal and -shm files the database file's mode, so a database made here
    keeps all three private whatever the umask.
    """
    fd = os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE)
    os.close(fd)
    os.chmod(path, PRIVATE_FILE)


def connect_raw(path: Path, key: bytes | None, **options: Any) -> Any:
    """A DB-API connection: SQLCipher keyed with `key`, or plain sqlite3 without one."""
    if key is None:
        return sqlite3.connect(path, **options)
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path), **options)
    cipher_settings(conn)
    conn.execute(key_pragma(key))
    return conn


#: SQLCipher's page settings for every store (new keyed files, attached ones included, take
#: them; a store must be opened with the settings it was made with). HMAC-SHA256 instead of
#: the default SHA512: laptop CPUs hash SHA-256 in hardware (SHA-NI); 8 KiB pages halve the
#: per-page cost of decrypting and checking. Measured in docs/laptop-store.md.
CIPHER_SETTINGS = ("PRAGMA cipher_default_hmac_algorithm = HMAC_SHA256",
                   "PRAGMA cipher_default_page_size = 8192")


def cipher_settings(conn: Any) -> None:
    """Apply CIPHER_SETTINGS before a key is given (SQLCipher reads them at keying)."""
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not stderr's
    for pragma in CIPHER_SETTINGS:
        conn.execute(pragma)


def _make_engine(path: Path, *, key: bytes | None, begin: str,
                 query_only: bool = False) -> Engine:
    options = {"check_same_thread": False, "timeout": 30}
    # hide_parameters: an error's text (and so the log) never carries row values: names,
    # notes and answers stay out of the log file.
    extra: dict[str, Any] = {}
    if key is not None:
        from sqlcipher3 import dbapi2 as sqlcipher

        extra["module"] = sqlcipher  # its errors become SQLAlchemy's (IntegrityError ...)
    engine = create_engine(
        f"sqlite:///{path}", poolclass=QueuePool, hide_parameters=True,
        creator=lambda: connect_raw(path, key, **options), **extra,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own handling is lax).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA secure_delete=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        # FULL: a commit survives a power cut, not only a killed process. A laptop's battery
        # runs out; a call report must not vanish with it.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        # Encrypted, a page that falls out of SQLite's cache costs a decryption and an HMAC
        # check when read again (plain SQLite re-reads it from the OS's cache almost free):
        # a larger cache keeps a rep's working set (search index, lists) decrypted.
        cur.execute(f"PRAGMA cache_size={-32000 if key is None else -CIPHER_CACHE_KIB}")
        if query_only:
            # A read session refuses every write, also one in plain SQL.
            cur.execute("PRAGMA query_only=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def backup(path: Path, label: str, key: bytes | None = None) -> Path:
    """Copy the database (consistently, with SQLite's backup API) into backups/ beside it,
    private and encrypted with the same key as the database."""
    folder = path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{label}-{stamp}.sqlite"
    private_file(target)
    src = connect_raw(path, key)
    dst = connect_raw(target, key)
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

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        self.path = path
        self.key = key
        private_file(path)
        self.writer = _make_engine(path, key=key, begin="BEGIN IMMEDIATE")
        self.reader = _make_engine(path, key=key, begin="BEGIN", query_only=True)
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


def check_key(path: Path, key: bytes) -> None:
    """Raise WrongKeyError unless `key` opens the (existing) encrypted file; read-only."""
    conn = connect_raw(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:  # sqlcipher3's DatabaseError: "file is not a database"
        raise WrongKeyError(f"{path} cannot be opened with this key.") from exc
    finally:
        conn.close()


def encrypted_revision(path: Path, key: bytes) -> str | None:
    """The schema revision of an encrypted file (preflight's check, behind the key)."""
    conn = connect_raw(path, key)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseOpenError(f"{path} is not a Fieldrep database (no schema version).")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def open_database(path: Path, key: bytes | None = None) -> Database:
    """Open (creating or upgrading) the database at `path`, encrypted when `key` is given.

    Raises DatabaseOpenError, with words for the rep, when the file is not a Fieldrep
    database or comes from a newer version, and WrongKeyError when `key` does not open it;
    the file is then left untouched. An encrypted file opened without a key is "not an
    SQLite file" to preflight.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if key is None or not path.exists() or path.stat().st_size == 0:
        revision = preflight(path)
    else:
        check_key(path, key)
        revision = encrypted_revision(path, key)
        if revision is not None and revision not in REVISIONS:
            raise DatabaseOpenError(
                f"{path} was written by a newer version of Fieldrep (schema {revision}). "
                "Update Fieldrep to open it; nothing was changed.")
    db = Database(path, key)
    if revision != HEAD:
        if revision is not None:
            saved = backup(path, revision, key)
            log.info("database at schema %s, backed up to %s before upgrading", revision, saved)
        migrate(db.writer)
    return db
