"""Cycle plans managers publish (server/cycle_plans.py), pulled by territory, and each
practice's opening hours on the account, imported as master data (issue 20).

Revision ID: 0019_cycle_plans
Revises: 0018_change_requests
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_cycle_plans"
down_revision: str | None = "0018_change_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cycle_plans",
        sa.Column("territory_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("segment", sa.String(length=8), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("published_by", sa.String(length=36), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_cycle_plans_account_id_accounts")),
        sa.ForeignKeyConstraint(["published_by"], ["users.id"],
                                name=op.f("fk_cycle_plans_published_by_users")),
        sa.ForeignKeyConstraint(["territory_id"], ["territories.id"],
                                name=op.f("fk_cycle_plans_territory_id_territories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_plans")),
    )
    op.create_index("ix_cycle_plans_version_id", "cycle_plans", ["version", "id"])
    op.create_index(op.f("ix_cycle_plans_territory_id"), "cycle_plans", ["territory_id"])
    op.add_column("accounts", sa.Column("opening_hours", sa.String(length=200),
                                        nullable=True))


def downgrade() -> None:
    op.drop_column("accounts", "opening_hours")
    op.drop_index(op.f("ix_cycle_plans_territory_id"), table_name="cycle_plans")
    op.drop_index("ix_cycle_plans_version_id", table_name="cycle_plans")
    op.drop_table("cycle_plans")
