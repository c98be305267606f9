"""Master-data change requests: a rep proposes, a data steward decides.

Revision ID: 0018_change_requests
Revises: 0017_feed
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_change_requests"
down_revision: str | None = "0017_feed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_requests",
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("territory_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=36), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_change_requests_account_id_accounts")),
        sa.ForeignKeyConstraint(["territory_id"], ["territories.id"],
                                name=op.f("fk_change_requests_territory_id_territories")),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"],
                                name=op.f("fk_change_requests_requested_by_users")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"],
                                name=op.f("fk_change_requests_decided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_requests")),
    )
    op.create_index(op.f("ix_change_requests_account_id"), "change_requests", ["account_id"])
    op.create_index(op.f("ix_change_requests_requested_by"), "change_requests",
                    ["requested_by"])
    op.create_index("ix_change_requests_status_requested_at", "change_requests",
                    ["status", "requested_at"])
    op.create_index(op.f("ix_change_requests_version_id"), "change_requests",
                    ["version", "id"])


def downgrade() -> None:
    op.drop_table("change_requests")
