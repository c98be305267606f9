"""Keep a click-stream record's description, as the laptops now send it.

Revision ID: 0013_clm_content
Revises: 0012_home_sales
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_clm_content"
down_revision: str | None = "0012_home_sales"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("clickstream_events",
                  sa.Column("track_element_description", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("clickstream_events", "track_element_description")
