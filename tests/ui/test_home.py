"""Today's greeting: a person is greeted by name, never by an academic title."""

from __future__ import annotations

import pytest

from app.ui.views.home import first_name, greeting
from tests.ui import test_escalations

role_window = test_escalations.role_window  # the main window signed in as a role (a fixture)


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


@pytest.mark.parametrize("role_window", ["msl", "manager"], indirect=True)
def test_today_shows_only_the_users_own_work(qtbot, role_window) -> None:
    """The territory's drafts and planned calls are the rep's: an MSL's or a manager's Today
    does not list them (and a manager is offered no suggestions to accept)."""
    window, _ = role_window
    home = window.home
    with qtbot.waitSignal(home.loaded, timeout=5000):
        home.refresh_calls()
    assert home.drafts.topLevelItemCount() == 0 and home.planned.topLevelItemCount() == 0
    manager = window.roles.desk is not None and window.roles.desk.read_only
    assert home.suggested.isHidden() == manager
