"""Today: who the rep is, whom to see and why, what is left to finish, and what is planned.

The suggested doctors come first, prioritised by the engine, each with its reasons and one
click to plan it. Then drafts: a call report half written after a visit is the most urgent
call on the screen (it is lost to the record until submitted). Each call opens with Enter or
a double-click; an empty day says what to do instead of showing an empty table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.suggestions import Item, Recommender
from app.store.queries import AgendaEntry, CurrentUser, agenda, current_user
from app.store.task_queries import open_tasks
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.parts import EmptyState, muted, page_title, section_title
from app.ui.views.opinion_leaders import OpinionLeadersCard
from app.ui.views.suggestions import SuggestionPanel
from app.ui.views.tasks import TasksCard

ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Day:
    user: CurrentUser | None
    entries: list[AgendaEntry]


# Academic titles stand before a German name ("Dr. Käthe Groß", "Prof. Dr. med. …"): they are
# not a first name to greet by.
_TITLES = frozenset({"dr.", "prof.", "med.", "rer.", "nat.", "dipl.", "pd", "priv.-doz."})


def first_name(display_name: str) -> str | None:
    """The name to greet by: the first word that is not an academic title."""
    words = [w for w in display_name.split() if w.lower() not in _TITLES]
    return words[0] if words else None


def greeting(name: str | None, hour: int) -> str:
    if not name:
        return tr("Welcome to Fieldrep")
    if hour < 12:
        return tr("Good morning, {name}", name=name)
    if hour < 18:
        return tr("Good afternoon, {name}", name=name)
    return tr("Good evening, {name}", name=name)


class CallList(QTreeWidget):
    """One section of the day: when, account, city, channel, subject."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Today's column is narrow: a time for today (the date for an older draft), the
        # account in full; the subject is in the tooltip.
        self.setHeaderLabels([tr("When"), tr("Account"), tr("City"), tr("Channel")])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def fill(self, entries: list[AgendaEntry]) -> None:
        self.clear()
        today = dt.date.today()
        for entry in entries:
            when = (fmt.time_text(entry.start_at) if fmt.local(entry.start_at).date() == today
                    else fmt.datetime_text(entry.start_at))
            item = QTreeWidgetItem([when, entry.account_name, entry.city or "",
                                    fmt.channel_name(entry.channel)])
            if entry.subject:
                item.setToolTip(1, fmt.stored_text(entry.subject))
            item.setIcon(0, icon("draft" if entry.status == "draft" else "planned"))
            item.setIcon(3, icon(fmt.CHANNEL_ICONS.get(entry.channel, "call")))
            item.setData(0, ID_ROLE, (entry.call_id, entry.account_id))
            self.addTopLevelItem(item)
        # As tall as its rows (the layout shrinks it when the day is long).
        row = self.sizeHintForRow(0) if entries else self.fontMetrics().height()
        self.setMaximumHeight(self.header().sizeHint().height() + row * max(len(entries), 1)
                              + 2 * self.frameWidth() + 2)


