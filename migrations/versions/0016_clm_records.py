"""Keep every field of a record CLM content creates, and which object it is.

Content saves click-stream and survey records (Call_Clickstream_vod__c, Survey_Target_vod__c,
Question_Response_vod__c) with fields of its own beyond our columns (a usage start time, a
survey's id, a score); without a place for them they were dropped (app.content_format.
clm_records). The table has no trigger, so a batch migration is safe here.

Revision ID: 0016_clm_records
Revises: 0015_home_calls_covered
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_clm_records"
down_revision: str | None = "0015_home_calls_covered"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("clickstream_events") as batch:
        batch.add_column(sa.Column("object_name", sa.String(64), nullable=True))
        batch.add_column(sa.Column("other_fields", sa.String(16000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clickstream_events") as batch:
        batch.drop_column("other_fields")
        batch.drop_column("object_name")
