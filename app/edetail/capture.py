"""Capturing what happens while a doctor looks at a presentation, one event at a time.

Each function is one event and one short write transaction: a slide shown, a reaction, an
answer, "asked for more", a click-stream record, the end. So a crash, a flat battery or the
rep leaving mid-way keeps everything up to the last event; `recover()` closes what a crash
left open. Time comes from an injected clock (tests drive it; the presenter passes its own),
never from the rep: the time on a slide is measured, not typed.

Tracking consent (docs/content-packages.md, "Capture and consent"): the doctor's consent to
CLM tracking is a `channel_consents` row of the pseudo-channel "clm_tracking" (the consent
dialog asks it, and the presenter asks it before a first e-detail). Only that consent
counts: a visit consent is not a consent to tracking, and what the rep is shown must be
what is used. Without consent the session is stored without
the account and without the call (anonymous), as the market's CLM products do; the rep still
gets the summary for the call report from the session in hand.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content_format import clm_records
from app.edetail.errors import CaptureError
from app.i18n import tr
from app.store.accounts import Account, ChannelConsent
from app.store.base import ConsentState, utcnow
from app.store.content import (
    ApprovalState,
    ClickstreamEvent,
    Presentation,
    PresentationSession,
    Slide,
    SlideView,
)
from app.store.database import Database
from app.store.interactions import Interaction

Clock = Callable[[], dt.datetime]
REACTIONS = ("positive", "neutral", "negative")
#: A slide on screen this long counts as seen even without any reaction (CLM convention).
COUNTS_AFTER_MS = 2000
TRACKING_CHANNEL = "clm_tracking"
MAX_TEXT_ANSWER = 2000


# --- rules ------------------------------------------------------------------------------


def tracking_state(session: Session, account_id: str) -> str | None:
    """The account's answer on e-detail tracking (a ConsentState value); None when it was
    never asked (no row, or a row still "unknown")."""
    state = session.scalar(select(ChannelConsent.consent).where(
        ChannelConsent.account_id == account_id, ChannelConsent.channel == TRACKING_CHANNEL,
        ChannelConsent.deleted.is_(False)))
    return None if state in (None, ConsentState.UNKNOWN.value) else state


def tracking_consent(session: Session, account_id: str) -> bool:
    """Whether the account agreed to e-detail tracking (see the module's docstring)."""
    return tracking_state(session, account_id) == ConsentState.GRANTED


def presentable_problem(presentation: Presentation, today: dt.date) -> str | None:
    """Why this presentation may not be shown in a call today (HWG), or None if it may."""
    if presentation.deleted or presentation.approval_state == ApprovalState.WITHDRAWN:
        return tr("“{title}” was withdrawn and may no longer be presented.",
                  title=presentation.title)
    if presentation.approval_state != ApprovalState.APPROVED:
        return tr("“{title}” is not approved yet and may not be presented.",
                  title=presentation.title)
    if presentation.valid_from is not None and today < presentation.valid_from:
        return tr("“{title}” may be presented from {date} on.", title=presentation.title,
                  date=presentation.valid_from.isoformat())
    if presentation.valid_until is not None and today > presentation.valid_until:
        return tr("“{title}” expired on {date} and may no longer be presented.",
                  title=presentation.title, date=presentation.valid_until.isoformat())
    return None


def counts(view: SlideView) -> bool:
    """A view counts as seen after 2 s on screen, or at once when the doctor reacted."""
    return (view.duration_ms >= COUNTS_AFTER_MS or view.reaction is not None
            or view.asked_for_more or view.answers not in ("", "{}"))


def _ms(start: dt.datetime, end: dt.datetime) -> int:
    return max(int((end - start).total_seconds() * 1000), 0)


def _advance(view: SlideView, now: dt.datetime) -> None:
    """Move the view's end to `now`: its duration so far, kept at every event."""
    if view.ended_at is None or now > view.ended_at:
        view.ended_at = now
        view.duration_ms = _ms(view.started_at, now)


# --- reading state within an event's transaction ----------------------------------------


def _running(session: Session, session_id: str) -> PresentationSession:
    row = session.get(PresentationSession, session_id)
    if row is None or row.deleted:
        raise CaptureError(tr("This presentation session does not exist."))
    if row.ended_at is not None:
        raise CaptureError(tr("This presentation has ended; start it again to go on."))
    return row


def _current_view(session: Session, session_id: str) -> SlideView | None:
    return session.scalars(
        select(SlideView).where(SlideView.session_id == session_id,
                                SlideView.deleted.is_(False))
        .order_by(SlideView.started_at.desc(), SlideView.id.desc()).limit(1)).first()


def _open_view(session: Session, view_id: str, now: dt.datetime) -> tuple[SlideView, Slide]:
    """The view an event is about, in a running session; the time on screen is moved on.

    The reaction to a slide just left may still be given, but only the view on screen
    gains time: an earlier view's timing is final once the next slide is shown.
    """
    view = session.get(SlideView, view_id)
    if view is None or view.deleted:
        raise CaptureError(tr("This slide view does not exist."))
    _running(session, view.session_id)
    slide = session.get(Slide, view.slide_id)
    assert slide is not None
    current = _current_view(session, view.session_id)
    if current is not None:
        _advance(current, now)
    return view, slide


# --- events -----------------------------------------------------------------------------


def start_session(db: Database, presentation_id: str, *, account_id: str | None = None,
                  user_id: str | None = None, interaction_id: str | None = None,
                  clock: Clock = utcnow) -> str:
    """Begin presenting; the session's id. CaptureError if the content may not be shown."""
    now = clock()
    with db.write() as session:
        presentation = session.get(Presentation, presentation_id)
        if presentation is None:
            raise CaptureError(tr("This presentation is not on this laptop."))
        problem = presentable_problem(presentation, now.date())
        if problem is not None:
            raise CaptureError(problem)
        if account_id is not None and session.get(Account, account_id) is None:
            raise CaptureError(tr("The account does not exist on this laptop."))
        if interaction_id is not None:
            call = session.get(Interaction, interaction_id)
            if call is None or call.account_id != account_id:
                raise CaptureError(tr("The call does not belong to this account."))
        tracked = account_id is not None and tracking_consent(session, account_id)
        row = PresentationSession(
            presentation_id=presentation_id, user_id=user_id, started_at=now,
            account_id=account_id if tracked else None,
            interaction_id=interaction_id if tracked else None,
            anonymous=not tracked)
        session.add(row)
        session.flush()
        return row.id


def show_slide(db: Database, session_id: str, slide_id: str, *, clock: Clock = utcnow) -> str:
    """The doctor now sees `slide_id`: the previous view ends, a new one starts; its id."""
    now = clock()
    with db.write() as session:
        running = _running(session, session_id)
        slide = session.get(Slide, slide_id)
        if slide is None or slide.presentation_id != running.presentation_id:
            raise CaptureError(tr("This slide is not part of the presentation."))
        previous = _current_view(session, session_id)
        if previous is not None:
            _advance(previous, now)
        view = SlideView(session_id=session_id, slide_id=slide_id, started_at=now,
                         ended_at=now, duration_ms=0, answers="{}", asked_for_more=False)
        session.add(view)
        session.flush()
        return view.id


def checkpoint(db: Database, view_id: str, *, clock: Clock = utcnow) -> None:
    """Keep the time on the current slide so far (the presenter calls it now and then)."""
    now = clock()
    with db.write() as session:
        _open_view(session, view_id, now)


def react(db: Database, view_id: str, reaction: str | None, *, clock: Clock = utcnow) -> None:
    """The doctor's reaction to the slide on screen (None takes it back)."""
    if reaction is not None and reaction not in REACTIONS:
        raise CaptureError(tr("“{value}” is not a reaction.", value=reaction))
    now = clock()
    with db.write() as session:
        view, _slide = _open_view(session, view_id, now)
        view.reaction = reaction


def ask_for_more(db: Database, view_id: str, asked: bool = True, *,
                 clock: Clock = utcnow) -> None:
    """The doctor asked for more on this slide (a follow-up for the rep)."""
    now = clock()
    with db.write() as session:
        view, _slide = _open_view(session, view_id, now)
        view.asked_for_more = asked


def _checked_answer(question: dict[str, Any], value: object) -> object:
    kind = question.get("type")
    options = question.get("options", [])
    if kind == "single" and isinstance(value, str) and value in options:
        return value
    if (kind == "multiple" and isinstance(value, list | tuple)
            and all(isinstance(v, str) and v in options for v in value)
            and len(set(value)) == len(value)):
        return [o for o in options if o in value]  # the manifest's order
    if (kind == "scale" and isinstance(value, int) and not isinstance(value, bool)
            and question["min"] <= value <= question["max"]):
        return value
    if kind == "text" and isinstance(value, str) and len(value) <= MAX_TEXT_ANSWER:
        return value.strip()
    raise CaptureError(tr("“{value}” is not an answer to “{question}”.", value=value,
                          question=question.get("text", "")))


def answer(db: Database, view_id: str, question_id: str, value: object, *,
           clock: Clock = utcnow) -> None:
    """An answer to one of the slide's questions (the manifest's); None takes it back."""
    now = clock()
    with db.write() as session:
        view, slide = _open_view(session, view_id, now)
        questions = {q["id"]: q for q in json.loads(slide.questions)}
        if question_id not in questions:
            raise CaptureError(tr("The slide has no question “{question}”.",
                                  question=question_id))
        answers = json.loads(view.answers or "{}")
        if value is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = _checked_answer(questions[question_id], value)
        view.answers = json.dumps(answers, ensure_ascii=False, sort_keys=True)


def record_click(db: Database, session_id: str, *, slide_id: str | None = None,
                 track_element_id: str | None = None, track_element_type: str | None = None,
                 track_element_description: str | None = None, question: str | None = None,
                 answer: str | None = None,
                 usage_duration_s: int | None = None, record_id: str | None = None,
                 object_name: str | None = None, other_fields: dict[str, str] | None = None,
                 clock: Clock = utcnow) -> str:
    """A click-stream record as CLM content saves it; its id.

    Without `slide_id` the record belongs to the slide on screen. `record_id` is the id the
    player already told the slide (its createRecord answer), so that the slide can change
    the record later (updateRecord) although it is written after the answer. `object_name`
    and `other_fields` are the CLM object it is of and the fields without a column
    (app.content_format.clm_records).
    """
    now = clock()
    with db.write() as session:
        running = _running(session, session_id)
        current = _current_view(session, session_id)
        if slide_id is None and current is not None:
            slide_id = current.slide_id
        if slide_id is not None:
            slide = session.get(Slide, slide_id)
            if slide is None or slide.presentation_id != running.presentation_id:
                raise CaptureError(tr("This slide is not part of the presentation."))
        if usage_duration_s is not None and usage_duration_s < 0:
            raise CaptureError(tr("A usage duration cannot be negative."))
        if current is not None:
            _advance(current, now)
        row = ClickstreamEvent(
            **({"id": record_id} if record_id is not None else {}),
            session_id=session_id, slide_id=slide_id, at=now,
            track_element_id=_clip(track_element_id, 200),
            track_element_type=_clip(track_element_type, 100),
            track_element_description=_clip(track_element_description, MAX_TEXT_ANSWER),
            question=_clip(question, MAX_TEXT_ANSWER), answer=_clip(answer, MAX_TEXT_ANSWER),
            usage_duration_s=usage_duration_s,
            object_name=object_name or clm_records.CLICKSTREAM,
            other_fields=clm_records.dumps(other_fields or {}))
        session.add(row)
        session.flush()
        return row.id


#: The fields of a click-stream record a slide may change, and their longest text.
CHANGEABLE_CLICK_FIELDS = {"track_element_id": 200, "track_element_type": 100,
                           "track_element_description": MAX_TEXT_ANSWER,
                           "question": MAX_TEXT_ANSWER, "answer": MAX_TEXT_ANSWER}


def update_click(db: Database, session_id: str, record_id: str, *,
                 usage_duration_s: int | None = None, object_name: str | None = None,
                 other_fields: dict[str, str] | None = None, **fields: str | None) -> None:
    """A slide changes a click-stream record it created in this presentation (a survey's
    answer given again): the fields it names change, the others stay. Only while the
    presentation runs; another session's record, or none, is refused, and so is a record of
    another CLM object than `object_name` (when given)."""
    unknown = set(fields) - set(CHANGEABLE_CLICK_FIELDS)
    if unknown:
        raise CaptureError(tr("A click-stream record has no field {name}.",
                              name=sorted(unknown)[0]))
    with db.write() as session:
        _running(session, session_id)
        row = session.get(ClickstreamEvent, record_id)
        if row is None or row.deleted or row.session_id != session_id or (
                object_name is not None
                and (row.object_name or clm_records.CLICKSTREAM) != object_name):
            raise CaptureError(tr("This record was not made in this presentation."))
        if other_fields:
            row.other_fields = clm_records.merged(row.other_fields, other_fields)
        for name, value in fields.items():
            if value is not None:
                setattr(row, name, _clip(value, CHANGEABLE_CLICK_FIELDS[name]))
        if usage_duration_s is not None:
            if usage_duration_s < 0:
                raise CaptureError(tr("A usage duration cannot be negative."))
            row.usage_duration_s = usage_duration_s


def _clip(text: str | None, limit: int) -> str | None:
    return None if text is None else str(text)[:limit]


def end_session(db: Database, session_id: str, *, clock: Clock = utcnow) -> None:
    """The presentation is over: the last view ends now, and the session is closed."""
    now = clock()
    with db.write() as session:
        running = _running(session, session_id)
        current = _current_view(session, session_id)
        if current is not None:
            _advance(current, now)
        running.ended_at = max(now, running.started_at)


def recover(db: Database) -> list[str]:
    """Close sessions a crash left open, at the last moment known; their ids.

    Called at start-up: what was captured stays, and the session can be summarised into
    the call report like any other.
    """
    closed: list[str] = []
    with db.write() as session:
        for running in session.scalars(select(PresentationSession).where(
                PresentationSession.ended_at.is_(None),
                PresentationSession.deleted.is_(False))):
            last = _current_view(session, running.id)
            running.ended_at = max(
                [running.started_at] + ([last.ended_at] if last and last.ended_at else []))
            closed.append(running.id)
    return closed


class Recorder:
    """The presenter's handle on one session: remembers the slide on screen and the clock.

    A thin convenience over the functions above; every call is still its own transaction.
    """

    def __init__(self, db: Database, presentation_id: str, *, account_id: str | None = None,
                 user_id: str | None = None, interaction_id: str | None = None,
                 clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.session_id = start_session(db, presentation_id, account_id=account_id,
                                        user_id=user_id, interaction_id=interaction_id,
                                        clock=clock)
        self.view_id: str | None = None

    def show(self, slide_id: str) -> str:
        self.view_id = show_slide(self.db, self.session_id, slide_id, clock=self.clock)
        return self.view_id

    def _view(self) -> str:
        if self.view_id is None:
            raise CaptureError(tr("No slide is on screen yet."))
        return self.view_id

    def react(self, reaction: str | None) -> None:
        react(self.db, self._view(), reaction, clock=self.clock)

    def answer(self, question_id: str, value: object) -> None:
        answer(self.db, self._view(), question_id, value, clock=self.clock)

    def ask_for_more(self, asked: bool = True) -> None:
        ask_for_more(self.db, self._view(), asked, clock=self.clock)

    def click(self, **fields: Any) -> str:
        return record_click(self.db, self.session_id, clock=self.clock, **fields)

    def checkpoint(self) -> None:
        if self.view_id is not None:
            checkpoint(self.db, self.view_id, clock=self.clock)

    def end(self) -> None:
        end_session(self.db, self.session_id, clock=self.clock)
