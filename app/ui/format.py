"""Words and dates as the rep reads them: channel and status names, local dates and times.

The store keeps naive UTC; everything shown is converted to the laptop's time zone here, in
one place. Date patterns go through tr() so each language writes dates its own way
("3 Mar 2025" / "3. März 2025"); QLocale supplies the month names.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from app.i18n import tr


def local(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time in the laptop's time zone, naive again."""
    return value.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def local_day_end_utc(now: dt.datetime | None = None) -> dt.datetime:
    """The end of the local day, as the naive UTC the store compares with."""
    today = (now or dt.datetime.now()).astimezone()
    end = dt.datetime.combine(today.date() + dt.timedelta(days=1), dt.time(), today.tzinfo)
    return end.astimezone(dt.UTC).replace(tzinfo=None)


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_text(value: dt.date | None) -> str:
    """A date, e.g. '3 Mar 2025'; a datetime is taken as stored UTC and shown locally."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return QLocale().toString(_qdate(value), tr("d MMM yyyy"))


def long_date_text(value: dt.date) -> str:
    """A date written out, e.g. 'Monday, 3 March 2025'."""
    return QLocale().toString(_qdate(value), tr("dddd, d MMMM yyyy"))


def time_text(value: dt.datetime) -> str:
    """The local time of a stored datetime, e.g. '14:05'."""
    shown = local(value)
    return QLocale().toString(QTime(shown.hour, shown.minute), "HH:mm")


def datetime_text(value: dt.datetime) -> str:
    """A stored datetime shown locally, e.g. '3 Mar 2025, 14:05'."""
    shown = local(value)
    moment = QDateTime(_qdate(shown.date()), QTime(shown.hour, shown.minute))
    return QLocale().toString(moment, tr("d MMM yyyy, HH:mm"))


def count_text(count: int, one: str, many: str) -> str:
    """'1 account' / '12,345 accounts': `many` has a {count} placeholder."""
    return one if count == 1 else many.format(count=QLocale().toString(count))


def number_text(value: float, decimals: int = 1, *, signed: bool = False) -> str:
    """'89.4' / '89,4' in the user's locale; `signed` writes '+' before positive values
    (and a real minus sign, not a hyphen, before negative ones)."""
    text = QLocale().toString(abs(value), "f", decimals)
    if signed and round(value, decimals) != 0:
        return ("+" if value > 0 else "\u2212") + text
    return ("\u2212" if value < 0 and round(value, decimals) != 0 else "") + text


def percent_text(fraction: float, decimals: int = 1) -> str:
    """'89.4%' in English, '89,4 %' in German (a space before the sign, as German writes it)."""
    return tr("{value}%", value=number_text(fraction * 100, decimals))


def channel_name(channel: str) -> str:
    names = {
        "in_person": tr("Visit"),
        "phone": tr("Phone call"),
        "video": tr("Video call"),
        "email": tr("E-mail"),
        "event": tr("Event"),
        "clm_tracking": tr("E-detailing tracking"),
    }
    return names.get(channel, channel)


def touchpoint_name(kind: str) -> str:
    """What an outside system reported (app.contract.TouchpointKind), as the history says it."""
    names = {
        "webinar_attended": tr("Webinar attended"),
        "website_visit": tr("Website visit"),
        "event_registered": tr("Registered for an event"),
        "email_opened": tr("E-mail opened"),
        "email_clicked": tr("E-mail link clicked"),
    }
    return names.get(kind, kind)


#: Channel -> icon file name (resources/icons).
CHANNEL_ICONS = {"in_person": "in_person", "phone": "phone", "video": "video",
                 "email": "email", "event": "event"}
#: The order channels are listed in wherever all of them are shown.
CHANNEL_ORDER = ("in_person", "phone", "video", "email", "event")


def status_name(status: str) -> str:
    names = {"planned": tr("Planned"), "draft": tr("Draft"), "submitted": tr("Submitted")}
    return names.get(status, status)


def consent_name(consent: str) -> str:
    names = {"unknown": tr("Not asked"), "granted": tr("Granted"),
             "withdrawn": tr("Withdrawn")}
    return names.get(consent, consent)


def role_name(role: str) -> str:
    names = {"rep": tr("Field rep"), "msl": tr("Medical science liaison"),
             "manager": tr("Manager")}
    return names.get(role, role)


def kind_name(kind: str) -> str:
    return tr("Institution") if kind == "hco" else tr("Healthcare professional")


def stored_text(text: str | None) -> str:
    """A subject the app wrote itself, in the reader's language.

    Subjects such as "Visit (suggested)" are stored in the language of the laptop that wrote
    them (or in English by the demo server): an MSL's English "Medical inquiry answered" sat
    in a German rep's history. Known ones are shown translated, with what follows the colon
    (a deck's title) kept; anything else is the rep's own text and is shown as written.
    """
    if not text:
        return text or ""
    known = {
        "Visit (suggested)": tr("Visit (suggested)"),
        "Remote call (suggested)": tr("Remote call (suggested)"),
        "Send an e-mail (suggested)": tr("Send an e-mail (suggested)"),
        "Invite to an event (suggested)": tr("Invite to an event (suggested)"),
        "Medical follow-up (suggested)": tr("Medical follow-up (suggested)"),
        "Medical inquiry answered": tr("Medical inquiry answered"),
    }
    head, colon, rest = text.partition(": ")
    return known[head] + colon + rest if head in known else text
