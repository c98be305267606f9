"""Alembic migrations of the client's local SQLite database (batch mode)."""

from pathlib import Path


def script_location() -> Path:
    """The folder Alembic reads the migration scripts from."""
    return Path(__file__).resolve().parent
