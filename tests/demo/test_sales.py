"""The demo's sales figures agree with its doctors: their accounts, their postcode areas,
their potential, a year of months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text

from app.demo.sales import months_before
from app.demo.territory import generate
from app.store.database import Database

TODAY = dt.date(2026, 11, 23)


def _all(db: Database, sql: str) -> list[Any]:
    with db.reader.connect() as conn:
        return list(conn.execute(text(sql)))


def test_sales_rows_follow_the_demo_doctors(db: Database) -> None:
    generate(db, accounts=300, seed=5, years=1, today=TODAY)
    months = months_before(TODAY)
    assert (len(months), months[0], months[-1]) == (12, dt.date(2025, 11, 1),
                                                    dt.date(2026, 10, 1))
    orphans = _all(db, "SELECT count(*) FROM market_sales m LEFT JOIN accounts a "
                       "ON a.id = m.account_id WHERE m.account_id IS NOT NULL AND "
                       "(a.id IS NULL OR a.kind != 'hcp' OR a.territory_id != m.territory_id)")
    assert orphans == [(0,)]
    doctors = _all(db, "SELECT count(DISTINCT account_id) FROM market_sales")[0][0]
    hcps = _all(db, "SELECT count(*) FROM accounts WHERE kind = 'hcp'")[0][0]
    assert doctors == hcps  # every doctor prescribes one or two of their products
    assert _all(db, "SELECT count(*) FROM market_sales WHERE units > market_units "
                    "OR units < 0 OR value < 0") == [(0,)]
    assert {r[0] for r in _all(db, "SELECT DISTINCT month FROM market_sales")} == {
        m.isoformat() for m in months_before(TODAY)}
    # A brick holds at least the doctors whose practice postcode starts with it.
    short = _all(db, """
        SELECT b.brick FROM market_sales b JOIN (
            SELECT substr(d.postcode, 1, 3) AS brick, m.product_id, m.month,
                   sum(m.units) AS units, sum(m.market_units) AS market
            FROM market_sales m JOIN addresses d ON d.account_id = m.account_id
            GROUP BY 1, 2, 3) s
          ON s.brick = b.brick AND s.product_id = b.product_id AND s.month = b.month
        WHERE b.units < s.units OR b.market_units < s.market""")
    assert short == []
    assert _all(db, "SELECT count(*) FROM market_sales WHERE brick IS NOT NULL")[0][0] > 0
    by_segment = dict(_all(db, "SELECT a.segment, avg(m.market_units) FROM market_sales m "
                               "JOIN accounts a ON a.id = m.account_id GROUP BY a.segment"))
    assert by_segment["A"] > by_segment["B"] > by_segment["C"]

