"""The product trend of an account or a territory: units per month per product, with the
share of market beside it, as a chart or as a table."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent

from app.i18n import tr
from app.store.sales_queries import SHARE_MONTHS, ProductTrend
from app.ui import format as fmt
from app.ui.charts import ChartOrTable, month_text, series_color, styled_plot
from app.ui.parts import Card, muted


def share_line(trend: ProductTrend) -> str:
    """'Cardiovel: 23.4% share of market, +5.0% on the quarter before'."""
    parts = [trend.product]
    if trend.share is not None:
        parts.append(tr("{share} share of market", share=fmt.percent_text(trend.share)))
    if trend.change is not None:
        parts.append(tr("{change} on the quarter before",
                        change=fmt.percent_text(trend.change) if trend.change <= 0 else
                        "+" + fmt.percent_text(trend.change)))
    return ": ".join(parts[:2]) + (", " + parts[2] if len(parts) > 2 else "")


class SalesTrendCard(Card):
    """Units per month of each product; hidden where there are no figures."""

    def __init__(self, title: str | None = None) -> None:
        super().__init__(title or tr("Sales trend"))
        self.plot = styled_plot()
        self.plot.getPlotItem().addLegend(offset=(8, 8))
        self.view = ChartOrTable(self.plot, self.title.text())
        self.shares = muted(wrap=True)
        self.shares.setAccessibleName(tr("Share of market"))
        self.note = muted(tr("Units per month; share of market over the last {months} months.",
                             months=SHARE_MONTHS), wrap=True)
        self.body.addWidget(self.view)
        self.body.addWidget(self.shares)
        self.body.addWidget(self.note)
        self.trends: list[ProductTrend] = []

    def changeEvent(self, event: QEvent) -> None:
        """Series colours follow the theme (light and dark have their own)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.trends:
            self.show_trends(self.trends)

    def show_trends(self, trends: list[ProductTrend]) -> None:
        self.trends = trends
        self.setVisible(bool(trends))
        item = self.plot.getPlotItem()
        item.clear()
        months = sorted({m for t in trends for m in t.months})
        item.getAxis("bottom").setTicks([[(i, month_text(m)) for i, m in enumerate(months)][::2]])
        index = {m: i for i, m in enumerate(months)}
        for n, trend in enumerate(trends):
            color = series_color(self, n)
            item.plot([index[m] for m in trend.months], list(trend.units), name=trend.product,
                      pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5,
                      symbolBrush=color, symbolPen=None)
        self.shares.setText("\n".join(share_line(t) for t in trends))
        rows = []
        for trend in trends:
            for m, units, value, market in zip(trend.months, trend.units, trend.values,
                                               trend.market_units, strict=True):
                rows.append([trend.product, month_text(m), fmt.number_text(float(units), 0),
                             fmt.number_text(value, 2),
                             fmt.percent_text(units / market) if market else "—"])
        self.view.fill_table([tr("Product"), tr("Month"), tr("Units"), tr("Value (EUR)"),
                              tr("Share of market")], rows, numeric_from=2)
