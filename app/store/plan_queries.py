"""The rep's planned calls and due tasks between two times: what the calendar and the day's
route show.

Coordinates come from the address a call names, else the account's primary address: the
store already holds latitude and longitude on addresses (synced master data the server
owns), so no new field and no migration is needed. A call at an address without
coordinates is still listed (the route places it last, and says so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, text

from app.store.queries import sql_datetime


@dataclass(frozen=True)
class PlannedCall:
    id: str
    account_id: str
    account_name: str
    city: str | None
    start_at: dt.datetime  # naive UTC
    duration_min: int | None
    channel: str
    subject: str | None
    latitude: float | None
    longitude: float | None
    opening_hours: str | None = None  # the account's practice hours (app/opening_hours.py)


@dataclass(frozen=True)
class DueTask:
    id: str
    subject: str
    due: dt.date
    account_id: str | None
    account_name: str | None


def planned_calls(conn: Connection, owner_id: str | None, since: dt.datetime,
                  until: dt.datetime) -> list[PlannedCall]:
    """The owner's planned calls starting in [since, until) (naive UTC), earliest first."""
    rows = conn.execute(text("""
        SELECT i.id, a.id, a.name, a.city, i.start_at, i.duration_min, i.channel, i.subject,
               coalesce(ca.latitude, pa.latitude), coalesce(ca.longitude, pa.longitude),
               a.opening_hours
        FROM interactions i
        JOIN accounts a ON a.id = i.account_id
        LEFT JOIN addresses ca ON ca.id = i.address_id AND ca.deleted = 0
        LEFT JOIN addresses pa ON pa.id = (
            SELECT p.id FROM addresses p WHERE p.account_id = a.id AND p.deleted = 0
            ORDER BY p.is_primary DESC, p.id LIMIT 1)
        WHERE i.status = 'planned' AND i.deleted = 0 AND i.owner_id IS :owner
          AND i.start_at >= :since AND i.start_at < :until
        ORDER BY i.start_at, a.name"""),
        {"owner": owner_id, "since": sql_datetime(since), "until": sql_datetime(until)})
    return [PlannedCall(r[0], r[1], r[2], r[3], _datetime(r[4]), r[5], r[6], r[7], r[8], r[9],
                        r[10]) for r in rows]


def due_tasks(conn: Connection, owner_id: str | None, first: dt.date,
              last: dt.date) -> list[DueTask]:
    """The owner's open tasks due from `first` to `last` (inclusive)."""
    rows = conn.execute(text("""
        SELECT t.id, t.subject, t.due_date, t.account_id, a.name
        FROM tasks t LEFT JOIN accounts a ON a.id = t.account_id
        WHERE t.status = 'open' AND t.deleted = 0 AND t.owner_id IS :owner
          AND t.due_date >= :first AND t.due_date <= :last
        ORDER BY t.due_date, t.subject"""),
        {"owner": owner_id, "first": first.isoformat(), "last": last.isoformat()})
    return [DueTask(r[0], r[1], dt.date.fromisoformat(str(r[2])[:10]), r[3], r[4])
            for r in rows]


def _datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
