"""Sales and market figures per account or postcode area, product and month (issue 20).

Server-owned and read only here (app/store/market.py): the account's product trend and the
home's sales figures read them.

Revision ID: 0011_home_sales
Revises: 0010_sync_visibility_refusals
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_home_sales"
down_revision: str | None = "0010_sync_visibility_refusals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "market_sales",
        sa.Column("territory_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("brick", sa.String(length=16), nullable=True),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("market_units", sa.Integer(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_market_sales_product_id_products")),
        sa.ForeignKeyConstraint(["territory_id"], ["territories.id"],
                                name=op.f("fk_market_sales_territory_id_territories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_sales")),
    )
    op.create_index("ix_market_sales_account_id_month", "market_sales", ["account_id", "month"])
    op.create_index("ix_market_sales_product_id_month", "market_sales", ["product_id", "month"])
    op.create_index("ix_market_sales_version", "market_sales", ["version"])
    op.create_index("ix_market_sales_updated_at", "market_sales", ["updated_at"])
    op.create_index("ix_market_sales_bricks", "market_sales",
                    ["product_id", "month", "units", "value", "market_units"],
                    sqlite_where=sa.text("brick IS NOT NULL"))
    # The home asks "did any call change?" by the newest version and time (a max through an
    # index, instead of reading a million calls).
    op.create_index("ix_interactions_version", "interactions", ["version"])
    op.create_index("ix_interactions_updated_at", "interactions", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_interactions_updated_at", table_name="interactions")
    op.drop_index("ix_interactions_version", table_name="interactions")
    op.drop_index("ix_market_sales_bricks", table_name="market_sales")
    op.drop_index("ix_market_sales_updated_at", table_name="market_sales")
    op.drop_index("ix_market_sales_version", table_name="market_sales")
    op.drop_index("ix_market_sales_product_id_month", table_name="market_sales")
    op.drop_index("ix_market_sales_account_id_month", table_name="market_sales")
    op.drop_table("market_sales")
