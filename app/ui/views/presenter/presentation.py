"""Presenting a deck to a doctor: slides on the chosen screen, capture in the background.

The presenter reads the deck once, then changes slides from files alone (the next one
rendered ahead) and sends every capture event to `CaptureLink`, which writes it off the GUI
thread; ending hands the call report's share (`CallFragment`) to whoever started it. A
preview (content that is expired, withdrawn or a draft, or just a look from the library)
shows the same slides and captures nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen

from app.i18n import tr
from app.ui.views.presenter.capture import CaptureLink
from app.ui.views.presenter.controls import ControlPanel
from app.ui.views.presenter.windows import AudienceWindow, ConsoleWindow, end_on_escape
from app.ui.widgets.slide_view import SlideRenderer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.ui.operations import Operations
    from app.ui.views.presenter.deck import Deck, DeckSlide
    from app.ui.views.presenter.html_stage import HtmlStage

Clock = Callable[[], dt.datetime]
TICK_MS = 1000
CHECKPOINT_EVERY_S = 10
END = -1  # `_leave`'s target when the presentation ends
REACTION_KEYS = {Qt.Key.Key_1: "positive", Qt.Key.Key_2: "neutral", Qt.Key.Key_3: "negative"}


def _utcnow() -> dt.datetime:
    """Naive UTC, as the store keeps time (app.store.base.utcnow, without importing the
    store before a presentation opens)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Presenter(QObject):
    """One showing of one deck; `finished(CallFragment | None)` when it is over."""

    ready = Signal()  # the first slide is on screen
    slide_changed = Signal(int)
    failed = Signal(str)  # could not start (or capture failed): a sentence for the rep
    finished = Signal(object)  # the CallFragment; None for a preview or a failed start

    def __init__(self, ops: Operations, presentation_id: str, *,
                 account_id: str | None = None, user_id: str | None = None,
                 interaction_id: str | None = None, preview: bool = False,
                 clock: Clock = _utcnow, screens: Sequence[QScreen] | None = None,
                 doctor_screen: int | None = None, fullscreen: bool = True,
                 recording: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._presentation_id = presentation_id
        self._who = (account_id, user_id, interaction_id)
        self.preview = preview
        self._recording = recording  # whose name the capture carries, shown to the rep
        self._clock = clock
        self._screens = list(screens if screens is not None else QGuiApplication.screens())
        self._doctor_screen = doctor_screen
        self._fullscreen = fullscreen
        self.deck: Deck | None = None
        self.index = -1
        self.capture: CaptureLink | None = None
        self.audience: AudienceWindow | None = None
        self.console: ConsoleWindow | None = None
        self.panel: ControlPanel | None = None
        self.html: HtmlStage | None = None
        self._renderer = SlideRenderer()
        self._reactions: dict[int, str | None] = {}
        self._asked: set[int] = set()
        self._multi: dict[tuple[int, str], list[str]] = {}
        self._began = clock()
        self._slide_began = self._began
        self._ticks = 0
        self._done = False
        self._leaving: int | None = None  # where to go once the HTML slide has reported
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._load()

    # -- starting ------------------------------------------------------------------------
    def _load(self) -> None:
        from app.ui.views.presenter.deck import load_deck

        db, pid, today = self._ops.db, self._presentation_id, self._clock().date()
        account_id, user_id, _interaction = self._who

        def read(session: Session) -> Deck:
            return load_deck(session, db, pid, today, account_id=account_id, user_id=user_id)

        self._ops.read(read, self._loaded, self._load_failed)

    def _load_failed(self, error: BaseException) -> None:
        self._fail(str(error))

    def _fail(self, message: str) -> None:
        if self._done:
            return
        self._done = True
        self._close_windows()
        self.failed.emit(message)
        self.finished.emit(None)

    def _loaded(self, deck: Deck) -> None:
        if not deck.slides:
            self._fail(tr("This presentation has no slides."))
            return
        if not self.preview and deck.problem is not None:
            self._fail(deck.problem)  # HWG: expired, withdrawn or draft content stays unseen
            return
        self.deck = deck
        if not self.preview:
            account_id, user_id, interaction_id = self._who
            self.capture = CaptureLink(self._ops, deck.presentation_id, account_id=account_id,
                                       user_id=user_id, interaction_id=interaction_id,
                                       clock=self._clock, parent=self)
            self.capture.refused.connect(self._fail)
            self.capture.failed.connect(self.failed)
            self.capture.ended.connect(self._ended)
        if deck.has_html:
            from app.ui.views.presenter.html_stage import HtmlStage

            self.html = HtmlStage(self._ops.db, deck, self)
        self._build_windows(deck)
        self._began = self._clock()
        self._timer.start()
        self.go_to(0)
        self.ready.emit()

    @property
    def two_screens(self) -> bool:
        return len(self._screens) > 1

    def _build_windows(self, deck: Deck) -> None:
        panel = ControlPanel([(s.title, s.thumbnail) for s in deck.slides],
                             capture=not self.preview, overlay=not self.two_screens)
        panel.go_to.connect(self.go_to)
        panel.next_requested.connect(self.next)
        panel.previous_requested.connect(self.previous)
        panel.reacted.connect(self.react)
        panel.more_requested.connect(self.ask_for_more)
        panel.end_requested.connect(self.end)
        panel.questions.answered.connect(self.answer)
        if self._recording and not self.preview:
            panel.show_recording(self._recording)
        self.panel = panel
        self.audience = AudienceWindow(self._renderer, self._key, self.end)
        title = deck.title + (f" · {tr('Preview')}" if self.preview else "")
        self.audience.setWindowTitle(title)
        doctor_index = self._doctor_index()
        doctor = self._screens[doctor_index] if self._screens else None
        if self.two_screens:
            self.console = ConsoleWindow(self._renderer, panel, self._key, self.end)
            self.console.setWindowTitle(title)
            rep = self._screens[1 if doctor_index == 0 else 0]
            self._place(self.console, rep, fullscreen=False)
        else:
            self.audience.set_overlay(panel)
        if self.html is not None:
            self.html.attach(self.audience)
        self._place(self.audience, doctor, fullscreen=self._fullscreen)
        self.audience.activateWindow()
        self.audience.setFocus(Qt.FocusReason.OtherFocusReason)
        for window in (self.audience, self.console):
            if window is not None:
                end_on_escape(window, self.end)

    def _doctor_index(self) -> int:
        """The screen the rep chose for the doctor, else the last one: a projector or a
        second monitor comes after the laptop's own."""
        if self._doctor_screen is not None and 0 <= self._doctor_screen < len(self._screens):
            return self._doctor_screen
        return max(len(self._screens) - 1, 0)

    @staticmethod
    def _place(window: Any, screen: QScreen | None, *, fullscreen: bool) -> None:
        if screen is not None:
            window.setScreen(screen)
            window.setGeometry(screen.availableGeometry())
        if fullscreen:
            window.showFullScreen()
        else:
            window.show()

    # -- moving ----------------------------------------------------------------------------
    @property
    def slide(self) -> DeckSlide | None:
        if self.deck is None or not 0 <= self.index < len(self.deck.slides):
            return None
        return self.deck.slides[self.index]

    def next(self) -> None:
        if self.deck is not None and self.index + 1 < len(self.deck.slides):
            self.go_to(self.index + 1)

    def previous(self) -> None:
        if self.index > 0:
            self.go_to(self.index - 1)

    def go_to(self, index: int) -> None:
        """Show slide `index` (0-based); the same slide again is no new view."""
        if (self.deck is None or self.audience is None or self._done
                or not 0 <= index < len(self.deck.slides) or index == self.index):
            return
        self._leave(index)

    def _leave(self, target: int) -> None:
        """Leave the slide on screen for `target` (a slide, or END). An HTML slide first
        reports what it still holds (a half-typed answer, `HtmlStage.flush`); a move asked
        for meanwhile replaces the target, an end stays the end."""
        if self._leaving is not None:
            if self._leaving != END:
                self._leaving = target
            return
        if self.html is not None and self.capture is not None and self.slide is not None \
                and self.slide.kind == "html":
            self._leaving = target
            self.html.flush(self._left)
        elif target == END:
            self._end_now()
        else:
            self._show(target)

    def _left(self) -> None:
        target, self._leaving = self._leaving, None
        if target == END:
            self._end_now()
        elif target is not None and target != self.index:
            self._show(target)

    def _show(self, index: int) -> None:
        if self.deck is None or self.audience is None or self._done:
            return
        self.index = index
        slide = self.deck.slides[index]
        if slide.kind == "html" and self.html is not None:
            self.html.show(slide)
        else:
            self.audience.slide.show_slide(slide.kind, slide.asset, slide.page)
            self.audience.set_stage(self.audience.slide)
        if self.capture is not None:
            self.capture.show(slide.slide_id)
        self._slide_began = self._clock()
        self._show_controls(slide)
        # After this slide's frame: the doctor sees it first, then the next one is rendered
        # ahead while the rep talks, so "next" stays a pixmap swap.
        QTimer.singleShot(0, self, self._prepare_ahead)
        self.slide_changed.emit(index)

    def _show_controls(self, slide: DeckSlide) -> None:
        assert self.deck is not None and self.panel is not None
        questions = [] if slide.kind == "html" else slide.questions
        self.panel.show_slide(self.index, len(self.deck.slides), slide.title, questions)
        self.panel.show_reaction(self._reactions.get(self.index),
                                 asked=self.index in self._asked)
        if self.audience is not None:
            self.audience.relayout()
        if self.console is not None:
            self.console.current.show_slide(slide.kind, slide.asset, slide.page) \
                if slide.kind != "html" else self.console.current.clear()
            self.console.notes.setText(tr("Key message {code} · {title}", code=slide.key_message,
                                          title=slide.title))
        self._tick()

    def _prepare_ahead(self) -> None:
        """Render the next slide now, at the doctor's size, so "next" is a pixmap swap."""
        if self.deck is None or self.audience is None or self._done:
            return  # ended before the event loop came round
        if self.index + 1 >= len(self.deck.slides):
            if self.console is not None:
                self.console.following.clear()
            return
        following = self.deck.slides[self.index + 1]
        if following.kind != "html":
            self.audience.slide.prepare(following.kind, following.asset, following.page)
            if self.console is not None:
                self.console.following.show_slide(following.kind, following.asset,
                                                  following.page)
        elif self.console is not None:
            self.console.following.show_slide("image", following.thumbnail, None)

    # -- capture ---------------------------------------------------------------------------
    def react(self, reaction: str) -> None:
        """The doctor's reaction to the slide on screen; the same one again takes it back."""
        if self.capture is None or self.slide is None:
            return
        value = None if self._reactions.get(self.index) == reaction else reaction
        self._reactions[self.index] = value
        self.capture.react(value)
        if self.panel is not None:
            self.panel.show_reaction(value, asked=self.index in self._asked)

    def ask_for_more(self) -> None:
        if self.capture is None or self.slide is None:
            return
        asked = self.index not in self._asked
        (self._asked.add if asked else self._asked.discard)(self.index)
        self.capture.ask_for_more(asked)
        if self.panel is not None:
            self.panel.show_reaction(self._reactions.get(self.index), asked=asked)

    def answer(self, question_id: str, value: object) -> None:
        if self.capture is not None:
            self.capture.answer(question_id, value)

    def go_to_target(self, target: str) -> None:
        """Go to a slide named by content: its id, its key message, its folder or number.

        CLM content names the key message's file ("GL_PAT.zip") or code; a number counts
        from 1 as slides are numbered for people.
        """
        if self.deck is None:
            return
        name = target.strip().removesuffix(".zip")
        for n, slide in enumerate(self.deck.slides):
            folder = slide.file.split("/", 1)[0]
            if name in (slide.slide_id, slide.key_message, folder):
                self.go_to(n)
                return
        if name.isdigit():
            self.go_to(int(name) - 1)

    def answer_from_content(self, question_id: str, value: object) -> None:
        """An answer from a slide's script. For a multiple-choice question a single option
        toggles it, as a page with one button per option sends them."""
        slide = self.slide
        if slide is None:
            return
        question = next((q for q in slide.questions if q.get("id") == question_id), None)
        if question is not None and question.get("type") == "multiple" \
                and isinstance(value, str):
            chosen = self._multi.setdefault((self.index, question_id), [])
            (chosen.remove if value in chosen else chosen.append)(value)
            value = list(chosen)
        self.answer(question_id, value)

    def click(self, **fields: Any) -> None:
        if self.capture is not None:
            self.capture.click(**fields)

    def update_click(self, record_id: str, **fields: Any) -> None:
        if self.capture is not None:
            self.capture.update_click(record_id, **fields)

    def toggle_overlay(self) -> None:
        if self.audience is not None and self.audience.overlay is not None:
            self.audience.overlay.setVisible(not self.audience.overlay.isVisible())

    def _tick(self) -> None:
        now = self._clock()
        if self.panel is not None:
            self.panel.show_time(int((now - self._began).total_seconds()),
                                 int((now - self._slide_began).total_seconds()))
        self._ticks += 1
        if self.capture is not None and self._ticks % CHECKPOINT_EVERY_S == 0:
            self.capture.checkpoint()  # a crash keeps the time on the slide to here

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown):
            self.next()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.previous()
        elif key in REACTION_KEYS:
            self.react(REACTION_KEYS[Qt.Key(key)])
        elif key == Qt.Key.Key_M:
            self.ask_for_more()
        elif key == Qt.Key.Key_H:
            self.toggle_overlay()
        elif key == Qt.Key.Key_Escape:
            self.end()
        else:
            return False
        return True

    # -- ending ----------------------------------------------------------------------------
    def end(self) -> None:
        """Stop presenting; `finished` follows once the capture is written and summed up."""
        if self._done:
            return
        self._leave(END)

    def _end_now(self) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        self._close_windows()
        if self.capture is not None and not self.capture.over:
            self.capture.end()
        else:
            self.finished.emit(None)

    def _ended(self, fragment: object) -> None:
        self.finished.emit(fragment)

    def _close_windows(self) -> None:
        if self.html is not None:
            self.html.close()
        for window in (self.audience, self.console):
            if window is not None:
                window.on_close = lambda: None  # closing is ours now
                window.close()
                window.deleteLater()
        self.audience = self.console = None
        self._renderer.close()
