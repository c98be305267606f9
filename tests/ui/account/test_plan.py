"""The account shows its engagement plan where one runs: the steps done, the next one and
whose it is (read from the engine's plan suggestions in the store); without a plan, no card."""

from __future__ import annotations

import datetime as dt

import pytest

from app.store.database import Database
from app.store.reference import User
from app.store.suggestions import Suggestion
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account

pytestmark = pytest.mark.gui
TODAY = dt.date.today()


def step(territory: Territory, owner: str | None, role: str, action: str, channel: str,
         index: int, due: dt.date, status: str) -> Suggestion:
    return Suggestion(account_id=territory.doctor_id, owner_role=role, owner_id=owner,
                      action=action, channel=channel, due_date=due,
                      expires_on=due + dt.timedelta(14), priority=0.8,
                      plan_id="evidence-journey", plan_step=index, status=status)


def test_the_account_shows_the_steps_done_the_next_and_whose(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    with ui_db.write() as session:
        msl = User(username="msl", display_name="Käthe Groß", role="msl")
        session.add(msl)
        session.flush()
        session.add_all([
            step(territory, territory.rep_id, "rep", "email", "email", 0,
                 TODAY - dt.timedelta(9), "completed"),
            step(territory, msl.id, "msl", "msl_follow_up", "in_person", 1,
                 TODAY + dt.timedelta(5), "open"),
        ])
    wait_for_account(qtbot, window, territory.doctor_id)
    card = window.account.plan
    qtbot.waitUntil(card.isVisible)
    assert card.done.text().startswith("Done: E-mail · ")
    assert card.next.text().startswith("Next: Medical follow-up (MSL) · ")
    assert card.next.text().endswith("· Käthe Groß")
    assert not card.ended.isVisible()


def test_an_account_without_a_plan_shows_no_plan_card(
        qtbot, window: MainWindow, territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    assert window.account.detail is not None
    assert not window.account.plan.isVisible()
