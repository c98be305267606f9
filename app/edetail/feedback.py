"""Slide feedback per topic for one doctor: what the recommendation engine learns from.

Only tracked sessions count (an anonymous capture has no account, by design) and only views
that count as seen (2 s on screen, or a reaction, an answer, "asked for more"). One grouped
query over the capture rows; the engine turns the figures into interest scores.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from app.edetail.capture import COUNTS_AFTER_MS
from app.store.content import PresentationSession, Slide, SlideView


@dataclass(frozen=True)
class TopicFeedback:
    topic: str
    views: int
    seconds: float
    positive: int
    neutral: int
    negative: int
    asked_for_more: int


def topic_feedback(session: Session, account_id: str) -> list[TopicFeedback]:
    """The account's e-detail feedback by topic, most time spent first."""
    counted = or_(SlideView.duration_ms >= COUNTS_AFTER_MS, SlideView.reaction.is_not(None),
                  SlideView.asked_for_more.is_(True), SlideView.answers != "{}")

    def n(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(
        select(Slide.topic, func.count(SlideView.id), func.sum(SlideView.duration_ms),
               n(SlideView.reaction == "positive"), n(SlideView.reaction == "neutral"),
               n(SlideView.reaction == "negative"), n(SlideView.asked_for_more.is_(True)))
        .join(Slide, Slide.id == SlideView.slide_id)
        .join(PresentationSession, PresentationSession.id == SlideView.session_id)
        .where(PresentationSession.account_id == account_id,
               PresentationSession.deleted.is_(False), SlideView.deleted.is_(False), counted)
        .group_by(Slide.topic)
        .order_by(func.sum(SlideView.duration_ms).desc(), Slide.topic)).all()
    return [TopicFeedback(topic, views, (ms or 0) / 1000, pos or 0, neu or 0, neg or 0,
                          more or 0)
            for topic, views, ms, pos, neu, neg, more in rows]
