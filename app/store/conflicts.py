"""Conflicts the server reported on push, kept on the laptop for the rep to read and settle.

When the rep and someone else changed the same field, the server decides by a rule per field
(docs/sync-protocol.md) and answers with both values. The value that lost must never vanish:
each conflicting field becomes one row here, `open` until the rep reapplies the losing value
(a normal edit through the services, so it syncs) or dismisses it. Local only, never synced.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, DateTime, Index, String, Table, Text, func, select, text
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Mapped, mapped_column

from app.ids import uuid7
from app.store.base import Base, utcnow

OPEN, REAPPLIED, DISMISSED = "open", "reapplied", "dismissed"
MINE, THEIRS = "mine", "theirs"


class SyncConflict(Base):
    """One field of one pushed change that met another change of the same field."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_mutation_id_field", "mutation_id", "field",
                            unique=True),
                      Index("ix_sync_conflicts_state", "state"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    mutation_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    mine: Mapped[str] = mapped_column(Text)  # JSON: the value this laptop sent
    theirs: Mapped[str] = mapped_column(Text)  # JSON: the value the server had
    kept: Mapped[str] = mapped_column(String(8))  # which of the two the server kept
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


_table = cast(Table, SyncConflict.__table__)


def record(conn: Connection, mutation_id: str, entity: str, row_id: str,
           conflicts: list[dict[str, Any]], at: dt.datetime | None = None) -> int:
    """Keep the server's conflicts of one mutation (again: nothing new); how many."""
    rows = [{"id": uuid7(), "at": at or utcnow(), "mutation_id": mutation_id,
             "entity": entity, "row_id": row_id, "field": str(c.get("field")),
             "mine": json.dumps(c.get("mine"), default=str),
             "theirs": json.dumps(c.get("theirs"), default=str),
             "kept": MINE if c.get("kept") == MINE else THEIRS, "state": OPEN}
            for c in conflicts if isinstance(c, dict) and c.get("field")]
    if rows:
        conn.execute(insert(_table).on_conflict_do_nothing(), rows)
    return len(rows)


@dataclass(frozen=True)
class Conflict:
    """A conflict as the rep reads it: which record, which field, what won, what lost."""

    id: str
    at: dt.datetime
    entity: str
    row_id: str
    field: str
    label: str  # the record in words: the account's name, the call's subject …
    kept: str  # MINE or THEIRS
    mine: Any
    theirs: Any
    state: str

    @property
    def winning(self) -> Any:
        return self.mine if self.kept == MINE else self.theirs

    @property
    def losing(self) -> Any:
        return self.theirs if self.kept == MINE else self.mine


#: How to name the record a conflict belongs to, per entity (first column of the row).
_LABELS = {
    "accounts": "SELECT name FROM accounts WHERE id = :id",
    "addresses": "SELECT a.name FROM addresses x JOIN accounts a ON a.id = x.account_id "
                 "WHERE x.id = :id",
    "channel_consents": "SELECT a.name FROM channel_consents x JOIN accounts a "
                        "ON a.id = x.account_id WHERE x.id = :id",
    "external_ids": "SELECT a.name FROM external_ids x JOIN accounts a ON a.id = x.account_id "
                    "WHERE x.id = :id",
    "affiliations": "SELECT a.name FROM affiliations x JOIN accounts a ON a.id = x.hcp_id "
                    "WHERE x.id = :id",
    "interactions": "SELECT coalesce(x.subject, '') || ' · ' || a.name FROM interactions x "
                    "JOIN accounts a ON a.id = x.account_id WHERE x.id = :id",
    "tasks": "SELECT subject FROM tasks WHERE id = :id",
    "change_requests": "SELECT a.name FROM change_requests x JOIN accounts a "
                       "ON a.id = x.account_id WHERE x.id = :id",
}


def _value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def record_label(conn: Connection, entity: str, row_id: str) -> str:
    """The record in words (an account's name, a call's subject); "" when unknown here."""
    query = _LABELS.get(entity)
    label = conn.execute(text(query), {"id": row_id}).scalar() if query else None
    return str(label or "")


def listed(conn: Connection, states: tuple[str, ...] = (OPEN,)) -> list[Conflict]:
    """Conflicts in `states`, newest first, each with its record named."""
    rows = conn.execute(select(_table).where(_table.c.state.in_(states))
                        .order_by(_table.c.at.desc(), _table.c.field)).all()
    out = []
    for r in rows:
        out.append(Conflict(r.id, r.at, r.entity, r.row_id, r.field,
                            record_label(conn, r.entity, r.row_id), r.kept,
                            _value(r.mine), _value(r.theirs), r.state))
    return out


def open_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(_table)
                            .where(_table.c.state == OPEN)).scalar_one())
