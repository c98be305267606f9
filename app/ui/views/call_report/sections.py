"""The call report's details (channel, time, subject, attendees) and its notes and follow-up.

Each section is a FormSection: it fills itself from a CallForm and the catalog, writes its
part back into a CallForm, and shows the validation messages whose keys it owns. The view
(call_report.py) only wires the sections together, saves and submits; products and key
messages are in products.py, samples and signature in samples.py.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.calls import MAX_DURATION_MIN, CallForm
from app.store.base import Channel
from app.store.catalog import CallCatalog
from app.ui import format as fmt
from app.ui.views.call_report.fields import (
    GRID,
    ErrorLabel,
    FieldErrors,
    FormSection,
    field_block,
    section_title,
    set_read_only,
)

#: Days ahead a follow-up date starts at when the rep ticks "Due on".
FOLLOW_UP_DAYS = 14


def channel_labels() -> dict[str, str]:
    return {
        Channel.IN_PERSON.value: tr("In person"),
        Channel.PHONE.value: tr("Phone call"),
        Channel.VIDEO.value: tr("Video call"),
        Channel.EMAIL.value: tr("E-mail"),
        Channel.EVENT.value: tr("Event"),
    }


def date_format() -> str:
    """Digits in a fixed order, quick to type and to check: 23/11/2026 (German 23.11.2026)."""
    return tr("dd/MM/yyyy")


def date_time_format() -> str:
    return tr("dd/MM/yyyy HH:mm")


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DateTimeField(QDateTimeEdit):
    """Tab leaves the field (Qt's default steps through day, month, year... first).

    The arrow keys still move between the parts; in a form filled many times a day, one Tab
    per field keeps the keyboard path short.
    """

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


class DateField(QDateEdit):
    """A date whose Tab leaves the field, like DateTimeField."""

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


class DetailsSection(FormSection):
    """Channel, date and time, duration, whether the doctor received the rep, subject and
    further attendees."""

    #: Whether the call is a visit the doctor did not receive (ticked, and in person).
    not_received_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.channel = QComboBox()
        for value, label in channel_labels().items():
            self.channel.addItem(label, value)
        self.when = DateTimeField()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(date_time_format())
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_DURATION_MIN)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(tr(" min"))
        self.duration.setSpecialValueText("–")
        self.subject = QLineEdit()
        self.subject.setMaxLength(300)
        self.subject.setPlaceholderText(tr("What the call was about"))
        self.attendees = QLineEdit()
        self.attendees.setPlaceholderText(tr("Names, separated by commas"))
        # A failed visit is a fact the engine learns access from (app/engine/features.py);
        # only a visit in person can fail this way, so the box shows for those alone.
        self.not_received = QCheckBox(tr("The doctor did not &receive me"))
        self.not_received.setToolTip(tr(
            "You went to see the doctor and were not received: nothing was discussed or "
            "handed over"))
        self.not_received_error = ErrorLabel()

        self._errors = FieldErrors()
        row = QHBoxLayout()
        row.setSpacing(GRID * 2)
        for key, label, field, stretch in (
            ("channel", tr("&Channel"), self.channel, 2),
            ("start_at", tr("&Date and time"), self.when, 3),
            ("duration_min", tr("D&uration"), self.duration, 2),
        ):
            error = ErrorLabel()
            self._errors.add(key, field, error)
            row.addLayout(field_block(label, field, error), stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GRID)
        layout.addWidget(section_title(tr("Call")))
        layout.addLayout(row)
        layout.addWidget(self.not_received)
        layout.addWidget(self.not_received_error)
        self._errors.add("not_received", self.not_received, self.not_received_error)
        layout.addLayout(field_block(tr("&Subject"), self.subject))
        layout.addLayout(field_block(tr("Further a&ttendees"), self.attendees))

        self.channel.currentIndexChanged.connect(self.changed)
        self.when.dateTimeChanged.connect(self.changed)
        self.duration.valueChanged.connect(self.changed)
        self.subject.textChanged.connect(self.changed)
        self.attendees.textChanged.connect(self.changed)
        self.channel.currentIndexChanged.connect(self._outcome_changed)
        self.not_received.toggled.connect(self._outcome_changed)
        self.not_received.toggled.connect(self.changed)

    def in_person(self) -> bool:
        return bool(self.channel.currentData() == Channel.IN_PERSON.value)

    def is_not_received(self) -> bool:
        """Ticked and in person: ticked on a visit, then moved to the phone, it no longer
        counts (the box is hidden, its tick kept should the channel come back)."""
        return self.in_person() and self.not_received.isChecked()

    def _outcome_changed(self) -> None:
        self.not_received.setVisible(self.in_person())
        self.not_received_changed.emit(self.is_not_received())

    def fill(self, form: CallForm, catalog: CallCatalog) -> None:
        self.not_received.setChecked(form.not_received)
        self.channel.setCurrentIndex(max(self.channel.findData(form.channel), 0))
        self._outcome_changed()
        start = form.start_at if isinstance(form.start_at, dt.datetime) else None
        local = fmt.local(start) if start else dt.datetime.now()
        self.when.setDateTime(QDateTime(to_qdate(local.date()),
                                        QTime(local.hour, local.minute)))
        self.duration.setValue(int(form.duration_min or 0))
        self.subject.setText(form.subject or "")
        self.attendees.setText(", ".join(form.attendees))

    def collect(self, form: CallForm) -> None:
        form.channel = self.channel.currentData()
        when = self.when.dateTime()
        local = dt.datetime.combine(from_qdate(when.date()),
                                    dt.time(when.time().hour(), when.time().minute()))
        form.start_at = local.astimezone()  # aware: the service stores it as UTC
        form.duration_min = self.duration.value() or None
        form.subject = self.subject.text()
        form.attendees = [n.strip() for n in self.attendees.text().split(",") if n.strip()]
        form.not_received = self.is_not_received()

    def focus_chain(self) -> list[QWidget]:
        return [self.channel, self.when, self.duration, self.not_received, self.subject,
                self.attendees]

    def set_read_only(self, read_only: bool) -> None:
        for field in self.focus_chain():
            set_read_only(field, read_only)

    def show_errors(self, errors: dict[str, str]) -> list[tuple[str, QWidget]]:
        return self._errors.show(errors)

    def clear_errors(self) -> None:
        self._errors.clear()


class NotesSection(FormSection):
    """Free notes and the follow-up: what to do next, and by when."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(tr("Interests, questions, objections, agreements"))
        self.notes.setFixedHeight(GRID * 16)
        self.follow_up = QLineEdit()
        self.follow_up.setPlaceholderText(tr("For example: bring the new study"))
        self.due = QCheckBox(tr("Due &on"))
        self.due_date = DateField()
        self.due_date.setDisplayFormat(date_format())
        self.due_date.setCalendarPopup(True)
        self.due_date.setEnabled(False)
        self.due_error = ErrorLabel()
        self._errors = FieldErrors()
        self._errors.add("follow_up_date", self.due_date, self.due_error)

        notes_title = section_title(tr("&Notes"))
        notes_title.setBuddy(self.notes)
        follow_title = section_title(tr("&Follow-up"))
        follow_title.setBuddy(self.follow_up)
        due_row = QHBoxLayout()
        due_row.setSpacing(GRID)
        due_row.addWidget(self.due)
        due_row.addWidget(self.due_date)
        due_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GRID)
        layout.addWidget(notes_title)
        layout.addWidget(self.notes)
        layout.addSpacing(GRID * 2)
        layout.addWidget(follow_title)
        layout.addWidget(self.follow_up)
        layout.addLayout(due_row)
        layout.addWidget(self.due_error)

        self.notes.textChanged.connect(self.changed)
        self.follow_up.textChanged.connect(self.changed)
        self.due.toggled.connect(self._on_due_toggled)
        self.due_date.dateChanged.connect(self.changed)

    def _on_due_toggled(self, checked: bool) -> None:
        self.due_date.setEnabled(checked)
        self.changed.emit()

    def fill(self, form: CallForm, catalog: CallCatalog) -> None:
        self.notes.setPlainText(form.notes or "")
        self.follow_up.setText(form.follow_up or "")
        due = form.follow_up_date if isinstance(form.follow_up_date, dt.date) else None
        self.due.setChecked(due is not None)
        self.due_date.setEnabled(due is not None)
        default = dt.date.today() + dt.timedelta(days=FOLLOW_UP_DAYS)
        self.due_date.setDate(to_qdate(due or default))

    def collect(self, form: CallForm) -> None:
        form.notes = self.notes.toPlainText()
        form.follow_up = self.follow_up.text()
        form.follow_up_date = from_qdate(self.due_date.date()) if self.due.isChecked() else None

    def focus_chain(self) -> list[QWidget]:
        return [self.notes, self.follow_up, self.due, self.due_date]

    def set_read_only(self, read_only: bool) -> None:
        for field in self.focus_chain():
            set_read_only(field, read_only)

    def show_errors(self, errors: dict[str, str]) -> list[tuple[str, QWidget]]:
        return self._errors.show(errors)

    def clear_errors(self) -> None:
        self._errors.clear()
