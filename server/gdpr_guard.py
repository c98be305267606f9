"""A push may not bring an erased doctor back (docs/gdpr.md).

A laptop that was offline during an erasure still holds the doctor, and its next sync
pushes before it pulls: an edit of the account, a new call or a new consent would write the
doctor's data again. Every pushed row that names an erased account (as the row itself or
through an account reference) is rejected with a reason the rep can read; the pull that
follows removes the doctor from that laptop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from server.models import Erasure
from server.sync.wire import Rejected

#: Columns that name an account, in any synced entity.
ACCOUNT_COLUMNS = ("account_id", "hcp_id", "hco_id")

REASON = ("this doctor's data was erased on a data-protection request: the change cannot "
          "be stored")


def refuse_erased(session: Session, entity: str, row_id: Any, row: Row[Any] | None,
                  values: Mapping[str, Any]) -> None:
    """Rejected when the pushed row or the row it changes names an erased account."""
    named: set[str] = {row_id} if entity == "accounts" and isinstance(row_id, str) else set()
    before = dict(row._mapping) if row is not None else {}
    for name in ACCOUNT_COLUMNS:
        for value in (values.get(name), before.get(name)):
            if isinstance(value, str):
                named.add(value)
    if named and session.scalar(
            select(Erasure.account_id).where(Erasure.account_id.in_(named)).limit(1)):
        raise Rejected(REASON)
