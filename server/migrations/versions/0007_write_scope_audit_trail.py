"""The authoritative audit trail: one entry per applied mutation, written by the server.

Revision ID: 0007_write_scope
Revises: 0006
Create Date: 2026-12-07 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_write_scope"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_trail",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_audit_trail_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_trail")),
    )
    op.create_index("ix_audit_trail_entity_row_id", "audit_trail", ["entity", "row_id"])
    op.create_index("ix_audit_trail_user_id_at", "audit_trail", ["user_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_trail_user_id_at", table_name="audit_trail")
    op.drop_index("ix_audit_trail_entity_row_id", table_name="audit_trail")
    op.drop_table("audit_trail")
