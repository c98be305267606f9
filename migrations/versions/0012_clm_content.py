"""Keep a click-stream record's description.

CLM content tells its tracked elements apart by `Track_Element_Description_vod__c`; without a
column for it every element of one kind became the same row.

Revision ID: 0012_clm_content
Revises: 0011_home_sales
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_clm_content"
down_revision: str | None = "0011_home_sales"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clickstream_events") as batch:
        batch.add_column(sa.Column("track_element_description", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clickstream_events") as batch:
        batch.drop_column("track_element_description")
