"""Keep whether the doctor received the rep at an in-person visit, as the laptops now send it.

Revision ID: 0015_call_not_received
Revises: 0014_integration_touchpoints
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_call_not_received"
down_revision: str | None = "0014_integration_touchpoints"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("interactions", sa.Column("not_received", sa.Boolean(),
                                            server_default=sa.false(), nullable=False))


def downgrade() -> None:
    op.drop_column("interactions", "not_received")
