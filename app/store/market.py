"""Sales and market figures per account or postcode area, product and month.

The server imports them from regional sales exports and sends each territory its own rows
(app.contract, "market_sales"); the laptop only reads them: the account's product trend and
share of market, the home's sales trend. `account_id` is no foreign key here: the rows
follow their territory, not the account, so an account revoked from this laptop leaves its
figures to the territory they were sold in.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, Synced


class MarketSale(Synced, Base):
    __tablename__ = "market_sales"
    __table_args__ = (
        Index("ix_market_sales_account_id_month", "account_id", "month"),
        Index("ix_market_sales_product_id_month", "product_id", "month"),
    )

    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"))
    account_id: Mapped[str | None] = mapped_column(String(36))
    brick: Mapped[str | None] = mapped_column(String(16))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    units: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)  # EUR
    market_units: Mapped[int | None] = mapped_column(Integer)
