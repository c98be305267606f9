"""Approved e-mail: the templates the server publishes and the e-mails reps send (docs/email.md).

`emails` is a part of a submitted call (channel e-mail), locked with it by triggers as the
other parts are (0004, 0005): the sync alone may write the server's version.

Revision ID: 0020_email
Revises: 0019_cycle_plans
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_email"
down_revision: str | None = "0019_cycle_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("id", "interaction_id", "account_id", "template_id", "variant", "paragraph",
           "to_address", "deleted")
LOCKED = "SELECT RAISE(ABORT, 'a submitted call is locked')"
NOT_APPLYING = "NOT EXISTS (SELECT 1 FROM local_state WHERE key = 'sync.applying')"
SUBMITTED = "(SELECT status FROM interactions WHERE id = OLD.interaction_id) = 'submitted'"


def _synced() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default="0", nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "email_templates",
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("variants", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("approval_state", sa.String(length=16), nullable=False),
        *_synced(),
        sa.CheckConstraint("approval_state IN ('draft', 'approved', 'withdrawn')",
                           name=op.f("ck_email_templates_approval_state")),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_email_templates_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_templates")),
    )
    op.create_index(op.f("ix_email_templates_product_id"), "email_templates", ["product_id"])
    op.create_table(
        "emails",
        sa.Column("interaction_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("template_id", sa.String(length=36), nullable=False),
        sa.Column("variant", sa.String(length=32), nullable=True),
        sa.Column("paragraph", sa.Text(), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_emails_account_id_accounts")),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"],
                                name=op.f("fk_emails_interaction_id_interactions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emails")),
    )
    op.create_index(op.f("ix_emails_account_id"), "emails", ["account_id"])
    op.create_index(op.f("ix_emails_interaction_id"), "emails", ["interaction_id"])
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in COLUMNS)
    op.execute("CREATE TRIGGER emails_locked_update BEFORE UPDATE ON emails "
               f"WHEN {SUBMITTED} AND ({changed}) AND {NOT_APPLYING} BEGIN {LOCKED}; END")
    op.execute("CREATE TRIGGER emails_locked_delete BEFORE DELETE ON emails "
               f"WHEN {SUBMITTED} AND {NOT_APPLYING} BEGIN {LOCKED}; END")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS emails_locked_delete")
    op.execute("DROP TRIGGER IF EXISTS emails_locked_update")
    op.drop_index(op.f("ix_emails_interaction_id"), table_name="emails")
    op.drop_index(op.f("ix_emails_account_id"), table_name="emails")
    op.drop_table("emails")
    op.drop_index(op.f("ix_email_templates_product_id"), table_name="email_templates")
    op.drop_table("email_templates")