class HomeView(QWidget):
    """Emits `call_opened(account_id, call_id)` when a draft or planned call is opened."""

    call_opened = Signal(str, str)
    account_opened = Signal(str)  # from a task's line
    loaded = Signal()
    suggestions_loaded = Signal(int)

    def __init__(self, ops: Operations, recommender: Recommender | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.recommender = recommender or Recommender()
        self.suggested_title = section_title(tr("Suggested for today"))
        self.suggested_status = muted(tr("Preparing suggestions…"), wrap=True)
        self.suggested = SuggestionPanel(ops, self.recommender)
        self.suggested.setMinimumHeight(220)
        self.suggested.answered.connect(lambda _kind: self.refresh_calls())
        self.title = page_title(tr("Today"))
        self.date_label = muted()
        self.drafts = CallList(tr("Drafts to finish"))
        self.planned = CallList(tr("Planned calls"))
        self.drafts_title = section_title(tr("Drafts to finish"))
        self.planned_title = section_title(tr("Planned"))
        for calls in (self.drafts, self.planned):
            calls.itemActivated.connect(self._activated)

        # Two columns: whom to see (the suggestions) beside the day's own work (drafts,
        # planned calls, tasks); stacked, each list showed four rows at 1280 x 800.
        suggestions = QVBoxLayout()
        suggestions.setSpacing(8)
        suggestions.addWidget(self.suggested_title)
        suggestions.addWidget(self.suggested_status)
        suggestions.addWidget(self.suggested, 1)
        # The rep's: doctors of high standing in the network, not reached yet.
        self.leaders = OpinionLeadersCard(ops)
        self.leaders.account_opened.connect(self.account_opened)
        self.leaders.hide()
        suggestions.addSpacing(12)
        suggestions.addWidget(self.leaders)
        work = QVBoxLayout()
        work.setSpacing(8)
        work.addWidget(self.drafts_title)
        work.addWidget(self.drafts)
        work.addSpacing(12)
        work.addWidget(self.planned_title)
        work.addWidget(self.planned)
        self.no_calls = muted(tr("No calls planned. Accept a suggestion, or find a doctor under "
                                 "Accounts (Ctrl+2) and log a call (Ctrl+N)."), wrap=True)
        work.addWidget(self.no_calls)
        work.addSpacing(12)
        self.tasks = TasksCard(ops, tr("Open tasks"), with_owner=False)  # all the user's
        self.tasks.account_opened.connect(self.account_opened)
        work.addWidget(self.tasks, 1)
        day = QWidget()
        columns = QHBoxLayout(day)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(24)
        columns.addLayout(suggestions, 1)
        columns.addLayout(work, 1)

        self.empty = EmptyState("today")
        self.empty.set_text(tr("No calls planned."),
                            tr("Find a doctor under Accounts (Ctrl+2) and log a call (Ctrl+N)."))
        self.content = QStackedWidget()
        self.content.addWidget(day)
        self.content.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.date_label)
        layout.addSpacing(16)
        layout.addWidget(self.content, 1)

    def refresh(self) -> None:
        """Today's calls and suggestions, both off the GUI thread."""
        self.refresh_calls()
        self.refresh_suggestions()

    def refresh_suggestions(self) -> None:
        """Plan today's suggestions (once a day; learning first if no model exists yet)."""
        recommender, today = self.recommender, dt.date.today()

        def plan(session: Session) -> list[Item]:
            user = current_user(session.connection())
            return recommender.today(session, None if user is None else user.id, today)

        self._ops.write(plan, self._show_suggestions, self._suggestions_failed)

    def _show_suggestions(self, items: list[Item]) -> None:
        self.suggested_status.setText(
            tr("Prioritised by potential, expected response and time since the last contact.")
            if items else tr("No suggestions for today."))
        self.suggested.show_items(items)
        self.suggestions_loaded.emit(len(items))

    def _suggestions_failed(self, error: BaseException) -> None:
        self.suggested_status.setText(tr("Suggestions could not be prepared: {error}",
                                         error=describe(error)))

    def refresh_calls(self) -> None:
        """Read the signed-in user and open calls up to the end of today, off the GUI thread."""
        until = fmt.local_day_end_utc()

        def read(session: Session) -> Day:
            conn = session.connection()
            user = current_user(conn)
            return Day(user, agenda(conn, until=until, owner_id=user.id if user else None))

        self._ops.read(read, self._show, self._failed)

    def _show(self, day: Day) -> None:
        now = dt.datetime.now()
        # A manager's laptop is read-only: no suggestions to accept (the team view is theirs).
        offers = day.user is None or day.user.role != "manager"
        suggestion_widgets: tuple[QWidget, ...] = (self.suggested_title, self.suggested_status,
                                                   self.suggested)
        for widget in suggestion_widgets:
            widget.setVisible(offers)
        rep = day.user is not None and day.user.role == "rep"
        self.leaders.setVisible(rep)
        if rep:
            self.leaders.refresh()  # reads again only if the network or the calls changed
        user_id = day.user.id if day.user else None
        self.tasks.user_id = user_id
        self.tasks.load(lambda session: open_tasks(session.connection(), owner_id=user_id))
        name = first_name(day.user.display_name) if day.user else None
        self.title.setText(greeting(name, now.hour))
        self.date_label.setText(fmt.long_date_text(now.date()))
        drafts = [e for e in day.entries if e.status == "draft"]
        planned = [e for e in day.entries if e.status != "draft"]
        self.drafts.fill(drafts)
        self.planned.fill(planned)
        for widgets, entries in (((self.drafts_title, self.drafts), drafts),
                                 ((self.planned_title, self.planned), planned)):
            for widget in widgets:
                widget.setVisible(bool(entries))
        self.no_calls.setVisible(not day.entries)
        self.content.setCurrentIndex(0)
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.empty.set_text(tr("Today's calls could not be read."), describe(error))
        self.content.setCurrentIndex(1)

    def _activated(self, item: QTreeWidgetItem) -> None:
        call_id, account_id = item.data(0, ID_ROLE)
        self.call_opened.emit(account_id, call_id)
