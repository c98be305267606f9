"""Sales and market figures per account or postcode area, product and month.

The server imports them from regional sales exports and sends each territory its own rows
(app.contract, "market_sales"); the laptop only reads them: the account's product trend and
share of market, the home's sales trend. `account_id` is no foreign key here: the rows
follow their territory, not the account, so an account revoked from this laptop leaves its
figures to the territory they were sold in.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class MarketSale(Synced, Base):
    __tablename__ = "market_sales"
    __table_args__ = (
        Index("ix_market_sales_account_id_month", "account_id", "month"),
        Index("ix_market_sales_product_id_month", "product_id", "month"),
        Index("ix_market_sales_version", "version"),
        Index("ix_market_sales_updated_at", "updated_at"),
        # The territory's trend reads the area rows only: a few thousand among a million.
        Index("ix_market_sales_bricks", "product_id", "month", "units", "value",
              "market_units", sqlite_where=text("brick IS NOT NULL")),
    )

    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"))
    account_id: Mapped[str | None] = mapped_column(String(36))
    brick: Mapped[str | None] = mapped_column(String(16))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    units: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)  # EUR
    market_units: Mapped[int | None] = mapped_column(Integer)
