"""Let the sync write the server's version of a locked call while it applies server data.

The lock triggers (0001, 0004) refuse any change to a submitted call and its child rows,
whoever asks. The server is the authority, though: a call submitted here that the server holds
otherwise (submitted on two laptops, deleted there as a draft first) or that leaves the rep's
scope must take the server's state, or the replica diverges for ever. Now the triggers stand
aside while the `local_state` row 'sync.applying' exists. The sync writes that row at the start
of each transaction that applies server data and deletes it before the commit, so the
exemption never outlives the transaction (a crash rolls it back with everything else) and no
local edit ever runs under it.

Revision ID: 0005_sync_applies_locked_rows
Revises: 0004_lock_triggers
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_sync_applies_locked_rows"
down_revision: str | None = "0004_lock_triggers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CALL_COLUMNS = (
    "account_id", "owner_id", "channel", "status", "start_at", "duration_min", "address_id",
    "subject", "notes", "follow_up", "follow_up_date", "signature", "signer_name", "signed_at",
    "submitted_at", "deleted",
)
CHILDREN = {
    "samples": ("id", "interaction_id", "account_id", "product_id", "lot", "quantity",
                "deleted"),
    "discussed_products": ("id", "interaction_id", "product_id", "position", "deleted"),
    "discussed_key_messages": ("id", "interaction_id", "key_message_id", "reaction", "deleted"),
    "attendees": ("id", "interaction_id", "account_id", "name", "deleted"),
}
LOCKED = "SELECT RAISE(ABORT, 'a submitted call is locked')"
NOT_APPLYING = "NOT EXISTS (SELECT 1 FROM local_state WHERE key = 'sync.applying')"


def _changed(columns: Sequence[str]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _submitted(ref: str) -> str:
    return (f"(SELECT status FROM interactions WHERE id = {ref}.interaction_id) "
            "= 'submitted'")


def _triggers(exempt: str) -> dict[str, str]:
    """Every lock trigger; `exempt` is the extra WHEN condition (empty: as in 0004)."""
    sql = {
        "interactions_locked": (
            "CREATE TRIGGER interactions_locked BEFORE UPDATE ON interactions "
            f"WHEN OLD.status = 'submitted' AND ({_changed(CALL_COLUMNS)}){exempt} BEGIN "
            f"{LOCKED}; END"),
        "interactions_no_delete": (
            "CREATE TRIGGER interactions_no_delete BEFORE DELETE ON interactions "
            f"WHEN OLD.status = 'submitted'{exempt} BEGIN {LOCKED}; END"),
    }
    for table, columns in CHILDREN.items():
        sql[f"{table}_locked_update"] = (
            f"CREATE TRIGGER {table}_locked_update BEFORE UPDATE ON {table} "
            f"WHEN {_submitted('OLD')} AND ({_changed(columns)}){exempt} BEGIN {LOCKED}; END")
        sql[f"{table}_locked_delete"] = (
            f"CREATE TRIGGER {table}_locked_delete BEFORE DELETE ON {table} "
            f"WHEN {_submitted('OLD')}{exempt} BEGIN {LOCKED}; END")
    return sql


def _replace(exempt: str) -> None:
    for name, statement in _triggers(exempt).items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(statement)


def upgrade() -> None:
    _replace(f" AND {NOT_APPLYING}")


def downgrade() -> None:
    _replace("")
