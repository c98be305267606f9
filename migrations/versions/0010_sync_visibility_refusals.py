"""Keep the changes the server refused in a table of their own.

Until now they were a capped JSON list in local_state that nothing showed; the rep must see
each refusal with its reason and settle it (app/store/refusals.py). Local only: never synced.
Entries of the old list are carried over as open refusals, so none reported before the
upgrade stays hidden. The list itself stays: it is the sync's raw log.

Revision ID: 0010_sync_visibility_refusals
Revises: 0009_sync_integrity
"""

import datetime as dt
import json
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_sync_visibility_refusals"
down_revision: str | None = "0009_sync_integrity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_refusals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=16), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_refusals")),
    )
    op.create_index("ix_sync_refusals_mutation_id", "sync_refusals", ["mutation_id"],
                    unique=True)
    op.create_index("ix_sync_refusals_state", "sync_refusals", ["state"])
    conn = op.get_bind()
    value = conn.execute(sa.text(
        "SELECT value FROM local_state WHERE key = 'sync.rejections'")).scalar()
    try:
        old = json.loads(value) if value else []
    except ValueError:
        old = []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    rows = {}
    for entry in old if isinstance(old, list) else []:
        if not isinstance(entry, dict) or not entry.get("mutation_id"):
            continue
        fields = entry.get("fields")
        rows[str(entry["mutation_id"])] = {
            "id": str(uuid.uuid4()), "at": str(entry.get("at") or now).replace("T", " "),
            "mutation_id": str(entry["mutation_id"]), "entity": str(entry.get("entity")),
            "row_id": str(entry.get("row_id")), "op": str(entry.get("op") or "upsert"),
            "fields": json.dumps(sorted(fields) if isinstance(fields, dict) else []),
            "reason": str(entry.get("reason") or ""), "label": "", "state": "open"}
    if rows:
        conn.execute(sa.text(
            "INSERT INTO sync_refusals (id, at, mutation_id, entity, row_id, op, fields, "
            "reason, label, state) VALUES (:id, :at, :mutation_id, :entity, :row_id, :op, "
            ":fields, :reason, :label, :state)"), list(rows.values()))


def downgrade() -> None:
    op.drop_index("ix_sync_refusals_state", table_name="sync_refusals")
    op.drop_index("ix_sync_refusals_mutation_id", table_name="sync_refusals")
    op.drop_table("sync_refusals")
