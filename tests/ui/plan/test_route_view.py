"""The day's route on screen: the visits in order with plot, reordered by hand, a visit
cancelled and the rest re-planned in one click, the times saved into the calls."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from PySide6.QtCore import QModelIndex, Qt

from app.services.calls import plan_call
from app.store.accounts import Address
from app.store.database import Database
from app.store.interactions import Interaction
from app.ui.main_window import MainWindow
from app.ui.views.plan.route import RouteView
from tests.ui.conftest import Territory

pytestmark = pytest.mark.gui
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def at(hour: int) -> dt.datetime:
    return dt.datetime.combine(TOMORROW, dt.time(hour)).astimezone()


def plan_tomorrow(db: Database, territory: Territory) -> list[str]:
    """Three visits on a line east of home, planned far, near, middle."""
    with db.write() as session:
        addresses = session.scalars(select(Address).where(Address.account_id.in_(
            [territory.doctor_id, territory.hospital_id]))).all()
        session.info["from_server"] = True
        accounts = [territory.doctor_id, territory.hospital_id]
        for address in addresses:
            address.latitude = 48.14
            address.longitude = 11.58 + 0.05 * (1 + accounts.index(address.account_id))
        session.flush()
    with db.write() as session:
        session.info.pop("from_server", None)
        return [plan_call(session, territory.rep_id, territory.hospital_id, at(9)),
                plan_call(session, territory.rep_id, territory.doctor_id, at(10))]


def open_route(qtbot, window: MainWindow) -> RouteView:
    assert window.roles is not None
    route = window.roles.pages["route"]
    assert isinstance(route, RouteView)
    with qtbot.waitSignal(route.shown, timeout=5000):
        window.roles.show("route")
    route.day.setDate(TOMORROW)
    qtbot.waitUntil(lambda: route.stops.count() == 2, timeout=5000)
    return route


def texts(route: RouteView) -> list[str]:
    return [route.stops.item(i).text() for i in range(route.stops.count())]


def test_the_route_orders_the_day_and_follows_the_reps_hand(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    window.settings.set("route_start", "48.14, 11.58")
    planned = plan_tomorrow(ui_db, territory)
    route = open_route(qtbot, window)
    assert route.order() == [planned[1], planned[0]]  # nearer doctor first
    assert texts(route)[0].startswith("1. 08:")
    assert "km" in route.summary.text() and "back at" in route.summary.text()
    assert len(route.plot.getPlotItem().listDataItems()) == 3  # legs, stops, start
    # The map takes the theme's colours (pyqtgraph's own background is black).
    from PySide6.QtGui import QPalette
    assert route.plot.backgroundBrush().color() == route.plot.palette().color(
        QPalette.ColorRole.Base)
    first_leg = route.plan.route.legs[0].km  # type: ignore[union-attr]

    with qtbot.waitSignal(route.shown):
        route.stops.model().moveRow(QModelIndex(), 1, QModelIndex(), 0)
    assert route.order() == [planned[0], planned[1]]
    assert route.plan is not None and route.plan.route.legs[0].km > first_leg  # far first

    with qtbot.waitSignal(route.shown):
        route.plan_button.click()
    assert route.order() == [planned[1], planned[0]]

    with qtbot.waitSignal(route.changed, timeout=5000):
        route.save_button.click()
    with ui_db.read() as session:
        first = session.get(Interaction, planned[1])
        assert first is not None
        assert first.start_at.replace(tzinfo=dt.UTC).astimezone().hour == 8


def test_cancelling_a_visit_replans_the_rest(qtbot, window: MainWindow, ui_db: Database,
                                             territory: Territory) -> None:
    planned = plan_tomorrow(ui_db, territory)
    route = open_route(qtbot, window)
    assert "No start address" in route.summary.text()
    route.stops.setCurrentRow(route.order().index(planned[0]))
    with qtbot.waitSignal(route.changed, timeout=5000):
        route.cancel_button.click()
    assert route.order() == [planned[1]]
    with ui_db.read() as session:
        cancelled = session.get(Interaction, planned[0])
        assert cancelled is not None and cancelled.deleted


def test_a_fixed_visit_keeps_its_time(qtbot, window: MainWindow, ui_db: Database,
                                      territory: Territory) -> None:
    window.settings.set("route_start", "48.14, 11.58")
    planned = plan_tomorrow(ui_db, territory)
    route = open_route(qtbot, window)
    far = route.stops.item(route.order().index(planned[0]))
    with qtbot.waitSignal(route.shown):
        far.setCheckState(Qt.CheckState.Checked)
    assert route.order() == [planned[1], planned[0]]
    assert texts(route)[1].startswith("2. 09:00")


def test_a_wrong_start_address_is_said_in_words(qtbot, window: MainWindow, ui_db: Database,
                                                territory: Territory) -> None:
    window.settings.set("route_start", "somewhere")
    plan_tomorrow(ui_db, territory)
    route = open_route(qtbot, window)
    assert "latitude and longitude" in route.summary.text()
