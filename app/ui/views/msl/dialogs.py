"""The MSL's two small forms: the answer (with medical notes and the visit or call that gave
it) and the hand-back note for the rep. Each shows its errors beside the field and keeps
what was typed: `submitted` hands the values to the desk, which saves through the services
and then closes the dialog (`saved()`) or shows the errors (`failed()`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.escalations import AnswerForm, channel_text
from app.store.escalations import AnswerChannel
from app.ui.parts import muted
from app.ui.views.account.consent_dialog import error_label


def _text_box(placeholder: str, height: int = 90) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


def show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


class _SavingDialog(QDialog):
    submitted = Signal(object)  # the dialog's value, for the desk to save
    buttons: QDialogButtonBox

    def _submit(self) -> None:
        self.show_errors({})
        self.buttons.setEnabled(False)
        self.submitted.emit(self.value())

    def value(self) -> object:
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> None:
        raise NotImplementedError

    def saved(self) -> None:
        self.accept()

    def failed(self, errors: dict[str, str]) -> None:
        self.buttons.setEnabled(True)
        self.show_errors(errors)

    def reject(self) -> None:
        """Esc while saving would hide the answer: wait for it instead."""
        if self.buttons.isEnabled():
            super().reject()


class AnswerDialog(_SavingDialog):
    """What medical answered: `submitted(AnswerForm)`."""

    def __init__(self, preferred_channel: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Record the answer"))
        self.setMinimumWidth(480)
        self.answer = _text_box(tr("The answer given to the doctor"), 120)
        self.notes = _text_box(tr("Medical notes (stay with medical)"), 60)
        self.channel = QComboBox()
        for value in (c.value for c in AnswerChannel):
            self.channel.addItem(channel_text(value), value)
        self.channel.setCurrentIndex(max(self.channel.findData(preferred_channel), 0))
        self.interaction = QCheckBox(tr("Record the visit or call in the account's history"))
        self.interaction.setChecked(True)
        self.answer_error = error_label()
        self.general_error = error_label()
        form = QFormLayout()
        form.addRow(tr("Answer"), self.answer)
        form.addRow("", self.answer_error)
        form.addRow(tr("Medical notes"), self.notes)
        form.addRow(tr("Answered by"), self.channel)
        form.addRow("", self.interaction)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(tr("The answer and your notes are never sent to a rep's or a "
                                  "manager's laptop."), wrap=True))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def value(self) -> AnswerForm:
        return AnswerForm(self.answer.toPlainText(), self.channel.currentData(),
                          self.notes.toPlainText(), self.interaction.isChecked())

    def show_errors(self, errors: dict[str, str]) -> None:
        show_error(self.answer_error, errors.get("answer", ""))
        show_error(self.general_error, " ".join(m for k, m in errors.items() if k != "answer"))


class HandBackDialog(_SavingDialog):
    """The note the rep reads when the account comes back: `submitted(str)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Hand back to the rep"))
        self.setMinimumWidth(420)
        self.note = _text_box(tr("What happens next, for the rep (no medical content)"))
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def value(self) -> str:
        return self.note.toPlainText()

    def show_errors(self, errors: dict[str, str]) -> None:
        show_error(self.error, " ".join(errors.values()))


class ReassignDialog(_SavingDialog):
    """Another MSL, or the queue: `submitted(user name | None)`. Needs the server."""

    def __init__(self, colleagues: list[tuple[str, str]], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Reassign the inquiry"))
        self.target = QComboBox()
        for username, name in colleagues:
            self.target.addItem(name, username)
        self.target.addItem(tr("Back to the queue"), None)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(tr("Reassigning is done on the server: it needs a connection."),
                               wrap=True))
        layout.addWidget(self.target)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def value(self) -> str | None:
        value = self.target.currentData()
        return value if isinstance(value, str) else None

    def show_errors(self, errors: dict[str, str]) -> None:
        show_error(self.error, " ".join(errors.values()))
