"""The rep's master-data change requests on the account: "Request a change…" and the state of
each request (docs/change-requests.md).

The account's name, address and specialty are the server's: the rep cannot overwrite them,
so he asks the data steward. The dialog lists the master-data fields with the values the
laptop holds; what he changes is saved offline and sent with the next sync. The card below
shows each request with its state (pending, accepted, rejected with the steward's reason,
withdrawn, or refused by the server with its words), and withdraws a pending one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import master_data
from app.i18n import tr
from app.services import change_requests
from app.services.change_requests import RequestLine
from app.services.errors import ValidationError
from app.store.reference import Specialty
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.parts import Card, muted
from app.ui.views.account.consent_dialog import error_label

ID_ROLE = Qt.ItemDataRole.UserRole


def field_label(name: str) -> str:
    return {"title": tr("Title"), "first_name": tr("First name"),
            "last_name": tr("Last name"), "name": tr("Name"),
            "specialty_id": tr("Specialty"), "email": tr("E-mail"), "phone": tr("Phone"),
            "line1": tr("Street"), "line2": tr("Address line 2"),
            "postcode": tr("Postcode"), "city": tr("City")}.get(name, name)


def status_text(line: RequestLine) -> str:
    if line.refused:
        return tr("Refused by the server")
    return {"pending": tr("Pending"), "accepted": tr("Accepted"), "rejected": tr("Rejected"),
            "withdrawn": tr("Withdrawn by the rep")}.get(line.status, line.status)


@dataclass(frozen=True)
class Form:
    """What the dialog shows: the values the laptop holds and the specialties to pick."""

    current: dict[str, str | None]
    specialties: list[tuple[str, str]]  # (id, name)


def read_form(session: Session, account_id: str | None, lang: str) -> Form:
    """The account's values (none for a new doctor) and the specialties to pick from."""
    name = Specialty.name_de if lang == "de" else Specialty.name_en
    specialties = [(r.id, r.name) for r in session.execute(
        select(Specialty.id, name.label("name")).where(Specialty.deleted.is_(False))
        .order_by(name))]
    current = change_requests.current_values(session, account_id) if account_id else {}
    return Form(current, specialties)


