"""Suggestions the engine made and what the rep did with them; rule sets from the server.

A suggestion is synced (Merge.FIELDS): the rep's answer (accepted, dismissed with a reason,
completed, expired) travels to the server, where it is the feedback and the evidence for the
control-group report. Rule sets are server-owned: managers publish them, laptops pull them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class SuggestionStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    COMPLETED = "completed"
    EXPIRED = "expired"


class Suggestion(Synced, Base):
    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_status_due", "status", "due_date"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_role: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    priority: Mapped[float] = mapped_column(Float)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{text, values}]
    content_id: Mapped[str | None] = mapped_column(String(36))
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    rule_id: Mapped[str | None] = mapped_column(String(100))
    rule_set_version: Mapped[int | None] = mapped_column(Integer)
    plan_id: Mapped[str | None] = mapped_column(String(100))
    plan_step: Mapped[int | None] = mapped_column(Integer)
    trigger: Mapped[str | None] = mapped_column(String(32))
    after_call_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"))
    status: Mapped[str] = mapped_column(String(16), default=SuggestionStatus.OPEN)
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The planned call or task an accepted suggestion created.
    result_id: Mapped[str | None] = mapped_column(String(36))


class RuleSetRow(Synced, Base):
    """One published version of a rule set (its TOML text, validated on the laptop)."""

    __tablename__ = "rule_sets"

    name: Mapped[str] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
