"""The plan as iCalendar: read back by an independent parser, folded and escaped per RFC 5545."""

from __future__ import annotations

import datetime as dt

import icalendar

from app.services.ical import IcsEvent, IcsTodo, calendar, fold

STAMP = dt.datetime(2026, 6, 1, 7, 0)


def test_events_and_tasks_are_read_back_as_written() -> None:
    summary = "Dr. med. Jürgen Müller; Kardiologie, Visit \\ " + "ä" * 80
    data = calendar([IcsEvent("c1", dt.datetime(2026, 6, 2, 7, 30), 20, summary,
                              "Introduce Cardiozan\nbring samples", "München")],
                    [IcsTodo("t1", dt.date(2026, 6, 3), "Send the study reprint")], STAMP)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert data.endswith(b"END:VCALENDAR\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    parsed = icalendar.Calendar.from_ical(data)
    [event] = parsed.walk("VEVENT")
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == "Introduce Cardiozan\nbring samples"
    assert str(event["LOCATION"]) == "München"
    assert event.decoded("DTSTART") == dt.datetime(2026, 6, 2, 7, 30, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2026, 6, 2, 7, 50, tzinfo=dt.UTC)
    assert str(event["UID"]) == "c1@fieldrep"
    [todo] = parsed.walk("VTODO")
    assert todo.decoded("DUE") == dt.date(2026, 6, 3)
    assert str(todo["SUMMARY"]) == "Send the study reprint"


def test_folding_never_splits_a_character() -> None:
    pieces = fold("SUMMARY:" + "€" * 60)
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == "SUMMARY:" + "€" * 60


def test_an_empty_week_is_still_a_calendar() -> None:
    parsed = icalendar.Calendar.from_ical(calendar([], [], STAMP))
    assert parsed.walk("VEVENT") == [] and str(parsed["VERSION"]) == "2.0"
