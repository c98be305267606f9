"""A day or a week of the rep's plan as iCalendar (RFC 5545), for any calendar program.

Written line by line here rather than with a library: the app exports only planned calls
(VEVENT) and due tasks (VTODO) with a handful of properties, and the rules that matter are
few and stated in the RFC: CRLF line ends, lines folded at 75 octets (never inside a UTF-8
character), text escaped (backslash, semicolon, comma, newline), times in UTC with a Z. The
tests read the file back with the `icalendar` package, an independent parser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Fieldrep//Plan//EN"
_LIMIT = 75  # octets per line, without the CRLF


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    start: dt.datetime  # naive UTC
    minutes: int
    summary: str
    description: str = ""
    location: str = ""


@dataclass(frozen=True)
class IcsTodo:
    uid: str
    due: dt.date
    summary: str


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> list[str]:
    """The content line in pieces of at most 75 octets; continuations start with a space."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = _LIMIT if not pieces else _LIMIT - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return [pieces[0], *(" " + p for p in pieces[1:])]


def _utc(value: dt.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[IcsEvent], todos: Iterable[IcsTodo],
             stamp: dt.datetime) -> bytes:
    """The VCALENDAR with every event and task; `stamp` (naive UTC) is the export's time."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}@fieldrep", f"DTSTAMP:{_utc(stamp)}",
                  f"DTSTART:{_utc(event.start)}",
                  f"DTEND:{_utc(event.start + dt.timedelta(minutes=event.minutes))}",
                  f"SUMMARY:{escape(event.summary)}"]
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        lines.append("END:VEVENT")
    for todo in todos:
        lines += ["BEGIN:VTODO", f"UID:{todo.uid}@fieldrep", f"DTSTAMP:{_utc(stamp)}",
                  f"DUE;VALUE=DATE:{todo.due.strftime('%Y%m%d')}",
                  f"SUMMARY:{escape(todo.summary)}", "STATUS:NEEDS-ACTION", "END:VTODO"]
    lines.append("END:VCALENDAR")
    return "".join(piece + "\r\n" for line in lines for piece in fold(line)).encode("utf-8")
