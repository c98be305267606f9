"""Master-data change requests the rep proposed (docs/change-requests.md).

A rep cannot overwrite an account's name, address or specialty: the server keeps master
data. He proposes a change (or a new doctor) here; it travels in the outbox like any row,
a data steward decides on the server, and the decision comes back with the pull, so the
account shows each request's state (pending, accepted, rejected with the reason,
withdrawn).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class ChangeRequest(Synced, Base):
    __tablename__ = "change_requests"
    __table_args__ = (Index("ix_change_requests_account_id_requested_at", "account_id",
                            "requested_at"),)

    # Empty for a new doctor until the steward accepts it (then the new account's id).
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    kind: Mapped[str] = mapped_column(String(16))  # app.master_data.KINDS
    changes: Mapped[str] = mapped_column(Text)  # JSON: field -> {"old", "new"}
    comment: Mapped[str | None] = mapped_column(Text)
    # Users without a foreign key: a pulled request may name a requester or a steward this
    # laptop never pulled (a rep who left the territory), and the pull must not fail on it.
    requested_by: Mapped[str | None] = mapped_column(String(36))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))  # ChangeRequestStatus
    decided_by: Mapped[str | None] = mapped_column(String(36))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)
