"""The manager's home: the team's figures per rep and the key accounts, read from the local
store (app/store/team_figures.py), so it works offline.

A manager reads and never writes the reps' records, so the screen offers reading only: a
rep (a bar, or Enter on the rep's row) opens the accounts list filtered to the rep's
territory, a key account opens its account. Like the rep's figures, `refresh` compares the
store's data stamp with the one drawn and reads and redraws only when it differs.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from sqlalchemy.orm import Session

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.i18n import tr
from app.store.team_figures import KeyAccount, RepFigures, TeamFigures, data_stamp, team_figures
from app.ui import format as fmt
from app.ui.charts import ChartOrTable, series_color, styled_plot
from app.ui.operations import Operations, describe
from app.ui.parts import Card, muted
from app.ui.views.dashboard.page import FiguresPage, Stamp

#: The bars of one rep, side by side: each a share, so one axis in per cent fits them all.
BAR_WIDTH = 0.18
ID_ROLE = Qt.ItemDataRole.UserRole
#: The chart is as wide as this many reps' groups at least.
MIN_SLOTS = 4


def _series() -> list[str]:
    return [tr("Calls this month, of plan"), tr("A accounts reached"),
            tr("Positive reactions"), tr("Suggestions taken up")]


def _shares(rep: RepFigures) -> list[float]:
    return [rep.of_plan_month, rep.a_coverage, rep.positive_share, rep.taken_share]


def _count(value: float) -> str:
    return fmt.number_text(float(value), 0)


def _cycle(rep: RepFigures) -> str:
    """The calls in the territory's cycle plan period against its target."""
    if rep.cycle_target is None:
        return "—"
    return tr("{calls} of {target}", calls=_count(rep.cycle_calls or 0),
              target=_count(rep.cycle_target))


class TeamCard(Card):
    """Per rep of the team: four shares as bars, and every figure behind them in a table.
    A click on a rep's bars, or Enter on the rep's row, asks for the rep's accounts."""

    #: the rep's territory id
    rep_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__(tr("The team"))
        self.plot = styled_plot()
        self.plot.setMinimumHeight(220)
        self.plot.setMaximumHeight(280)  # the key accounts below stay in sight
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.view = ChartOrTable(self.plot, self.title.text())
        self.view.table.activated.connect(lambda index: self._open(index.row()))
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.body.addWidget(self.view)
        self.body.addWidget(self.legend)
        self.body.addWidget(muted(tr(
            "Calls against the plan of the rep's territory (its cycle plan, once published); "
            "A accounts reached in the last 13 "
            "weeks; reactions and suggestions of the last four weeks. Click a rep's bars, or "
            "press Enter on a row, to see the rep's accounts."), wrap=True))
        self.reps: list[RepFigures] = []

    def show_reps(self, reps: tuple[RepFigures, ...]) -> None:
        self.reps = list(reps)
        item = self.plot.getPlotItem()
        item.clear()
        names = _series()
        offsets = [(i - (len(names) - 1) / 2) * BAR_WIDTH for i in range(len(names))]
        for series, offset in enumerate(offsets):
            if self.reps:
                item.addItem(pg.BarGraphItem(
                    x=[x + offset for x in range(len(self.reps))],
                    height=[_shares(r)[series] * 100 for r in self.reps], width=BAR_WIDTH,
                    brush=series_color(self, series)))
        item.setYRange(0, max([100.0] + [s * 100 for r in self.reps for s in _shares(r)]))
        item.getAxis("bottom").setTicks([list(enumerate(r.name for r in self.reps))])
        # A team of one or two keeps bars of the width a team of four has, centred.
        margin = max(0.6, (MIN_SLOTS - len(self.reps)) / 2 + 0.6)
        item.setXRange(-margin, len(self.reps) - 1 + margin, padding=0)
        self.legend.setText("&nbsp;&nbsp; ".join(
            f'<span style="color:{series_color(self, i).name()}">&#9632;</span> {escape(name)}'
            for i, name in enumerate(names)))
        self.view.fill_table(
            [tr("Rep"), tr("Territory"), tr("Calls this week"), tr("Plan"),
             tr("Calls this month"), tr("Plan"), tr("Of plan"), tr("A accounts"),
             tr("Reached"), tr("Coverage"), tr("Reactions"), tr("Positive"),
             tr("Suggestions"), tr("Taken up"), tr("Cycle plan")],
            [[r.name, r.territory, _count(r.calls_week), _count(r.plan_week),
              _count(r.calls_month), _count(r.plan_month),
              fmt.percent_text(r.of_plan_month, 0) if r.plan_month else "—",
              _count(r.a_accounts), _count(r.a_reached),
              fmt.percent_text(r.a_coverage, 0) if r.a_accounts else "—",
              _count(r.reactions),
              fmt.percent_text(r.positive_share, 0) if r.reactions else "—",
              _count(r.suggestions_decided),
              fmt.percent_text(r.taken_share, 0) if r.suggestions_decided else "—",
              _cycle(r)]
             for r in self.reps], numeric_from=2)

    def bar_position(self, index: int) -> QPointF:
        """A point on rep `index`'s bars, in the plot's viewport (where a click lands)."""
        scene = self.plot.getPlotItem().vb.mapViewToScene(QPointF(index, 1))
        return QPointF(self.plot.mapFromScene(scene))

    def _clicked(self, event: object) -> None:
        pos = event.scenePos()  # type: ignore[attr-defined]
        point = self.plot.getPlotItem().vb.mapSceneToView(pos)
        index = round(point.x())
        if 0 <= index < len(self.reps) and abs(point.x() - index) <= 2 * BAR_WIDTH \
                and point.y() >= 0:
            self._open(index)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.reps):
            self.rep_requested.emit(self.reps[index].territory_id)


