"""The week calendar: planned calls and due tasks in their slots, a contact planned from the
account in a few clicks, a call dragged to another time, the week and a day exported as
iCalendar and read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from PySide6.QtCore import QDateTime, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QRadioButton

from app.services.calls import plan_call
from app.store.database import Database
from app.store.interactions import Interaction, Task
from app.store.journal import AuditEntry
from app.ui.main_window import MainWindow
from app.ui.views.plan.calendar import CalendarView, monday_of, slot_of
from app.ui.views.plan.contact import PlanContactDialog
from tests.ui.conftest import Territory, wait_for_account

pytestmark = pytest.mark.gui
MONDAY = monday_of(dt.date.today()) + dt.timedelta(days=7)  # next week: all in the future


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day),
                               dt.time(hour, minute)).astimezone()


def utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def open_calendar(qtbot, window: MainWindow) -> CalendarView:
    assert window.roles is not None
    view = window.roles.pages["calendar"]
    assert isinstance(view, CalendarView)
    with qtbot.waitSignal(view.shown, timeout=5000):
        window.roles.show("calendar")
    with qtbot.waitSignal(view.shown, timeout=5000):
        view.next.click()
    assert view.monday == MONDAY
    return view


def plan_week(db: Database, territory: Territory) -> tuple[str, str]:
    with db.write() as session:
        visit = plan_call(session, territory.rep_id, territory.doctor_id, at(1, 9, 30))
        phone = plan_call(session, territory.rep_id, territory.hospital_id, at(3, 14), "phone",
                          "Ward round, beds; chairs")
        session.add(Task(account_id=territory.doctor_id, owner_id=territory.rep_id,
                         subject="Send the study reprint", due_date=MONDAY + dt.timedelta(2)))
        return visit, phone


def test_the_week_shows_calls_in_their_slots_and_tasks_above(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    plan_week(ui_db, territory)
    view = open_calendar(qtbot, window)
    column, row = slot_of(utc(at(1, 9, 30)))
    item = view.table.item(row, column)
    assert item is not None and "Dr. med. Jürgen Müller (Visit)" in item.text()
    assert item.text().startswith("09:30")
    assert view.table.item(0, 2).text() == "Send the study reprint — Dr. med. Jürgen Müller"
    assert "Phone call" in view.table.item(*reversed(slot_of(utc(at(3, 14))))).text()

    with qtbot.waitSignal(window.account.history_shown, timeout=5000):
        view.table.itemDoubleClicked.emit(item)
    assert window.account.account_id == territory.doctor_id


def test_each_task_names_its_account_in_text_and_tooltip(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    with ui_db.write() as session:
        for account, subject in ((territory.hospital_id, "Book the ward round"),
                                 (territory.doctor_id, "Send the study reprint"),
                                 (None, "Expense report")):
            session.add(Task(account_id=account, owner_id=territory.rep_id, subject=subject,
                             due_date=MONDAY + dt.timedelta(4)))
    view = open_calendar(qtbot, window)
    item = view.table.item(0, 4)
    lines = ["Book the ward round — Klinikum München Nord", "Expense report",
             "Send the study reprint — Dr. med. Jürgen Müller"]
    assert item.text().split("\n") == lines
    assert item.toolTip().split("\n") == lines


def drop_on(view: CalendarView, row: int, column: int) -> None:
    table = view.table
    rect = table.visualRect(table.model().index(row, column))
    event = QDropEvent(QPointF(rect.center()), Qt.DropAction.MoveAction, QMimeData(),
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    table.dropEvent(event)


def test_dragging_a_call_moves_it_audited(qtbot, window: MainWindow, ui_db: Database,
                                          territory: Territory) -> None:
    visit, _phone = plan_week(ui_db, territory)
    view = open_calendar(qtbot, window)
    view.resize(1200, 900)
    column, row = slot_of(utc(at(1, 9, 30)))
    view.table.setCurrentCell(row, column)
    target_column, target_row = slot_of(utc(at(4, 11)))
    view.table.scrollTo(view.table.model().index(target_row, target_column))
    with qtbot.waitSignal(view.shown, timeout=5000):
        drop_on(view, target_row, target_column)
    with ui_db.read() as session:
        call = session.get(Interaction, visit)
        assert call is not None and call.start_at == utc(at(4, 11))
        assert session.scalar(select(AuditEntry.action).where(AuditEntry.row_id == visit)
                              .order_by(AuditEntry.id.desc())) == "call.rescheduled"
    moved = view.table.item(target_row, target_column)
    assert moved is not None and "Müller" in moved.text()
    assert view.table.item(row, column) is None


def test_a_drop_on_the_task_row_changes_nothing(qtbot, window: MainWindow, ui_db: Database,
                                                territory: Territory) -> None:
    visit, _phone = plan_week(ui_db, territory)
    view = open_calendar(qtbot, window)
    column, row = slot_of(utc(at(1, 9, 30)))
    view.table.setCurrentCell(row, column)
    drop_on(view, 0, 4)
    qtbot.waitUntil(lambda: window.ops.pending == 0)  # a write, had one been sent, is done
    with ui_db.read() as session:
        assert session.get(Interaction, visit).start_at == utc(at(1, 9, 30))  # type: ignore[union-attr]


def test_a_contact_planned_from_the_account_lands_in_calendar_and_route(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    view = open_calendar(qtbot, window)
    wait_for_account(qtbot, window, territory.doctor_id)
    window.account.plan_contact.click()
    assert window.roles is not None
    dialog = window.roles.contact_dialog
    assert isinstance(dialog, PlanContactDialog)
    phone = next(b for b in dialog.findChildren(QRadioButton) if b.text() == "Phone call")
    phone.click()
    dialog.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(at(2, 15).timestamp())))
    dialog.subject.setText("Dosing question")
    with qtbot.waitSignal(view.shown, timeout=5000):
        dialog.save()
    with ui_db.read() as session:
        call = session.get(Interaction, dialog.planned_id)
        assert call is not None
        assert (call.channel, call.status, call.subject) == ("phone", "planned", "Dosing question")
        assert call.start_at == utc(at(2, 15))
    column, row = slot_of(utc(at(2, 15)))
    assert "Phone call" in view.table.item(row, column).text()


def test_week_and_day_exported_as_icalendar_and_read_back(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory,
        tmp_path: Path) -> None:
    visit, phone = plan_week(ui_db, territory)
    view = open_calendar(qtbot, window)
    week = view.export(None, tmp_path / "week.ics")
    assert week is not None
    parsed = icalendar.Calendar.from_ical(week.read_bytes())
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {f"{visit}@fieldrep", f"{phone}@fieldrep"}
    assert events[f"{phone}@fieldrep"].decoded("DTSTART") == at(3, 14).astimezone(dt.UTC)
    assert str(events[f"{phone}@fieldrep"]["DESCRIPTION"]) == "Ward round, beds; chairs"
    assert [str(t["SUMMARY"]) for t in parsed.walk("VTODO")] == ["Send the study reprint"]

    view.table.setCurrentCell(5, 3)  # Thursday
    day = view.export(view.table.currentColumn(), tmp_path / "day.ics")
    assert day is not None
    parsed = icalendar.Calendar.from_ical(day.read_bytes())
    assert [str(e["UID"]) for e in parsed.walk("VEVENT")] == [f"{phone}@fieldrep"]
    assert parsed.walk("VTODO") == []
