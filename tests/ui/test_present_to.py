"""Whom an e-detail is shown to, and what its capture may carry (app/ui/views/present_to.py).

From the Library the rep says whom first (a doctor, or anonymous), and the end brings that
doctor's call report or a summary. A tracking consent never asked is asked before the
first slide, and the presenter shows whose name the capture carries; a visit consent does
not stand in for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.store.accounts import Account, ChannelConsent
from app.store.content import Presentation, PresentationSession
from app.store.database import Database
from app.ui.main_window import MainWindow
from app.ui.views.present_to import AudiencePicker, TrackingQuestion
from tests.ui.conftest import Territory, wait_for_account
from tests.ui.presenter.test_presentation import import_deck

TIMEOUT = 10_000


def served_deck(db: Database, tmp_path: Path) -> str:
    """A deck as the server sends it (presented at once, no local-preview notice)."""
    deck = import_deck(db, tmp_path)
    with db.write() as session:
        session.info["from_server"] = True
        row = session.get(Presentation, deck)
        assert row is not None
        row.version = 3
    return deck


def present_from_library(qtbot: Any, window: MainWindow, deck: str) -> AudiencePicker:
    window.show_library()
    qtbot.waitUntil(lambda: any(c.item.presentation_id == deck for c in window.library.cards),
                    timeout=TIMEOUT)
    card = next(c for c in window.library.cards if c.item.presentation_id == deck)
    qtbot.mouseClick(card.present, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window, "audience_picker", None) is not None
                    and window.audience_picker.isVisible(), timeout=TIMEOUT)
    return window.audience_picker


def end_presentation(qtbot: Any, window: MainWindow) -> None:
    presenter = window.presentations.presenter
    assert presenter is not None
    with qtbot.waitSignal(presenter.finished, timeout=TIMEOUT):
        qtbot.keyClick(presenter.audience, Qt.Key.Key_Escape)


def sessions(db: Database) -> list[PresentationSession]:
    with db.read() as session:
        return list(session.scalars(select(PresentationSession)))


def tracking_rows(db: Database, account_id: str) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(ChannelConsent.consent).where(
            ChannelConsent.account_id == account_id,
            ChannelConsent.channel == "clm_tracking")))


def test_the_library_asks_whom_then_the_doctors_report_opens_with_the_capture(
        qtbot: Any, window: MainWindow, ui_db: Database, territory: Territory,
        tmp_path: Path) -> None:
    deck = served_deck(ui_db, tmp_path)
    with ui_db.read() as session:
        doctor = session.get(Account, territory.doctor_id)
        assert doctor is not None
        name = doctor.name
    picker = present_from_library(qtbot, window, deck)
    assert window.presentations.presenter is None  # nothing starts before the rep says whom
    with qtbot.waitSignal(picker.listed, timeout=TIMEOUT):
        qtbot.keyClicks(picker.search, "juergen muel")
    assert picker.hits.currentItem() is not None and name in picker.hits.currentItem().text()
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    # Never asked about tracking: the rep asks now, and the answer is kept.
    qtbot.waitUntil(lambda: window.presentations.question is not None
                    and window.presentations.question.isVisible(), timeout=TIMEOUT)
    question: TrackingQuestion = window.presentations.question
    qtbot.mouseClick(question.agree, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.presentations.presenter is not None
                    and window.presentations.presenter.panel is not None, timeout=TIMEOUT)
    presenter = window.presentations.presenter
    assert presenter is not None and presenter.panel is not None
    assert name in presenter.panel.recording.text()
    assert tracking_rows(ui_db, territory.doctor_id) == ["granted"]
    before = len(window.reports.pages)
    end_presentation(qtbot, window)
    qtbot.waitUntil(lambda: len(window.reports.pages) == before + 1, timeout=TIMEOUT)
    page = window.reports.current()
    assert page is not None and page.account_id == territory.doctor_id
    qtbot.waitUntil(lambda: page.report.call_id is not None, timeout=TIMEOUT)
    [row] = sessions(ui_db)
    assert (row.account_id, row.anonymous) == (territory.doctor_id, False)


def test_anonymous_from_the_library_ends_with_a_summary(
        qtbot: Any, window: MainWindow, ui_db: Database, tmp_path: Path) -> None:
    deck = served_deck(ui_db, tmp_path)
    picker = present_from_library(qtbot, window, deck)
    qtbot.mouseClick(picker.anonymous_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.presentations.presenter is not None
                    and window.presentations.presenter.panel is not None, timeout=TIMEOUT)
    presenter = window.presentations.presenter
    assert presenter is not None and presenter.panel is not None
    assert "not tied to a doctor" in presenter.panel.recording.text()
    pages = len(window.reports.pages)
    end_presentation(qtbot, window)
    qtbot.waitUntil(lambda: window.presentations.summary is not None
                    and window.presentations.summary.isVisible(), timeout=TIMEOUT)
    assert "anonymously" in window.presentations.summary.text()
    assert len(window.reports.pages) == pages
    [row] = sessions(ui_db)
    assert (row.account_id, row.anonymous) == (None, True)
    window.presentations.summary.close()


def test_a_visit_consent_is_not_taken_as_tracking_consent(
        qtbot: Any, window: MainWindow, ui_db: Database, territory: Territory,
        tmp_path: Path) -> None:
    """The consent dialog says "E-detailing tracking: not asked": presenting asks it,
    a "no" records anonymously and says so, and the answer is not asked again."""
    import_deck(ui_db, tmp_path)
    with ui_db.write() as session:
        session.add(ChannelConsent(account_id=territory.doctor_id, channel="in_person",
                                   consent="granted"))
    wait_for_account(qtbot, window, territory.doctor_id)

    def present() -> None:
        qtbot.waitUntil(window.account.present.isEnabled)
        window.account.present.click()
        picker = window.presentations.picker
        assert picker is not None
        qtbot.waitUntil(lambda: picker.list.count() == 1)
        picker.ok.click()

    present()
    qtbot.waitUntil(lambda: window.presentations.question is not None
                    and window.presentations.question.isVisible(), timeout=TIMEOUT)
    qtbot.mouseClick(window.presentations.question.decline, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.presentations.presenter is not None
                    and window.presentations.presenter.panel is not None, timeout=TIMEOUT)
    presenter = window.presentations.presenter
    assert presenter is not None and presenter.panel is not None
    assert "anonymously" in presenter.panel.recording.text()
    end_presentation(qtbot, window)
    assert tracking_rows(ui_db, territory.doctor_id) == ["withdrawn"]
    qtbot.waitUntil(lambda: window.reports.current() is not None, timeout=TIMEOUT)
    window.reports.close_all()
    qtbot.waitUntil(lambda: window.reports.current() is None, timeout=TIMEOUT)
    asked = window.presentations.question
    wait_for_account(qtbot, window, territory.doctor_id)
    present()
    qtbot.waitUntil(lambda: window.presentations.presenter is not None
                    and window.presentations.presenter.panel is not None, timeout=TIMEOUT)
    assert window.presentations.question is asked  # no second question
    end_presentation(qtbot, window)
    assert all(row.anonymous and row.account_id is None for row in sessions(ui_db))
    QApplication.processEvents()


def test_both_dialogs_have_one_alt_letter_each(qtbot: Any, language: str,
                                               window: MainWindow,
                                               territory: Territory) -> None:
    from tests.ui.test_mnemonics import mnemonics

    for dialog in (AudiencePicker(window.ops, window),
                   TrackingQuestion(window.ops, None, territory.doctor_id, "Dr. A", window)):
        qtbot.addWidget(dialog)
        dialog.show()
        used = mnemonics(dialog)
        assert len(used) >= 2 and max(used.values()) == 1, (language, used)
        dialog.close()
