"""Interactions (calls) with everything recorded on them, and tasks that follow from them.

A call moves planned -> draft -> submitted. Once submitted it is locked: the services refuse
edits, and a trigger (see migrations) refuses them in the database too, so no code path can
change what the rep signed off.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, Synced


class Interaction(Synced, Base):
    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_account_start", "account_id", "start_at"),
        # Covers the home's count of a quarter's calls per segment, the visits the doctor
        # did not receive left out (migrations 0015, 0016).
        Index("ix_interactions_status_start", "status", "start_at", "deleted", "not_received",
              "account_id"),
        # The home's figures ask "did anything change?" (app/store/home_figures.py).
        Index("ix_interactions_version", "version"),
        Index("ix_interactions_updated_at", "updated_at"),
        CheckConstraint("duration_min IS NULL OR duration_min >= 0", name="duration"),
    )

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # base.Channel
    status: Mapped[str] = mapped_column(String(16))  # base.CallStatus
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    duration_min: Mapped[int | None] = mapped_column(Integer)
    address_id: Mapped[str | None] = mapped_column(ForeignKey("addresses.id"))
    subject: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_date: Mapped[dt.date | None] = mapped_column(Date)
    # The signature as strokes (JSON: [[x, y], ...] per stroke, 0..1 coordinates).
    signature: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # An in-person visit where the doctor did not receive the rep: an attempt the engine
    # learns restricted access from (app/services/engine_data.py), with nothing discussed.
    not_received: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    attendees: Mapped[list[Attendee]] = relationship(back_populates="interaction")
    products: Mapped[list[DiscussedProduct]] = relationship(
        back_populates="interaction", order_by="DiscussedProduct.position"
    )
    key_messages: Mapped[list[DiscussedKeyMessage]] = relationship(back_populates="interaction")
    samples: Mapped[list[Sample]] = relationship(back_populates="interaction")


class Attendee(Synced, Base):
    __tablename__ = "attendees"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    name: Mapped[str] = mapped_column(String(200))

    interaction: Mapped[Interaction] = relationship(back_populates="attendees")


class DiscussedProduct(Synced, Base):
    """A product detailed in a call; `position` is the priority order (1 = first)."""

    __tablename__ = "discussed_products"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    position: Mapped[int] = mapped_column(Integer)

    interaction: Mapped[Interaction] = relationship(back_populates="products")


class DiscussedKeyMessage(Synced, Base):
    __tablename__ = "discussed_key_messages"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    key_message_id: Mapped[str] = mapped_column(ForeignKey("key_messages.id"))
    reaction: Mapped[str | None] = mapped_column(String(16))  # positive / neutral / negative

    interaction: Mapped[Interaction] = relationship(back_populates="key_messages")


class Sample(Synced, Base):
    __tablename__ = "samples"
    __table_args__ = (
        Index("ix_samples_account_product", "account_id", "product_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    # The receiving account, kept on the row so the yearly limit is one indexed sum.
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)

    interaction: Mapped[Interaction] = relationship(back_populates="samples")


class Task(Synced, Base):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_owner_status_due", "owner_id", "status", "due_date"),)

    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    interaction_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"))
    subject: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # base.TaskStatus
