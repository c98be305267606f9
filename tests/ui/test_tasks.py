"""Open tasks on Today and on the account: the user's own with the overdue ones marked,
marked done through the service (audited, synced), the account opened from a line; someone
else's task is theirs to finish."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt

from app.store.database import Database
from app.store.interactions import Task
from app.store.journal import AuditEntry, OutboxMutation
from app.store.reference import User
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account

pytestmark = pytest.mark.gui
TODAY = dt.date.today()


def add_tasks(db: Database, territory: Territory) -> dict[str, str]:
    with db.write() as session:
        other = User(username="msl", display_name="Käthe Groß", role="msl")
        session.add(other)
        session.flush()
        made = {
            "overdue": Task(account_id=territory.doctor_id, owner_id=territory.rep_id,
                            subject="Send the study reprint", due_date=TODAY - dt.timedelta(3)),
            "later": Task(account_id=territory.hospital_id, owner_id=territory.rep_id,
                          subject="Book the ward round", due_date=TODAY + dt.timedelta(5)),
            "msl": Task(account_id=territory.doctor_id, owner_id=other.id,
                        subject="Call back on renal dosing", due_date=TODAY),
            "done": Task(account_id=territory.doctor_id, owner_id=territory.rep_id,
                         subject="Already done", status="done"),
        }
        session.add_all(made.values())
        session.flush()
        return {name: task.id for name, task in made.items()}


def test_today_lists_my_open_tasks_and_marks_one_done(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    ids = add_tasks(ui_db, territory)
    card = window.home.tasks
    with qtbot.waitSignal(card.loaded, timeout=5000):
        window.home.refresh_calls()
    subjects = [card.list.topLevelItem(i).text(1) for i in range(card.list.topLevelItemCount())]
    assert subjects == ["Send the study reprint", "Book the ward round"]
    overdue = card.list.topLevelItem(0)
    assert overdue.foreground(1).color().red() > 150  # overdue in red
    assert "(2)" in card.title.text()
    # The task has the room, not the account: a long name is cut, the task not to a word.
    assert card.list.columnWidth(2) <= card.list.ACCOUNT_WIDTH
    assert card.list.columnWidth(1) >= card.list.columnWidth(2)

    with qtbot.waitSignal(window.account.history_shown, timeout=5000):
        card.list.itemActivated.emit(overdue, 0)
    assert window.account.account_id == territory.doctor_id

    card.list.setCurrentItem(card.list.topLevelItem(0))
    with qtbot.waitSignal(card.loaded, timeout=5000):
        qtbot.mouseClick(card.done, Qt.MouseButton.LeftButton)
    assert card.list.topLevelItemCount() == 1
    with ui_db.read() as session:
        task = session.get(Task, ids["overdue"])
        assert task is not None and task.status == "done"
        assert session.scalar(select(AuditEntry.action).where(
            AuditEntry.row_id == ids["overdue"])) == "task.done"
        assert session.scalar(select(OutboxMutation.entity).where(
            OutboxMutation.row_id == ids["overdue"])) == "tasks"


def test_the_account_lists_its_tasks_and_not_someone_elses_to_finish(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    ids = add_tasks(ui_db, territory)
    card = window.account.tasks
    with qtbot.waitSignal(card.loaded, timeout=5000):
        wait_for_account(qtbot, window, territory.doctor_id)
    assert card.isVisible()
    rows = {card.list.topLevelItem(i).text(1): card.list.topLevelItem(i)
            for i in range(card.list.topLevelItemCount())}
    assert set(rows) == {"Send the study reprint", "Call back on renal dosing"}
    assert card.list.isColumnHidden(2)  # the account's own tasks: no account column
    assert not card.list.isColumnHidden(3)  # whose task it is
    card.list.setCurrentItem(rows["Call back on renal dosing"])
    qtbot.mouseClick(card.done, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(card.error.isVisible, timeout=5000)
    assert "someone else" in card.error.text()
    with ui_db.read() as session:
        assert session.get(Task, ids["msl"]).status == "open"  # type: ignore[union-attr]
