"""Editing how an account wants to be contacted: consent per channel and preferred channels.

Only what the rep changed is written, in ONE transaction through the services (consent
first, then the ranking), so a rule broken on one channel leaves every channel as it was.
Each service error appears beside the field it is about, not in a box to click away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.accounts import TRACKING_CHANNEL, set_consent, set_preferences
from app.services.errors import ValidationError
from app.store.account_detail import AccountDetail
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.parts import muted, section_title

CONSENTS = ("unknown", "granted", "withdrawn")
#: The date edit's minimum, shown as "—": no date (consent not asked).
NO_DATE = QDate(2000, 1, 1)


@dataclass(frozen=True)
class ConsentValues:
    consent: str
    date: dt.date | None
    source: str


@dataclass(frozen=True)
class Snapshot:
    """What the dialog shows, to find what the rep changed."""

    consents: tuple[ConsentValues, ...]
    ranked: tuple[str, ...]
    contact_time: str
    language: str | None


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class ChannelRow:
    """The widgets of one channel in the dialog's grid."""

    def __init__(self, channel: str, detail: AccountDetail) -> None:
        self.channel = channel
        line = detail.consent_for(channel)
        self.name = QLabel(fmt.channel_name(channel))
        self.consent = QComboBox()
        for state in CONSENTS:
            self.consent.addItem(fmt.consent_name(state), state)
        self.consent.setAccessibleName(tr("Consent to {channel}",
                                          channel=fmt.channel_name(channel)))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(tr("d MMM yyyy"))
        self.date.setDateRange(NO_DATE, QDate.currentDate())
        self.date.setSpecialValueText("—")
        self.date.setAccessibleName(tr("Date of consent"))
        self.source = QLineEdit(placeholderText=tr("e.g. signed form"))
        self.source.setAccessibleName(tr("Source of consent"))
        self.rank = QComboBox()
        self.rank.addItem("—", None)
        for rank in range(1, len(fmt.CHANNEL_ORDER) + 1):
            self.rank.addItem(str(rank), rank)
        self.rank.setAccessibleName(tr("Preference rank"))
        self.error = error_label()

        state = line.consent if line else "unknown"
        self.consent.setCurrentIndex(CONSENTS.index(state) if state in CONSENTS else 0)
        if line and line.consent_date:
            day = line.consent_date
            self.date.setDate(QDate(day.year, day.month, day.day))
        self.source.setText(line.source or "" if line else "")
        if line and line.preferred and line.preference_rank:
            self.rank.setCurrentIndex(self.rank.findData(line.preference_rank))
        self.consent.currentIndexChanged.connect(lambda _index: self._enable())
        self._enable()

    def _enable(self) -> None:
        """A date and source only for a recorded answer; today as the likely date."""
        known = self.consent.currentData() != "unknown"
        if known and self.date.date() == NO_DATE:
            self.date.setDate(QDate.currentDate())
        elif not known:
            self.date.setDate(NO_DATE)
        self.date.setEnabled(known)
        self.source.setEnabled(known)

    def values(self) -> ConsentValues:
        state = self.consent.currentData()
        if state == "unknown":
            return ConsentValues(state, None, "")
        day = self.date.date()
        return ConsentValues(state, dt.date(day.year(), day.month(), day.day()),
                             self.source.text().strip())


