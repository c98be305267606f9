"""Plan a contact in a few clicks: the channel (in person, phone, video, e-mail, event), the
day and time, a subject; it lands in the calendar and, in person, in the day's route."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from app.i18n import tr
from app.opening_hours import OpeningHoursError
from app.opening_hours import parse as parse_hours
from app.services.calls import plan_call
from app.services.plan import VISIT_MIN
from app.store.base import Channel
from app.store.queries import current_user
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations, describe


def next_working_morning(now: dt.datetime | None = None) -> dt.datetime:
    """Tomorrow at nine, or Monday's when tomorrow is a weekend day (local, naive)."""
    day = (now or dt.datetime.now()).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0))


class PlanContactDialog(QDialog):
    """`planned_id` holds the new call's id once the write is done (then the dialog closes)."""

    def __init__(self, ops: Operations, account_id: str, account_name: str,
                 when: dt.datetime | None = None, parent: QWidget | None = None,
                 opening_hours: str | None = None) -> None:
        super().__init__(parent)
        self.ops, self.account_id = ops, account_id
        self.opening_hours = opening_hours
        self.planned_id: str | None = None
        self.setWindowTitle(tr("Plan a contact"))
        form = QFormLayout(self)
        form.addRow(tr("With"), QLabel(account_name))
        self.channels = QButtonGroup(self)
        row = QHBoxLayout()
        for channel in fmt.CHANNEL_ORDER:
            button = QRadioButton(fmt.channel_name(channel))
            button.setIcon(icon(fmt.CHANNEL_ICONS[channel]))
            button.setProperty("channel", channel)
            self.channels.addButton(button)
            row.addWidget(button)
        self.channels.buttons()[0].setChecked(True)
        form.addRow(tr("How"), row)
        start = when or next_working_morning()
        self.when = QDateTimeEdit(QDateTime(QDate(start.year, start.month, start.day),
                                            QTime(start.hour, start.minute)))
        self.when.setCalendarPopup(True)
        form.addRow(tr("When"), self.when)
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(tr("What about (optional)"))
        form.addRow(tr("Subject"), self.subject)
        if opening_hours:
            form.addRow(tr("Opening hours"), QLabel(opening_hours))
        # Outside the practice's hours is a warning, never a block: the rep may have agreed.
        self.hours_warning = QLabel()
        self.hours_warning.setWordWrap(True)
        self.hours_warning.hide()
        form.addRow(self.hours_warning)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("error", True)
        form.addRow(self.error)
        self.when.dateTimeChanged.connect(lambda _v: self._check_hours())
        self.channels.buttonToggled.connect(lambda _b, _on: self._check_hours())
        self._check_hours()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check_hours(self) -> None:
        """Warn while the chosen visit falls outside the practice's opening hours."""
        try:
            hours = parse_hours(self.opening_hours)
        except OpeningHoursError:
            hours = None
        q = self.when.dateTime()
        minute = q.time().hour() * 60 + q.time().minute()
        weekday = q.date().dayOfWeek() - 1
        outside = (hours is not None and self.channel() == Channel.IN_PERSON
                   and not hours.is_open(weekday, minute, VISIT_MIN))
        self.hours_warning.setText(tr(
            "⚠ {time} is outside the opening hours ({hours}); you may plan it all the same.",
            time=q.time().toString("HH:mm"), hours=self.opening_hours) if outside else "")
        self.hours_warning.setVisible(outside)

    def channel(self) -> str:
        checked = self.channels.checkedButton()
        return str(checked.property("channel")) if checked else "in_person"

    def save(self) -> None:
        q = self.when.dateTime()
        d, t = q.date(), q.time()
        # The laptop's local time, made aware (the store keeps UTC).
        start = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone()
        channel, subject = self.channel(), self.subject.text().strip() or None
        account_id = self.account_id

        def write(session: Session) -> str:
            user = current_user(session.connection())
            return plan_call(session, user.id if user else None, account_id, start, channel,
                             subject)

        self.ops.write(write, self._planned, lambda e: self.error.setText(describe(e)))

    def _planned(self, call_id: str) -> None:
        self.planned_id = call_id
        self.accept()
