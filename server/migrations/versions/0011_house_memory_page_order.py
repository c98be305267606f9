"""Pull pages walk an index on (version, id) of each synced table, which replaces the index
on version alone (server/models.py, `_page_order`).

Revision ID: 0011_house_memory
Revises: 0010_real_imports
Create Date: 2026-12-07 15:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_house_memory"
down_revision: str | None = "0010_real_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNCED = (
    "accounts",
    "addresses",
    "affiliations",
    "attendees",
    "audit_log",
    "channel_consents",
    "clickstream_events",
    "discussed_key_messages",
    "discussed_products",
    "external_ids",
    "interactions",
    "key_messages",
    "medical_answers",
    "medical_inquiries",
    "presentation_sessions",
    "presentations",
    "products",
    "rule_sets",
    "samples",
    "slide_views",
    "slides",
    "specialties",
    "suggestions",
    "tasks",
    "territories",
    "territory_products",
    "users",
)


def upgrade() -> None:
    for table in SYNCED:
        op.create_index(f"ix_{table}_version_id", table, ["version", "id"])
        op.drop_index(f"ix_{table}_version", table_name=table)


def downgrade() -> None:
    for table in SYNCED:
        op.create_index(f"ix_{table}_version", table, ["version"])
        op.drop_index(f"ix_{table}_version_id", table_name=table)
