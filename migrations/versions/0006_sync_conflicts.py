"""Keep the conflicts the server reports on push in a table of their own.

Until now they were a capped JSON list in local_state; the rep's conflicts view needs to list,
reapply and dismiss them one by one. Local only: the table is never synced. Entries of the
old list are carried over, so no losing value reported before the upgrade is forgotten.

Revision ID: 0006_sync_conflicts
Revises: 0005_sync_applies_locked_rows
"""

import datetime as dt
import json
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sync_conflicts"
down_revision: str | None = "0005_sync_applies_locked_rows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("mine", sa.Text(), nullable=False),
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("kept", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    op.create_index("ix_sync_conflicts_mutation_id_field", "sync_conflicts",
                    ["mutation_id", "field"], unique=True)
    op.create_index("ix_sync_conflicts_state", "sync_conflicts", ["state"])
    conn = op.get_bind()
    raw = conn.execute(sa.text("SELECT value FROM local_state WHERE key = 'sync.conflicts'"))
    value = raw.scalar()
    try:
        old = json.loads(value) if value else []
    except ValueError:
        old = []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    rows = {}
    for entry in old if isinstance(old, list) else []:
        for c in entry.get("conflicts") or [] if isinstance(entry, dict) else []:
            if not isinstance(c, dict) or not c.get("field"):
                continue
            rows[(entry.get("mutation_id"), c["field"])] = {
                "id": str(uuid.uuid4()),
                "at": str(entry.get("at") or now).replace("T", " "),
                "mutation_id": str(entry.get("mutation_id")), "entity": str(entry.get("entity")),
                "row_id": str(entry.get("row_id")), "field": str(c["field"]),
                "mine": json.dumps(c.get("mine")), "theirs": json.dumps(c.get("theirs")),
                "kept": "mine" if c.get("kept") == "mine" else "theirs", "state": "open"}
    if rows:
        conn.execute(sa.text(
            "INSERT INTO sync_conflicts (id, at, mutation_id, entity, row_id, field, mine, "
            "theirs, kept, state) VALUES (:id, :at, :mutation_id, :entity, :row_id, :field, "
            ":mine, :theirs, :kept, :state)"), list(rows.values()))
    conn.execute(sa.text("DELETE FROM local_state WHERE key = 'sync.conflicts'"))


def downgrade() -> None:
    op.drop_index("ix_sync_conflicts_state", table_name="sync_conflicts")
    op.drop_index("ix_sync_conflicts_mutation_id_field", table_name="sync_conflicts")
    op.drop_table("sync_conflicts")
