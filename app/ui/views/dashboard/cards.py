"""The cards of the rep's figures, each a pyqtgraph chart with the same figures as a table.

Bars are drawn with `BarGraphItem`; a click on a coverage bar (or Enter on its table row)
asks for the accounts behind it. Numbers and percentages are written the locale's way.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout

from app.i18n import tr
from app.store.home_figures import Coverage, HomeFigures, SegmentReach
from app.ui import format as fmt
from app.ui.charts import ChartOrTable, series_color, styled_plot
from app.ui.parts import Card, muted

BAR_WIDTH = 0.35


def _plan_color(card: Card) -> QColor:
    return card.palette().color(QPalette.ColorRole.Mid)


def _ticks(plot: pg.PlotWidget, labels: Sequence[str]) -> None:
    plot.getPlotItem().getAxis("bottom").setTicks([list(enumerate(labels))])
    plot.getPlotItem().setXRange(-0.6, len(labels) - 0.4, padding=0)


class CallsCard(Card):
    """Submitted calls this week and this month beside the plan."""

    def __init__(self) -> None:
        super().__init__(tr("Calls against plan"))
        self.plot = styled_plot()
        self.view = ChartOrTable(self.plot, self.title.text())
        self.summary = muted(wrap=True)
        self.cycle = muted(wrap=True)
        self.cycle.setObjectName("cycle-plan-progress")
        self.body.addWidget(self.summary)
        self.body.addWidget(self.cycle)
        self.body.addWidget(self.view)

    def show_figures(self, figures: HomeFigures) -> None:
        cycle = figures.cycle
        self.cycle.setVisible(cycle is not None)
        if cycle is not None:
            self.cycle.setText(tr("Cycle plan until {end}: {calls} of {target} calls",
                                  end=fmt.date_text(cycle.end),
                                  calls=fmt.number_text(float(cycle.calls), 0),
                                  target=fmt.number_text(float(cycle.target), 0)))
        periods = [(tr("This week"), figures.calls_week, figures.plan_week),
                   (tr("This month"), figures.calls_month, figures.plan_month)]
        item = self.plot.getPlotItem()
        item.clear()
        xs = list(range(len(periods)))
        item.addItem(pg.BarGraphItem(x=[x - BAR_WIDTH / 2 for x in xs],
                                     height=[p[1] for p in periods], width=BAR_WIDTH,
                                     brush=series_color(self, 0), name=tr("Calls")))
        item.addItem(pg.BarGraphItem(x=[x + BAR_WIDTH / 2 for x in xs],
                                     height=[p[2] for p in periods], width=BAR_WIDTH,
                                     brush=_plan_color(self), name=tr("Plan")))
        _ticks(self.plot, [p[0] for p in periods])
        plan = fmt.number_text(figures.plan_week, 0)
        self.summary.setText(
            tr("1 call this week of {plan} planned", plan=plan) if figures.calls_week == 1
            else tr("{calls} calls this week of {plan} planned",
                    calls=fmt.number_text(float(figures.calls_week), 0), plan=plan))
        self.view.fill_table(
            [tr("Period"), tr("Calls"), tr("Plan"), tr("Of plan")],
            [[name, fmt.number_text(float(calls), 0), fmt.number_text(plan, 0),
              fmt.percent_text(calls / plan, 0) if plan else "—"]
             for name, calls, plan in periods])


class ReachCard(Card):
    """Reach of the A, B and C accounts in the quarter, with the target beside each bar;
    the table adds the frequency against its target."""

    def __init__(self) -> None:
        super().__init__(tr("Reach by segment"))
        self.plot = styled_plot()
        self.view = ChartOrTable(self.plot, self.title.text())
        self.note = muted(tr("Share of accounts called at least once in the last 13 weeks; "
                             "grey: the target."), wrap=True)
        self.body.addWidget(self.view)
        self.body.addWidget(self.note)

    def show_segments(self, segments: Sequence[SegmentReach]) -> None:
        item = self.plot.getPlotItem()
        item.clear()
        xs = list(range(len(segments)))
        item.addItem(pg.BarGraphItem(x=[x - BAR_WIDTH / 2 for x in xs],
                                     height=[s.reach * 100 for s in segments],
                                     width=BAR_WIDTH, brush=series_color(self, 0)))
        item.addItem(pg.BarGraphItem(x=[x + BAR_WIDTH / 2 for x in xs],
                                     height=[s.reach_target * 100 for s in segments],
                                     width=BAR_WIDTH, brush=_plan_color(self)))
        item.setYRange(0, 100)
        _ticks(self.plot, [tr("Segment {segment}", segment=s.segment) for s in segments])
        self.view.fill_table(
            [tr("Segment"), tr("Accounts"), tr("Reached"), tr("Reach"), tr("Target"),
             tr("Calls per account"), tr("Target")],
            [[s.segment, fmt.number_text(float(s.accounts), 0),
              fmt.number_text(float(s.reached), 0), fmt.percent_text(s.reach, 0),
              fmt.percent_text(s.reach_target, 0), fmt.number_text(s.frequency, 1),
              fmt.number_text(s.frequency_target, 1)] for s in segments])


class CoverageCard(Card):
    """Where the A and B accounts are reached least, by city or by specialty. A bar (or
    its table row) opens the accounts list filtered to it."""

    #: ("city" or "specialty", the city or the specialty id)
    accounts_requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__(tr("Where coverage lags"))
        self.by = QComboBox()
        self.by.setAccessibleName(tr("Group coverage by"))
        self.by.addItem(tr("By city"), "city")
        self.by.addItem(tr("By specialty"), "specialty")
        self.by.currentIndexChanged.connect(lambda _i: self._draw())
        self.plot = styled_plot()
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.view = ChartOrTable(self.plot, self.title.text())
        self.view.table.activated.connect(lambda index: self._open(index.row()))
        row = QHBoxLayout()
        row.addWidget(self.by)
        row.addStretch()
        self.body.addLayout(row)
        self.body.addWidget(self.view)
        self.body.addWidget(muted(tr("Reach of the A and B accounts in the last 13 weeks. "
                                     "Click a bar, or press Enter on a row, to see the "
                                     "accounts."), wrap=True))
        self._figures: HomeFigures | None = None
        self.bars: list[Coverage] = []

    def show_figures(self, figures: HomeFigures) -> None:
        self._figures = figures
        self._draw()

    def _draw(self) -> None:
        if self._figures is None:
            return
        by_city = self.by.currentData() == "city"
        self.bars = list(self._figures.by_city if by_city else self._figures.by_specialty)
        item = self.plot.getPlotItem()
        item.clear()
        if self.bars:
            item.addItem(pg.BarGraphItem(x=list(range(len(self.bars))),
                                         height=[c.reach * 100 for c in self.bars],
                                         width=0.6, brush=series_color(self, 1)))
        item.setYRange(0, 100)
        _ticks(self.plot, [c.label for c in self.bars])
        self.view.fill_table(
            [tr("City") if by_city else tr("Specialty"), tr("A and B accounts"),
             tr("Reached"), tr("Reach")],
            [[c.label, fmt.number_text(float(c.accounts), 0),
              fmt.number_text(float(c.reached), 0), fmt.percent_text(c.reach, 0)]
             for c in self.bars])

    def bar_position(self, index: int) -> QPointF:
        """The middle of bar `index`, in the plot's viewport (where a click lands)."""
        bar = self.bars[index]
        scene = self.plot.getPlotItem().vb.mapViewToScene(QPointF(index, bar.reach * 50))
        return QPointF(self.plot.mapFromScene(scene))

    def _clicked(self, event: object) -> None:
        pos = event.scenePos()  # type: ignore[attr-defined]
        point = self.plot.getPlotItem().vb.mapSceneToView(pos)
        index = round(point.x())
        if 0 <= index < len(self.bars) and abs(point.x() - index) <= 0.3 \
                and 0 <= point.y() <= max(self.bars[index].reach * 100, 3):
            self._open(index)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.bars):
            kind = self.by.currentData()
            self.accounts_requested.emit(str(kind), self.bars[index].key)
