"""What a presentation session adds to the call report, as plain values.

`app.edetail` sits below the services (docs/architecture.md), so it does not import the call
report's form: `CallFragment.apply_to` fills anything shaped like `app.services.calls.CallForm`
(products, key_messages, notes), and the call service keeps the last word on validation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.edetail.capture import counts
from app.edetail.errors import CaptureError
from app.i18n import tr
from app.store.content import Presentation, PresentationSession, Slide, SlideView
from app.store.database import Database
from app.store.reference import KeyMessage


class CallFormLike(Protocol):
    products: list[str]
    key_messages: dict[str, str | None]
    notes: str | None


@dataclass(frozen=True)
class SlideSummary:
    """One slide as the doctor saw it, over all its counted views in the session."""

    slide_id: str
    title: str
    key_message: str  # the code, as the package names it
    key_message_id: str | None  # None when this laptop does not know the key message
    product_id: str
    topic: str
    seconds: float
    reaction: str | None  # the last reaction given
    asked_for_more: bool
    answers: tuple[tuple[str, str], ...]  # (question text, answer as text)


@dataclass(frozen=True)
class CallFragment:
    """The call report's share of a presentation, ready to be taken in."""

    session_id: str
    presentation_title: str
    products: list[str]  # product ids, most time spent first
    key_messages: dict[str, str | None]  # known key message id -> reaction, in order shown
    slides: list[SlideSummary] = field(default_factory=list)  # counted slides, in order shown
    seconds_by_product: dict[str, float] = field(default_factory=dict)
    notes: str = ""

    def apply_to(self, form: CallFormLike) -> None:
        """Fill a call report without overwriting what the rep entered there already.

        Products the rep listed keep their places and the presentation's follow; a reaction
        the rep chose stays; the notes get the answers and requests, once.
        """
        form.products.extend(p for p in self.products if p not in form.products)
        for km_id, reaction in self.key_messages.items():
            if form.key_messages.get(km_id) is None:
                form.key_messages[km_id] = reaction
        if self.notes and self.notes not in (form.notes or ""):
            form.notes = f"{form.notes.rstrip()}\n\n{self.notes}" if form.notes else self.notes


def _answer_text(question: dict[str, Any], value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if question.get("type") == "scale":
        return f"{value} / {question.get('max')}"
    return str(value)


def _notes(title: str, slides: list[SlideSummary]) -> str:
    lines: list[str] = []
    for slide in slides:
        lines += [f"- {question}: {text}" for question, text in slide.answers]
        if slide.asked_for_more:
            lines.append("- " + tr("Asked for more on “{slide}”.", slide=slide.title))
    if not lines:
        return ""
    return "\n".join([tr("E-detail “{title}”:", title=title), *lines])


def summarise_session(session: Session, session_id: str) -> CallFragment:
    """The fragment for one session, read in the caller's transaction."""
    running = session.get(PresentationSession, session_id)
    if running is None:
        raise CaptureError(tr("This presentation session does not exist."))
    presentation = session.get(Presentation, running.presentation_id)
    assert presentation is not None
    views = session.scalars(select(SlideView).where(
        SlideView.session_id == session_id, SlideView.deleted.is_(False))
        .order_by(SlideView.started_at, SlideView.id)).all()
    slides = {s.id: s for s in presentation.slides}
    codes = {s.key_message for s in slides.values() if s.key_message_id is None}
    # Key messages unknown at import may have arrived since (sync): look them up again.
    late = {code: (km_id, product_id) for code, km_id, product_id in session.execute(
        select(KeyMessage.code, KeyMessage.id, KeyMessage.product_id).where(
            KeyMessage.code.in_(codes), KeyMessage.deleted.is_(False)))} if codes else {}
    products = {km_id: product_id for km_id, product_id in session.execute(
        select(KeyMessage.id, KeyMessage.product_id).where(KeyMessage.id.in_(
            [s.key_message_id for s in slides.values() if s.key_message_id])))}

    order: list[str] = []
    acc: dict[str, dict[str, Any]] = {}
    for view in views:
        if not counts(view):
            continue
        slide: Slide = slides[view.slide_id]
        if slide.id not in acc:
            order.append(slide.id)
            acc[slide.id] = {"ms": 0, "reaction": None, "more": False, "answers": {}}
        item = acc[slide.id]
        item["ms"] += view.duration_ms
        item["reaction"] = view.reaction or item["reaction"]
        item["more"] = item["more"] or view.asked_for_more
        item["answers"].update(json.loads(view.answers or "{}"))

    summaries: list[SlideSummary] = []
    for slide_id in order:
        slide, item = slides[slide_id], acc[slide_id]
        km_id = slide.key_message_id or late.get(slide.key_message, (None, None))[0]
        product_id = (products.get(km_id) if km_id and km_id in products
                      else late.get(slide.key_message, (None, None))[1]) \
            or presentation.product_id
        questions = {q["id"]: q for q in json.loads(slide.questions)}
        answers = tuple((questions[qid]["text"], _answer_text(questions[qid], value))
                        for qid, value in item["answers"].items() if qid in questions)
        summaries.append(SlideSummary(
            slide_id=slide.id, title=slide.title, key_message=slide.key_message,
            key_message_id=km_id, product_id=product_id, topic=slide.topic,
            seconds=item["ms"] / 1000, reaction=item["reaction"],
            asked_for_more=item["more"], answers=answers))

    seconds: dict[str, float] = {}  # insertion order = first shown, the tie-breaker
    for s in summaries:
        seconds[s.product_id] = seconds.get(s.product_id, 0.0) + s.seconds
    ranked = sorted(seconds, key=lambda p: -seconds[p])  # stable: ties stay in shown order
    key_messages: dict[str, str | None] = {}
    for s in summaries:
        if s.key_message_id is not None:
            key_messages[s.key_message_id] = s.reaction or key_messages.get(s.key_message_id)
    return CallFragment(session_id=session_id, presentation_title=presentation.title,
                        products=ranked, key_messages=key_messages, slides=summaries,
                        seconds_by_product=seconds,
                        notes=_notes(presentation.title, summaries))


def summarise(db: Database, session_id: str) -> CallFragment:
    """The call report's share of the session `session_id` (ended or still running)."""
    with db.read() as session:
        return summarise_session(session, session_id)
