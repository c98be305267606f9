"""Charts with pyqtgraph that read like the rest of the window, and say the same as a table.

Colours come from the window's palette (light or dark) and one colour-blind-safe series
palette (Okabe-Ito); axes write months and numbers the user's locale's way. A chart never
stands alone: `ChartOrTable` keeps a table of the same figures one key press away, for
screen readers and for reading exact values. Mouse panning and zooming are off: the charts
show a fixed picture, and what a click does (a bar opening a list) is the screen's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QDate, QEvent, QLocale, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr

#: Okabe-Ito: told apart with every common colour-vision deficiency, on light and dark.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
SERIES_DARK = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442")


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


def series_color(widget: QWidget, index: int) -> QColor:
    colors = SERIES_DARK if is_dark(widget) else SERIES
    return QColor(colors[index % len(colors)])


def month_text(month: dt.date) -> str:
    """'Mar 26' / 'März 26' in the user's locale."""
    return QLocale().toString(QDate(month.year, month.month, 1), tr("MMM yy"))


class NumberAxis(pg.AxisItem):
    """A y axis writing numbers with the locale's group separator ('12.345' in German)."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [QLocale().toString(round(v * scale)) for v in values]


class StyledPlot(pg.PlotWidget):
    """A plot that takes the palette's colours again when the theme changes."""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "plotItem", None):
            restyle(self)


def styled_plot() -> pg.PlotWidget:
    """A plot in the palette's colours, without mouse interaction; the screen sets the
    bottom axis's ticks (months, regions) with `setTicks`."""
    plot = StyledPlot(axisItems={"left": NumberAxis("left")})
    restyle(plot)
    item = plot.getPlotItem()
    item.setMouseEnabled(x=False, y=False)
    item.setMenuEnabled(False)
    item.hideButtons()
    item.showGrid(x=False, y=True, alpha=0.15)
    plot.setMinimumHeight(180)
    plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the table and the buttons take the keys
    return plot


def restyle(plot: pg.PlotWidget) -> None:
    """Background and axis colours from the palette (call again when the theme changes)."""
    palette = plot.palette()
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom"):
        axis = plot.getPlotItem().getAxis(name)
        axis.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
        axis.setTextPen(pg.mkPen(text))


class ChartOrTable(QWidget):
    """A chart and a table of the same figures, one shown at a time; the button between
    them is the keyboard's (and the screen reader's) way to the exact numbers."""

    def __init__(self, chart: QWidget, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.table = QTableWidget()
        self.table.setAccessibleName(title)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(180)
        self.toggle = QPushButton(tr("Show as table"))
        self.toggle.setAccessibleDescription(
            tr("Switches between the chart and a table of the same figures"))
        self.toggle.clicked.connect(self.flip)
        self.stack = QStackedWidget()
        self.stack.addWidget(chart)
        self.stack.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

    @property
    def showing_table(self) -> bool:
        return self.stack.currentWidget() is self.table

    def flip(self) -> None:
        table = not self.showing_table
        self.stack.setCurrentWidget(self.table if table else self.chart)
        self.toggle.setText(tr("Show as chart") if table else tr("Show as table"))
        if table:
            self.table.setFocus()

    def fill_table(self, headers: Sequence[str], rows: Sequence[Sequence[str]],
                   numeric_from: int = 1) -> None:
        """The table's cells, columns from `numeric_from` on right-aligned."""
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(list(headers))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                if c >= numeric_from:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, cell)
