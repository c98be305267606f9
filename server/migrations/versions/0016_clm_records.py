"""Keep every field of a record CLM content creates, and which object it is, as the laptops
now send them (app.content_format.clm_records).

Revision ID: 0016_clm_records
Revises: 0015_call_not_received
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_clm_records"
down_revision: str | None = "0015_call_not_received"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("clickstream_events", sa.Column("object_name", sa.String(64), nullable=True))
    op.add_column("clickstream_events",
                  sa.Column("other_fields", sa.String(16000), nullable=True))


def downgrade() -> None:
    op.drop_column("clickstream_events", "other_fields")
    op.drop_column("clickstream_events", "object_name")
