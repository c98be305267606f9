"""Touchpoints outside systems reported (a webinar attended, an e-mail opened ...).

The server writes them from its integration API (app.contract, "touchpoints"); the laptop
only reads them: the account's history shows them beside the calls, and the engine reads
them as contacts the doctor had.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class Touchpoint(Synced, Base):
    __tablename__ = "touchpoints"
    __table_args__ = (Index("ix_touchpoints_account_id_occurred_at", "account_id",
                            "occurred_at"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(32))  # TouchpointKind
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(Text)
