"""The week: planned calls by day and half hour, the tasks due each day above them.

Drag a call to another slot to move it (the service checks and audits the move, the outbox
syncs it); double-click a call to open its account; "Export" writes the shown week, or the
selected day, as an iCalendar file. A slot holds every call starting in it; dragging the slot
moves them together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.ical import IcsEvent, IcsTodo, calendar
from app.services.plan import hours_warning, reschedule_call
from app.store.base import Channel, utcnow
from app.store.plan_queries import DueTask, PlannedCall, due_tasks, planned_calls
from app.store.queries import current_user
from app.ui import format as fmt
from app.ui.operations import Operations, describe

IDS_ROLE = Qt.ItemDataRole.UserRole
#: The first and last half hour shown (local time); calls outside go to the nearest row.
FIRST_HOUR, LAST_HOUR = 7, 20
SLOTS = (LAST_HOUR - FIRST_HOUR) * 2
TASK_ROW = 0  # the row above the hours


@dataclass(frozen=True)
class Week:
    """What the calendar shows: the Monday, the calls and the tasks of that week."""

    monday: dt.date
    user_id: str | None
    calls: list[PlannedCall]
    tasks: list[DueTask]


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def read_week(session: Session, monday: dt.date) -> Week:
    """The signed-in user's planned calls and due tasks from Monday to Sunday (local days)."""
    conn = session.connection()
    user = current_user(conn)
    user_id = user.id if user else None
    since = dt.datetime.combine(monday, dt.time()).astimezone()
    until = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time()).astimezone()
    calls = planned_calls(conn, user_id, since.astimezone(dt.UTC).replace(tzinfo=None),
                          until.astimezone(dt.UTC).replace(tzinfo=None))
    return Week(monday, user_id, calls,
                due_tasks(conn, user_id, monday, monday + dt.timedelta(days=6)))


def task_text(task: DueTask) -> str:
    """A due task with the doctor or institution it is for: a subject alone ("Send the
    reprint") does not say to whom."""
    if not task.account_name:
        return task.subject
    return tr("{subject} — {account}", subject=task.subject, account=task.account_name)


def slot_of(start_utc: dt.datetime) -> tuple[int, int]:
    """(column, row) of a call: its local weekday and half hour (row 0 holds the tasks)."""
    local = fmt.local(start_utc)
    half = (local.hour - FIRST_HOUR) * 2 + local.minute // 30
    return local.weekday(), 1 + min(max(half, 0), SLOTS - 1)


def slot_start(monday: dt.date, column: int, row: int) -> dt.datetime:
    """The local (aware) start of a slot."""
    minutes = FIRST_HOUR * 60 + (row - 1) * 30
    day = monday + dt.timedelta(days=column)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)).astimezone()


