"""Imports keep what the source says: whole external id systems, an address's state, and
specialty codes that never collide.

- `external_ids.system` grows from 32 to 255 characters: an unknown FHIR system was cut from
  the left to fit ("thub.com/synthetichealth/synthea").
- `addresses.region` keeps a state/region (ISO 3166-2 when recognised; server only for now).
- Specialty codes were the name's slug cut at 32 characters, so every name sharing its first
  32 ("Allopathic & Osteopathic Physicians|...") became one specialty. A row whose stored name
  is long and whose code is that cut is re-coded to the slug-plus-hash code the importer now
  makes (server.importing.upsert.specialty_code, copied here as it is today so the migration
  never changes), with a new version so laptops receive the repair. Accounts that were given
  such a specialty for a different name get theirs at the next import of their source: its
  code now differs, so the import creates and assigns the right one.

Revision ID: 0010_real_imports
Revises: 0009_gdpr
Create Date: 2026-12-07 15:40:00
"""

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_real_imports"
down_revision: str | None = "0009_gdpr"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODE_MAX = 32


def _slug(name: str) -> str:
    name = re.sub(r"^(fach(ä|ae)rzt(in)?\s+(f(ü|ue)r|der)\s+)", "", name.strip(), flags=re.I)
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "unknown"


def repaired_code(code: str, name: str) -> str | None:
    """The unique code of a specialty whose stored code is its name's slug cut at 32
    characters; None when the code was not cut (short names, SNOMED codes, own codes)."""
    slug = _slug(name)
    if len(slug) <= CODE_MAX or code != slug[:CODE_MAX]:
        return None
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[:CODE_MAX - 9].rstrip('-')}-{digest}"


def upgrade() -> None:
    with op.batch_alter_table("external_ids", schema=None) as batch_op:
        batch_op.alter_column("system", existing_type=sa.String(length=32),
                              type_=sa.String(length=255), existing_nullable=False)
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, code, name_en FROM specialties")).all()
    repairs = {row.id: new for row in rows
               if (new := repaired_code(row.code, row.name_en)) is not None}
    if not repairs:
        return
    version = conn.execute(sa.text(
        "UPDATE change_counter SET value = value + 1 WHERE name = 'main' RETURNING value"
    )).scalar_one()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    conn.execute(sa.text("UPDATE specialties SET code = :code, version = :version, "
                         "updated_at = :now WHERE id = :id"),
                 [{"id": id_, "code": code, "version": version, "now": now}
                  for id_, code in repairs.items()])


def downgrade() -> None:
    # Repaired codes stay: the cut ones collided, and no row depends on a code's spelling.
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.drop_column("region")
    with op.batch_alter_table("external_ids", schema=None) as batch_op:
        batch_op.alter_column("system", existing_type=sa.String(length=255),
                              type_=sa.String(length=32), existing_nullable=False)
