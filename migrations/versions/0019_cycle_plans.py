"""Cycle plans a manager publishes, and each practice's opening hours (issue 20).

`cycle_plans` is server-owned and read only here (app/store/cycle_plans.py): the home's
calls against plan, the account's "3 of 6 calls this quarter". `accounts.opening_hours` is
master data the server sends (app/opening_hours.py reads it): the calendar and the route
warn about a visit outside them. One revision for both: they arrive together.

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
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["territory_id"], ["territories.id"],
                                name=op.f("fk_cycle_plans_territory_id_territories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_plans")),
    )
    op.create_index("ix_cycle_plans_territory_id_period", "cycle_plans",
                    ["territory_id", "period_start"])
    op.create_index("ix_cycle_plans_version", "cycle_plans", ["version"])
    op.create_index("ix_cycle_plans_updated_at", "cycle_plans", ["updated_at"])
    # SQLite's own ALTER TABLE: a batch migration would rebuild the accounts table and
    # silently drop its search triggers (0002).
    op.add_column("accounts", sa.Column("opening_hours", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE accounts DROP COLUMN opening_hours")
    op.drop_index("ix_cycle_plans_updated_at", table_name="cycle_plans")
    op.drop_index("ix_cycle_plans_version", table_name="cycle_plans")
    op.drop_index("ix_cycle_plans_territory_id_period", table_name="cycle_plans")
    op.drop_table("cycle_plans")
