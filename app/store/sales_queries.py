"""Reading the sales and market figures (app/store/market.py) for the screens.

An account's trend reads its own rows; the territory's reads the postcode-area rows, which
hold every prescriber there (a doctor's rows are part of their area's, so adding both would
count them twice), and the doctors' rows only for a product no area row names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, false, func, select

from app.store.market import MarketSale
from app.store.reference import Product

#: The months the share of market is taken over: one month alone jumps with single orders.
SHARE_MONTHS = 3


@dataclass(frozen=True)
class ProductTrend:
    """One product's monthly figures, oldest month first."""

    product: str
    months: tuple[dt.date, ...]
    units: tuple[int, ...]
    values: tuple[float, ...]
    market_units: tuple[int | None, ...]

    @property
    def share(self) -> float | None:
        """Units over market units in the latest months both are known for."""
        pairs = [(u, m) for u, m in zip(self.units, self.market_units, strict=True)
                 if m][-SHARE_MONTHS:]
        market = sum(m for _u, m in pairs)
        return sum(u for u, _m in pairs) / market if market else None

    @property
    def change(self) -> float | None:
        """The latest quarter's units against the quarter before (0.1: ten percent up)."""
        if len(self.units) < 2 * SHARE_MONTHS:
            return None
        recent = sum(self.units[-SHARE_MONTHS:])
        before = sum(self.units[-2 * SHARE_MONTHS:-SHARE_MONTHS])
        return (recent - before) / before if before else None


def _trends(rows: Iterable[Sequence[Any]]) -> list[ProductTrend]:
    """Trends from (product, month, units, value, market units) rows."""
    by_product: dict[str, dict[dt.date, list[float]]] = defaultdict(dict)
    for product, month, units, value, market in rows:
        total = by_product[product].setdefault(month, [0, 0.0, 0, 0])
        total[0] += units or 0
        total[1] += value or 0.0
        if market is not None:
            total[2] += market
            total[3] += 1
    trends = []
    for product in sorted(by_product, key=str.casefold):
        months = sorted(by_product[product])
        figures = [by_product[product][m] for m in months]
        trends.append(ProductTrend(
            product, tuple(months), tuple(int(f[0]) for f in figures),
            tuple(round(f[1], 2) for f in figures),
            tuple(int(f[2]) if f[3] else None for f in figures)))
    return trends


def account_sales(conn: Connection, account_id: str) -> list[ProductTrend]:
    """The account's products with their monthly figures, by product name."""
    rows = conn.execute(
        select(Product.name, MarketSale.month, MarketSale.units, MarketSale.value,
               MarketSale.market_units)
        .join(Product, Product.id == MarketSale.product_id)
        .where(MarketSale.account_id == account_id, MarketSale.deleted == false()))
    return _trends(rows)


def territory_sales(conn: Connection) -> list[ProductTrend]:
    """The products of this laptop's territories, summed over postcode areas per month."""
    live = MarketSale.deleted == false()
    areas = select(Product.name, MarketSale.month, func.sum(MarketSale.units),
                   func.sum(MarketSale.value), func.sum(MarketSale.market_units)).join(
        Product, Product.id == MarketSale.product_id).where(
        live, MarketSale.brick.is_not(None)).group_by(Product.name, MarketSale.month)
    rows: list[Sequence[Any]] = list(conn.execute(areas))
    covered = set(conn.scalars(select(MarketSale.product_id).distinct().where(
        MarketSale.brick.is_not(None))))
    others = [p for p in conn.scalars(select(Product.id)) if p not in covered]
    if others:  # found through the product index, never by reading every doctor's row
        doctors = select(Product.name, MarketSale.month, func.sum(MarketSale.units),
                         func.sum(MarketSale.value), func.sum(MarketSale.market_units)).join(
            Product, Product.id == MarketSale.product_id).where(
            live, MarketSale.account_id.is_not(None),
            MarketSale.product_id.in_(others)).group_by(Product.name, MarketSale.month)
        rows += list(conn.execute(doctors))
    return _trends(rows)
