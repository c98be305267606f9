"""The account's sales: the product trend as a pyqtgraph chart, the share of market beside
it, and the same figures as a table one key press away; in English and German."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from PySide6.QtCore import Qt

from app.store.database import Database
from app.store.market import MarketSale
from app.store.reference import Product
from app.store.reference import Territory as TerritoryRow
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account

MONTHS = [dt.date(2026, m, 1) for m in range(1, 7)]
UNITS = [10, 12, 11, 14, 15, 18]  # market 100 a month: the last quarter's share is 47/300


def add_sales(db: Database, account_id: str) -> None:
    with db.write() as session:
        session.info["from_server"] = True
        product = session.scalar(select(Product.id).where(Product.name == "Cardiozan"))
        territory = session.scalar(select(TerritoryRow.id))
        for month, units in zip(MONTHS, UNITS, strict=True):
            session.add(MarketSale(territory_id=territory, account_id=account_id,
                                   product_id=product, month=month, units=units,
                                   value=units * 12.25, market_units=100, version=1))


def test_an_account_without_figures_shows_no_sales_card(qtbot, window: MainWindow,
                                                        territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    assert window.account.sales.isHidden()


def test_the_trend_and_share_of_market_as_chart_and_table(
        qtbot, language: str, window: MainWindow, ui_db: Database,
        territory: Territory) -> None:
    add_sales(ui_db, territory.doctor_id)
    wait_for_account(qtbot, window, territory.doctor_id)
    card = window.account.sales
    assert card.isVisible()
    [curve] = card.plot.getPlotItem().listDataItems()
    assert list(curve.getData()[1]) == UNITS and curve.name() == "Cardiozan"
    german = language == "de"
    assert card.shares.text() == (
        "Cardiozan: 15,7 % Marktanteil, +42,4 % zum Vorquartal" if german else
        "Cardiozan: 15.7% share of market, +42.4% on the quarter before")
    # The table is reached from the keyboard: the button, then Space.
    card.view.toggle.setFocus()
    qtbot.keyClick(card.view.toggle, Qt.Key.Key_Space)
    assert card.view.showing_table and card.view.table.hasFocus()
    table = card.view.table
    assert table.rowCount() == 6
    last = [table.item(5, c).text() for c in range(5)]
    assert last == (["Cardiozan", "Juni 26", "18", "220,50", "18,0 %"] if german else
                    ["Cardiozan", "Jun 26", "18", "220.50", "18.0%"])
    assert card.view.toggle.text() == ("Als Diagramm zeigen" if german else "Show as chart")
