"""Lock a submitted call's child rows, and the audit log's every column, in the database.

0001 locked the call row itself; its samples, products, key messages and attendees could
still be changed by plain SQL, and an audit entry could be rewritten along with its version.
Now no child row of a submitted call is changed or removed (sync may still set its
`version`), and an audit entry only ever changes its `version`. Adding a child row is left
to the services to refuse (LockedError): a submitted call that arrives from elsewhere (the
server, the demo generator) is written before its child rows, as foreign keys require.

Revision ID: 0004_lock_triggers
Revises: 0003_edetail_content
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_lock_triggers"
down_revision: str | None = "0003_edetail_content"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Child table -> its content columns (all but version, which the server assigns).
CHILDREN = {
    "samples": ("id", "interaction_id", "account_id", "product_id", "lot", "quantity",
                "deleted"),
    "discussed_products": ("id", "interaction_id", "product_id", "position", "deleted"),
    "discussed_key_messages": ("id", "interaction_id", "key_message_id", "reaction", "deleted"),
    "attendees": ("id", "interaction_id", "account_id", "name", "deleted"),
}
AUDIT_COLUMNS = ("id", "at", "user_id", "action", "entity", "row_id", "details", "deleted")
LOCKED = "SELECT RAISE(ABORT, 'a submitted call is locked')"


def _submitted(ref: str) -> str:
    return (f"(SELECT status FROM interactions WHERE id = {ref}.interaction_id) "
            "= 'submitted'")


def _changed(columns: Sequence[str]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _triggers() -> dict[str, str]:
    sql = {}
    for table, columns in CHILDREN.items():
        sql[f"{table}_locked_update"] = (
            f"CREATE TRIGGER {table}_locked_update BEFORE UPDATE ON {table} "
            f"WHEN {_submitted('OLD')} AND ({_changed(columns)}) BEGIN {LOCKED}; END")
        sql[f"{table}_locked_delete"] = (
            f"CREATE TRIGGER {table}_locked_delete BEFORE DELETE ON {table} "
            f"WHEN {_submitted('OLD')} BEGIN {LOCKED}; END")
    sql["audit_log_no_update"] = (
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        f"WHEN {_changed(AUDIT_COLUMNS)} BEGIN "
        "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    return sql


def upgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    for statement in _triggers().values():
        op.execute(statement)


def downgrade() -> None:
    for name in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "WHEN NEW.version IS OLD.version BEGIN "
        "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
