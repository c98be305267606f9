"""The MSL's desk: the inbox of escalated medical inquiries (age, urgency, service level,
overdue ones marked, filters), one inquiry with its account's history and its steps, and the
MSL's actions: take over, record the answer, hand back with a note, close.

A manager sees the same screen read-only with the team's inquiries (`read_only=True`): no
actions, and no answers (they never reach a manager's laptop). The inbox is a few dozen rows
at most, so a QTableWidget filled from one read is enough.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services import escalations
from app.services.errors import ValidationError
from app.services.escalations import (
    AnswerForm,
    action_text,
    age_text,
    channel_text,
    status_text,
    urgency_text,
)
from app.store.base import utcnow
from app.store.escalation_queries import (
    AnswerLine,
    InquiryLine,
    TrailStep,
    answers,
    inquiries,
    inquiry,
    other_msls,
    trail,
)
from app.store.escalations import Urgency
from app.store.queries import TimelineEntry, account_history
from app.store.touchpoint_queries import with_touchpoints
from app.ui import format as fmt
from app.ui.operations import Operations, describe, run_in_background
from app.ui.parts import Card, muted, page_title, primary_button
from app.ui.views.msl.dialogs import AnswerDialog, HandBackDialog, ReassignDialog

ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE = QColor(198, 40, 40)
#: Inbox filters: key -> (label, statuses shown; None: all).
SHOW = {
    "open": ("raised", "routed", "queued", "in_progress", "answered", "handed_back"),
    "queue": ("queued",),
    "answered": ("answered", "handed_back"),
    "all": None,
}


@dataclass(frozen=True)
class Detail:
    line: InquiryLine
    history: list[TimelineEntry]
    steps: list[TrailStep]
    answers: list[AnswerLine]


def read_detail(session: Session, inquiry_id: str) -> Detail | None:
    line = inquiry(session, inquiry_id)
    if line is None:
        return None
    return Detail(line, with_touchpoints(session.connection(), line.account_id,
                                         account_history(session.connection(),
                                                         line.account_id)),
                  trail(session, inquiry_id), answers(session, inquiry_id))


def show_text(key: str) -> str:
    return {"open": tr("Open"), "queue": tr("Queue"), "answered": tr("Answered"),
            "all": tr("All")}[key]


QUESTION_COLUMN = 4


class MslDesk(QWidget):
    """`account_opened(id)` when the MSL wants the whole account screen; `changed` after a
    write (the window's sync and status follow)."""

    account_opened = Signal(str)
    changed = Signal()
    loaded = Signal()  # the inbox is filled (tests wait for it)
    detail_shown = Signal()

    def __init__(self, ops: Operations, *, read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.read_only = read_only
        self.user_id: str | None = None
        self.lines: list[InquiryLine] = []
        self.detail: Detail | None = None
        self._generation = 0
        self.dialog: AnswerDialog | HandBackDialog | ReassignDialog | None = None
        #: The server's address and client options, for reassigning (set by the window).
        self.server: Callable[[], tuple[str, dict[str, object]]] = lambda: ("", {})
        self._network = QThreadPool(self)
        self._network.setMaxThreadCount(1)

        self.title = page_title(tr("Team escalations") if read_only
                                else tr("Medical inquiries"))
        self.summary = muted()
        self.show_filter = QComboBox()
        for key in SHOW:
            self.show_filter.addItem(show_text(key), key)
        self.urgency_filter = QComboBox()
        self.urgency_filter.addItem(tr("Any urgency"), None)
        for value in (u.value for u in Urgency):
            self.urgency_filter.addItem(urgency_text(value), value)
        self.overdue_only = QCheckBox(tr("Overdue only"))
        for widget in (self.show_filter, self.urgency_filter):
            widget.currentIndexChanged.connect(self.refresh)
        self.overdue_only.toggled.connect(self.refresh)

        # Who raised it and when is in the detail beside: the row keeps what is read first.
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([
            tr("Urgency"), tr("Due"), tr("Account"), tr("Product"), tr("Question"),
            tr("Status")])
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Whose question and about what are read in full; the question takes what is left
        # (its first line, the whole of it in the tooltip and the detail beside).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(QUESTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = muted(tr("No inquiries here. New ones arrive with a sync."), wrap=True)

        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = muted(wrap=True)
        self.answer_box = QLabel()
        self.answer_box.setWordWrap(True)
        self.history = QListWidget()
        self.steps = QListWidget()
        self.take_over = primary_button(tr("Take over"))
        self.answer = QPushButton(tr("Record answer…"))
        self.hand_back = QPushButton(tr("Hand back…"))
        self.close_button = QPushButton(tr("Close"))
        self.open_account = QPushButton(tr("Open account"))
        self.reassign = QPushButton(tr("Reassign…"))
        self.reassign.clicked.connect(self.reassign_selected)
        self.take_over.clicked.connect(self.take_over_selected)
        self.answer.clicked.connect(self.answer_selected)
        self.hand_back.clicked.connect(self.hand_back_selected)
        self.close_button.clicked.connect(self.close_selected)
        self.open_account.clicked.connect(self._open_account)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self._build()
        self._update_actions()

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("Show")))
        filters.addWidget(self.show_filter)
        filters.addWidget(self.urgency_filter)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        inbox = QWidget()
        left = QVBoxLayout(inbox)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(filters)
        left.addWidget(self.table, 1)
        left.addWidget(self.empty)

        card = Card(tr("Inquiry"))
        card.body.addWidget(self.question)
        card.body.addWidget(self.facts)
        card.body.addWidget(self.answer_box)
        # Two rows of buttons: in one, German labels made the desk wider than a laptop.
        work, more = QHBoxLayout(), QHBoxLayout()
        for row, buttons in ((work, (self.take_over, self.answer, self.hand_back)),
                             (more, (self.close_button, self.reassign))):
            for button in buttons:
                button.setVisible(not self.read_only)
                row.addWidget(button)
            row.addStretch(1)
        more.addWidget(self.open_account)
        card.body.addLayout(work)
        card.body.addLayout(more)
        card.body.addWidget(self.error)
        history = Card(tr("Account history"))
        history.body.addWidget(self.history)
        steps = Card(tr("Steps"))
        steps.body.addWidget(self.steps)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(card)
        column.addWidget(history, 2)
        column.addWidget(steps, 1)

        split = QSplitter()
        split.addWidget(inbox)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the inbox again (after a sync, a write, a filter change)."""
        self._generation += 1
        generation, user_id, read_only = self._generation, self.user_id, self.read_only

        def query(session: Session) -> list[InquiryLine]:
            if read_only:
                return inquiries(session)
            return inquiries(session, mine=user_id, with_queue=True)

        self._ops.read(query, lambda lines: self._fill(generation, lines), self._failed)

    def _visible(self, lines: list[InquiryLine], now: dt.datetime) -> list[InquiryLine]:
        statuses = SHOW[self.show_filter.currentData()]
        urgency = self.urgency_filter.currentData()
        shown = [line for line in lines
                 if (statuses is None or line.status in statuses)
                 and (urgency is None or line.urgency == urgency)
                 and (not self.overdue_only.isChecked() or line.overdue(now))]
        # What is owed comes first, the nearest service level at the top.
        return sorted(shown, key=lambda line: (not line.open, line.due_at))

    def _fill(self, generation: int, lines: list[InquiryLine]) -> None:
        if generation != self._generation:
            return
        now = utcnow()
        selected = self.selected_id()
        self.lines = self._visible(lines, now)
        open_lines = [line for line in lines if line.open]
        overdue = sum(1 for line in open_lines if line.overdue(now))
        self.summary.setText(tr("{open} waiting for an answer, {overdue} overdue",
                                open=len(open_lines), overdue=overdue))
        self.table.blockSignals(True)  # one detail read after the fill, not one per row
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            late = line.overdue(now)
            due = fmt.datetime_text(line.due_at)
            question = line.question.strip().splitlines()[0] if line.question.strip() else ""
            left = line.due_at - now
            when = (tr("overdue by {age}", age=age_text(-left)) if late
                    else tr("in {age}", age=age_text(left)))
            cells = (urgency_text(line.urgency), when, line.account_name, line.product_name,
                     question, status_text(line.status))
            tips = {1: tr("overdue since {due}", due=due) if late else due,
                    2: line.account_name, QUESTION_COLUMN: line.question}
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, line.id)
                if column in tips:
                    item.setToolTip(tips[column])
                if late:
                    item.setForeground(QBrush(OVERDUE))
                self.table.setItem(row, column, item)
        self.empty.setVisible(not self.lines)
        ids = [line.id for line in self.lines]
        if ids:
            self.table.selectRow(ids.index(selected) if selected in ids else 0)
        self.table.blockSignals(False)
        if ids:
            self._selected()
        else:
            self._show_detail(self._generation, None)
        self.loaded.emit()

    def selected_id(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def _selected(self) -> None:
        inquiry_id = self.selected_id()
        if inquiry_id is None:
            return
        generation = self._generation
        self._ops.read(lambda session: read_detail(session, inquiry_id),
                       lambda detail: self._show_detail(generation, detail), self._failed)

    def _show_detail(self, generation: int, detail: Detail | None) -> None:
        if generation != self._generation:
            return
        self.detail = detail
        self.error.hide()
        self.history.clear()
        self.steps.clear()
        if detail is None:
            self.question.setText("")
            self.facts.setText("")
            self.answer_box.setText("")
        else:
            line = detail.line
            question = line.question.replace("<", "&lt;")
            self.question.setText(f"<b>{line.account_name}</b> · {line.product_name}"
                                  f"<br><i>“{question}”</i>")
            self.facts.setText(" · ".join(filter(None, [
                tr("raised by {who}, {when}", who=line.raised_by or "?",
                   when=fmt.datetime_text(line.raised_at)),
                tr("answer: {channel}", channel=channel_text(line.answer_channel)),
                tr("consent to be contacted") if line.consent_to_contact else None,
                tr("unsolicited") if line.unsolicited else tr("solicited"),
                status_text(line.status),
                tr("assigned to {who}", who=line.assigned_name) if line.assigned_name
                else None])))
            self.answer_box.setText("<br>".join(
                tr("Answer ({channel}, {when}): {answer}", channel=channel_text(a.channel),
                   when=fmt.datetime_text(a.answered_at),
                   answer=a.answer.replace("<", "&lt;"))
                for a in detail.answers))
            for entry in detail.history:
                self.history.addItem(" · ".join(filter(None, [
                    fmt.date_text(entry.start_at),
                    fmt.touchpoint_name(entry.touchpoint_kind) if entry.touchpoint_kind
                    else fmt.channel_name(entry.channel),
                    entry.owner, entry.subject, entry.products])))
            for step in detail.steps:
                self.steps.addItem(tr("{when}: {what} by {who}",
                                      when=fmt.datetime_text(step.at),
                                      what=action_text(step.action),
                                      who=step.who or tr("the server")))
        self._update_actions()
        self.detail_shown.emit()

    def _update_actions(self) -> None:
        line = self.detail.line if self.detail else None
        status = line.status if line else None
        mine = line is not None and line.assigned_to == self.user_id
        self.take_over.setEnabled(status == "queued" or (mine and status == "routed"))
        self.answer.setEnabled(mine and status in ("in_progress", "answered"))
        self.hand_back.setEnabled(mine and status in ("in_progress", "answered"))
        self.close_button.setEnabled(mine and status in ("answered", "handed_back"))
        self.reassign.setEnabled(status in ("queued", "routed", "in_progress")
                                 and (mine or status == "queued"))
        self.open_account.setEnabled(line is not None)

    def _failed(self, error: BaseException) -> None:
        self.error.setText(describe(error))
        self.error.show()

    # -- acting ----------------------------------------------------------------------------

    def _write(self, change: Callable[[Session, str | None, str], object],
               done: Callable[[], None] | None = None) -> None:
        """Run a service step on the selected inquiry, then read everything again."""
        inquiry_id, user_id = self.selected_id(), self.user_id
        if inquiry_id is None:
            return

        def work(session: Session) -> None:
            change(session, user_id, inquiry_id)

        def finished(_result: None) -> None:
            if done is not None:
                done()
            self.changed.emit()
            self.refresh()

        self._ops.write(work, finished, self._write_failed)

    def _write_failed(self, error: BaseException) -> None:
        errors = error.errors if isinstance(error, ValidationError) else {"": describe(error)}
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.failed(errors)
        else:
            self._failed(error)

    def take_over_selected(self) -> None:
        self._write(escalations.take_over)

    def close_selected(self) -> None:
        self._write(escalations.close)

    def answer_selected(self) -> AnswerDialog | None:
        if self.detail is None:
            return None
        dialog = AnswerDialog(self.detail.line.answer_channel, self)

        def save(form: AnswerForm) -> None:
            self._write(lambda s, u, i: escalations.record_answer(s, u, i, form),
                        dialog.saved)

        dialog.submitted.connect(save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def hand_back_selected(self) -> HandBackDialog | None:
        if self.detail is None:
            return None
        dialog = HandBackDialog(self)

        def save(note: str) -> None:
            self._write(lambda s, u, i: escalations.hand_back(s, u, i, note), dialog.saved)

        dialog.submitted.connect(save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def reassign_selected(self) -> None:
        """Ask whom to hand the inquiry to (read the colleagues first), then ask the server."""
        inquiry_id, me = self.selected_id(), self.user_id
        if inquiry_id is None:
            return
        self._ops.read(lambda session: other_msls(session, me),
                       lambda colleagues: self._ask_reassign(inquiry_id, colleagues),
                       self._failed)

    def _ask_reassign(self, inquiry_id: str, colleagues: list[tuple[str, str]]) -> None:
        dialog = ReassignDialog(colleagues, self)
        base_url, options = self.server()
        db = self._ops.db

        def save(to: str | None) -> None:
            def done(_holder: str) -> None:
                dialog.saved()
                self.changed.emit()  # the next sync takes the inquiry off this laptop

            run_in_background(
                self, self._network,
                lambda: escalations.reassign_online(db, base_url, inquiry_id, to, **options),
                done, lambda error: dialog.failed({"": describe(error)}))

        dialog.submitted.connect(save)
        self.dialog = dialog
        dialog.open()

    def _open_account(self) -> None:
        if self.detail is not None:
            self.account_opened.emit(self.detail.line.account_id)
