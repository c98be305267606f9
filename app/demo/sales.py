"""Demo sales and market figures that agree with the demo doctors (issue 20).

A regional sales export holds, per account or postcode area ("brick", here the first three
digits of the postcode), product and month, the units and value sold and the units of the
whole market. The demo makes them from what it knows of each doctor: the market a doctor
prescribes in grows with their potential; our share of it grows with their responsiveness
and with how often the rep calls them; months follow a mild season (a dip in August and
around the turn of the year). A brick row sums the doctors there and the prescribers the
rep never visits (the market is larger than the territory's doctors). Its own random
generator keeps the rest of the demo exactly as a seed made it before.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Months of history, ending with the last full month.
MONTHS = 12
#: A month's market units of a doctor with potential 1.0, per product they prescribe.
MARKET_AT_FULL_POTENTIAL = 220
#: The market in a brick beyond the territory's doctors (prescribers nobody visits).
UNVISITED_MARKET = 0.6
SEASON = {1: 0.92, 2: 0.97, 3: 1.04, 4: 1.02, 5: 1.0, 6: 0.98, 7: 0.94, 8: 0.82, 9: 1.03,
          10: 1.07, 11: 1.06, 12: 0.9}

Row = dict[str, Any]


def months_before(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    """The first days of the `count` full months before `today`'s, oldest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append(dt.date(year, month, 1))
    return out[::-1]


def price(product: str) -> float:
    """A plausible pack price in EUR, the same for a product name in every run."""
    return 18.0 + sum(map(ord, product)) % 70


@dataclass
class SalesFigures:
    """Collects the rows: `doctor` per doctor as they are made, `bricks` at the end."""

    seed: int
    today: dt.date
    territory_id: str
    synced: Callable[[], Row]  # the common columns of a new row
    rng: random.Random = field(init=False)
    months: list[dt.date] = field(init=False)
    _bricks: dict[tuple[str, str, dt.date], list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed + 2)
        self.months = months_before(self.today)

    def doctor(self, account_id: str, postcode: str, potential: float,
               responsiveness: float, calls_per_year: float,
               products: list[tuple[str, str]]) -> list[Row]:
        """Monthly rows of the doctor's first one or two products ((id, name) pairs, most
        relevant first)."""
        rng, rows = self.rng, []
        brick = postcode[:3]
        chosen = products[:2] if rng.random() < 0.5 else products[:1]
        for rank, (product_id, name) in enumerate(chosen):
            market_base = MARKET_AT_FULL_POTENTIAL * max(potential, 0.05) / (1 + rank)
            share = min(0.6, 0.05 + 0.25 * responsiveness + 0.012 * min(calls_per_year, 25))
            trend = rng.uniform(-0.012, 0.02)  # per month
            for i, month in enumerate(self.months):
                market = round(market_base * SEASON[month.month] * rng.uniform(0.85, 1.15))
                units = min(market, round(market * share * (1 + trend) ** i
                                          * rng.uniform(0.8, 1.2)))
                value = round(units * price(name), 2)
                rows.append({**self.synced(), "territory_id": self.territory_id,
                             "account_id": account_id, "brick": None,
                             "product_id": product_id, "month": month, "units": units,
                             "value": value, "market_units": market})
                total = self._bricks.setdefault((brick, product_id, month), [0, 0.0, 0])
                total[0] += units
                total[1] += value
                total[2] += market
        return rows

    def bricks(self) -> list[Row]:
        """One row per brick, product and month: the doctors' figures plus the unvisited
        prescribers' (who buy less of ours: the rep does not reach them)."""
        rows = []
        for (brick, product_id, month), (units, value, market) in sorted(
                self._bricks.items(), key=lambda item: (item[0][0], item[0][1], item[0][2])):
            extra = market * UNVISITED_MARKET
            extra_units = round(extra * 0.08)
            per_unit = value / units if units else 0.0
            rows.append({**self.synced(), "territory_id": self.territory_id,
                         "account_id": None, "brick": brick, "product_id": product_id,
                         "month": month, "units": int(units) + extra_units,
                         "value": round(value + extra_units * per_unit, 2),
                         "market_units": int(market + round(extra))})
        return rows