class ChangeRequestDialog(QDialog):
    """Modeless; `saved(request_id)` once the request is on the laptop. Without an account,
    it requests a new doctor (in the rep's territory)."""

    saved = Signal(str)

    def __init__(self, ops: Operations, user_id: str | None, account_id: str | None,
                 lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._user_id, self._account_id = ops, user_id, account_id
        self.form_data: Form | None = None
        self.setMinimumWidth(540)
        if account_id is None:
            self.setWindowTitle(tr("Request a new doctor"))
            intro = muted(tr("A doctor who is not in your accounts yet: the data steward "
                             "checks and adds them with the next sync, in your territory."),
                          wrap=True)
        else:
            self.setWindowTitle(tr("Request a change of master data"))
            intro = muted(tr("Name, address and specialty are kept by the data steward. "
                             "Change what is wrong; the steward gets the request with the "
                             "next sync and decides. You see the decision on this account."),
                          wrap=True)
        self.edits: dict[str, QLineEdit] = {}
        self.specialty = QComboBox()
        self.errors = {name: error_label() for name in (*master_data.FIELDS, "comment", "")}
        form = QFormLayout()
        for name in master_data.FIELDS:
            widget: QWidget
            if name == "specialty_id":
                widget = self.specialty
            else:
                edit = QLineEdit()
                edit.setMaxLength(master_data.FIELDS[name] * 2)  # the rule says the limit
                self.edits[name] = edit
                widget = edit
            form.addRow(field_label(name), widget)
            form.addRow("", self.errors[name])
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(tr("Why: what you learned, and from whom"))
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(80)
        form.addRow(tr("Comment"), self.comment)
        form.addRow("", self.errors["comment"])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("Send request"))
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)  # until the current values are read
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors[""])
        layout.addWidget(self.buttons)
        ops.read(lambda session: read_form(session, account_id, lang), self._fill,
                 lambda error: self.show_errors({"": describe(error)}))

    def _fill(self, data: Form) -> None:
        self.form_data = data
        for name, edit in self.edits.items():
            value = data.current.get(name) or ""
            edit.setText(value)
            edit.setToolTip(tr("Now: {value}", value=value or "—"))
        self.specialty.addItem(tr("(none)"), None)
        for specialty_id, name in data.specialties:
            self.specialty.addItem(name, specialty_id)
        index = self.specialty.findData(data.current.get("specialty_id"))
        self.specialty.setCurrentIndex(max(index, 0))
        self.save_button.setEnabled(True)

    def changes(self) -> dict[str, str | None]:
        """The fields whose value differs from what the laptop holds."""
        current = self.form_data.current if self.form_data else {}
        typed: dict[str, str | None] = {
            name: edit.text().strip() or None for name, edit in self.edits.items()}
        typed["specialty_id"] = self.specialty.currentData()
        return {name: value for name, value in typed.items()
                if value != (current.get(name) or None)}

    def save(self) -> None:
        self.show_errors({})
        changes, comment = self.changes(), self.comment.toPlainText()
        user_id, account_id = self._user_id, self._account_id
        self.buttons.setEnabled(False)
        if account_id is None:
            self._ops.write(lambda session: change_requests.propose_new_doctor(
                session, user_id, None, changes, comment), self._done, self._failed)
            return
        self._ops.write(lambda session: change_requests.propose_change(
            session, user_id, account_id, changes, comment), self._done, self._failed)

    def _done(self, request_id: str) -> None:
        self.saved.emit(request_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            self.show_errors({"": describe(error)})

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            text = errors.get(name, "")
            label.setText(text)
            label.setVisible(bool(text))
        unplaced = [t for n, t in errors.items() if n not in self.errors]
        if unplaced:
            self.errors[""].setText("\n".join(unplaced))
            self.errors[""].show()


def describe_changes(line: RequestLine) -> str:
    return "; ".join(tr("{field}: {old} → {new}", field=field_label(name),
                        old=old or "—", new=new or "—")
                     for name, (old, new) in line.changes.items())


class ChangeRequestsCard(Card):
    """The account's change requests and "Request a change…"; `changed` after a write."""

    changed = Signal()

    def __init__(self, ops: Operations, language: str) -> None:
        super().__init__(tr("Master data"))
        self._ops, self._language = ops, language
        self.account_id: str | None = None
        self.user_id: str | None = None
        self.lines: list[RequestLine] = []
        self.dialog: ChangeRequestDialog | None = None
        self.request = QPushButton(icon("edit"), tr("Request a change…"))
        self.request.setToolTip(tr("Ask the data steward to correct the name, address or "
                                   "specialty"))
        self.request.clicked.connect(self.open_dialog)
        self.request.hide()  # offered to reps only (app/ui/roles.py)
        self.list = QTreeWidget()
        self.list.setAccessibleName(tr("Change requests"))
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setHeaderLabels([tr("Requested"), tr("State"), tr("Change")])
        self.list.setMaximumHeight(self.fontMetrics().height() * 9)
        self.list.currentItemChanged.connect(lambda *_: self._selection())
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.withdraw_button = QPushButton(tr("&Withdraw the request"))
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.withdraw_button.hide()
        self.none = muted(tr("No change requests for this account."))
        for widget in (self.request, self.list, self.detail, self.withdraw_button, self.none):
            self.body.addWidget(widget)

    def set_can_request(self, can: bool) -> None:
        self.request.setVisible(can)

    def show_account(self, account_id: str, user_id: str | None) -> None:
        self.account_id, self.user_id = account_id, user_id
        self._ops.read(lambda session: change_requests.of_account(session, account_id,
                                                                  user_id),
                       lambda lines: self._fill(account_id, lines))

    def _fill(self, account_id: str, lines: list[RequestLine]) -> None:
        if account_id != self.account_id:
            return
        self.lines = lines
        self.list.clear()
        for line in lines:
            item = QTreeWidgetItem([fmt.datetime_text(line.requested_at), status_text(line),
                                    describe_changes(line)])
            item.setData(0, ID_ROLE, line.id)
            item.setToolTip(2, describe_changes(line))
            self.list.addTopLevelItem(item)
        self.list.setVisible(bool(lines))
        self.none.setVisible(not lines)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._selection()

    def selected(self) -> RequestLine | None:
        item = self.list.currentItem()
        request_id = item.data(0, ID_ROLE) if item is not None else None
        return next((line for line in self.lines if line.id == request_id), None)

    def _selection(self) -> None:
        line = self.selected()
        self.detail.setText(self.detail_text(line) if line else "")
        self.detail.setVisible(line is not None)
        self.withdraw_button.setVisible(line is not None and line.mine and not line.refused
                                        and line.status == "pending"
                                        and self.request.isVisibleTo(self))

    @staticmethod
    def detail_text(line: RequestLine) -> str:
        parts = [describe_changes(line)]
        if line.refused:
            parts.append(tr("The server refused it: {reason}", reason=line.refused))
        elif line.status == "rejected":
            parts.append(tr("Rejected: {reason}", reason=line.reason or "—"))
        elif line.status == "accepted":
            parts.append(tr("Accepted: the new values come with the sync."))
        elif line.status == "pending":
            parts.append(tr("Waiting for the data steward."))
        return "\n".join(parts)

    def open_dialog(self) -> ChangeRequestDialog | None:
        """Open "Request a change…" (modeless; returned for tests)."""
        if self.account_id is None:
            return None
        dialog = ChangeRequestDialog(self._ops, self.user_id, self.account_id, self._language,
                                     self)
        dialog.saved.connect(lambda _id: self._written())
        dialog.open()
        self.dialog = dialog
        return dialog

    def withdraw_selected(self) -> None:
        line, user_id = self.selected(), self.user_id
        if line is None:
            return
        self._ops.write(lambda session: change_requests.withdraw(session, user_id, line.id),
                        lambda _none: self._written(),
                        lambda error: self.detail.setText(describe(error)))

    def _written(self) -> None:
        self.changed.emit()
        if self.account_id is not None:
            self.show_account(self.account_id, self.user_id)
