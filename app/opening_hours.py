"""A practice's weekly opening hours, written the compact way people write them:

    Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00
    Mo-Th 8:00-12:00 14:00-17:30; Fr 08:00-13:00

Days are two letters, German or English (Mo Di/Tu Mi/We Do/Th Fr Sa So/Su), a range ("Mo-Fr")
or a list ("Mo,Di,Do"); each group of days is followed by one or more times (HH:MM-HH:MM);
groups are separated by a comma or a semicolon. A day no group names is closed.

One module reads them for both sides, so the master-data import on the server
(server/importing) refuses exactly what the laptop could not read, with the same words:
the calendar and the route (app/services/plan.py) warn about a visit outside them. Imports
only `app.i18n`, so the server can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from app.i18n import tr

#: Two-letter day names, German and English, Monday = 0.
DAYS = {"mo": 0, "di": 1, "tu": 1, "mi": 2, "we": 2, "do": 3, "th": 3, "fr": 4, "sa": 5,
        "so": 6, "su": 6}
MAX_LENGTH = 200
EXAMPLE = "Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00"
_DAY = r"[A-Za-z]{2}"
_DAYS = re.compile(rf"\s*({_DAY}(?:\s*-\s*{_DAY})?(?:\s*,\s*{_DAY}(?:\s*-\s*{_DAY})?)*)\s+")
_SPAN = re.compile(r"\s*(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})")
_SEPARATOR = re.compile(r"\s*[,;]\s*")


class OpeningHoursError(ValueError):
    """The text cannot be read; the message says where and how to write it."""


@dataclass(frozen=True)
class OpeningHours:
    """Per weekday (Monday = 0) the open spans, in minutes after midnight, sorted."""

    days: tuple[tuple[tuple[int, int], ...], ...]

    def spans(self, weekday: int) -> tuple[tuple[int, int], ...]:
        return self.days[weekday]

    def is_open(self, weekday: int, start_min: int, minutes: int = 0) -> bool:
        """Whether a visit from `start_min` lasting `minutes` falls within one open span."""
        return any(a <= start_min and start_min + minutes <= b for a, b in self.days[weekday])


def _minutes(text: str) -> int:
    hours, minutes = (int(p) for p in re.split(r"[:.]", text))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise OpeningHoursError(tr("Opening hours: “{time}” is not a time of day.", time=text))
    return hours * 60 + minutes


def _day(token: str) -> int:
    day = DAYS.get(token.lower())
    if day is None:
        raise OpeningHoursError(tr(
            "Opening hours: “{day}” is not a day; write Mo, Di, Mi, Do, Fr, Sa, So (or Tu, We, "
            "Th, Su).", day=token))
    return day


def _weekdays(text: str) -> list[int]:
    found: list[int] = []
    for part in re.split(r"\s*,\s*", text.strip()):
        first, _, last = (p.strip() for p in part.partition("-"))
        start = _day(first)
        end = _day(last) if last else start
        found += [(start + i) % 7 for i in range((end - start) % 7 + 1)]
    return found


def parse(text: str | None) -> OpeningHours | None:
    """The hours `text` describes; None for an empty text (hours unknown). Raises
    OpeningHoursError, in the reader's language, for anything it cannot read."""
    if text is None or not text.strip():
        return None
    if len(text) > MAX_LENGTH:
        raise OpeningHoursError(tr("Opening hours: at most {count} characters.",
                                   count=MAX_LENGTH))
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    at, text = 0, text.strip()
    while at < len(text):
        group = _DAYS.match(text, at)
        if group is None:
            raise OpeningHoursError(tr(
                "Opening hours: cannot read “{part}”; write days and times like “{example}”.",
                part=text[at:].strip(), example=EXAMPLE))
        weekdays = _weekdays(group.group(1))
        at = group.end()
        spans: list[tuple[int, int]] = []
        while (span := _SPAN.match(text, at)) is not None:
            start, end = _minutes(span.group(1)), _minutes(span.group(2))
            if end <= start:
                raise OpeningHoursError(tr("Opening hours: “{span}” ends before it starts.",
                                           span=span.group(0).strip()))
            spans.append((start, end))
            at = span.end()
            gap = re.match(r"\s*(?:,|\+|&|und|and)?\s*(?=\d)", text[at:])
            if gap is None:
                break
            at += gap.end()
        if not spans:
            raise OpeningHoursError(tr(
                "Opening hours: “{days}” needs its times, like “{days} 08:00-12:00”.",
                days=group.group(1).strip()))
        for day in weekdays:
            days[day] += spans
        separator = _SEPARATOR.match(text, at)
        if separator is not None:
            at = separator.end()
        elif at < len(text):
            raise OpeningHoursError(tr(
                "Opening hours: cannot read “{part}”; write days and times like “{example}”.",
                part=text[at:].strip(), example=EXAMPLE))
    names = (tr("Monday"), tr("Tuesday"), tr("Wednesday"), tr("Thursday"), tr("Friday"),
             tr("Saturday"), tr("Sunday"))
    for day, spans in enumerate(days):
        spans.sort()
        for (a, b), (c, d) in pairwise(spans):
            if c < b:
                raise OpeningHoursError(tr(
                    "Opening hours: on {day} {first} and {second} overlap.", day=names[day],
                    first=_span_text(a, b), second=_span_text(c, d)))
    return OpeningHours(tuple(tuple(s) for s in days))


def _span_text(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def problem(text: str | None) -> str | None:
    """What is wrong with `text`, in words, or None when it reads (or is empty)."""
    try:
        parse(text)
    except OpeningHoursError as exc:
        return str(exc)
    return None
