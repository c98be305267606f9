"""Erasures: the doctors erased on a data-protection request and the evidence kept by law
(server.gdpr_erase).

Revision ID: 0009_gdpr
Revises: 0008_sync_integrity
Create Date: 2026-12-07 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_gdpr"
down_revision: str | None = "0008_sync_integrity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasures",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("erased_by", sa.String(length=200), nullable=False),
        sa.Column("removed", sa.Text(), nullable=False),
        sa.Column("retained", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_erasures")),
    )


def downgrade() -> None:
    op.drop_table("erasures")
