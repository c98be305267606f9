"""The rep's escalation of a doctor's medical question to an MSL, from the account screen
or the call report. Works offline: it is saved on the laptop and sent with the next sync.

The products offered are the ones the account may be detailed on (the service checks
again). Each error appears beside its field and nothing is saved; what the rep typed stays
in the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
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
from app.services.errors import ValidationError
from app.services.escalations import (
    ANSWER_CHANNELS,
    EscalationForm,
    channel_text,
    escalate,
    urgency_text,
)
from app.store.catalog import account_header, promotable_products
from app.store.escalations import AnswerChannel, Urgency
from app.store.interactions import DiscussedProduct
from app.ui.operations import Operations, describe
from app.ui.parts import muted
from app.ui.views.account.consent_dialog import error_label


@dataclass(frozen=True)
class Choices:
    account_name: str
    products: list[tuple[str, str]]  # (id, name)
    discussed: str | None = None  # the call's first product: what the question is likely about


def read_choices(session: Session, account_id: str, call_id: str | None = None) -> Choices:
    header = account_header(session, account_id)
    products = promotable_products(session, header.territory_id) if header else []
    discussed = None
    if call_id is not None:
        discussed = session.execute(
            select(DiscussedProduct.product_id)
            .where(DiscussedProduct.interaction_id == call_id,
                   DiscussedProduct.deleted.is_(False))
            .order_by(DiscussedProduct.position).limit(1)).scalar()
    return Choices(header.name if header else "",
                   [(p.id, p.name) for p in products if p.promotable], discussed)


class EscalationDialog(QDialog):
    """Modeless; `saved(inquiry_id)` once the inquiry is on the laptop."""

    saved = Signal(str)

    def __init__(self, ops: Operations, user_id: str | None, account_id: str,
                 call_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._user_id = ops, user_id
        self._account_id, self._call_id = account_id, call_id
        self.setWindowTitle(tr("Escalate a medical question"))
        self.setMinimumWidth(520)
        self.intro = muted(tr("The doctor asked something only medical may answer. Medical "
                              "gets it with the next sync; you will see when it is answered, "
                              "not what was answered."), wrap=True)
        self.question = QPlainTextEdit()
        self.question.setPlaceholderText(tr("The question in the doctor's own words"))
        self.question.setTabChangesFocus(True)
        self.question.setMinimumHeight(110)
        self.product = QComboBox()
        self.urgency = QComboBox()
        for value in (u.value for u in Urgency):
            self.urgency.addItem(urgency_text(value), value)
        self.channel = QComboBox()
        for value in (c.value for c in AnswerChannel):
            assert value in ANSWER_CHANNELS
            self.channel.addItem(channel_text(value), value)
        self.consent = QCheckBox(tr("The doctor agrees to be contacted by medical"))
        self.unsolicited = QCheckBox(tr("Unsolicited: the doctor asked without prompting"))
        self.unsolicited.setChecked(True)
        self.errors = {name: error_label() for name in
                       ("question", "product_id", "urgency", "answer_channel",
                        "consent_to_contact", "")}
        form = QFormLayout()
        form.addRow(tr("Question"), self.question)
        form.addRow("", self.errors["question"])
        form.addRow(tr("Product"), self.product)
        form.addRow("", self.errors["product_id"])
        form.addRow(tr("Urgency"), self.urgency)
        form.addRow(tr("Answer by"), self.channel)
        form.addRow("", self.consent)
        form.addRow("", self.errors["consent_to_contact"])
        form.addRow("", self.unsolicited)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("Escalate"))
        # Enter escalates from any field but the question (where it starts a new line);
        # Ctrl+Return escalates from anywhere, as it submits a call report.
        self.save_button.setDefault(True)
        self.save_button.setToolTip(tr("Enter or Ctrl+Return"))
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save_button.click)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save_button.click)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.errors[""])
        layout.addWidget(self.buttons)
        self.question.setFocus(Qt.FocusReason.OtherFocusReason)
        self._ops.read(lambda session: read_choices(session, account_id, call_id), self._fill,
                       lambda error: self.show_errors({"": describe(error)}))

    def _fill(self, choices: Choices) -> None:
        self.setWindowTitle(tr("Escalate a medical question: {name}",
                               name=choices.account_name))
        self.product.addItem(tr("Choose a product…"), None)
        for product_id, name in choices.products:
            self.product.addItem(name, product_id)
        known = [product_id for product_id, _name in choices.products]
        if choices.discussed in known:
            self.product.setCurrentIndex(known.index(choices.discussed) + 1)
        elif len(choices.products) == 1:
            self.product.setCurrentIndex(1)

    def form(self) -> EscalationForm:
        return EscalationForm(
            account_id=self._account_id, product_id=self.product.currentData(),
            question=self.question.toPlainText(), urgency=self.urgency.currentData(),
            answer_channel=self.channel.currentData(),
            consent_to_contact=self.consent.isChecked(),
            unsolicited=self.unsolicited.isChecked(), call_id=self._call_id)

    def save(self) -> None:
        self.show_errors({})
        form, user_id = self.form(), self._user_id
        self.buttons.setEnabled(False)
        self._ops.write(lambda session: escalate(session, user_id, form), self._done,
                        self._failed)

    def reject(self) -> None:
        """Esc or Cancel while saving would hide the answer: wait for it instead."""
        if not self.buttons.isEnabled():
            return
        super().reject()

    def _done(self, inquiry_id: str) -> None:
        self.saved.emit(inquiry_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.show_errors(error.errors if isinstance(error, ValidationError)
                         else {"": describe(error)})

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            message = errors.get(name, "")
            if name == "" and not message:
                message = " ".join(m for k, m in errors.items() if k not in self.errors)
            label.setText(message)
            label.setVisible(bool(message))


def error_text(label: QLabel) -> str:
    """What an error label says while shown (tests and screenshots read it)."""
    return label.text() if not label.isHidden() else ""