class ConsentDialog(QDialog):
    """Emits `saved` after the changes are written; closes itself then."""

    saved = Signal()

    def __init__(self, ops: Operations, user_id: str | None, detail: AccountDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("Preferences and consent – {name}", name=detail.name))
        self._ops = ops
        self._user_id = user_id
        self._account_id = detail.id

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        for column, text in enumerate((tr("Channel"), tr("Consent"), tr("Since"),
                                       tr("Source"), tr("Rank"))):
            grid.addWidget(muted(text), 0, column)
        self.rows = [ChannelRow(channel, detail) for channel in fmt.CHANNEL_ORDER]
        for index, row in enumerate(self.rows):
            line = 1 + index * 2
            channel_icon = QLabel()
            channel_icon.setPixmap(icon(fmt.CHANNEL_ICONS[row.channel]).pixmap(20, 20))
            label = QWidget()
            label_layout = QHBoxLayout(label)
            label_layout.setContentsMargins(0, 0, 8, 0)
            label_layout.setSpacing(8)
            label_layout.addWidget(channel_icon)
            label_layout.addWidget(row.name, 1)
            grid.addWidget(label, line, 0)
            grid.addWidget(row.consent, line, 1)
            grid.addWidget(row.date, line, 2)
            grid.addWidget(row.source, line, 3)
            grid.addWidget(row.rank, line, 4)
            grid.addWidget(row.error, line + 1, 1, 1, 4)
        # E-detailing: whether a presentation's capture may name the doctor (otherwise it
        # is stored anonymously, app/edetail/capture.py). A consent, not a channel to rank.
        self.tracking = ChannelRow(TRACKING_CHANNEL, detail)
        self.tracking.rank.hide()
        line = 1 + len(self.rows) * 2
        tracking_icon = QLabel()
        tracking_icon.setPixmap(icon("present").pixmap(20, 20))
        tracking_label = QWidget()
        tracking_layout = QHBoxLayout(tracking_label)
        tracking_layout.setContentsMargins(0, 0, 8, 0)
        tracking_layout.setSpacing(8)
        tracking_layout.addWidget(tracking_icon)
        tracking_layout.addWidget(self.tracking.name, 1)
        self.tracking.name.setToolTip(tr("Without it, what the doctor does during a "
                                         "presentation is stored without the doctor's name."))
        grid.addWidget(tracking_label, line, 0)
        grid.addWidget(self.tracking.consent, line, 1)
        grid.addWidget(self.tracking.date, line, 2)
        grid.addWidget(self.tracking.source, line, 3)
        grid.addWidget(self.tracking.error, line + 1, 1, 1, 4)
        grid.setColumnStretch(3, 1)
        self.rank_error = error_label()

        self.contact_time = QLineEdit(detail.preferred_contact_time or "",
                                      placeholderText=tr("e.g. Tuesdays after 14:00"))
        self.language = QComboBox()
        for label_text, code in (("—", None), (tr("German"), "de"), (tr("English"), "en")):
            self.language.addItem(label_text, code)
        found = self.language.findData(detail.preferred_language)
        self.language.setCurrentIndex(max(found, 0))
        preferences = QFormLayout()
        preferences.setHorizontalSpacing(16)
        preferences.addRow(tr("Best time to reach"), self.contact_time)
        preferences.addRow(tr("Preferred language"), self.language)

        self.general_error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(section_title(tr("Consent and preferred channels")))
        layout.addWidget(muted(tr("Rank 1 is the channel the account prefers most. Channels "
                                  "without a rank are not preferred."), wrap=True))
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addWidget(self.rank_error)
        layout.addSpacing(8)
        layout.addLayout(preferences)
        layout.addWidget(self.general_error)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        self._initial = self._snapshot()

    def _snapshot(self) -> Snapshot:
        return Snapshot(tuple(row.values() for row in self._consent_rows()),
                        tuple(self._ranked()),
                        self.contact_time.text().strip(), self.language.currentData())

    def _consent_rows(self) -> list[ChannelRow]:
        return [*self.rows, self.tracking]

    def _ranked(self) -> list[str]:
        ranked = [(row.rank.currentData(), row.channel) for row in self.rows
                  if row.rank.currentData() is not None]
        return [channel for _rank, channel in sorted(ranked)]

    def save(self) -> None:
        """Write what changed; errors appear beside their fields and nothing is written."""
        self.show_errors({})
        ranks = [row.rank.currentData() for row in self.rows if row.rank.currentData()]
        if len(set(ranks)) != len(ranks):
            self.show_errors({"ranked_channels": tr("Give each rank to one channel only.")})
            return
        now, before = self._snapshot(), self._initial
        consents = {row.channel: values for row, values, old
                    in zip(self._consent_rows(), now.consents, before.consents, strict=True)
                    if values != old}
        ranked, time, language = list(now.ranked), now.contact_time, now.language
        preferences_changed = (now.ranked, time, language) != (before.ranked,
                                                               before.contact_time,
                                                               before.language)
        if not consents and not preferences_changed:
            self.accept()
            return
        user_id, account_id = self._user_id, self._account_id

        def change(session: Session) -> None:
            for channel, values in consents.items():
                try:
                    set_consent(session, user_id, account_id, channel, values.consent,
                                values.date, values.source)
                except ValidationError as error:
                    raise ValidationError({f"{channel}.{field}": message for field, message
                                           in error.errors.items()}) from error
            if preferences_changed:
                set_preferences(session, user_id, account_id, ranked, time, language)

        self.buttons.setEnabled(False)
        self._ops.write(change, self._done, self._failed)

    def reject(self) -> None:
        """Esc or Cancel while saving would hide the answer: wait for it instead."""
        if not self.buttons.isEnabled():
            return
        super().reject()

    def _done(self, _result: None) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            self.show_errors({"": describe(error)})

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message next to its field: '<channel>.<field>', 'ranked_channels…'."""
        by_channel: dict[str, list[str]] = {}
        rank, general = [], []
        for field, message in errors.items():
            channel = field.split(".", 1)[0]
            if channel in fmt.CHANNEL_ORDER or channel == TRACKING_CHANNEL:
                by_channel.setdefault(channel, []).append(message)
            elif field.startswith("ranked_channels"):
                rank.append(message)
            else:
                general.append(message)
        for row in self._consent_rows():
            _set_error(row.error, by_channel.get(row.channel, []))
        _set_error(self.rank_error, rank)
        _set_error(self.general_error, general)


def _set_error(label: QLabel, messages: list[str]) -> None:
    label.setText(" ".join(messages))
    label.setVisible(bool(messages))
