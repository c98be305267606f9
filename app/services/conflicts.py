"""Settling a sync conflict: reapply the value that lost, or dismiss it.

Reapplying is a normal edit of the row, written through the session like any other, so the
outbox carries it to the server at the next sync, based on the version the laptop now has:
the server takes it without a new conflict. Dismissing only marks the conflict as read.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Date, DateTime
from sqlalchemy.orm import Session

from app.contract import ENTITIES, Merge
from app.i18n import tr
from app.services import audit
from app.services.errors import LockedError, NotFoundError, ServiceError
from app.store.base import Base, CallStatus, Synced, utcnow
from app.store.conflicts import DISMISSED, OPEN, REAPPLIED, SyncConflict
from app.store.interactions import Interaction


def _model(entity: str) -> type[Synced]:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == entity:
            return mapper.class_
    raise NotFoundError(tr("This kind of record cannot be edited on this laptop."))


def _open(session: Session, conflict_id: str) -> SyncConflict:
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None:
        raise NotFoundError(tr("The conflict does not exist on this laptop."))
    if conflict.state != OPEN:
        raise ServiceError(tr("This conflict was already settled."))
    return conflict


def _typed(model: type[Synced], field: str, value: Any) -> Any:
    """A JSON value as the column holds it (dates and times travel as ISO text)."""
    column = model.__table__.c[field]  # type: ignore[attr-defined]
    if isinstance(value, str) and isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, str) and isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def _check_lock(session: Session, entity: str, row: Any) -> None:
    call_id = row.id if entity == "interactions" else getattr(row, "interaction_id", None)
    if ENTITIES[entity].merge is not Merge.LOCK_ON_SUBMIT or call_id is None:
        return
    call = session.get(Interaction, call_id)
    if call is not None and call.status == CallStatus.SUBMITTED:
        raise LockedError(tr("The call was submitted meanwhile and is locked: the value "
                             "cannot be reapplied."))


def reapply(session: Session, user_id: str | None, conflict_id: str) -> None:
    """Write the value that lost back into the row, as the rep's own new edit."""
    conflict = _open(session, conflict_id)
    spec = ENTITIES.get(conflict.entity)
    if spec is None or spec.merge in (Merge.SERVER_OWNED, Merge.APPEND_ONLY):
        raise ServiceError(tr("This kind of record cannot be edited on this laptop."))
    model = _model(conflict.entity)
    row = session.get(model, conflict.row_id)
    if row is None or row.deleted:
        raise NotFoundError(tr("The record is no longer on this laptop, so the value cannot "
                               "be reapplied."))
    _check_lock(session, conflict.entity, row)
    stored = conflict.theirs if conflict.kept == "mine" else conflict.mine
    setattr(row, conflict.field, _typed(model, conflict.field, json.loads(stored)))
    conflict.state, conflict.settled_at = REAPPLIED, utcnow()
    session.flush()
    audit.record(session, user_id, "conflict.reapplied", conflict.entity, conflict.row_id,
                 field=conflict.field)


def dismiss(session: Session, conflict_id: str) -> None:
    """The rep has read the conflict and keeps what the server kept."""
    conflict = _open(session, conflict_id)
    conflict.state, conflict.settled_at = DISMISSED, utcnow()
