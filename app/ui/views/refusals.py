"""Changes the server refused: each with its record, what was refused, why, and what to do.

A refusal is as much the rep's business as a conflict: something typed on this laptop did
not become the truth on the server. The server gives its reason in English for logs and
administrators; the rep reads it here in words of their language, with the next step,
never as a code or a raw database message. Keyboard: the list has the focus, Alt+O opens
the record to edit it again, Delete or Alt+D dismisses after reading.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui import format as fmt
from app.ui.operations import describe
from app.ui.views.conflicts import DeleteDismisses, entity_name, field_name, fit_columns

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.refusals import Refusal
    from app.ui.operations import Operations

ID_ROLE = Qt.ItemDataRole.UserRole


def _rules(reason_detail: str = "") -> list[tuple[re.Pattern[str], str, str]]:
    """(the server's reason, what happened, what the rep can do), most specific first."""
    edit_again = tr("Open the record and make the change again if it is still needed, "
                    "then dismiss this.")
    ask = tr("If you think this is wrong, ask your manager; then dismiss this.")
    return [
        # The steward's rules (server/change_requests.py): the server's sentence names the
        # value, as the laptop's dialog does.
        (re.compile(r"change request refused"),
         tr("The server did not take this master-data change request: {reason}",
            reason=reason_detail), tr("Open the account and request the change again with "
                                      "a correct value, then dismiss this.")),
        (re.compile(r"submitted calls are locked"),
         tr("The call had already been submitted (perhaps on another laptop); a submitted "
            "call is never changed."),
         tr("Log a new call for what is missing, then dismiss this.")),
        (re.compile(r"ended presentation sessions are locked"),
         tr("The presentation had already ended on the server; what it recorded is kept "
            "as it was."), tr("Nothing to do: dismiss this after reading.")),
        (re.compile(r"not in your territories|in your own territories"),
         tr("This doctor or institution is not in your territory (any more), so the server "
            "did not take your change."), ask),
        (re.compile(r"read-only access"),
         tr("Your role may read this data but not change it."), ask),
        (re.compile(r"rows of other users"),
         tr("The record belongs to another user; only they can change it."), ask),
        (re.compile(r"deleted on the server meanwhile"),
         tr("The record was deleted on the server meanwhile."), edit_again),
        (re.compile(r"master data|written once and never changed"),
         tr("This kind of record is kept by the server and cannot be changed from a "
            "laptop."), tr("Nothing to do: dismiss this after reading.")),
        (re.compile(r"unknown \w+: the server has not received it|could not store this row"
                    r"|needs:|nothing to delete"),
         tr("The server is missing something this change depends on (a record it never "
            "received)."),
         tr("Sync again (F5); if this stays, tell your support team and dismiss it.")),
        (re.compile(r"medical|inquir|MSL|answer"),
         tr("The rules for medical inquiries do not allow this change."), ask),
    ]


def reason_words(reason: str) -> tuple[str, str]:
    """The server's reason as (what happened, what the rep can do), in the rep's language."""
    for pattern, what, todo in _rules(reason.split(": ", 1)[-1]):
        if pattern.search(reason):
            return what, todo
    return (tr("The server did not accept this change."),
            tr("Open the record, check it and make the change again if it is still needed, "
               "then dismiss this."))


def refused_what(refusal: Refusal) -> str:
    """What was refused: the kind of change and the fields it carried."""
    if refusal.op == "delete":
        return tr("Deleting it")
    names = [field_name(f) for f in refusal.fields if not f.endswith("_id") and f != "id"]
    if not names:
        return tr("Creating or changing it")
    return tr("Changes to: {fields}", fields=", ".join(names[:6])
              + (" …" if len(names) > 6 else ""))


class RefusalsPanel(QWidget):
    """The open refusals; `changed` after one was dismissed, `account_opened` to edit again."""

    changed = Signal()
    loaded = Signal()
    account_opened = Signal(str)
    failed = Signal(str)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.refusals: list[Refusal] = []
        intro = QLabel(tr("The server did not take these changes of yours. Each says why and "
                          "what you can do. They are no longer waiting to be sent."))
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels([tr("When"), tr("Record"), tr("What was refused"),
                                   tr("Why"), tr("What you can do")])
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.list.setAccessibleName(tr("Refused changes"))
        self.list.currentItemChanged.connect(self._selection)
        DeleteDismisses(self.list, self.dismiss)
        self.empty = QLabel(tr("No refused changes: the server took everything you sent."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.open_button = QPushButton(tr("&Open the record"))
        self.open_button.clicked.connect(self.open_record)
        self.dismiss_button = QPushButton(tr("&Dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self._selection()

    def refresh(self) -> None:
        from app.store import refusals

        def read(session: Session) -> list[Refusal]:
            return refusals.listed(session.connection())
        self._ops.read(read, self._show)

    def _show(self, items: list[Refusal]) -> None:
        current = self.current()
        self.refusals = items
        self.list.clear()
        for r in items:
            what, todo = reason_words(r.reason)
            record = f"{entity_name(r.entity)}: {r.label}".rstrip(": ")
            item = QTreeWidgetItem([fmt.datetime_text(r.at), record, refused_what(r), what,
                                    todo])
            item.setData(0, ID_ROLE, r.id)
            for column, tip in ((3, what), (4, todo)):
                item.setToolTip(column, tip)
            self.list.addTopLevelItem(item)
            if current is not None and r.id == current.id:
                self.list.setCurrentItem(item)
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        fit_columns(self.list)
        self.list.setVisible(bool(items))
        self.empty.setVisible(not items)
        self._selection()
        self.loaded.emit()

    def current(self) -> Refusal | None:
        item = self.list.currentItem()
        if item is None:
            return None
        chosen = str(item.data(0, ID_ROLE))
        return next((r for r in self.refusals if r.id == chosen), None)

    def _selection(self, *_args: object) -> None:
        chosen = self.current()
        self.dismiss_button.setEnabled(chosen is not None)
        self.open_button.setEnabled(chosen is not None and chosen.account_id is not None)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def open_record(self) -> None:
        """Go to the record's account to make the change again (it syncs like any edit)."""
        chosen = self.current()
        if chosen is not None and chosen.account_id is not None:
            self.account_opened.emit(chosen.account_id)

    def dismiss(self) -> None:
        """The rep has read it: it leaves the list and the status bar's count."""
        from app.store import refusals

        chosen = self.current()
        if chosen is None:
            return
        self.dismiss_button.setEnabled(False)

        def change(session: Session) -> bool:
            return refusals.dismiss(session.connection(), chosen.id)

        def done(_result: object) -> None:
            self._say(tr("Dismissed."))
            self.changed.emit()
            self.refresh()

        def failed(error: BaseException) -> None:
            text = describe(error)
            self._say(text)
            self._selection()
            self.failed.emit(text)

        self._ops.write(change, done, failed)
