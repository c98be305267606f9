"""The rep's figures screen: calls against plan, reach by segment, where coverage lags, the
territory's sales; all read from the local store, so it works offline.

`refresh` is cheap to call after every sync or edit: one read compares the store's data
stamp (app/store/home_figures.py) with the one drawn, and the figures are read and the
charts redrawn only when it differs.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from app.i18n import tr
from app.store.home_figures import HomeFigures, data_stamp, home_figures
from app.ui.operations import Operations, describe
from app.ui.parts import muted
from app.ui.views.dashboard.cards import CallsCard, CoverageCard, ReachCard
from app.ui.views.dashboard.page import FiguresPage, Stamp
from app.ui.views.sales.trend import SalesTrendCard


class DashboardView(FiguresPage):
    accounts_requested = Signal(str, str)  # "city" or "specialty", its value
    loaded = Signal()  # after a refresh, redrawn or not

    def __init__(self, ops: Operations, language: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("My figures"), parent)
        self._ops, self._language = ops, language
        self.user_id: str | None = None
        self.calls = CallsCard()
        self.reach = ReachCard()
        self.coverage = CoverageCard()
        self.coverage.accounts_requested.connect(self.accounts_requested)
        self.sales = SalesTrendCard(tr("Sales in the territory"))
        self.error = muted(wrap=True)
        self.error.hide()
        grid = QGridLayout()
        grid.setSpacing(16)
        grid.addWidget(self.calls, 0, 0)
        grid.addWidget(self.reach, 0, 1)
        grid.addWidget(self.coverage, 1, 0)
        grid.addWidget(self.sales, 1, 1)
        self.column.addWidget(self.error)
        self.column.addLayout(grid)
        self.column.addStretch()

    def refresh(self) -> None:
        """Redraw if the store changed since the last drawing."""
        drawn, user_id, lang = self.stamp, self.user_id, self._language
        today = dt.date.today()

        def read(session: Session) -> tuple[Stamp, HomeFigures | None]:
            conn = session.connection()
            stamp = data_stamp(conn)
            if stamp == drawn:
                return stamp, None
            return stamp, home_figures(conn, user_id, today, lang)

        self._ops.read(read, self._show, self._failed)

    def _show(self, answer: tuple[Stamp, HomeFigures | None]) -> None:
        stamp, figures = answer
        if figures is not None:
            self.stamp = stamp
            self.redraws += 1
            self.error.hide()
            self.calls.show_figures(figures)
            self.reach.show_segments(figures.segments)
            self.coverage.show_figures(figures)
            self.sales.show_trends(list(figures.sales))
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(tr("The figures could not be read: {reason}",
                              reason=describe(error)))
        self.error.show()
        self.loaded.emit()
