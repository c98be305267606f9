"""The conflicts of past syncs: what the server kept, what lost, and one action to settle each.

A conflict happens when the rep and someone else (or the rep on another laptop) changed the
same field before either synced. The server keeps one value by its rule; the other must not
vanish silently. Here the rep reads both side by side and either reapplies the lost value
(a normal edit that syncs) or dismisses the conflict. Keyboard: the list has the focus,
Alt+R reapplies, Delete or Alt+D dismisses, Esc closes.

A sibling tab lists the changes the server refused (app/ui/views/refusals.py): both are
"what I typed did not become the truth", so the rep finds them in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui import format as fmt
from app.ui.operations import describe

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.conflicts import Conflict
    from app.ui.operations import Operations

ID_ROLE = Qt.ItemDataRole.UserRole
MAX_COLUMN_WIDTH = 240


def fit_columns(tree: QTreeWidget) -> None:
    """Each column as wide as its contents, up to MAX_COLUMN_WIDTH: a long note or reason is
    elided, its whole text in the tooltip."""
    for column in range(tree.columnCount()):
        tree.resizeColumnToContents(column)
        tree.setColumnWidth(column, min(tree.columnWidth(column), MAX_COLUMN_WIDTH))


class DeleteDismisses(QObject):
    """Delete on a list dismisses its current entry (the conflicts and the refused changes)."""

    def __init__(self, tree: QTreeWidget, dismiss: Callable[[], None]) -> None:
        super().__init__(tree)
        self._dismiss = dismiss
        tree.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Delete):
            self._dismiss()
            return True
        return super().eventFilter(watched, event)


def entity_name(entity: str) -> str:
    return {
        "accounts": tr("Account"), "addresses": tr("Address"),
        "channel_consents": tr("Consent and preference"), "external_ids": tr("External id"),
        "affiliations": tr("Affiliation"), "interactions": tr("Call"), "tasks": tr("Task"),
        "attendees": tr("Attendee"), "samples": tr("Sample"),
        "discussed_products": tr("Discussed product"),
        "discussed_key_messages": tr("Key message reaction"),
        "change_requests": tr("Change request"),
    }.get(entity, entity)


def field_name(field: str) -> str:
    return {
        "notes": tr("Notes"), "phone": tr("Phone"), "email": tr("E-mail"),
        "segment": tr("Segment"), "potential": tr("Potential"), "name": tr("Name"),
        "title": tr("Title"), "first_name": tr("First name"), "last_name": tr("Last name"),
        "preferred_contact_time": tr("Preferred contact time"),
        "preferred_language": tr("Preferred language"), "consent": tr("Consent"),
        "consent_date": tr("Consent date"), "preferred": tr("Preferred"),
        "preference_rank": tr("Preference rank"), "subject": tr("Subject"),
        "status": tr("Status"), "due_date": tr("Due date"), "line1": tr("Street"),
        "postcode": tr("Postcode"), "city": tr("City"), "follow_up": tr("Follow-up"),
        "follow_up_date": tr("Follow-up date"), "duration_min": tr("Duration (min)"),
        "start_at": tr("Date and time"), "channel": tr("Channel"),
        "not_received": tr("Not received"),
    }.get(field, field)


def value_text(value: Any) -> str:
    """A field value as the rep reads it."""
    if value is None or value == "":
        return tr("(empty)")
    if isinstance(value, bool):
        return tr("Yes") if value else tr("No")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return fmt.date_text(moment.date()) if len(value) == 10 else fmt.datetime_text(moment)
    return str(value)


class ConflictsDialog(QDialog):
    """Lists the open conflicts; `changed` after one was reapplied or dismissed."""

    changed = Signal()
    loaded = Signal()
    #: A settle action failed: the message in words.
    failed = Signal(str)
    #: "Open the record" of a refused change: the account to show.
    account_opened = Signal(str)

    def __init__(self, ops: Operations, user_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.ui.views.refusals import RefusalsPanel

        self.setWindowTitle(tr("Sync conflicts and refused changes"))
        self.resize(1080, 440)
        self._ops = ops
        self._user_id = user_id
        self.conflicts: list[Conflict] = []
        intro = QLabel(tr("You and someone else changed the same field before either of you "
                          "synced. The server kept one value; the other is shown here so "
                          "nothing is lost. Reapply the lost value to make it the current "
                          "one (it syncs like any edit), or dismiss the conflict."))
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Where the lost value came from is short and decides what to do: it comes second,
        # never behind the long values where it needed scrolling to.
        self.list.setHeaderLabels([tr("When"), tr("Lost value came from"), tr("Record"),
                                   tr("Field"), tr("Kept by the server"), tr("Lost value")])
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.list.header().setStretchLastSection(True)
        self.list.setAccessibleName(tr("Sync conflicts"))
        self.list.currentItemChanged.connect(self._selection)
        self.empty = QLabel(tr("No conflicts: every change of yours is on the server."))
        # In the list's place, at its top: not floating in the middle of the dialog.
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(0, 24, 0, 0)
        self.empty.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.reapply_button = QPushButton(tr("&Reapply the lost value"))
        self.reapply_button.clicked.connect(self.reapply)
        self.dismiss_button = QPushButton(tr("&Dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss)
        DeleteDismisses(self.list, self.dismiss)
        actions = QHBoxLayout()
        actions.addWidget(self.reapply_button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self.refused = RefusalsPanel(ops)
        self.refused.changed.connect(self.changed)
        self.refused.account_opened.connect(self.account_opened)
        self.refused.account_opened.connect(lambda _account: self.accept())  # go there
        self.refused.loaded.connect(self._name_tabs)
        self.tabs = QTabWidget()
        self.tabs.addTab(page, tr("Conflicts"))
        self.tabs.addTab(self.refused, tr("Refused changes"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(buttons)
        self._selection()
        self.refresh()
        self.refused.refresh()

    def show_refusals(self) -> None:
        """Open on the refused changes (the status bar's count of them was clicked)."""
        self.tabs.setCurrentWidget(self.refused)
        self.refused.list.setFocus()

    def _name_tabs(self) -> None:
        self.tabs.setTabText(0, fmt.count_text(len(self.conflicts), tr("1 conflict"),
                                               tr("{count} conflicts")))
        self.tabs.setTabText(1, fmt.count_text(len(self.refused.refusals),
                                               tr("1 refused change"),
                                               tr("{count} refused changes")))

    def refresh(self) -> None:
        from app.store import conflicts

        def read(session: Session) -> list[Conflict]:
            return conflicts.listed(session.connection())
        self._ops.read(read, self._show)

    def _show(self, items: list[Conflict]) -> None:
        from app.store.conflicts import MINE

        current = self.current_id()
        self.conflicts = items
        self.list.clear()
        for c in items:
            item = QTreeWidgetItem([
                fmt.datetime_text(c.at),
                tr("another device") if c.kept == MINE else tr("this laptop"),
                f"{entity_name(c.entity)}: {c.label}".rstrip(": "),
                field_name(c.field), value_text(c.winning), value_text(c.losing)])
            item.setData(0, ID_ROLE, c.id)
            item.setToolTip(5, value_text(c.losing))
            item.setToolTip(4, value_text(c.winning))
            self.list.addTopLevelItem(item)
            if c.id == current:
                self.list.setCurrentItem(item)
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        fit_columns(self.list)
        self.list.setVisible(bool(items))
        self.empty.setVisible(not items)
        self.reapply_button.setVisible(bool(items))
        self.dismiss_button.setVisible(bool(items))
        self._selection()
        self._name_tabs()
        if self.tabs.currentIndex() == 0:
            self.list.setFocus()
        self.loaded.emit()

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(0, ID_ROLE))

    def _selection(self, *_args: object) -> None:
        chosen = self.current_id() is not None
        self.reapply_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def reapply(self) -> None:
        """Make the lost value of the selected conflict the current one (it syncs)."""
        from app.services import conflicts

        conflict_id, user_id = self.current_id(), self._user_id
        if conflict_id is None:
            return
        self._settle(lambda s: conflicts.reapply(s, user_id, conflict_id),
                     tr("The lost value is back; it goes to the server with the next sync."))

    def dismiss(self) -> None:
        """Keep what the server kept; the conflict leaves the list."""
        from app.services import conflicts

        conflict_id = self.current_id()
        if conflict_id is None:
            return
        self._settle(lambda s: conflicts.dismiss(s, conflict_id), tr("Conflict dismissed."))

    def _settle(self, change: Any, done_text: str) -> None:
        self.reapply_button.setEnabled(False)
        self.dismiss_button.setEnabled(False)

        def done(_result: object) -> None:
            self._say(done_text)
            self.changed.emit()
            self.refresh()

        def failed(error: BaseException) -> None:
            text = describe(error)
            self._say(text)
            self._selection()
            self.failed.emit(text)

        self._ops.write(change, done, failed)
