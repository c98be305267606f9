"""Scope states (what each user's scope members were last checked against) and indexes on
scope members for the pull's "entered or left after the cursor" questions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:20:47.627121
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Users without a row get one at their next pull, from a full comparison of their scope.
    op.create_table(
        "scope_states",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("territories", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_scope_states_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_scope_states")),
    )
    with op.batch_alter_table("scope_members", schema=None) as batch_op:
        batch_op.create_index("ix_scope_members_user_id_added_version",
                              ["user_id", "added_version"], unique=False)
        batch_op.create_index("ix_scope_members_user_id_removed_version",
                              ["user_id", "removed_version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scope_members", schema=None) as batch_op:
        batch_op.drop_index("ix_scope_members_user_id_removed_version")
        batch_op.drop_index("ix_scope_members_user_id_added_version")
    op.drop_table("scope_states")
