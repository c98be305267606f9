"""Idempotency records name the version their mutation wrote: the history of a row's writes
can then be read back from the server's own records (tests/sync/history.py checks every
overwrite against it).

Revision ID: 0008_sync_integrity
Revises: 0007_write_scope
Create Date: 2026-12-07 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_sync_integrity"
down_revision: str | None = "0007_write_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_version", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_column("applied_version")
