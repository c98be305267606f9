"""The data steward's list: the reps' pending master-data change requests, to accept or
reject with a reason (docs/change-requests.md). Offered only to the `steward` role
(app/ui/roles.py).

Online on purpose: a decision is taken on the server, where the account lives, and reaches
every laptop in scope with its next sync. Each request shows, per field, the value the rep
saw, the one he proposes and the server's value now, so a change someone else made
meanwhile is seen before it is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services import change_requests
from app.services.errors import ValidationError
from app.ui import format as fmt
from app.ui.operations import Operations, describe, run_in_background
from app.ui.parts import muted, page_title
from app.ui.views.account.change_requests import field_label

ID_ROLE = Qt.ItemDataRole.UserRole


def _when(raw: object) -> str:
    try:
        return fmt.datetime_text(dt.datetime.fromisoformat(str(raw)))
    except ValueError:
        return str(raw or "")


def summary(item: dict[str, Any]) -> str:
    changes = item.get("changes") or {}
    return ", ".join(field_label(name) for name in changes)


class ChangeRequestsView(QWidget):
    """The pending requests of every territory; `decided(request_id)` after a decision."""

    decided = Signal(str)
    loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        #: The server's address and client options (set by the window).
        self.server: Callable[[], tuple[str, dict[str, object]]] = lambda: ("", {})
        self._network = QThreadPool(self)
        self._network.setMaxThreadCount(1)
        self.items: list[dict[str, Any]] = []
        title = page_title(tr("Change requests"))
        intro = muted(tr("Reps ask to correct master data. Check each change, then accept "
                         "it (the account changes on every laptop with its next sync) or "
                         "reject it with a reason the rep reads."), wrap=True)
        self.list = QTreeWidget()
        self.list.setAccessibleName(tr("Pending change requests"))
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([tr("Requested"), tr("Account"), tr("Territory"),
                                   tr("By"), tr("Fields")])
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.currentItemChanged.connect(lambda *_: self._selection())
        self.fields = QTreeWidget()
        self.fields.setAccessibleName(tr("Proposed values"))
        self.fields.setRootIsDecorated(False)
        self.fields.setHeaderLabels([tr("Field"), tr("The rep saw"), tr("Proposed"),
                                     tr("On the server now")])
        self.comment = QLabel()
        self.comment.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Reason (needed to reject; the rep reads it)"))
        self.reason.setMaxLength(2000)
        self.accept_button = QPushButton(tr("&Accept"))
        self.accept_button.clicked.connect(lambda: self.decide(True))
        self.reject_button = QPushButton(tr("&Reject"))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.refresh_button = QPushButton(tr("Re&fresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.empty = muted(tr("No pending change requests."))
        self.empty.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        for widget in (title, intro, self.list, self.empty, self.fields, self.comment):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._selection()

    def refresh(self) -> None:
        """Read the pending requests from the server (off the GUI thread)."""
        base_url, options = self.server()
        db = self._ops.db
        run_in_background(self, self._network,
                          lambda: change_requests.pending_online(db, base_url, **options),
                          self._fill, self._failed)

    def _fill(self, items: list[dict[str, Any]]) -> None:
        self.message.hide()
        self.items = items
        self.list.clear()
        for item in items:
            row = QTreeWidgetItem([
                _when(item.get("requested_at")),
                item.get("account_name") or tr("New doctor"), item.get("territory") or "",
                item.get("requested_by") or "", summary(item)])
            row.setData(0, ID_ROLE, item.get("id"))
            self.list.addTopLevelItem(row)
        self.empty.setVisible(not items)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._selection()
        self.loaded.emit()

    def selected(self) -> dict[str, Any] | None:
        row = self.list.currentItem()
        request_id = row.data(0, ID_ROLE) if row is not None else None
        return next((i for i in self.items if i.get("id") == request_id), None)

    def _selection(self) -> None:
        item = self.selected()
        self.fields.clear()
        for name, value in ((item or {}).get("changes") or {}).items():
            self.fields.addTopLevelItem(QTreeWidgetItem([
                field_label(name), str(value.get("old") or "—"), str(value.get("new") or "—"),
                str(value.get("current") or "—")]))
        comment = (item or {}).get("comment")
        self.comment.setText(tr("The rep's comment: {comment}", comment=comment)
                             if comment else "")
        for button in (self.accept_button, self.reject_button):
            button.setEnabled(item is not None)

    def decide(self, accept: bool) -> None:
        item = self.selected()
        if item is None:
            return
        request_id, reason = str(item["id"]), self.reason.text()
        base_url, options = self.server()
        db = self._ops.db

        def done(_answer: dict[str, Any]) -> None:
            self.reason.clear()
            self.decided.emit(request_id)
            self.refresh()

        for button in (self.accept_button, self.reject_button):
            button.setEnabled(False)
        run_in_background(self, self._network, lambda: change_requests.decide_online(
            db, base_url, request_id, accept, reason, **options), done, self._failed)

    def _failed(self, error: BaseException) -> None:
        text = "\n".join(error.errors.values()) if isinstance(error, ValidationError) \
            else describe(error)
        self.message.setText(text)
        self.message.show()
        self._selection()
