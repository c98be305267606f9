"""Checks of a database file with plain sqlite3, before anything heavy is imported.

`fieldrep` runs them before the window appears (a file that is not ours, or is from a newer
Fieldrep, ends the start with a message and exit code 2), and open_database() runs them again.
They import neither SQLAlchemy nor Alembic: the window paints first, the store loads after.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.store.errors import DatabaseOpenError
from app.store.schema import REVISIONS

SQLITE_MAGIC = b"SQLite format 3\x00"


def check_file(path: Path) -> None:
    """Raise DatabaseOpenError unless `path` is missing, empty or an SQLite file."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as f:
        if f.read(16) != SQLITE_MAGIC:
            raise DatabaseOpenError(
                f"{path} is not a Fieldrep database (it is not an SQLite file). "
                "Choose another data folder, or move the file away."
            )


def schema_revision(path: Path) -> str | None:
    """The file's Alembic revision; None for an empty database."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseOpenError(
                f"{path} is an SQLite file, but not a Fieldrep database (no schema version)."
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(f"{path} cannot be read: {exc}") from exc
    finally:
        conn.close()


def preflight(path: Path) -> str | None:
    """Check the file and return its schema revision (None: new or empty)."""
    check_file(path)
    revision = schema_revision(path) if path.exists() else None
    if revision is not None and revision not in REVISIONS:
        raise DatabaseOpenError(
            f"{path} was written by a newer version of Fieldrep (schema {revision}). "
            "Update Fieldrep to open it; nothing was changed."
        )
    return revision
