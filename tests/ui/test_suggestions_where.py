"""Today's suggestions know where the rep is that day: each shows its city, and the visits in
a city where the rep has visits planned that day come first, marked (they were spread over
the territory beside a day planned in one city). Real widgets, database and engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from app.services.calls import plan_call
from app.services.day_places import cities_of_day
from app.services.visit_slots import to_utc
from app.store.accounts import Account
from app.store.database import Database
from app.store.queries import current_user
from app.ui.views.home import HomeView
from tests.ui import test_suggestions_view

pytestmark = pytest.mark.gui

demo = test_suggestions_view.demo  # the fixtures: a demo territory, operations, Today
ops = test_suggestions_view.ops
home = test_suggestions_view.home


def rows(view: HomeView) -> list[tuple[str, str, str, str]]:
    """(account, city, step, city tooltip) of each suggestion as listed."""
    tree = view.suggested.list
    return [(tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1),
             tree.topLevelItem(i).text(2), tree.topLevelItem(i).toolTip(1))
            for i in range(tree.topLevelItemCount())]


def test_the_visits_where_the_rep_is_today_come_first(qtbot: Any, home: HomeView,
                                                       db: Database) -> None:
    listed = rows(home)
    assert listed and all(city for _, city, _, _ in listed), "every suggestion names its city"
    visits = [r for r in listed if r[2].startswith("Visit")]
    unmarked = [r for r in visits if not r[3]]
    assert unmarked, "a visit in a city the rep is not in today"
    city = unmarked[-1][1]  # the city of the last such visit
    with db.write() as session:
        user = current_user(session.connection())
        assert user is not None
        here = session.scalars(select(Account.id).where(Account.city == city)).first()
        assert here is not None
        plan_call(session, user.id, here,
                  to_utc(dt.datetime.combine(dt.date.today(), dt.time(16, 30))))
        cities = cities_of_day(session, user.id, dt.date.today())
    assert city in cities

    with qtbot.waitSignal(home.suggestions_loaded, timeout=60_000):
        home.refresh_suggestions()
    after = rows(home)
    near = [i for i, (_, _, step, tip) in enumerate(after) if tip]
    assert near == list(range(len(near))), "the visits where the rep is today are first"
    assert any(c == city for _, c, _, _ in after[:len(near)])
    for _, shown_city, step, tip in after[:len(near)]:
        assert shown_city in cities and step.startswith("Visit")
        assert tip == f"You have visits planned in {shown_city} today."
    assert all(c not in cities or not step.startswith("Visit")
               for _, c, step, _ in after[len(near):])
