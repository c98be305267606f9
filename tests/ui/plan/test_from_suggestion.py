"""A visit accepted from a suggestion on Today is in the calendar and in that day's route."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt

from app.demo.territory import generate
from app.services.suggestions import Recommender
from app.store.database import Database
from app.store.interactions import Interaction
from app.store.suggestions import Suggestion as SuggestionRow
from app.ui import format as fmt
from app.ui.operations import Operations
from app.ui.views.home import HomeView
from app.ui.views.plan.calendar import CalendarView, monday_of
from app.ui.views.plan.route import RouteView

pytestmark = pytest.mark.gui


@pytest.fixture
def ops(qtbot: Any, db: Database) -> Iterator[Operations]:
    generate(db, accounts=200, seed=5, years=1, today=dt.date.today())
    operations = Operations(db)
    yield operations
    operations.wait()
    while operations.pending:
        qtbot.wait(1)
        operations.wait()
    operations.deleteLater()


def test_an_accepted_visit_is_in_the_calendar_and_the_route(qtbot: Any, ops: Operations,
                                                            db: Database) -> None:
    home = HomeView(ops, Recommender())
    qtbot.addWidget(home)
    with qtbot.waitSignal(home.suggestions_loaded, timeout=60_000):
        home.refresh()
    rows = home.suggested.list
    with db.read() as session:
        visits = {s.id for s in session.scalars(select(SuggestionRow).where(
            SuggestionRow.channel == "in_person", SuggestionRow.status == "open"))}
    index = next(i for i in range(rows.topLevelItemCount())
                 if rows.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) in visits)
    rows.setCurrentItem(rows.topLevelItem(index))
    suggestion_id = rows.current_id()
    panel = home.suggested
    panel.accept_button.click()
    # The visit's slot is asked for first: the proposed one is taken.
    qtbot.waitUntil(lambda: panel.slot_dialog is not None and panel.slot_dialog.isVisible(),
                    timeout=10_000)
    assert panel.slot_dialog is not None
    with qtbot.waitSignal(panel.answered, timeout=10_000):
        qtbot.keyClick(panel.slot_dialog, Qt.Key.Key_Return)
    with db.read() as session:
        row = session.get(SuggestionRow, suggestion_id)
        assert row is not None
        call = session.get(Interaction, row.result_id)
        assert call is not None and call.status == "planned"
        start, account_id = call.start_at, call.account_id
    day = fmt.local(start).date()

    calendar = CalendarView(ops)
    qtbot.addWidget(calendar)
    calendar.monday = monday_of(day)
    with qtbot.waitSignal(calendar.shown, timeout=5000):
        calendar.refresh()
    assert calendar.week is not None
    assert row.result_id in {c.id for c in calendar.week.calls}

    route = RouteView(ops, lambda: "")
    qtbot.addWidget(route)
    route.day.setDate(day)
    with qtbot.waitSignal(route.shown, timeout=5000):
        route.refresh()
    assert row.result_id in route.order()
    assert account_id in {route.plan.calls[k].account_id for k in route.order()}  # type: ignore[union-attr]
