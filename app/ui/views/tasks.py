"""Open tasks and follow-ups, on Today (the user's own) and on an account (its tasks).

A task is work someone promised: a letter to send, a follow-up for medical, a step of an
engagement plan. Each card reads its lines off the GUI thread and marks one done through the
service (audited, synced); the account named on a line opens with Enter or a double-click.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.i18n import tr
from app.services.errors import ValidationError
from app.services.tasks import complete_task
from app.store.task_queries import TaskLine
from app.ui import format as fmt
from app.ui.operations import Operations, describe
from app.ui.parts import Card, muted

ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE = QColor(198, 40, 40)

Reader = Callable[[Session], list[TaskLine]]


class TaskList(QTreeWidget):
    """Due, task, account, owner; overdue ones in red. The task takes the room: a long
    account name is cut (its tooltip has it whole) rather than the task squeezed to a word."""

    ACCOUNT_WIDTH = 220

    def __init__(self, parent: QWidget | None = None, *, with_owner: bool = True,
                 with_account: bool = True) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Open tasks"))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHeaderLabels([tr("Due"), tr("Task"), tr("Account"), tr("Owner")])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.setColumnHidden(2, not with_account)
        self.setColumnHidden(3, not with_owner)

    def fill(self, lines: list[TaskLine], today: dt.date) -> None:
        self.clear()
        for line in lines:
            due = fmt.date_text(line.due) if line.due else tr("no date")
            item = QTreeWidgetItem([due, line.subject, line.account_name or "",
                                    line.owner_name or ""])
            item.setToolTip(1, line.subject)
            item.setToolTip(2, line.account_name or "")
            item.setData(0, ID_ROLE, (line.id, line.account_id))
            if line.overdue(today):
                for column in range(4):
                    item.setForeground(column, QBrush(OVERDUE))
                item.setToolTip(0, tr("overdue"))
            self.addTopLevelItem(item)
        self.setColumnWidth(2, min(self.sizeHintForColumn(2), self.ACCOUNT_WIDTH))

    def selected(self) -> tuple[str, str | None] | None:
        item = self.currentItem()
        return None if item is None else item.data(0, ID_ROLE)


class TasksCard(Card):
    """A titled task list with "Mark done"; `account_opened(id)` for the line's account,
    `changed` after a task was marked done (the screen reloads what depends on it)."""

    account_opened = Signal(str)
    changed = Signal()
    loaded = Signal(int)  # number of lines shown (tests and screenshots wait for it)

    def __init__(self, ops: Operations, title: str, *, hide_when_empty: bool = False,
                 with_owner: bool = True, with_account: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._ops = ops
        self._hide_when_empty = hide_when_empty
        self._title = title
        self._reader: Reader | None = None
        self.user_id: str | None = None
        self.read_only = False  # a role that may not mark tasks done sees no button for it
        self.list = TaskList(with_owner=with_owner, with_account=with_account)
        self.list.setMinimumHeight(120)
        self.empty = muted(tr("No open tasks."), wrap=True)
        self.done = QPushButton(tr("Mark done"))
        self.done.setToolTip(tr("The selected task is done (it syncs like any change)"))
        self.done.setEnabled(False)
        self.error = muted(wrap=True)
        self.error.setObjectName("fieldError")
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.done)
        self.body.addWidget(self.list, 1)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.error)
        self.body.addLayout(buttons)
        self.list.itemActivated.connect(self._open)
        self.list.currentItemChanged.connect(lambda *_: self.done.setEnabled(
            self.list.currentItem() is not None))
        self.done.clicked.connect(self.mark_done)

    def load(self, reader: Reader) -> None:
        """Read the lines with `reader` off the GUI thread and show them."""
        self._reader = reader
        self._ops.read(reader, self._show, self._failed)

    def _show(self, lines: list[TaskLine]) -> None:
        self.list.fill(lines, dt.date.today())
        self.title.setText(tr("{title} ({count})", title=self._title, count=len(lines))
                           if lines else self._title)
        self.list.setVisible(bool(lines))
        self.empty.setVisible(not lines)
        self.done.setVisible(bool(lines) and not self.read_only)
        self.done.setEnabled(self.list.currentItem() is not None)
        if self._hide_when_empty:
            self.setVisible(bool(lines))
        self.loaded.emit(len(lines))

    def _failed(self, error: BaseException) -> None:
        self.error.setText(describe(error))
        self.error.show()

    def mark_done(self) -> None:
        chosen = self.list.selected()
        if chosen is None:
            return
        task_id, user_id = chosen[0], self.user_id
        self.error.hide()
        self._ops.write(lambda session: complete_task(session, user_id, task_id),
                        self._marked, self._not_marked)

    def _marked(self, _result: object) -> None:
        self.changed.emit()
        if self._reader is not None:
            self.load(self._reader)

    def _not_marked(self, error: BaseException) -> None:
        self.error.setText(" ".join(error.errors.values()) if isinstance(error, ValidationError)
                           else describe(error))
        self.error.show()

    def _open(self, item: QTreeWidgetItem) -> None:
        _task, account_id = item.data(0, ID_ROLE)
        if account_id:
            self.account_opened.emit(account_id)
