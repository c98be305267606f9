"""A visit the doctor did not receive is an attempt, not a contact (issue 19).

Two things follow for the store. The calls' (status, start) index covers `not_received` too,
so the home's count of a quarter's calls, which now leaves such visits out, still reads the
index alone (0015's reason: some 130,000 calls at 50,000 accounts). And an account's last
contact is recomputed where such a visit had moved it: until now a not-received visit moved it
like any call, so the accounts list, reach and the plan counted the doctor as seen.

Revision ID: 0017_visits
Revises: 0016_clm_records
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_visits"
down_revision: str | None = "0016_clm_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The accounts with a not-received visit get their latest received call's start (or none).
RECOMPUTE = """
UPDATE accounts SET last_contact_at = (
    SELECT max(i.start_at) FROM interactions i
    WHERE i.account_id = accounts.id AND i.status = 'submitted' AND i.deleted = 0
      AND i.not_received = 0)
WHERE id IN (SELECT account_id FROM interactions
             WHERE status = 'submitted' AND deleted = 0 AND not_received = 1)
"""


def upgrade() -> None:
    op.drop_index("ix_interactions_status_start", table_name="interactions")
    op.create_index("ix_interactions_status_start", "interactions",
                    ["status", "start_at", "deleted", "not_received", "account_id"])
    op.execute(RECOMPUTE)


def downgrade() -> None:
    # The last contacts stay as recomputed: they are right for the older code too.
    op.drop_index("ix_interactions_status_start", table_name="interactions")
    op.create_index("ix_interactions_status_start", "interactions",
                    ["status", "start_at", "deleted", "account_id"])
