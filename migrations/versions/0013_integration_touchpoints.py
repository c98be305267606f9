"""Touchpoints outside systems posted through the server's integration API.

Server-owned and read only here (app/store/touchpoints.py): the account's history shows them
beside the calls.

Revision ID: 0013_integration_touchpoints
Revises: 0012_clm_content
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_integration_touchpoints"
down_revision: str | None = "0012_clm_content"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "touchpoints",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_touchpoints_account_id_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_touchpoints")),
    )
    op.create_index("ix_touchpoints_account_id_occurred_at", "touchpoints",
                    ["account_id", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_touchpoints_account_id_occurred_at", table_name="touchpoints")
    op.drop_table("touchpoints")
