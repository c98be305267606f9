"""The presenter's capture, queued through Operations so the slide never waits for a write.

Every event is stamped with the clock on the GUI thread, when the rep pressed the key,
and then written by `app.edetail.capture` on the single write thread, in order. The
session's and the current view's ids live in `_State`, touched only by that thread, so an
event queued before the session row exists still finds it when its turn comes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.edetail import capture
from app.edetail.errors import ContentError
from app.edetail.summary import CallFragment, summarise

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.database import Database
    from app.ui.operations import Operations

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]


class _State:
    """Ids known only once their rows exist; read and written on the write thread only."""

    def __init__(self) -> None:
        self.session_id: str | None = None
        self.view_id: str | None = None


class CaptureLink(QObject):
    """One presentation session as seen from the GUI: fire-and-forget events, one end."""

    started = Signal(str)  # the session's id
    refused = Signal(str)  # the session could not start: a sentence for the rep
    failed = Signal(str)  # a later event could not be written: a sentence for the rep
    ended = Signal(object)  # the CallFragment for the call report

    def __init__(self, ops: Operations, presentation_id: str, *, account_id: str | None,
                 user_id: str | None, interaction_id: str | None, clock: Clock,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._db: Database = ops.db
        self._clock = clock
        self._state = _State()
        self._over = False
        presentation, account, user, call = presentation_id, account_id, user_id, \
            interaction_id
        at = clock()

        def start(_s: Session) -> str:
            self._state.session_id = capture.start_session(
                self._db, presentation, account_id=account, user_id=user,
                interaction_id=call, clock=lambda: at)
            return self._state.session_id

        ops.write(start, self.started.emit, self._refused)

    @property
    def over(self) -> bool:
        return self._over

    def _refused(self, error: BaseException) -> None:
        self._over = True
        self.refused.emit(str(error) if isinstance(error, ContentError)
                          else type(error).__name__)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ContentError):
            self.failed.emit(str(error))
        else:
            log.error("capture failed: %r", error)
            self.failed.emit(type(error).__name__)

    def _queue(self, event: Callable[[_State, Clock], Any]) -> None:
        """Write `event` after all earlier ones, with the time of now."""
        if self._over:
            return
        at = self._clock()
        state = self._state

        def work(_s: Session) -> None:
            if state.session_id is not None:  # the session could not start: nothing to add
                event(state, lambda: at)

        self._ops.write(work, None, self._failed)

    def show(self, slide_id: str) -> None:
        def event(state: _State, clock: Clock) -> None:
            assert state.session_id is not None
            state.view_id = capture.show_slide(self._db, state.session_id, slide_id,
                                               clock=clock)
        self._queue(event)

    def _on_view(self, action: Callable[[str, Clock], object]) -> None:
        def event(state: _State, clock: Clock) -> None:
            if state.view_id is not None:
                action(state.view_id, clock)
        self._queue(event)

    def react(self, reaction: str | None) -> None:
        self._on_view(lambda view, clock: capture.react(self._db, view, reaction, clock=clock))

    def ask_for_more(self, asked: bool = True) -> None:
        self._on_view(lambda view, clock: capture.ask_for_more(self._db, view, asked,
                                                               clock=clock))

    def answer(self, question_id: str, value: object) -> None:
        self._on_view(lambda view, clock: capture.answer(self._db, view, question_id, value,
                                                         clock=clock))

    def checkpoint(self) -> None:
        self._on_view(lambda view, clock: capture.checkpoint(self._db, view, clock=clock))

    def click(self, **fields: Any) -> None:
        def event(state: _State, clock: Clock) -> None:
            assert state.session_id is not None
            capture.record_click(self._db, state.session_id, clock=clock, **fields)
        self._queue(event)

    def update_click(self, record_id: str, **fields: Any) -> None:
        """Queued after the click that made the record, so it always finds it."""
        def event(state: _State, _clock: Clock) -> None:
            assert state.session_id is not None
            capture.update_click(self._db, state.session_id, record_id, **fields)
        self._queue(event)

    def end(self) -> None:
        """Close the session and hand the call report's share to `ended` (once)."""
        if self._over:
            return
        at = self._clock()
        self._over = True
        state = self._state

        def work(_s: Session) -> CallFragment | None:
            if state.session_id is None:
                return None
            capture.end_session(self._db, state.session_id, clock=lambda: at)
            return summarise(self._db, state.session_id)

        self._ops.write(work, self.ended.emit, self._failed)
