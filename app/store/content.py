"""E-detailing content (presentations, slides) and what a doctor's viewing of it left behind.

Content rows come from the server (`SERVER_OWNED` in the contract), their files by content
sync (`app.sync.content`); a rep may also import a package locally (`app.edetail.package`),
which writes the rows the way a pull would, without outbox mutations. The files themselves
are not in the database: they live in a content-addressed folder
(`app.content_format.blobs`), and rows name them by SHA-256.

Capture rows are the rep's own: a presentation session, one row per slide view (a slide
shown twice is two views, so nothing is overwritten after the view has ended) and click-stream
records as existing CLM content produces them. Each is written in its own short transaction
(`app.edetail.capture`), so a crash mid-presentation keeps what was captured until then.
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.content_format.clm_records import OTHER_FIELDS_MAX
from app.content_format.kinds import ApprovalState, SlideKind
from app.store.base import Base, Synced

__all__ = ["ApprovalState", "Presentation", "PresentationSession", "Slide", "SlideKind",
           "SlideView"]


class Presentation(Synced, Base):
    """One imported content package: an ordered deck of slides for one product.

    `code` and `content_version` are the package's own id and version (its manifest);
    `tree_sha256` names the JSON list of every file of the package (path -> SHA-256), so an
    HTML slide can be laid out again with its relative links intact.
    """

    __tablename__ = "presentations"
    __table_args__ = (
        UniqueConstraint("code", "content_version"),
        CheckConstraint("approval_state IN ('draft', 'approved', 'withdrawn')",
                        name="approval_state"),
    )

    code: Mapped[str] = mapped_column(String(100))
    content_version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    approval_state: Mapped[str] = mapped_column(String(16))  # ApprovalState
    package_sha256: Mapped[str] = mapped_column(String(64), index=True)
    tree_sha256: Mapped[str] = mapped_column(String(64))

    slides: Mapped[list[Slide]] = relationship(back_populates="presentation",
                                               order_by="Slide.position")


class Slide(Synced, Base):
    """One slide (a key message) of a presentation, in `position` order (1 = first)."""

    __tablename__ = "slides"
    __table_args__ = (
        UniqueConstraint("presentation_id", "position"),
        UniqueConstraint("presentation_id", "code"),
        CheckConstraint("kind IN ('pdf', 'image', 'html')", name="kind"),
    )

    presentation_id: Mapped[str] = mapped_column(ForeignKey("presentations.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(100))  # the slide's id in the package
    title: Mapped[str] = mapped_column(String(300))
    # The key message as the package names it; `key_message_id` when this laptop knows it.
    key_message: Mapped[str] = mapped_column(String(64))
    key_message_id: Mapped[str | None] = mapped_column(ForeignKey("key_messages.id"))
    topic: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8))  # SlideKind
    file: Mapped[str] = mapped_column(String(500))  # its path inside the package
    asset_sha256: Mapped[str] = mapped_column(String(64))
    page: Mapped[int | None] = mapped_column(Integer)  # 1-based, for PDF slides
    thumbnail_sha256: Mapped[str] = mapped_column(String(64))
    questions: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, see docs

    presentation: Mapped[Presentation] = relationship(back_populates="slides")


class PresentationSession(Synced, Base):
    """One showing of a presentation, usually during a call.

    `account_id` (and `interaction_id`) stay empty when the doctor has not consented to
    tracking: the capture is then anonymous, as the market's CLM products do it.
    """

    __tablename__ = "presentation_sessions"
    __table_args__ = (Index("ix_presentation_sessions_account", "account_id", "started_at"),)

    presentation_id: Mapped[str] = mapped_column(ForeignKey("presentations.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    interaction_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"),
                                                       index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    views: Mapped[list[SlideView]] = relationship(back_populates="session",
                                                  order_by="SlideView.started_at")


class SlideView(Synced, Base):
    """A slide on screen once: when, for how long, and what the doctor made of it.

    `answers` is a JSON object {question id: answer}. `ended_at` is the last moment the
    slide is known to have been on screen: it and `duration_ms` move forward at every event
    of the session while the view is the latest one, so a crash loses at most the seconds
    since the last event. A slide shown again is a new view; a view's timing is final once
    the next slide is shown (a late reaction to it is still recorded).
    """

    __tablename__ = "slide_views"
    __table_args__ = (
        CheckConstraint("reaction IS NULL OR reaction IN ('positive', 'neutral', 'negative')",
                        name="reaction"),
        CheckConstraint("duration_ms >= 0", name="duration"),
    )

    session_id: Mapped[str] = mapped_column(ForeignKey("presentation_sessions.id"), index=True)
    slide_id: Mapped[str] = mapped_column(ForeignKey("slides.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    reaction: Mapped[str | None] = mapped_column(String(16))
    answers: Mapped[str] = mapped_column(Text, default="{}")
    asked_for_more: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[PresentationSession] = relationship(back_populates="views")


class ClickstreamEvent(Synced, Base):
    """A click-stream record as CLM content saves it (question, answer, tracked element)."""

    __tablename__ = "clickstream_events"

    session_id: Mapped[str] = mapped_column(ForeignKey("presentation_sessions.id"), index=True)
    slide_id: Mapped[str | None] = mapped_column(ForeignKey("slides.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    track_element_id: Mapped[str | None] = mapped_column(String(200))
    track_element_type: Mapped[str | None] = mapped_column(String(100))
    track_element_description: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    usage_duration_s: Mapped[int | None] = mapped_column(Integer)
    # The CLM object the slide created (Call_Clickstream_vod__c when null) and every field
    # it gave that has no column above, as a JSON object of text (app.edetail.clm_records).
    object_name: Mapped[str | None] = mapped_column(String(64))
    other_fields: Mapped[str | None] = mapped_column(String(OTHER_FIELDS_MAX))
