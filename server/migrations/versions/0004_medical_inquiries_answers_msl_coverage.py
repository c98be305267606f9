"""Medical inquiries (issue 8): the inquiries, their answers (pulled by MSLs only), and the
MSL coverage table that routes them

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:08:47.271764
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "msl_coverage",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("territory_id", sa.String(length=36), nullable=False),
        sa.Column("therapeutic_area", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territories.id"],
            name=op.f("fk_msl_coverage_territory_id_territories"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_msl_coverage_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_msl_coverage")),
        sa.UniqueConstraint(
            "user_id",
            "territory_id",
            "therapeutic_area",
            name=op.f("uq_msl_coverage_user_id_territory_id_therapeutic_area"),
        ),
    )
    with op.batch_alter_table("msl_coverage", schema=None) as batch_op:
        batch_op.create_index(
            "ix_msl_coverage_territory_id_therapeutic_area",
            ["territory_id", "therapeutic_area"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_msl_coverage_user_id"), ["user_id"], unique=False)

    op.create_table(
        "medical_inquiries",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("call_id", sa.String(length=36), nullable=True),
        sa.Column("raised_by", sa.String(length=36), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("answer_channel", sa.String(length=16), nullable=False),
        sa.Column("consent_to_contact", sa.Boolean(), nullable=False),
        sa.Column("unsolicited", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_to", sa.String(length=36), nullable=True),
        sa.Column("routed_at", sa.DateTime(), nullable=True),
        sa.Column("taken_over_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("handed_back_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("hand_back_note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_medical_inquiries_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["users.id"], name=op.f("fk_medical_inquiries_assigned_to_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["interactions.id"], name=op.f("fk_medical_inquiries_call_id_interactions")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_medical_inquiries_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by"], ["users.id"], name=op.f("fk_medical_inquiries_raised_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_inquiries")),
    )
    with op.batch_alter_table("medical_inquiries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medical_inquiries_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_medical_inquiries_assigned_to"), ["assigned_to"], unique=False
        )
        batch_op.create_index(
            "ix_medical_inquiries_status_assigned_to", ["status", "assigned_to"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_medical_inquiries_version"), ["version"], unique=False)

    op.create_table(
        "medical_answers",
        sa.Column("inquiry_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("medical_notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_versions", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_medical_answers_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["medical_inquiries.id"],
            name=op.f("fk_medical_answers_inquiry_id_medical_inquiries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medical_answers")),
    )
    with op.batch_alter_table("medical_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_medical_answers_inquiry_id"), ["inquiry_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_medical_answers_version"), ["version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("medical_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medical_answers_version"))
        batch_op.drop_index(batch_op.f("ix_medical_answers_inquiry_id"))

    op.drop_table("medical_answers")
    with op.batch_alter_table("medical_inquiries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medical_inquiries_version"))
        batch_op.drop_index("ix_medical_inquiries_status_assigned_to")
        batch_op.drop_index(batch_op.f("ix_medical_inquiries_assigned_to"))
        batch_op.drop_index(batch_op.f("ix_medical_inquiries_account_id"))

    op.drop_table("medical_inquiries")
    with op.batch_alter_table("msl_coverage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_msl_coverage_user_id"))
        batch_op.drop_index("ix_msl_coverage_territory_id_therapeutic_area")

    op.drop_table("msl_coverage")
