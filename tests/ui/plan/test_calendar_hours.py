"""Practice hours in the calendar and on the account: a visit planned outside them is marked
and named above the week (a warning, the visit stays); dragged into them, the warning goes.
The account shows its hours, read only."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QRadioButton

from app.services.calls import plan_call
from app.store.accounts import Account
from app.store.database import Database
from app.ui.main_window import MainWindow
from app.ui.views.plan.calendar import slot_of
from app.ui.views.plan.contact import PlanContactDialog
from tests.ui.account.test_view import form_values
from tests.ui.conftest import Territory, wait_for_account
from tests.ui.plan.test_calendar_view import at, drop_on, open_calendar, utc

pytestmark = pytest.mark.gui
HOURS = "Mo-Fr 14:00-18:00"


def _afternoons_only(db: Database, territory: Territory) -> None:
    with db.write() as session:
        session.info["from_server"] = True
        doctor = session.get(Account, territory.doctor_id)
        assert doctor is not None
        doctor.opening_hours = HOURS


def test_a_visit_outside_the_hours_is_marked_until_moved_into_them(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    _afternoons_only(ui_db, territory)
    with ui_db.write() as session:
        plan_call(session, territory.rep_id, territory.doctor_id, at(1, 9, 30))
        plan_call(session, territory.rep_id, territory.doctor_id, at(2, 9, 0), "phone")
    view = open_calendar(qtbot, window)
    column, row = slot_of(utc(at(1, 9, 30)))
    item = view.table.item(row, column)
    assert item.text().startswith("⚠ 09:30 Dr. med. Jürgen Müller")
    warning = f"Dr. med. Jürgen Müller: 09:30 is outside the opening hours ({HOURS})."
    assert item.toolTip().startswith(warning)
    assert view.hours_warning.isVisible() and view.hours_warning.text() == f"⚠ {warning}"
    phone = view.table.item(*reversed(slot_of(utc(at(2, 9)))))
    assert not phone.text().startswith("⚠")  # a phone call needs no open practice
    view.resize(1200, 900)
    view.table.setCurrentCell(row, column)
    target_column, target_row = slot_of(utc(at(1, 15)))
    with qtbot.waitSignal(view.shown, timeout=5000):
        drop_on(view, target_row, target_column)
    assert view.table.item(target_row, target_column).text().startswith("15:00")
    assert not view.hours_warning.isVisible()


def test_the_account_shows_its_opening_hours(qtbot, window: MainWindow, ui_db: Database,
                                             territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    assert "Opening hours" not in form_values(window)
    _afternoons_only(ui_db, territory)
    wait_for_account(qtbot, window, territory.hospital_id)
    wait_for_account(qtbot, window, territory.doctor_id)
    assert form_values(window)["Opening hours"] == HOURS


def test_planning_a_visit_outside_the_hours_warns_and_still_plans(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    _afternoons_only(ui_db, territory)
    view = open_calendar(qtbot, window)
    wait_for_account(qtbot, window, territory.doctor_id)
    window.account.plan_contact.click()
    assert window.roles is not None
    dialog = window.roles.contact_dialog
    assert isinstance(dialog, PlanContactDialog)
    dialog.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(at(2, 15).timestamp())))
    assert not dialog.hours_warning.isVisible()
    dialog.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(at(2, 9).timestamp())))
    assert dialog.hours_warning.isVisible()
    assert dialog.hours_warning.text() == (
        f"⚠ 09:00 is outside the opening hours ({HOURS}); you may plan it all the same.")
    phone = next(b for b in dialog.findChildren(QRadioButton) if b.text() == "Phone call")
    phone.click()
    assert not dialog.hours_warning.isVisible()  # a call needs no open practice
    next(b for b in dialog.findChildren(QRadioButton) if b.text() == "Visit").click()
    assert dialog.hours_warning.isVisible()
    with qtbot.waitSignal(view.shown, timeout=5000):
        dialog.save()  # a warning, not a block
    assert dialog.planned_id is not None
    column, row = slot_of(utc(at(2, 9)))
    assert view.table.item(row, column).text().startswith("⚠ 09:00")
