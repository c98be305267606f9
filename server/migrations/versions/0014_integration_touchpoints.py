"""Service accounts of the integration API and the touchpoints outside systems post.

Revision ID: 0014_integration_touchpoints
Revises: 0013_clm_content
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_integration_touchpoints"
down_revision: str | None = "0013_clm_content"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "service_accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("system", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("territories", sa.Text(), nullable=True),
        sa.Column("kinds", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_service_accounts_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_accounts")),
        sa.UniqueConstraint("name", name=op.f("uq_service_accounts_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_service_accounts_token_hash")),
    )
    op.create_table(
        "touchpoints",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("service_account_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_touchpoints_account_id_accounts")),
        sa.ForeignKeyConstraint(["service_account_id"], ["service_accounts.id"],
                                name=op.f("fk_touchpoints_service_account_id_service_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_touchpoints")),
        sa.UniqueConstraint("source", "event_id", name=op.f("uq_touchpoints_source_event_id")),
    )
    op.create_index(op.f("ix_touchpoints_account_id"), "touchpoints", ["account_id"])
    op.create_index(op.f("ix_touchpoints_version_id"), "touchpoints", ["version", "id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_touchpoints_version_id"), table_name="touchpoints")
    op.drop_index(op.f("ix_touchpoints_account_id"), table_name="touchpoints")
    op.drop_table("touchpoints")
    op.drop_table("service_accounts")
