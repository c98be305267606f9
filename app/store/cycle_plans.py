"""Cycle plans on the laptop: the targets a manager published on the server
(server/cycle_plans.py), read only here. A row is the calls each account of a segment, or
one account, of a territory should get in a period, in one channel or in any.

`account_id` is no foreign key, as for the sales figures: the rows follow their territory,
so an account revoked from this laptop leaves the plan as it was published.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class CyclePlan(Synced, Base):
    __tablename__ = "cycle_plans"
    __table_args__ = (
        Index("ix_cycle_plans_territory_id_period", "territory_id", "period_start"),
        Index("ix_cycle_plans_version", "version"),
        Index("ix_cycle_plans_updated_at", "updated_at"),
    )

    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"))
    account_id: Mapped[str | None] = mapped_column(String(36))
    segment: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(16))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    calls: Mapped[int] = mapped_column(Integer)
    published_by: Mapped[str] = mapped_column(String(36))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime)
