"""The presenter with real widgets, offscreen: keys, capture, time, the call report.

The clock is a test's own (`FakeClock`), so the time on a slide is what the test says, not
what the machine took. Content comes from crafted packages (tests/edetail/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt

from app.edetail.package import import_package
from app.edetail.summary import CallFragment
from app.store.accounts import ChannelConsent
from app.store.content import PresentationSession, SlideView
from app.store.database import Database, open_database
from app.ui.operations import Operations
from app.ui.views.presenter.presentation import Presenter
from tests.edetail.conftest import files, manifest, write_zip
from tests.ui.conftest import Territory

TODAY = dt.datetime(2026, 6, 1, 9, 0)  # naive UTC, as the store keeps it


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self, now: dt.datetime = TODAY) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def flat_manifest(**changes: Any) -> dict[str, Any]:
    """The standard package without its HTML slide: PDF and picture slides only; the
    picture slide asks two questions (answered in the rep's panel)."""
    data = manifest(**changes)
    slides = [s for s in data["slides"] if not s["file"].endswith(".html")]
    slides[2]["questions"] = [
        {"id": "q-use", "type": "single", "text": "Would you prescribe it?",
         "options": ["yes", "no"]},
        {"id": "q-conv", "type": "scale", "text": "How convincing?", "min": 1, "max": 5}]
    data["slides"] = slides
    return data


def import_deck(db: Database, tmp_path: Path, data: dict[str, Any] | None = None,
                name: str = "deck.zip") -> str:
    members = files()
    members["manifest.json"] = json.dumps(data or flat_manifest()).encode()
    return import_package(db, write_zip(tmp_path / name, members)).presentation_id


@pytest.fixture
def ops(qtbot: Any, ui_db: Database) -> Iterator[Operations]:
    operations = Operations(ui_db)
    yield operations
    operations.wait()
    while operations.pending:
        qtbot.wait(1)  # deliver the answers of finished work before the test ends
        operations.wait()
    operations.deleteLater()


@pytest.fixture
def deck_id(ui_db: Database, tmp_path: Path) -> str:
    return import_deck(ui_db, tmp_path)


def consent(db: Database, account_id: str, state: str = "granted") -> None:
    with db.write() as session:
        session.add(ChannelConsent(account_id=account_id, channel="clm_tracking",
                                   consent=state))


def start(qtbot: Any, ops: Operations, deck: str, **options: Any) -> Presenter:
    options.setdefault("fullscreen", False)
    presenter = Presenter(ops, deck, **options)
    with qtbot.waitSignal(presenter.ready):
        pass
    assert presenter.audience is not None
    qtbot.waitExposed(presenter.audience)
    return presenter


def press(qtbot: Any, presenter: Presenter, key: Qt.Key) -> None:
    assert presenter.audience is not None
    qtbot.keyClick(presenter.audience, key)


def finish(qtbot: Any, presenter: Presenter) -> CallFragment | None:
    with qtbot.waitSignal(presenter.finished) as blocker:
        press(qtbot, presenter, Qt.Key.Key_Escape)
    result = blocker.args[0]
    assert result is None or isinstance(result, CallFragment)
    return result


def views(db: Database) -> list[SlideView]:
    with db.read() as session:
        return list(session.scalars(select(SlideView).order_by(SlideView.started_at,
                                                               SlideView.id)))


def test_keys_move_through_the_slides(qtbot: Any, ops: Operations, deck_id: str) -> None:
    presenter = start(qtbot, ops, deck_id, clock=FakeClock())
    assert presenter.index == 0
    assert not presenter.audience.slide.image.isNull()  # type: ignore[union-attr]
    press(qtbot, presenter, Qt.Key.Key_Right)
    press(qtbot, presenter, Qt.Key.Key_Space)
    assert presenter.index == 2
    press(qtbot, presenter, Qt.Key.Key_Right)  # the last slide stays
    assert presenter.index == 2
    press(qtbot, presenter, Qt.Key.Key_Left)
    assert presenter.index == 1
    panel = presenter.panel
    assert panel is not None and panel.position.text() == "2 / 3"
    press(qtbot, presenter, Qt.Key.Key_H)
    assert not panel.isVisible()
    press(qtbot, presenter, Qt.Key.Key_H)
    assert panel.isVisible()
    finish(qtbot, presenter)
    assert presenter.audience is None


def test_reactions_answers_and_time_per_slide(qtbot: Any, ops: Operations, ui_db: Database,
                                              deck_id: str, territory: Territory) -> None:
    consent(ui_db, territory.doctor_id)
    clock = FakeClock()
    presenter = start(qtbot, ops, deck_id, clock=clock, account_id=territory.doctor_id,
                      user_id=territory.rep_id)
    clock.advance(5)
    press(qtbot, presenter, Qt.Key.Key_1)  # positive on slide 1
    clock.advance(1)
    press(qtbot, presenter, Qt.Key.Key_Right)
    clock.advance(1)  # slide 2: one second, no reaction: does not count
    press(qtbot, presenter, Qt.Key.Key_Right)
    clock.advance(3)
    press(qtbot, presenter, Qt.Key.Key_3)
    press(qtbot, presenter, Qt.Key.Key_M)
    panel = presenter.panel
    assert panel is not None
    assert panel.reactions["negative"].isChecked() and panel.more.isChecked()
    qtbot.mouseClick(panel.findChild(object, "answer-q-use-yes"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.findChild(object, "answer-q-conv-4"), Qt.MouseButton.LeftButton)
    clock.advance(4)
    fragment = finish(qtbot, presenter)

    assert fragment is not None
    assert [s.title for s in fragment.slides] == ["Fewer events", "CZ-3"]
    first, third = fragment.slides
    assert (first.seconds, first.reaction) == (6.0, "positive")
    assert (third.seconds, third.reaction, third.asked_for_more) == (7.0, "negative", True)
    assert dict(third.answers) == {"Would you prescribe it?": "yes",
                                   "How convincing?": "4 / 5"}
    with ui_db.read() as session:
        row = session.scalars(select(PresentationSession)).one()
        assert row.account_id == territory.doctor_id and not row.anonymous
        assert row.ended_at is not None
    assert [v.duration_ms for v in views(ui_db)] == [6000, 1000, 7000]


def test_without_consent_the_capture_is_anonymous(qtbot: Any, ops: Operations,
                                                  ui_db: Database, deck_id: str,
                                                  territory: Territory) -> None:
    clock = FakeClock()
    presenter = start(qtbot, ops, deck_id, clock=clock, account_id=territory.doctor_id)
    press(qtbot, presenter, Qt.Key.Key_2)
    clock.advance(3)
    fragment = finish(qtbot, presenter)
    assert fragment is not None and fragment.slides[0].reaction == "neutral"
    with ui_db.read() as session:
        row = session.scalars(select(PresentationSession)).one()
        assert row.anonymous and row.account_id is None


def test_expired_content_cannot_be_presented(qtbot: Any, ops: Operations, ui_db: Database,
                                             tmp_path: Path) -> None:
    expired = import_deck(ui_db, tmp_path, flat_manifest(valid_until="2026-03-31"),
                          "old.zip")
    presenter = Presenter(ops, expired, clock=FakeClock(), fullscreen=False)
    with qtbot.waitSignal(presenter.failed) as blocker:
        pass
    assert "expired" in blocker.args[0]
    assert presenter.audience is None and views(ui_db) == []
    preview = start(qtbot, ops, expired, clock=FakeClock(), preview=True)
    press(qtbot, preview, Qt.Key.Key_Right)
    assert preview.index == 1 and preview.capture is None
    assert finish(qtbot, preview) is None
    assert views(ui_db) == []


def test_a_crash_keeps_what_was_captured(qtbot: Any, ops: Operations, ui_db: Database,
                                         deck_id: str) -> None:
    clock = FakeClock()
    presenter = start(qtbot, ops, deck_id, clock=clock)
    clock.advance(4)
    press(qtbot, presenter, Qt.Key.Key_1)
    press(qtbot, presenter, Qt.Key.Key_Right)
    ops.wait()  # the events are written as they happen; then the laptop dies
    other = open_database(ui_db.path)
    try:
        seen = views(other)
        assert [(v.reaction, v.duration_ms) for v in seen] == [("positive", 4000), (None, 0)]
        with other.read() as session:
            assert session.scalars(select(PresentationSession)).one().ended_at is None
    finally:
        other.close()
    finish(qtbot, presenter)


def test_two_screens_split_the_slide_from_the_controls(qtbot: Any, ops: Operations,
                                                       deck_id: str) -> None:
    screen = qtbot_screen()
    presenter = start(qtbot, ops, deck_id, clock=FakeClock(), screens=[screen, screen])
    assert presenter.two_screens and presenter.console is not None
    assert presenter.audience is not None and presenter.audience.overlay is None
    assert presenter.panel is not None and presenter.panel.window() is presenter.console
    qtbot.keyClick(presenter.console, Qt.Key.Key_Right)
    assert presenter.index == 1
    console = presenter.console
    # The next slide is rendered ahead once the current one is on screen.
    qtbot.waitUntil(lambda: not console.following.image.isNull())
    finish(qtbot, presenter)
    assert presenter.console is None


def qtbot_screen() -> Any:
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.primaryScreen()
