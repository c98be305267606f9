"""The audit entry every service writes beside its change (same transaction)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from app.store.journal import AuditEntry


def record(session: Session, user_id: str | None, action: str, entity: str, row_id: str,
           **details: Any) -> None:
    """Append one audit entry: who did what to which row, with a few plain facts."""
    session.add(AuditEntry(user_id=user_id, action=action, entity=entity, row_id=row_id,
                           details=json.dumps(details, default=str) if details else None))
