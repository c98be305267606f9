"""Escalation on real widgets: the rep escalates from a call report (bad input explained,
nothing saved), sees the status on the account; the MSL's desk comes first, takes over,
answers and hands back; a manager reads the team's escalations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from PySide6.QtCore import QCoreApplication, QEvent, Qt

from app.config import Paths, Settings
from app.store.accounts import Account
from app.store.base import utcnow
from app.store.database import Database
from app.store.escalations import MedicalAnswer, MedicalInquiry
from app.store.interactions import Interaction
from app.store.journal import LocalState
from app.store.reference import Product, User
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from app.ui.views.escalation.dialog import EscalationDialog, error_text
from app.ui.views.msl.desk import MslDesk
from tests.ui.conftest import Territory, wait_for_account

pytestmark = pytest.mark.gui
QUESTION = "Kann ich Cardiozan mit Dialyse geben?"


def fill(qtbot, dialog: EscalationDialog, *, question: str, consent: bool = True) -> None:
    qtbot.waitUntil(lambda: dialog.product.count() > 1)
    dialog.question.setPlainText(question)
    dialog.product.setCurrentIndex(1)
    dialog.urgency.setCurrentIndex(dialog.urgency.findData("urgent"))
    dialog.consent.setChecked(consent)


def inquiries_in(db: Database) -> list[MedicalInquiry]:
    with db.read() as session:
        return list(session.scalars(select(MedicalInquiry)))


def test_the_rep_escalates_from_a_call_report(qtbot, window: MainWindow, ui_db: Database,
                                              territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    page = window.log_call()
    assert page is not None
    report = page.report
    with qtbot.waitSignal(report.loaded, timeout=5000):
        pass  # the new call's catalog is read in the background
    qtbot.mouseClick(report.escalate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(report, "escalation", None) is not None
                    and report.escalation.isVisible())
    dialog: EscalationDialog = report.escalation
    fill(qtbot, dialog, question="   ", consent=False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(error_text(dialog.errors["question"])))
    assert "consent" in error_text(dialog.errors["consent_to_contact"])
    assert inquiries_in(ui_db) == [] and dialog.isVisible()
    dialog.question.setPlainText(QUESTION)
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [row] = inquiries_in(ui_db)
    assert (row.question, row.urgency, row.status) == (QUESTION, "urgent", "raised")
    assert row.call_id == report.call_id and row.call_id is not None
    assert row.raised_by == territory.rep_id


def test_the_account_shows_status_and_the_hand_back_note(qtbot, window: MainWindow,
                                                         ui_db: Database,
                                                         territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    dialog = window.account.escalate()
    assert dialog is not None
    fill(qtbot, dialog, question=QUESTION)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    card = window.account.escalations
    qtbot.waitUntil(lambda: len(card.lines) == 1)
    assert "waiting for sync" in card.lines[0].text()
    with ui_db.write() as session:  # as a pull brings it back from medical
        session.info["from_server"] = True
        row = session.scalars(select(MedicalInquiry)).one()
        row.status, row.handed_back_at, row.answered_at = "handed_back", utcnow(), utcnow()
        row.hand_back_note = "Bitte in zwei Wochen nachfassen."
    window.account.reload()
    qtbot.waitUntil(lambda: card.lines and "nachfassen" in card.lines[0].text())
    assert "handed back" in card.lines[0].text()


def _as(ui_db: Database, role: str, territory: Territory) -> str:
    """Make this laptop a laptop of an MSL (or a manager) holding one routed inquiry."""
    with ui_db.write() as session:
        session.info["from_server"] = True
        user = User(username=role, display_name=f"Dr. {role.upper()} Brandt", role=role)
        session.add(user)
        session.flush()
        session.get(LocalState, "current_user_id").value = user.id  # type: ignore[union-attr]
        product = session.scalars(select(Product).where(Product.name == "Cardiozan")).one()
        for hours, urgency in ((60, "urgent"), (2, "standard")):
            session.add(MedicalInquiry(
                account_id=territory.doctor_id, product_id=product.id,
                raised_by=territory.rep_id, raised_at=utcnow() - dt.timedelta(hours=hours),
                question=f"{QUESTION} ({urgency})", urgency=urgency, answer_channel="phone",
                consent_to_contact=True, unsolicited=True, status="routed",
                assigned_to=user.id, routed_at=utcnow(), version=5))
        return user.id


@pytest.fixture
def role_window(qtbot, request: pytest.FixtureRequest, ui_db: Database, settings: Settings,
                tmp_path, territory: Territory) -> Iterator[tuple[MainWindow, str]]:
    user_id = _as(ui_db, request.param, territory)
    main = create_main_window(ui_db, settings, Paths(tmp_path))
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.roles is not None)
    yield main, user_id
    main.close()
    main.ops.wait()
    main.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.parametrize("role_window", ["msl"], indirect=True)
def test_the_msl_desk_takes_over_answers_and_hands_back(qtbot, role_window, ui_db: Database
                                                        ) -> None:
    window, msl_id = role_window
    assert window.roles is not None
    desk = window.roles.desk
    assert isinstance(desk, MslDesk)
    assert window.stack.currentWidget() is desk, "an MSL's laptop opens on the desk"
    qtbot.waitUntil(lambda: desk.table.rowCount() == 2 and desk.detail is not None)
    overdue = desk.table.item(0, 1).text()
    assert "overdue" in overdue and "overdue" not in desk.table.item(1, 1).text()
    assert "overdue since" in desk.table.item(0, 1).toolTip()
    assert "1 overdue" in desk.summary.text()
    assert desk.history.count() >= 3, "the account's history is on the desk"
    assert desk.take_over.isEnabled() and not desk.answer.isEnabled()
    qtbot.mouseClick(desk.take_over, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.detail is not None
                    and desk.detail.line.status == "in_progress")
    qtbot.waitUntil(desk.answer.isEnabled)
    dialog = desk.answer_selected()
    assert dialog is not None
    dialog.buttons.accepted.emit()  # empty: explained, nothing saved
    qtbot.waitUntil(dialog.answer_error.isVisible)
    dialog.answer.setPlainText("Dosis bei GFR < 30 halbieren.")
    dialog.notes.setPlainText("eGFR 25 laut Arzt")
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: desk.detail is not None and desk.detail.line.status == "answered")
    assert "halbieren" in desk.answer_box.text()
    back = desk.hand_back_selected()
    assert back is not None
    back.note.setPlainText("Beantwortet am Telefon; bitte beim nächsten Besuch nachfragen.")
    with qtbot.waitSignal(back.finished, timeout=5000):
        back.buttons.accepted.emit()
    qtbot.waitUntil(lambda: desk.detail is not None
                    and desk.detail.line.status == "handed_back")
    steps = [desk.steps.item(i).text() for i in range(desk.steps.count())]
    assert any("taken over" in s for s in steps) and any("handed back" in s for s in steps)
    with ui_db.read() as session:
        answer = session.scalars(select(MedicalAnswer)).one()
        assert (answer.author_id, answer.medical_notes) == (msl_id, "eGFR 25 laut Arzt")


@pytest.mark.parametrize("role_window", ["manager"], indirect=True)
def test_a_manager_reads_the_team_escalations(qtbot, role_window) -> None:
    window, _ = role_window
    assert window.roles is not None
    desk = window.roles.desk
    assert desk is not None and desk.read_only
    window.roles.show("team")
    qtbot.waitUntil(lambda: desk.table.rowCount() == 2)
    assert window.rail.current() == "team"
    assert all(b.isHidden() for b in (desk.take_over, desk.answer, desk.hand_back,
                                      desk.close_button))


def _arrives(ui_db: Database, territory: Territory, assigned_to: str | None,
             status: str) -> str:
    """An inquiry as a pull writes it (no outbox)."""
    with ui_db.write() as session:
        session.info["from_server"] = True
        product = session.scalars(select(Product).where(Product.name == "Cardiozan")).one()
        row = MedicalInquiry(
            account_id=territory.doctor_id, product_id=product.id, raised_by=territory.rep_id,
            raised_at=utcnow(), question=QUESTION, urgency="high", answer_channel="visit",
            consent_to_contact=True, unsolicited=True, status=status, assigned_to=assigned_to,
            version=9)
        session.add(row)
        session.flush()
        return row.id


def test_the_rep_is_told_when_an_inquiry_changes_with_a_sync(qtbot, window: MainWindow,
                                                              ui_db: Database,
                                                              territory: Territory) -> None:
    qtbot.waitUntil(lambda: window.roles is not None)
    roles = window.roles
    assert roles is not None
    window.ops.wait()
    inquiry_id = _arrives(ui_db, territory, None, "routed")
    with qtbot.assertNotEmitted(roles.notifier.shown, wait=300):
        roles.after_sync()  # a new inquiry the rep raised is no news to the rep
        window.ops.wait()
    with ui_db.write() as session:
        session.info["from_server"] = True
        session.get(MedicalInquiry, inquiry_id).status = "handed_back"  # type: ignore[union-attr]
    with qtbot.waitSignal(roles.notifier.shown, timeout=5000) as told:
        roles.after_sync()
    assert told.args[0] == "Medical inquiries changed: 1"
    assert "Dr. med. Jürgen Müller: handed back" in told.args[1]
    assert "handed back" in window.status.message.text()
    # The notification goes beside the user's name, which stays.
    assert window.status.message.isVisible() and window.status.user.isVisible()
    assert "Lena Vogel" in window.status.user.text.text()


@pytest.mark.parametrize("role_window", ["msl"], indirect=True)
def test_the_msl_is_told_of_new_inquiries(qtbot, role_window, ui_db: Database,
                                          territory: Territory) -> None:
    window, msl_id = role_window
    roles = window.roles
    window.ops.wait()
    _arrives(ui_db, territory, msl_id, "routed")
    with qtbot.waitSignal(roles.notifier.shown, timeout=5000) as told:
        roles.after_sync()
    assert told.args[0] == "New medical inquiries: 1"
    qtbot.waitUntil(lambda: roles.desk.table.rowCount() == 3)


def test_ctrl_e_in_a_call_report_escalates_for_the_reports_doctor(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    """One doctor's account open, another doctor's call report on screen: Ctrl+E asks about
    the report's doctor, and the inquiry names the report's call."""
    wait_for_account(qtbot, window, territory.doctor_id)
    with ui_db.read() as session:
        other = session.get(Interaction, territory.planned_id)
        assert other is not None and other.account_id != territory.doctor_id
        other_account, other_name = other.account_id, session.get(Account, other.account_id).name
    page = window.open_call(other_account, territory.planned_id)
    report = page.report
    qtbot.waitUntil(lambda: not report._loading, timeout=5000)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(report, "escalation", None) is not None
                    and report.escalation.isVisible(), timeout=5000)
    dialog: EscalationDialog = report.escalation
    qtbot.waitUntil(lambda: other_name in dialog.windowTitle())
    fill(qtbot, dialog, question=QUESTION)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [row] = inquiries_in(ui_db)
    assert (row.account_id, row.call_id) == (other_account, territory.planned_id)


def test_ctrl_e_without_a_doctor_on_screen_says_where_to_go(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    """An account opened earlier but not shown is not the one asked about."""
    wait_for_account(qtbot, window, territory.doctor_id)
    window.show_home()
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    assert "escalate" in window.status.message.text() and window.status.message.isVisible()
    assert not [w for w in window.findChildren(EscalationDialog) if w.isVisible()]
