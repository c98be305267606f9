"""The open tasks and follow-ups behind the Today section and the account's task card.

Tasks come from accepted suggestions (a follow-up for medical, a letter to send), from
engagement plans and from the server; a demo laptop holds over a hundred. Plain Core SQL over
the owner/status/due index, as the other screen reads (app/store/queries.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class TaskLine:
    id: str
    subject: str
    due: dt.date | None
    account_id: str | None
    account_name: str | None
    owner_id: str | None
    owner_name: str | None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


def open_tasks(conn: Connection, *, owner_id: str | None = None,
               account_id: str | None = None, limit: int = 500) -> list[TaskLine]:
    """Open tasks, soonest due first (undated last): a user's own, or one account's."""
    where = ["t.status = 'open'", "t.deleted = 0"]
    params: dict[str, object] = {"limit": limit}
    if owner_id is not None:
        where.append("t.owner_id = :owner")
        params["owner"] = owner_id
    if account_id is not None:
        where.append("t.account_id = :account")
        params["account"] = account_id
    rows = conn.execute(text(f"""
        SELECT t.id, t.subject, t.due_date, t.account_id, a.name, t.owner_id, u.display_name
        FROM tasks t
        LEFT JOIN accounts a ON a.id = t.account_id
        LEFT JOIN users u ON u.id = t.owner_id
        WHERE {" AND ".join(where)}
        ORDER BY t.due_date IS NULL, t.due_date, t.subject
        LIMIT :limit"""), params)  # the clauses joined above are fixed text
    return [TaskLine(r[0], r[1], _date(r[2]), r[3], r[4], r[5], r[6]) for r in rows]


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
