"""Sales and market figures per account or postcode area, product and month, imported from
regional sales exports (server/importing/market.py) and pulled by territory (issue 20).

Revision ID: 0012_home_sales
Revises: 0011_house_memory
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_home_sales"
down_revision: str | None = "0011_house_memory"
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
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_market_sales_account_id_accounts")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_market_sales_product_id_products")),
        sa.ForeignKeyConstraint(["territory_id"], ["territories.id"],
                                name=op.f("fk_market_sales_territory_id_territories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_sales")),
    )
    op.create_index("ix_market_sales_version_id", "market_sales", ["version", "id"])
    op.create_index(op.f("ix_market_sales_territory_id"), "market_sales", ["territory_id"])
    op.create_index("ix_market_sales_product_id_month", "market_sales", ["product_id", "month"])


def downgrade() -> None:
    op.drop_index("ix_market_sales_product_id_month", table_name="market_sales")
    op.drop_index(op.f("ix_market_sales_territory_id"), table_name="market_sales")
    op.drop_index("ix_market_sales_version_id", table_name="market_sales")
    op.drop_table("market_sales")
