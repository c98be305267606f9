"""Today's greeting: a person is greeted by name, never by an academic title."""

from __future__ import annotations

import pytest

from app.ui.views.home import first_name, greeting


@pytest.mark.parametrize(("display_name", "expected"), [
    ("Dr. Käthe Groß", "Käthe"),
    ("Prof. Dr. med. Anna Schäfer", "Anna"),
    ("PD Dr. Jan Wolf", "Jan"),
    ("Jörg Krüger", "Jörg"),
    ("Dr.", None),
])
def test_the_name_to_greet_by_skips_titles(display_name: str, expected: str | None) -> None:
    assert first_name(display_name) == expected


def test_the_msl_is_greeted_by_her_first_name() -> None:
    assert greeting(first_name("Dr. Käthe Groß"), 9) == "Good morning, Käthe"
    assert greeting(first_name("Dr."), 9) == "Welcome to Fieldrep"
