"""Changes the server refused on push, kept on the laptop for the rep to read and settle.

A refusal is the server saying "no" to one change (a record outside the rep's territory, a
call already submitted, a rule of the medical firewall). The outbox lets the change go — a
refused change must not block the ones after it (docs/sync-protocol.md) — so this table is the only
place the rep can still learn of it. Like conflicts, each refusal is `open` until the rep has
read it (dismissed) or gone to the record to edit it again, and the status bar never says
"All changes synced" while one is open.

What is kept: which record (its name as it stood when the answer came, since a refusal often
comes with the record leaving the laptop), which fields the change carried (their names, not
their values), and the server's reason. The words the rep reads are made from the reason by
the UI (app/ui/views/refusals.py), translated. Local only, never synced.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, DateTime, Index, String, Table, Text, func, select, text, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Mapped, mapped_column

from app.ids import uuid7
from app.store.base import Base, utcnow
from app.store.conflicts import record_label

OPEN, DISMISSED = "open", "dismissed"

#: Rows the rep never wrote by hand: the audit entry that goes with every change is refused
#: with the change itself, and listing it too would show one refusal twice in words the rep
#: cannot act on. (It stays in the sync's raw log.)
NOT_LISTED = frozenset({"audit_log"})


class SyncRefusal(Base):
    """One pushed change the server refused."""

    __tablename__ = "sync_refusals"
    __table_args__ = (Index("ix_sync_refusals_mutation_id", "mutation_id", unique=True),
                      Index("ix_sync_refusals_state", "state"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    mutation_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(16))
    fields: Mapped[str] = mapped_column(Text)  # JSON list of the field names the change set
    reason: Mapped[str] = mapped_column(Text)  # the server's reason, as it said it
    label: Mapped[str] = mapped_column(Text, default="")  # the record, named at the time
    account_id: Mapped[str | None] = mapped_column(String(36))  # where to edit it again
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


_table = cast(Table, SyncRefusal.__table__)

#: The account a row belongs to, per entity (to open it and edit the change again).
_ACCOUNTS = {
    "accounts": "SELECT id FROM accounts WHERE id = :id",
    "addresses": "SELECT account_id FROM addresses WHERE id = :id",
    "channel_consents": "SELECT account_id FROM channel_consents WHERE id = :id",
    "external_ids": "SELECT account_id FROM external_ids WHERE id = :id",
    "touchpoints": "SELECT account_id FROM touchpoints WHERE id = :id",
    "affiliations": "SELECT hcp_id FROM affiliations WHERE id = :id",
    "interactions": "SELECT account_id FROM interactions WHERE id = :id",
    "emails": "SELECT account_id FROM emails WHERE id = :id",
    "tasks": "SELECT account_id FROM tasks WHERE id = :id",
    "medical_inquiries": "SELECT account_id FROM medical_inquiries WHERE id = :id",
    "suggestions": "SELECT account_id FROM suggestions WHERE id = :id",
    "presentation_sessions": "SELECT account_id FROM presentation_sessions WHERE id = :id",
    "change_requests": "SELECT account_id FROM change_requests WHERE id = :id",
}


def _account_of(conn: Connection, entity: str, row_id: str) -> str | None:
    query = _ACCOUNTS.get(entity)
    value = conn.execute(text(query), {"id": row_id}).scalar() if query else None
    return value if isinstance(value, str) else None


def record(conn: Connection, entries: list[dict[str, Any]]) -> int:
    """Keep the refusals of one push answer (again: nothing new); how many were kept.

    Each entry holds mutation_id, entity, row_id, op, fields and reason (app/sync/push.py).
    Runs in the transaction that applies the answer, before the rows may leave the laptop.
    """
    rows = []
    for e in entries:
        entity, row_id = str(e.get("entity")), str(e.get("row_id"))
        if entity in NOT_LISTED:
            continue
        fields = e.get("fields")
        rows.append({
            "id": uuid7(), "at": utcnow(), "mutation_id": str(e.get("mutation_id")),
            "entity": entity, "row_id": row_id, "op": str(e.get("op") or "upsert"),
            "fields": json.dumps(sorted(fields) if isinstance(fields, dict) else []),
            "reason": str(e.get("reason") or ""),
            "label": record_label(conn, entity, row_id),
            "account_id": _account_of(conn, entity, row_id), "state": OPEN})
    if rows:
        conn.execute(insert(_table).on_conflict_do_nothing(), rows)
    return len(rows)


@dataclass(frozen=True)
class Refusal:
    """A refusal as the rep reads it."""

    id: str
    at: dt.datetime
    entity: str
    row_id: str
    op: str
    fields: list[str]
    reason: str
    label: str
    account_id: str | None


def _names(raw: str) -> list[str]:
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def listed(conn: Connection) -> list[Refusal]:
    """The open refusals, newest first."""
    rows = conn.execute(select(_table).where(_table.c.state == OPEN)
                        .order_by(_table.c.at.desc(), _table.c.id)).all()
    return [Refusal(r.id, r.at, r.entity, r.row_id, r.op, _names(r.fields), r.reason,
                    r.label, r.account_id) for r in rows]


def open_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(_table)
                            .where(_table.c.state == OPEN)).scalar_one())


def dismiss(conn: Connection, refusal_id: str) -> bool:
    """The rep has read it; False when there was no such open refusal."""
    done = conn.execute(update(_table).where(_table.c.id == refusal_id, _table.c.state == OPEN)
                        .values(state=DISMISSED, settled_at=utcnow()))
    return bool(done.rowcount)
