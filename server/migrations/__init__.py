"""Alembic migrations of the server's store (SQLite and PostgreSQL)."""
