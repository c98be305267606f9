"""Service accounts may read the change feed, and their tokens expire and rotate.

`may_read_feed`: the right to `GET /api/v1/integration/changes` (false for every service
account made before: exporting data is a decision of its own). `expires_at`: when the
current token stops working (none: never). A rotation keeps the replaced token's hash in
`previous_token_hash`, valid until `previous_valid_until`, so the outside system can switch
over without a gap; `rotated_at` is when it happened (the refusal names it).

Revision ID: 0017_feed
Revises: 0016_clm_records
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_feed"
down_revision: str | None = "0016_clm_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("service_accounts", sa.Column("may_read_feed", sa.Boolean(),
                                                server_default=sa.false(), nullable=False))
    op.add_column("service_accounts", sa.Column("expires_at", sa.DateTime(), nullable=True))
    op.add_column("service_accounts", sa.Column("previous_token_hash", sa.String(length=64),
                                                nullable=True))
    op.add_column("service_accounts", sa.Column("previous_valid_until", sa.DateTime(),
                                                nullable=True))
    op.add_column("service_accounts", sa.Column("rotated_at", sa.DateTime(), nullable=True))
    op.create_index(op.f("ix_service_accounts_previous_token_hash"), "service_accounts",
                    ["previous_token_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_service_accounts_previous_token_hash"),
                  table_name="service_accounts")
    # Dropped in place (SQLite 3.35+ and PostgreSQL alike): a batch migration would rebuild
    # the table, which touchpoints reference, and fail on their foreign key.
    for column in ("rotated_at", "previous_valid_until", "previous_token_hash",
                   "expires_at", "may_read_feed"):
        op.drop_column("service_accounts", column)
