"""The calls' (status, start) index also covers `deleted` and `account_id` (issue 20).

The home's figures count a quarter's submitted calls per segment: at 50,000 accounts that is
some 130,000 calls, and with `deleted` and `account_id` only in the table every one of them
was a second lookup (900 ms of the home's 1 s). Covered, the count reads the index alone.
The index keeps its name and its first columns, so every query that used it still does.

Revision ID: 0015_home_calls_covered
Revises: 0014_call_not_received
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_home_calls_covered"
down_revision: str | None = "0014_call_not_received"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_interactions_status_start", table_name="interactions")
    op.create_index("ix_interactions_status_start", "interactions",
                    ["status", "start_at", "deleted", "account_id"])


def downgrade() -> None:
    op.drop_index("ix_interactions_status_start", table_name="interactions")
    op.create_index("ix_interactions_status_start", "interactions", ["status", "start_at"])