class WeekTable(QTableWidget):
    """Seven days by half hours; a dropped slot emits `moved(call ids, column, row)`."""

    moved = Signal(list, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(1 + SLOTS, 7, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setWordWrap(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setVerticalHeaderLabels([tr("Tasks"), *(
            f"{FIRST_HOUR + half // 2:02d}:{30 * (half % 2):02d}" for half in range(SLOTS))])

    def dropEvent(self, event: QDropEvent) -> None:
        source = self.currentItem()
        target = self.indexAt(event.position().toPoint())
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()  # the table is redrawn from the store, never moved by Qt itself
        if source is None or not target.isValid() or target.row() == TASK_ROW:
            return
        ids = source.data(IDS_ROLE) or []
        if ids and (target.row(), target.column()) != (source.row(), source.column()):
            self.moved.emit(list(ids), target.column(), target.row())


class CalendarView(QWidget):
    """`account_opened(id)` on a double-click; `changed` after a call was moved; `shown`
    after each load."""

    account_opened = Signal(str)
    changed = Signal()
    shown = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.week: Week | None = None
        self.monday = monday_of(dt.date.today())
        self.table = WeekTable()
        self.previous = QPushButton(tr("Previous week"))
        self.previous.clicked.connect(lambda: self.go(-7))
        self.this_week = QPushButton(tr("This week"))
        self.this_week.clicked.connect(lambda: self.go(None))
        self.next = QPushButton(tr("Next week"))
        self.next.clicked.connect(lambda: self.go(7))
        self.title = QLabel()
        self.export_week = QPushButton(tr("Export week…"))
        self.export_week.setToolTip(tr("Save the week as an iCalendar file (.ics)"))
        self.export_week.clicked.connect(lambda: self.export(None))
        self.export_day = QPushButton(tr("Export day…"))
        self.export_day.setToolTip(tr("Save the selected day as an iCalendar file (.ics)"))
        self.export_day.clicked.connect(lambda: self.export(self.table.currentColumn()))
        bar = QHBoxLayout()
        for widget in (self.previous, self.this_week, self.next, self.title):
            bar.addWidget(widget)
        bar.addStretch()
        bar.addWidget(self.export_day)
        bar.addWidget(self.export_week)
        self.table.setAccessibleName(tr("Week calendar"))
        self.table.moved.connect(self.move_calls)
        self.table.itemDoubleClicked.connect(self._open)
        self.hours_warning = QLabel()
        self.hours_warning.setObjectName("hours-warning")
        self.hours_warning.setWordWrap(True)
        self.hours_warning.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.hours_warning)
        layout.addWidget(self.table, 1)

    def go(self, days: int | None) -> None:
        self.monday = (monday_of(dt.date.today()) if days is None
                       else self.monday + dt.timedelta(days=days))
        self.refresh()

    def refresh(self) -> None:
        monday = self.monday
        self.ops.read(lambda session: read_week(session, monday), self.fill)

    def fill(self, week: Week) -> None:
        self.week = week
        self.table.clearContents()
        self.table.setHorizontalHeaderLabels([
            fmt.date_text(week.monday + dt.timedelta(days=i)) for i in range(7)])
        self.title.setText(tr("Week of {date}", date=fmt.long_date_text(week.monday)))
        cells: dict[tuple[int, int], list[PlannedCall]] = {}
        for call in week.calls:
            cells.setdefault(slot_of(call.start_at), []).append(call)
        outside: list[str] = []
        for (column, row), calls in cells.items():
            # Only a visit needs the practice open; a phone call or an e-mail does not.
            found = [hours_warning(c) if c.channel == Channel.IN_PERSON else None
                     for c in calls]
            warnings = [w for w in found if w]
            outside += warnings
            item = QTableWidgetItem("\n".join(
                ("⚠ " if w else "")
                + f"{fmt.time_text(c.start_at)} {c.account_name} ({fmt.channel_name(c.channel)})"
                for c, w in zip(calls, found, strict=True)))
            item.setData(IDS_ROLE, [c.id for c in calls])
            item.setData(Qt.ItemDataRole.UserRole + 1, calls[0].account_id)
            item.setToolTip("\n".join([*warnings, tr("Drag to another time to move it")]))
            self.table.setItem(row, column, item)
        # Outside the practice's hours is a warning, never a block: the rep may know better.
        self.hours_warning.setText("\n".join(f"⚠ {w}" for w in outside))
        self.hours_warning.setVisible(bool(outside))
        by_day: dict[int, list[DueTask]] = {}
        for task in week.tasks:
            by_day.setdefault((task.due - week.monday).days, []).append(task)
        for column, tasks in by_day.items():
            lines = [task_text(t) for t in tasks]
            item = QTableWidgetItem("\n".join(lines))
            item.setToolTip("\n".join(lines))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            item.setData(Qt.ItemDataRole.UserRole + 1, tasks[0].account_id)
            self.table.setItem(TASK_ROW, column, item)
        self.table.resizeRowsToContents()
        self.shown.emit()

    def move_calls(self, ids: list[str], column: int, row: int) -> None:
        """Move the dragged calls to the slot they were dropped on."""
        if self.week is None:
            return
        start, user_id = slot_start(self.week.monday, column, row), self.week.user_id

        def move(session: Session) -> None:
            for call_id in ids:
                reschedule_call(session, user_id, call_id, start)

        def done(_result: None) -> None:
            self.changed.emit()
            self.refresh()

        self.ops.write(move, done, self._failed)

    def _open(self, item: QTableWidgetItem) -> None:
        account_id = item.data(Qt.ItemDataRole.UserRole + 1)
        if account_id:
            self.account_opened.emit(account_id)

    def ics(self, column: int | None) -> bytes:
        """The shown week, or one day of it (a column), as iCalendar."""
        assert self.week is not None
        days = range(7) if column is None or column < 0 else [column]
        wanted = {self.week.monday + dt.timedelta(days=d) for d in days}
        events = [IcsEvent(c.id, c.start_at, c.duration_min or 30,
                           f"{c.account_name} — {fmt.channel_name(c.channel)}",
                           c.subject or "", c.city or "")
                  for c in self.week.calls if fmt.local(c.start_at).date() in wanted]
        todos = [IcsTodo(t.id, t.due, t.subject) for t in self.week.tasks if t.due in wanted]
        return calendar(events, todos, utcnow())

    def export(self, column: int | None, path: Path | None = None) -> Path | None:
        """Save as .ics (asks where unless `path` is given); returns where it was saved."""
        if self.week is None:
            return None
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, tr("Export as iCalendar"), "fieldrep.ics", tr("iCalendar (*.ics)"))
            if not chosen:
                return None
            path = Path(chosen)
        try:
            path.write_bytes(self.ics(column))
        except OSError as error:
            self._failed(error)
            return None
        return path

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, tr("Calendar"), describe(error))

    def select_day(self, day: dt.date) -> None:
        if self.week is not None:
            self.table.setCurrentCell(TASK_ROW, (day - self.week.monday).days)

