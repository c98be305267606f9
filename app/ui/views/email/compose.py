"""Compose an approved e-mail to one account, offline (docs/email.md).

The rep picks an approved, valid template and a wording (the default or a persona's), and
sees the exact text the doctor will get, rendered by the same function the server sends
with. The only thing to type is the paragraph the template has a slot for; without a slot
the field is not even shown. The e-mail consent and its evidence are shown above the text,
and whatever keeps the e-mail from going (no consent, the cap ...) is said in the rules'
own words beside Send, which stays disabled until nothing does.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.content_format.email import PARAGRAPH_MAX
from app.i18n import tr
from app.services import email as service
from app.services.errors import ValidationError
from app.ui.operations import Operations, describe
from app.ui.parts import muted, section_title


class ComposeDialog(QDialog):
    """Emits `sent` with the new call's id after the e-mail is queued; closes itself then."""

    sent = Signal(str)
    previewed = Signal()

    def __init__(self, ops: Operations, user_id: str | None, account_id: str, name: str,
                 persona: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("E-mail to {name}", name=name))
        self._ops, self._user_id, self._account_id = ops, user_id, account_id
        self._persona = persona
        self._choices: list[service.TemplateChoice] = []
        self._generation = 0

        self.template = QComboBox()
        self.variant = QComboBox()
        self.to = QLabel()
        self.consent = muted(wrap=True)
        self.paragraph = QPlainTextEdit()
        self.paragraph.setPlaceholderText(
            tr("A few words of your own (no links), at most {n} characters", n=PARAGRAPH_MAX))
        self.paragraph.setFixedHeight(80)
        self.paragraph_label = QLabel(tr("Your paragraph"))
        self.subject = QLabel()
        self.subject.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setMinimumHeight(220)
        self.problems = QLabel()
        self.problems.setObjectName("fieldError")
        self.problems.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send = self.buttons.addButton(tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.send.setEnabled(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(tr("To"), self.to)
        form.addRow(tr("Template"), self.template)
        form.addRow(tr("Wording"), self.variant)
        form.addRow(self.paragraph_label, self.paragraph)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(section_title(tr("Approved e-mail")))
        layout.addWidget(self.consent)
        layout.addLayout(form)
        layout.addWidget(muted(tr("What the doctor gets")))
        layout.addWidget(self.subject)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        # Typing waits for a pause before the text is rendered again.
        self._typing = QTimer(self, singleShot=True, interval=250)
        self._typing.timeout.connect(self.refresh)
        self.paragraph.textChanged.connect(self._typing.start)
        self.template.currentIndexChanged.connect(self._template_changed)
        self.variant.currentIndexChanged.connect(self.refresh)
        self._ops.read(lambda s: service.templates_for(s, dt.date.today()), self._fill,
                       self._failed)

    def _fill(self, choices: list[service.TemplateChoice]) -> None:
        self._choices = choices
        self.template.blockSignals(True)
        for choice in choices:
            self.template.addItem(choice.subject, choice.id)
        self.template.blockSignals(False)
        if not choices:
            self.problems.setText(tr("No approved e-mail template is valid today."))
        self._template_changed()

    def _template_changed(self) -> None:
        choice = next((c for c in self._choices if c.id == self.template.currentData()), None)
        self.variant.blockSignals(True)
        self.variant.clear()
        self.variant.addItem(tr("Standard"), None)
        for name in choice.variants if choice else ():
            self.variant.addItem(name.replace("_", " "), name)
        if self._persona is not None and self.variant.findData(self._persona) >= 0:
            self.variant.setCurrentIndex(self.variant.findData(self._persona))
        self.variant.setEnabled(self.variant.count() > 1)
        self.variant.blockSignals(False)
        slot = bool(choice and choice.has_slot)
        self.paragraph.setVisible(slot)
        self.paragraph_label.setVisible(slot)
        if not slot:
            self.paragraph.blockSignals(True)
            self.paragraph.clear()
            self.paragraph.blockSignals(False)
        self.refresh()

    def _values(self) -> tuple[str | None, str | None, str]:
        return (self.template.currentData(), self.variant.currentData(),
                self.paragraph.toPlainText())

    def refresh(self) -> None:
        """Render the text again (a read off the GUI thread); the newest answer wins."""
        self._generation += 1
        generation = self._generation
        template, variant, paragraph = self._values()
        account = self._account_id

        def read(session: Session) -> service.Preview:
            return service.preview(session, account, template, variant, paragraph)

        self._ops.read(read, lambda p: self._show(generation, p), self._failed)

    def _show(self, generation: int, preview: service.Preview) -> None:
        if generation != self._generation:
            return
        self.to.setText(preview.to or "—")
        self.consent.setText(preview.consent.words())
        self.subject.setText(preview.subject)
        self.text.setPlainText(preview.text)
        self.problems.setText(" ".join(dict.fromkeys(preview.errors.values())))
        self.send.setEnabled(not preview.errors)
        self.previewed.emit()

    def submit(self) -> None:
        template, variant, paragraph = self._values()
        if template is None:
            return
        user, account = self._user_id, self._account_id
        self.buttons.setEnabled(False)
        self._ops.write(lambda s: service.send_email(s, user, account, template, variant,
                                                     paragraph), self._done, self._failed)

    def reject(self) -> None:
        """Esc while sending would hide the answer: wait for it instead."""
        if not self.buttons.isEnabled():
            return
        super().reject()

    def _done(self, call_id: str) -> None:
        self.sent.emit(call_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self.problems.setText(" ".join(dict.fromkeys(error.errors.values())))
            self.send.setEnabled(False)
        else:
            self.problems.setText(describe(error))
