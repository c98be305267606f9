"""Record that the doctor did not receive the rep at an in-person visit.

The engine learns restricted access from failed visits; without a column for them a rep could
not say so. The call's lock trigger (0005) names every column it guards, so it is replaced by
one that guards `not_received` too: a submitted call's outcome is as fixed as its notes. The
column is added and dropped with SQLite's own ALTER TABLE (3.35 and later, SQLCipher too): a
batch migration would rebuild the table and silently drop its triggers.

Revision ID: 0014_call_not_received
Revises: 0013_integration_touchpoints
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_call_not_received"
down_revision: str | None = "0013_integration_touchpoints"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The columns 0005's trigger guards.
CALL_COLUMNS = (
    "account_id", "owner_id", "channel", "status", "start_at", "duration_min", "address_id",
    "subject", "notes", "follow_up", "follow_up_date", "signature", "signer_name", "signed_at",
    "submitted_at", "deleted",
)
NOT_APPLYING = "NOT EXISTS (SELECT 1 FROM local_state WHERE key = 'sync.applying')"


def _lock_trigger(columns: Sequence[str]) -> str:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    return ("CREATE TRIGGER interactions_locked BEFORE UPDATE ON interactions "
            f"WHEN OLD.status = 'submitted' AND ({changed}) AND {NOT_APPLYING} BEGIN "
            "SELECT RAISE(ABORT, 'a submitted call is locked'); END")


def upgrade() -> None:
    op.add_column("interactions", sa.Column("not_received", sa.Boolean(),
                                            server_default=sa.false(), nullable=False))
    op.execute("DROP TRIGGER IF EXISTS interactions_locked")
    op.execute(_lock_trigger((*CALL_COLUMNS, "not_received")))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS interactions_locked")
    op.execute(_lock_trigger(CALL_COLUMNS))
    op.execute("ALTER TABLE interactions DROP COLUMN not_received")
