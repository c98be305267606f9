"""Reading sales figures: an account's trend, and the territory's from the postcode areas
without counting a doctor's rows twice."""

from __future__ import annotations

import datetime as dt

from app.store.database import Database
from app.store.market import MarketSale
from app.store.reference import Product, Territory
from app.store.sales_queries import account_sales, territory_sales

MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)


def test_territory_figures_come_from_areas_and_doctors_only_where_no_area_names_them(
        db: Database) -> None:
    with db.write() as s:
        s.info["from_server"] = True
        territory = Territory(code="T", name="T")
        covered = Product(name="Cardiozan", therapeutic_area="Cardiology")
        doctors_only = Product(name="Betablock", therapeutic_area="Cardiology")
        s.add_all([territory, covered, doctors_only])
        s.flush()

        def sale(product: Product, month: dt.date, units: int, market: int | None,
                 account: str | None = None, brick: str | None = None) -> MarketSale:
            return MarketSale(territory_id=territory.id, product_id=product.id, month=month,
                              units=units, value=units * 2.0, market_units=market,
                              account_id=account, brick=brick)

        s.add_all([
            sale(covered, MARCH, 5, 20, account="a1"),  # part of brick 101's 30
            sale(covered, MARCH, 30, 100, brick="101"),
            sale(covered, MARCH, 10, 50, brick="102"),
            sale(covered, APRIL, 8, 40, account="a1"),
            sale(covered, APRIL, 35, 110, brick="101"),
            sale(doctors_only, MARCH, 4, None, account="a1"),
            sale(doctors_only, MARCH, 6, None, account="a2"),
        ])
    with db.reader.connect() as conn:
        by_name = {t.product: t for t in territory_sales(conn)}
        mine = account_sales(conn, "a1")
    assert by_name["Cardiozan"].months == (MARCH, APRIL)
    assert by_name["Cardiozan"].units == (40, 35)
    assert by_name["Cardiozan"].market_units == (150, 110)
    assert by_name["Cardiozan"].share == 75 / 260
    assert by_name["Betablock"].units == (10,)
    assert by_name["Betablock"].share is None
    assert [(t.product, t.units) for t in mine] == [("Betablock", (4,)), ("Cardiozan", (5, 8))]
