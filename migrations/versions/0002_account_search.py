"""Account search: sort keys, list columns and a full-text index, filled from existing rows.

Adds the local, derived columns of `accounts` (see app/store/accounts.py) with their indexes,
the FTS5 index with the triggers that keep it current, and computes all of them for the
accounts already in the file, so an upgraded database searches like a new one.

Revision ID: 0002_account_search
Revises: 0001_initial
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.store.search import FTS_DDL, REBUILD_SQL, refresh_accounts

revision: str = "0002_account_search"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_accounts_name_key": ["name_key"],
    "ix_accounts_city_key": ["city_key", "name_key"],
    "ix_accounts_postcode": ["postcode", "name_key"],
    "ix_accounts_segment": ["segment", "name_key"],
    "ix_accounts_specialty_id": ["specialty_id", "name_key"],
    "ix_accounts_last_contact_at": ["last_contact_at"],
}
BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("name_key", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("city", sa.String(100), nullable=True))
        batch.add_column(sa.Column("city_key", sa.String(100), nullable=True))
        batch.add_column(sa.Column("postcode", sa.String(16), nullable=True))
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("last_contact_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("name_key", server_default=None)
        batch.alter_column("search_text", server_default=None)
        for name, columns in INDEXES.items():
            batch.create_index(name, columns)
    conn = op.get_bind()
    ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM accounts"))]
    for start in range(0, len(ids), BATCH):
        refresh_accounts(conn, ids[start : start + BATCH])
    conn.execute(
        sa.text(
            "UPDATE accounts SET last_contact_at = (SELECT max(i.start_at) FROM interactions i "
            "WHERE i.account_id = accounts.id AND i.status = 'submitted' AND i.deleted = 0)"
        )
    )
    # The index last: its triggers expect every account in it already (external content).
    for sql in FTS_DDL:
        op.execute(sql)
    conn.exec_driver_sql(REBUILD_SQL)


def downgrade() -> None:
    for name in ("account_search_ai", "account_search_au", "account_search_ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS account_search")
    with op.batch_alter_table("accounts") as batch:
        for name in INDEXES:
            batch.drop_index(name)
        for column in ("last_contact_at", "search_text", "postcode", "city_key", "city",
                       "name_key"):
            batch.drop_column(column)
