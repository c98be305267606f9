"""The shared reader of opening hours: the compact forms people write, German or English
days, and a clear sentence for what it cannot read."""

from __future__ import annotations

import pytest

from app.opening_hours import OpeningHoursError, parse, problem


def test_days_ranges_lists_and_several_times() -> None:
    hours = parse("Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00")
    assert hours is not None
    assert hours.spans(0) == ((480, 720), (840, 1080))
    assert hours.spans(2) == ((480, 720),)  # Wednesday: mornings only
    assert hours.spans(5) == () and hours.spans(6) == ()
    assert hours.is_open(0, 14 * 60, 30) and not hours.is_open(0, 11 * 60 + 45, 30)
    english = parse("Mo-Th 8:00-12:00 14:00-17:30; Fr 08.00-13.00")
    assert english is not None and english.spans(3) == ((480, 720), (840, 1050))
    assert english.spans(4) == ((480, 780),)
    wrapped = parse("Sa-Mo 09:00-12:00")  # over the weekend
    assert wrapped is not None and [bool(wrapped.spans(d)) for d in range(7)] == [
        True, False, False, False, False, True, True]
    assert parse("") is None and parse(None) is None and parse("  ") is None


@pytest.mark.parametrize(("text", "words"), [
    ("Mo-Fr", "Opening hours: cannot read “Mo-Fr”; write days and times like "
              "“Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00”."),
    ("Xy 08:00-12:00", "Opening hours: “Xy” is not a day; write Mo, Di, Mi, Do, Fr, Sa, So "
                       "(or Tu, We, Th, Su)."),
    ("Mo 12:00-08:00", "Opening hours: “12:00-08:00” ends before it starts."),
    ("Mo 25:00-26:00", "Opening hours: “25:00” is not a time of day."),
    ("Mo 08:00-12:00, Mo 11:00-13:00",
     "Opening hours: on Monday 08:00-12:00 and 11:00-13:00 overlap."),
    ("Mo 08:00-12:00 nach Vereinbarung", "Opening hours: cannot read “nach Vereinbarung”; "
     "write days and times like “Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00”."),
])
def test_what_cannot_be_read_is_said(text: str, words: str) -> None:
    assert problem(text) == words
    with pytest.raises(OpeningHoursError):
        parse(text)
