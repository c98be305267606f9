"""The audit log follows the server while server data is applied.

The triggers of 0001/0004 refuse every change to an audit entry and every delete, even while
the sync applies the server's data (`sync.applying`, migration 0005). Two things the server
decides need one: when it merges two rows into one (the same consent recorded on two
laptops), the audit entries about the merged-away row point at the surviving one; and when an
account leaves the rep's scope, the entries of other users about it leave with it (the
server no longer sends them). Local edits still cannot touch the log: the flag exists only
inside a transaction that applies server data (docs/sync-protocol.md).

Revision ID: 0009_sync_integrity
Revises: 0008_suggestions_rule_sets
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009_sync_integrity"
down_revision: str | None = "0008_suggestions_rule_sets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT_COLUMNS = ("id", "at", "user_id", "action", "entity", "row_id", "details", "deleted")
NOT_APPLYING = "NOT EXISTS (SELECT 1 FROM local_state WHERE key = 'sync.applying')"
REFUSE = "SELECT RAISE(ABORT, 'the audit log is append-only')"


def _changed() -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in AUDIT_COLUMNS)


def _create(exempt: str) -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               f"WHEN ({_changed()}){exempt} BEGIN {REFUSE}; END")
    when = f" WHEN {exempt.removeprefix(' AND ')}" if exempt else ""
    op.execute(f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log{when} BEGIN "
               f"{REFUSE}; END")


def upgrade() -> None:
    _create(f" AND {NOT_APPLYING}")


def downgrade() -> None:
    _create("")