class KeyAccountsCard(Card):
    """The institutions with most doctors, with the team's calls there: a table, each row
    opening its account (Enter or a double click)."""

    account_opened = Signal(str)

    def __init__(self) -> None:
        super().__init__(tr("Key accounts"))
        self.table = QTableWidget()
        self.table.setAccessibleName(self.title.text())
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(200)
        self.table.activated.connect(lambda index: self._open(index.row()))
        self.empty = muted(tr("No institution with affiliated doctors on this laptop yet."),
                           wrap=True)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        self.body.addWidget(muted(tr("Hospitals and networks with the most affiliated "
                                     "doctors; calls on them and on their doctors by anyone "
                                     "of the team. Press Enter on a row to open it."),
                                  wrap=True))

    def show_accounts(self, accounts: tuple[KeyAccount, ...]) -> None:
        headers = [tr("Institution"), tr("City"), tr("Doctors"), tr("Last call"),
                   tr("Calls in 90 days")]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        # The institution's name takes the width (a section exists once the columns do).
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setRowCount(len(accounts))
        for r, account in enumerate(accounts):
            last = fmt.date_text(fmt.local(account.last_call_at).date()) \
                if account.last_call_at else tr("never")
            for c, text in enumerate([account.name, account.city or "",
                                      _count(account.doctors), last,
                                      _count(account.recent_calls)]):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, account.account_id)
                if c >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, cell)
        self.table.setVisible(bool(accounts))
        self.empty.setVisible(not accounts)

    def _open(self, row: int) -> None:
        cell = self.table.item(row, 0)
        if cell is not None:
            self.account_opened.emit(str(cell.data(ID_ROLE)))


class TeamView(FiguresPage):
    rep_requested = Signal(str)  # the rep's territory id
    account_opened = Signal(str)
    loaded = Signal()  # after a refresh, redrawn or not

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(tr("My team"), parent)
        self._ops = ops
        #: A refresh asked for while one reads waits for it (showing the screen and a sync
        #: ending together read once, then compare the stamp once more).
        self._reading = self._again = False
        self.team = TeamCard()
        self.team.rep_requested.connect(self.rep_requested)
        self.key_accounts = KeyAccountsCard()
        self.key_accounts.account_opened.connect(self.account_opened)
        self.no_team = muted(tr("No rep of your team is on this laptop yet: the team arrives "
                                "with the next sync."), wrap=True)
        self.no_team.hide()
        self.error = muted(wrap=True)
        self.error.hide()
        for part in (self.error, self.no_team, self.team, self.key_accounts):
            self.column.addWidget(part)
        self.column.addStretch()

    def refresh(self) -> None:
        """Redraw if the store changed since the last drawing."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        drawn, today = self.stamp, dt.date.today()

        def read(session: Session) -> tuple[Stamp, TeamFigures | None]:
            conn = session.connection()
            stamp = data_stamp(conn)
            if stamp == drawn:
                return stamp, None
            return stamp, team_figures(conn, today)

        self._ops.read(read, self._show, self._failed)

    def _show(self, answer: tuple[Stamp, TeamFigures | None]) -> None:
        stamp, figures = answer
        self._reading = False
        if figures is not None:
            self.stamp = stamp
            self.redraws += 1
            self.error.hide()
            self.team.show_reps(figures.reps)
            self.team.setVisible(bool(figures.reps))
            self.no_team.setVisible(not figures.reps)
            self.key_accounts.show_accounts(figures.key_accounts)
        self._done()

    def _done(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
        else:
            self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self._reading = False
        self.error.setText(tr("The figures could not be read: {reason}",
                              reason=describe(error)))
        self.error.show()
        self._done()
