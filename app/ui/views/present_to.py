"""Whom an e-detail is shown to, and whether it may be recorded with that doctor's name.

Presenting from the Library used to start without a doctor and end with nothing the rep
could see. `AudiencePicker` asks first: a doctor found by name (the capture then opens
that doctor's call report at the end) or, said plainly, "anonymous, not tied to a doctor".

`TrackingQuestion` asks the doctor's consent to recording the e-detail with their name
when it was never asked (only an explicit "E-detailing tracking" consent counts, see
app/edetail/capture.py), and records the answer like the consent dialog does, so it is
asked once and the rep sees what will be used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.edetail.capture import TRACKING_CHANNEL, tracking_state
from app.i18n import tr
from app.services.accounts import set_consent
from app.store.accounts import Account
from app.store.base import AccountKind, ConsentState
from app.store.queries import AccountFilter, search_accounts
from app.ui.operations import Operations, describe
from app.ui.parts import muted

ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_DELAY_MS = 150
MAX_HITS = 50


class AudiencePicker(QDialog):
    """"Present to whom?": `chosen(account id)`, or `chosen(None)` for anonymous."""

    chosen = Signal(object)
    listed = Signal()  # a search's hits are shown (tests wait for it)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._generation = 0
        self.setWindowTitle(tr("Present an e-detail"))
        self.setMinimumSize(460, 380)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("The doctor's name, city or LANR"))
        self.search.setClearButtonEnabled(True)
        self.hits = QListWidget()
        self.hits.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.present_button = buttons.addButton(tr("&Present to this doctor"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.present_button.setEnabled(False)
        self.anonymous_button = QPushButton(tr("Present &anonymously, not tied to a doctor"))
        self.anonymous_button.setToolTip(tr("Nothing of this showing is recorded with a "
                                            "doctor's name, and no call report follows."))
        buttons.addButton(self.anonymous_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.anonymous_button.clicked.connect(self.present_anonymously)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        label = QLabel(tr("&Whom are you presenting to?"))
        label.setBuddy(self.search)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.hits, 1)
        layout.addWidget(muted(tr("With a doctor, the call report opens with what was shown "
                                  "once you end the presentation."), wrap=True))
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._look_up)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.hits.currentItemChanged.connect(
            lambda item, _old: self.present_button.setEnabled(item is not None))
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presents to the doctor selected (never Cancel, whichever button Qt made
        the default); Down from the search field walks the hits, as in the accounts list."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        if key == Qt.Key.Key_Down and self.search.hasFocus() and self.hits.count():
            self.hits.setFocus()
            self.hits.setCurrentRow(0)
            return
        super().keyPressEvent(event)

    def _look_up(self) -> None:
        self._generation += 1
        generation, typed = self._generation, self.search.text()
        if not typed.strip():
            self._show(generation, [])
            return

        def read(session: Session) -> list[tuple[str, str]]:
            rows = search_accounts(session.connection(), AccountFilter(text=typed),
                                   limit=MAX_HITS)
            return [(r.id, " · ".join(p for p in (r.name, r.specialty, r.city) if p))
                    for r in rows if r.kind == AccountKind.HCP.value]

        self._ops.read(read, lambda hits: self._show(generation, hits))

    def _show(self, generation: int, hits: list[tuple[str, str]]) -> None:
        if generation != self._generation:
            return  # an older search answered late
        self.hits.clear()
        for account_id, text in hits:
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, account_id)
            self.hits.addItem(item)
        if hits:
            self.hits.setCurrentRow(0)
        self.present_button.setEnabled(bool(hits))
        self.listed.emit()

    def accept(self) -> None:
        item = self.hits.currentItem()
        if item is None:
            return
        super().accept()
        self.chosen.emit(item.data(ID_ROLE))

    def present_anonymously(self) -> None:
        super().accept()
        self.chosen.emit(None)


@dataclass(frozen=True)
class Tracking:
    """A doctor's name and their consent to recording e-details with it (None: never
    asked)."""

    name: str
    state: str | None


def read_tracking(session: Session, account_id: str) -> Tracking:
    account = session.get(Account, account_id)
    return Tracking(account.name if account is not None else "",
                    tracking_state(session, account_id))


def recording_text(name: str | None, tracked: bool) -> str:
    """What the presenter shows the rep: whose name the capture carries, if any."""
    if name and tracked:
        return tr("Recorded with {name}'s name", name=name)
    if name:
        return tr("Recorded anonymously: {name} has not agreed to tracking", name=name)
    return tr("Recorded anonymously, not tied to a doctor")


class TrackingQuestion(QDialog):
    """Asks the doctor's consent to e-detail tracking and records it; `answered(tracked)`."""

    answered = Signal(bool)

    def __init__(self, ops: Operations, user_id: str | None, account_id: str, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._user_id, self._account_id = ops, user_id, account_id
        self.setWindowTitle(tr("E-detailing tracking"))
        text = QLabel(tr("{name} was never asked whether e-details may be recorded with their "
                         "name (slides seen, reactions, answers). Please ask now: does the "
                         "doctor agree?", name=name))
        text.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.agree = self.buttons.addButton(tr("&Agrees: record with the name"),
                                            QDialogButtonBox.ButtonRole.ActionRole)
        self.decline = self.buttons.addButton(tr("&Declines: record anonymously"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.agree.clicked.connect(lambda: self._record(True))
        self.decline.clicked.connect(lambda: self._record(False))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(muted(tr("The answer is kept as the doctor's consent to "
                                  "“E-detailing tracking”; it can be changed under "
                                  "Consent on the account."), wrap=True))
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def _record(self, agrees: bool) -> None:
        self.buttons.setEnabled(False)
        state = ConsentState.GRANTED.value if agrees else ConsentState.WITHDRAWN.value
        user_id, account_id, today = self._user_id, self._account_id, dt.date.today()

        def write(session: Session) -> None:
            set_consent(session, user_id, account_id, TRACKING_CHANNEL, state, today)

        self._ops.write(write, lambda _none: self._done(agrees), self._failed)

    def reject(self) -> None:
        """Esc while the answer is written would hide whether it was kept: wait instead."""
        if self.buttons.isEnabled():
            super().reject()

    def _done(self, agrees: bool) -> None:
        self.accept()
        self.answered.emit(agrees)

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(describe(error))
        self.error.show()
