"""The rep's figures, driven through the real window: reached from the rail, redrawn only
when the store changed, a coverage bar (clicked, or its row by keyboard) opening the
filtered accounts list; in English and German."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.store.database import Database
from app.store.interactions import Interaction
from app.synced_columns import utcnow
from app.ui.main_window import MainWindow
from app.ui.views.dashboard.view import DashboardView
from tests.ui.conftest import Territory

#: The template's accounts: 300 doctors in eight cities, segments A, B, C in turn, plus the
#: territory's doctor (A), one without e-mail and the hospital (A).


def open_figures(qtbot, window: MainWindow) -> DashboardView:
    qtbot.waitUntil(lambda: window.roles is not None)
    figures = window.roles.figures
    assert figures is not None
    with qtbot.waitSignal(figures.loaded, timeout=10_000):
        window.roles.show("figures")
    assert window.stack.currentWidget() is figures
    assert window.rail.current() == "figures"
    return figures


def cell(table, row: int, column: int) -> str:
    return table.item(row, column).text()


def test_figures_are_redrawn_only_when_the_store_changed(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    figures = open_figures(qtbot, window)
    assert figures.redraws == 1
    calls_table = figures.calls.view.table
    before = int(cell(calls_table, 0, 1))
    with qtbot.waitSignal(figures.loaded):
        figures.refresh()
    assert figures.redraws == 1  # nothing changed: nothing read again, nothing redrawn
    with ui_db.write() as session:
        session.add(Interaction(account_id=territory.doctor_id, owner_id=territory.rep_id,
                                channel="phone", status="submitted", start_at=utcnow(),
                                subject="Quick question", submitted_at=utcnow()))
    with qtbot.waitSignal(figures.loaded):
        figures.refresh()
    assert figures.redraws == 2
    assert int(cell(calls_table, 0, 1)) == before + 1


def test_a_click_on_a_coverage_bar_opens_the_accounts_of_that_city(
        qtbot, window: MainWindow) -> None:
    figures = open_figures(qtbot, window)
    coverage = figures.coverage
    assert coverage.by.currentData() == "city"
    city = coverage.bars[0].key
    # Every city's A and B accounts are listed, the least reached first.
    reaches = [bar.reach for bar in coverage.bars]
    assert reaches == sorted(reaches) and len(coverage.bars) >= 8
    with qtbot.waitSignal(window.accounts.page_loaded, timeout=10_000):
        qtbot.mouseClick(coverage.plot.viewport(), Qt.MouseButton.LeftButton,
                         pos=coverage.bar_position(0).toPoint())
    assert window.stack.currentWidget() is window.accounts
    assert window.accounts.city.currentData() == city
    model = window.accounts.model
    assert model.rowCount() > 0
    assert {model.index(r, 0).data() for r in range(model.rowCount())}
    assert window.accounts.current_query().filter.city == city


def test_by_keyboard_a_specialty_row_opens_its_accounts(
        qtbot, language: str, window: MainWindow) -> None:
    figures = open_figures(qtbot, window)
    coverage = figures.coverage
    coverage.by.setFocus()
    qtbot.keyClick(coverage.by, Qt.Key.Key_Down)
    assert coverage.by.currentData() == "specialty"
    # Specialty names are master data, in the window's language (English here).
    assert {bar.label for bar in coverage.bars} == {"General practice", "Cardiology"}
    coverage.view.toggle.setFocus()
    qtbot.keyClick(coverage.view.toggle, Qt.Key.Key_Space)
    table = coverage.view.table
    assert table.hasFocus()
    header = table.horizontalHeaderItem(0).text()
    assert header == ("Fachrichtung" if language == "de" else "Specialty")
    reach = cell(table, 0, 3)
    assert reach.endswith(" %" if language == "de" else "%")
    table.setCurrentCell(0, 0)
    specialty = coverage.bars[0].key
    with qtbot.waitSignal(window.accounts.page_loaded, timeout=10_000):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.accounts.specialty.currentData() == specialty
    assert window.accounts.city.currentData() is None


def test_the_charts_follow_the_theme(qtbot, window: MainWindow) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from app.ui.application import make_palette
    from app.ui.charts import SERIES, SERIES_DARK

    figures = open_figures(qtbot, window)

    def calls_bar_color() -> str:
        bars = [i for i in figures.calls.plot.getPlotItem().items
                if isinstance(i, pg.BarGraphItem)]
        return bars[0].opts["brush"].name()

    assert calls_bar_color() == SERIES[0].lower()
    app = QApplication.instance()
    light = app.palette()
    try:
        with qtbot.waitSignal(figures.loaded):
            app.setPalette(make_palette(True))
        base = make_palette(True).color(QPalette.ColorRole.Base)
        assert figures.coverage.plot.backgroundBrush().color() == base
        assert calls_bar_color() == SERIES_DARK[0].lower()
        assert figures.redraws == 2
    finally:
        app.setPalette(light)


def test_one_call_is_said_in_the_singular(qtbot) -> None:
    from app.store.home_figures import HomeFigures
    from app.ui.views.dashboard.cards import CallsCard

    card = CallsCard()
    qtbot.addWidget(card)
    figures = HomeFigures(calls_week=1, plan_week=438.0, calls_month=350, plan_month=1900.0,
                          segments=(), by_city=(), by_specialty=(), sales=())
    card.show_figures(figures)
    assert card.summary.text() == "1 call this week of 438 planned"
    card.show_figures(HomeFigures(**{**figures.__dict__, "calls_week": 2}))
    assert card.summary.text() == "2 calls this week of 438 planned"
