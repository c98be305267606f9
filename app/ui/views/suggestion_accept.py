"""Accepting a suggested visit: the slot proposed, changed in the same step if it does not
suit, or the doctor's call already planned that the suggestion joins.

One dialog, Enter plans: day and time (local) start at the next free working slot
(app/services/visit_slots.py), the channel at the suggestion's.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.visit_slots import Proposal
from app.ui import format as fmt
from app.ui.parts import muted

#: Channels a visit can be planned on (an e-mail or an event is not a visit).
VISIT_CHANNELS = ("in_person", "phone", "video")


def short_format() -> str:
    """The locale's short date and time, as the date edit shows them."""
    locale = QLocale()
    return (locale.dateFormat(QLocale.FormatType.ShortFormat) + " "
            + locale.timeFormat(QLocale.FormatType.ShortFormat))


class AcceptVisitDialog(QDialog):
    """`chosen(start local or None when joining the planned call, channel)`."""

    chosen = Signal(object, str)

    def __init__(self, account_name: str, channel: str, proposal: Proposal,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._joins = proposal.existing_id is not None
        self.setWindowTitle(tr("Plan the visit: {name}", name=account_name))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(short_format())
        start = proposal.start
        self.when.setDateTime(QDateTime(QDate(start.year, start.month, start.day),
                                        QTime(start.hour, start.minute)))
        self.channel = QComboBox()
        for value in VISIT_CHANNELS:
            self.channel.addItem(fmt.channel_name(value), value)
        self.channel.setCurrentIndex(max(self.channel.findData(channel), 0))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.plan_button = buttons.addButton(
            tr("&Accept") if self._joins else tr("&Plan the visit"),
            QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if self._joins:
            self.note = QLabel(tr("{name} already has a call planned for {when}. Accepting "
                                  "adds the suggestion to it; no second visit is planned.",
                                  name=account_name, when=fmt.datetime_text(proposal.start)))
            self.note.setWordWrap(True)
            layout.addWidget(self.note)
        else:
            self.note = muted(tr("Proposed: the next free working slot in your plan. Change "
                                 "it here if it does not suit."), wrap=True)
            form = QFormLayout()
            when_label = QLabel(tr("&When"))
            when_label.setBuddy(self.when)
            channel_label = QLabel(tr("C&hannel"))
            channel_label.setBuddy(self.channel)
            form.addRow(when_label, self.when)
            form.addRow(channel_label, self.channel)
            layout.addWidget(self.note)
            layout.addLayout(form)
            self.when.setFocus(Qt.FocusReason.OtherFocusReason)
        layout.addWidget(buttons)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter plans from any field (the date edit would keep it to itself)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        super().keyPressEvent(event)

    def start(self) -> dt.datetime:
        """The chosen local time, to the minute."""
        chosen = self.when.dateTime()
        day, time = chosen.date(), chosen.time()
        return dt.datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())

    def accept(self) -> None:
        super().accept()
        self.chosen.emit(None if self._joins else self.start(),
                         str(self.channel.currentData()))
