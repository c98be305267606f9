"""When an accepted suggestion's visit goes in the rep's plan.

Accepting used to book 09:00 on the due day whatever else was planned then, and a second
visit for a doctor who already had one. `propose` answers both before anything is
written: the doctor's open call if there is one (the suggestion is then linked to it), else
the next free working slot from the due day on — a weekday between 08:00 and 18:00 local
time, within the practice's opening hours where the account has them (app/opening_hours.py),
not in the past, not overlapping another of the rep's open calls. The rep sees the
proposal and may change day, time and channel in the same step.

Times are the laptop's local wall clock here (what the rep reads and types); the store
keeps naive UTC, converted at the edge (`to_utc`, `to_local`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import opening_hours
from app.store.accounts import Account
from app.store.base import CallStatus
from app.store.interactions import Interaction

DAY_START = dt.time(8)
DAY_END = dt.time(18)
STEP = dt.timedelta(minutes=30)
#: How long a planned call without a duration is taken to last.
DEFAULT_LENGTH = dt.timedelta(minutes=30)
#: How far ahead a free slot is looked for.
HORIZON_DAYS = 60
OPEN_STATUSES = (CallStatus.PLANNED.value, CallStatus.DRAFT.value)


def to_local(utc: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time as the laptop's naive local time."""
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def to_utc(local: dt.datetime) -> dt.datetime:
    """A naive local time as the store keeps it (naive UTC)."""
    return local.astimezone(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Proposal:
    """What Accept will do: link to `existing_id` (planned at `start`), or plan at `start`.
    `start` is local time."""

    start: dt.datetime
    existing_id: str | None = None


def open_call_for(session: Session, user_id: str | None, account_id: str
                  ) -> Interaction | None:
    """The rep's own planned call or draft with this doctor, the earliest first."""
    return session.scalars(
        select(Interaction).where(Interaction.account_id == account_id,
                                  Interaction.owner_id == user_id,
                                  Interaction.status.in_(OPEN_STATUSES),
                                  Interaction.deleted.is_(False))
        .order_by(Interaction.start_at)).first()


def _busy(session: Session, user_id: str | None, since_local: dt.datetime
          ) -> list[tuple[dt.datetime, dt.datetime]]:
    rows = session.execute(
        select(Interaction.start_at, Interaction.duration_min).where(
            Interaction.owner_id == user_id, Interaction.status.in_(OPEN_STATUSES),
            Interaction.deleted.is_(False),
            Interaction.start_at >= to_utc(since_local) - dt.timedelta(days=1)))
    busy = []
    for start_at, minutes in rows:
        start = to_local(start_at)
        length = dt.timedelta(minutes=minutes) if minutes else DEFAULT_LENGTH
        busy.append((start, start + length))
    return busy


def _round_up(moment: dt.datetime) -> dt.datetime:
    base = moment.replace(minute=0, second=0, microsecond=0)
    while base < moment:
        base += STEP
    return base


def next_free_slot(session: Session, user_id: str | None, due: dt.date,
                   now_local: dt.datetime,
                   hours: opening_hours.OpeningHours | None = None) -> dt.datetime:
    """The first working half hour from `due` on that is not past, not taken and, given the
    practice's `hours`, within them."""
    candidate = max(dt.datetime.combine(due, DAY_START), _round_up(now_local))
    busy = _busy(session, user_id, candidate)
    last = candidate + dt.timedelta(days=HORIZON_DAYS)
    while candidate < last:
        day_start = dt.datetime.combine(candidate.date(), DAY_START)
        day_end = dt.datetime.combine(candidate.date(), DAY_END)
        if candidate.weekday() >= 5 or candidate + DEFAULT_LENGTH > day_end:
            candidate = day_start + dt.timedelta(days=1)
            continue
        if candidate < day_start:
            candidate = day_start
            continue
        end = candidate + DEFAULT_LENGTH
        closed = hours is not None and not hours.is_open(
            candidate.weekday(), candidate.hour * 60 + candidate.minute,
            int(DEFAULT_LENGTH.total_seconds()) // 60)
        if not closed and not any(start < end and candidate < stop for start, stop in busy):
            return candidate
        candidate += STEP
    return max(dt.datetime.combine(due, DAY_START), _round_up(now_local))


def propose(session: Session, user_id: str | None, account_id: str, due: dt.date,
            now_local: dt.datetime) -> Proposal:
    existing = open_call_for(session, user_id, account_id)
    if existing is not None:
        return Proposal(to_local(existing.start_at), existing.id)
    account = session.get(Account, account_id)
    try:
        hours = opening_hours.parse(account.opening_hours if account is not None else None)
    except opening_hours.OpeningHoursError:
        hours = None  # unreadable hours: the working day alone, as without any
    return Proposal(next_free_slot(session, user_id, due, now_local, hours))
