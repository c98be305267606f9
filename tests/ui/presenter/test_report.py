"""Presenting from a call report (and from an account) fills that report and saves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from PySide6.QtCore import Qt

from app.store.database import Database
from app.store.interactions import DiscussedKeyMessage, DiscussedProduct, Interaction
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory
from tests.ui.presenter.test_presentation import FakeClock, consent, import_deck


def keys(qtbot: Any, window: MainWindow, *pressed: Qt.Key) -> None:
    presenter = window.presentations.presenter
    assert presenter is not None and presenter.audience is not None
    for key in pressed:
        qtbot.keyClick(presenter.audience, key)


def test_the_call_report_is_filled_when_the_presentation_ends(
        qtbot: Any, window: MainWindow, ui_db: Database, territory: Territory,
        tmp_path: Path) -> None:
    deck = import_deck(ui_db, tmp_path)
    consent(ui_db, territory.doctor_id)
    page = window.open_call(territory.doctor_id, territory.draft_id)
    report = page.report
    qtbot.waitUntil(report.form_area.isEnabled)
    assert report.present_button.isVisible()
    clock = FakeClock()
    presenter = window.presentations.present(deck, account_id=territory.doctor_id,
                                             user_id=territory.rep_id, report=report,
                                             clock=clock)
    assert presenter is not None
    with qtbot.waitSignal(presenter.ready):
        pass
    clock.advance(3)
    keys(qtbot, window, Qt.Key.Key_1, Qt.Key.Key_M)
    with qtbot.waitSignals([report.presentation_taken, report.saved], timeout=10_000):
        keys(qtbot, window, Qt.Key.Key_Escape)
    assert window.presentations.presenter is None
    with ui_db.read() as session:
        call = session.get(Interaction, territory.draft_id)
        assert call is not None and call.status == "draft"
        products = session.scalars(select(DiscussedProduct).where(
            DiscussedProduct.interaction_id == call.id)).all()
        messages = session.scalars(select(DiscussedKeyMessage).where(
            DiscussedKeyMessage.interaction_id == call.id)).all()
        assert [p.position for p in products] == [1]
        assert [m.reaction for m in messages] == ["positive"]
        assert "Asked for more on “Fewer events”." in (call.notes or "")


def test_presenting_from_an_account_opens_a_report_with_the_capture(
        qtbot: Any, window: MainWindow, ui_db: Database, territory: Territory,
        tmp_path: Path) -> None:
    import_deck(ui_db, tmp_path)
    consent(ui_db, territory.doctor_id)  # asked before: no question (tests/ui/test_present_to)
    window.open_account(territory.doctor_id)
    qtbot.waitUntil(window.account.present.isEnabled)
    window.account.present.click()
    picker = window.presentations.picker
    assert picker is not None
    qtbot.waitUntil(lambda: picker.list.count() == 1)
    picker.ok.click()
    qtbot.waitUntil(lambda: window.presentations.presenter is not None)
    presenter = window.presentations.presenter
    assert presenter is not None
    qtbot.waitUntil(lambda: presenter.audience is not None)
    keys(qtbot, window, Qt.Key.Key_2)
    before = len(window.reports.pages)
    keys(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(window.reports.pages) == before + 1)
    report = window.reports.current()
    assert report is not None
    qtbot.waitUntil(lambda: report.report.call_id is not None, timeout=10_000)
    with ui_db.read() as session:
        messages = session.scalars(select(DiscussedKeyMessage).where(
            DiscussedKeyMessage.interaction_id == report.report.call_id)).all()
        assert [m.reaction for m in messages] == ["neutral"]
