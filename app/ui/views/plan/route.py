"""The day's route: the visits in order, drawn as stops and legs, reordered by hand or
re-planned in one click.

The list is the rep's order: drag a visit to another place and the plot, the distance and
the times follow (the order kept as it is); tick "fixed" on a visit whose time is agreed and
"Plan route" keeps it there. "Cancel visit" discards the planned call and re-plans the rest
at once; "Save times" writes the route's start times into the calls (synced like any edit).
The plot is longitude against latitude with the aspect of the latitude, which is enough to
see the day's shape without map tiles.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from sqlalchemy.orm import Session

import pyqtgraph as pg
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.engine.route import Point, Route
from app.i18n import tr
from app.services.calls import delete_draft
from app.services.errors import ValidationError
from app.services.plan import (
    DayPlan,
    apply_plan,
    hours_warning,
    parse_start,
    plan_day,
    route_warnings,
)
from app.store.plan_queries import PlannedCall, planned_calls
from app.store.queries import current_user
from app.ui import format as fmt
from app.ui.charts import StyledPlot, restyle, series_color
from app.ui.operations import Operations, describe

ID_ROLE = Qt.ItemDataRole.UserRole


def day_bounds_utc(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local day as the naive UTC the store compares with."""
    begin = dt.datetime.combine(day, dt.time()).astimezone()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).astimezone()
    return (begin.astimezone(dt.UTC).replace(tzinfo=None),
            end.astimezone(dt.UTC).replace(tzinfo=None))


def clock(minutes: float) -> str:
    whole = round(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"


class RouteView(QWidget):
    """`changed` after calls were moved or cancelled (the calendar and Today reload);
    `shown` each time a route is on screen."""

    changed = Signal()
    shown = Signal()

    def __init__(self, ops: Operations, start_setting: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.start_setting = start_setting
        self.plan: DayPlan | None = None
        self._calls: list[PlannedCall] = []
        self._user_id: str | None = None
        self._filling = False
        self._start_error = ""

        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setAccessibleName(tr("Day"))
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.plan_button = QPushButton(tr("Plan route"))
        self.plan_button.setToolTip(tr("Order the visits for the least travel, keeping the "
                                       "fixed ones at their time"))
        self.plan_button.clicked.connect(self.replan)
        self.cancel_button = QPushButton(tr("Cancel visit"))
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.save_button = QPushButton(tr("Save times"))
        self.save_button.setToolTip(tr("Give each visit the start time of the route"))
        self.save_button.clicked.connect(self.save_times)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Day")))
        for widget in (self.day, self.plan_button, self.cancel_button, self.save_button):
            bar.addWidget(widget)
        bar.addStretch()

        self.stops = QListWidget()
        self.stops.setAccessibleName(tr("Visits in route order"))
        self.stops.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stops.model().rowsMoved.connect(lambda *_: self.follow_hand_order())
        self.stops.itemChanged.connect(lambda _item: None if self._filling else self.replan())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.plot = StyledPlot()  # the theme's colours, not pyqtgraph's black
        restyle(self.plot)
        self.plot.setAccessibleName(tr("Map of the day's route"))
        self.plot.setAspectLocked(True)
        self.plot.setLabel("bottom", tr("Longitude"))
        self.plot.setLabel("left", tr("Latitude"))

        left = QVBoxLayout()
        left.addWidget(self.stops, 1)
        left.addWidget(self.summary)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addWidget(self.plot, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(body, 1)

    # -- reading ---------------------------------------------------------------------------

    def selected_day(self) -> dt.date:
        q = self.day.date()
        return dt.date(q.year(), q.month(), q.day())

    def refresh(self) -> None:
        """Read the day's planned calls and plan them."""
        since, until = day_bounds_utc(self.selected_day())

        def read(session: Session) -> tuple[str | None, list[PlannedCall]]:
            user = current_user(session.connection())
            user_id = user.id if user else None
            return user_id, planned_calls(session.connection(), user_id, since, until)

        self.ops.read(read, self._loaded)

    def _loaded(self, result: tuple[str | None, list[PlannedCall]]) -> None:
        self._user_id, self._calls = result
        self.replan()

    # -- planning --------------------------------------------------------------------------

    def _start_point(self) -> Point | None:
        """The start address from the settings; a wrong one is said in the summary."""
        try:
            self._start_error = ""
            return parse_start(self.start_setting())
        except ValidationError as error:
            self._start_error = " ".join(error.errors.values())
            return None

    def fixed(self) -> set[str]:
        return {self.stops.item(i).data(ID_ROLE) for i in range(self.stops.count())
                if self.stops.item(i).checkState() == Qt.CheckState.Checked}

    def order(self) -> list[str]:
        return [self.stops.item(i).data(ID_ROLE) for i in range(self.stops.count())]

    def replan(self) -> None:
        """Order the day's visits anew (one click; also after a visit was cancelled)."""
        self._show(plan_day(self.selected_day(), self._calls, self._start_point(),
                            self.fixed()))

    def follow_hand_order(self) -> None:
        """The rep moved a visit: keep that order and show what it costs."""
        if self._filling:
            return
        by_id = {c.id: c for c in self._calls}
        ordered = [by_id[key] for key in self.order() if key in by_id]
        self._show(plan_day(self.selected_day(), ordered, self._start_point(), self.fixed(),
                            keep_order=True), refill=False)

    def _show(self, plan: DayPlan, *, refill: bool = True) -> None:
        fixed = self.fixed()
        self.plan = plan
        if refill:
            self._filling = True
            self.stops.clear()
            for leg in plan.route.legs:
                call = plan.calls[leg.stop.key]
                item = QListWidgetItem()
                item.setData(ID_ROLE, call.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsDragEnabled)
                item.setCheckState(Qt.CheckState.Checked if call.id in fixed
                                   else Qt.CheckState.Unchecked)
                self.stops.addItem(item)
            self._filling = False
        self._label_items(plan.route)
        self._draw(plan)
        self._summarise(plan)
        self.shown.emit()

    def _label_items(self, route: Route) -> None:
        self._filling = True
        for i, leg in enumerate(route.legs):
            item = self.stops.item(i)
            call = self.plan.calls[leg.stop.key] if self.plan else None
            name = call.account_name if call else leg.stop.key
            late = (" — " + tr("{minutes} min late", minutes=round(leg.late))
                    if leg.late >= 1 else "")
            item.setText(tr("{number}. {start} {name} ({km} km){late}",
                            number=i + 1, start=clock(leg.start), name=name,
                            km=fmt.number_text(leg.km), late=late))
            warning = hours_warning(call, self.plan.day, leg.start) \
                if call is not None and self.plan is not None else None
            item.setToolTip("\n".join(filter(None, (
                tr("Tick to keep this visit at its time"), warning))))
        self._filling = False

    def _summarise(self, plan: DayPlan) -> None:
        route = plan.route
        if not route.legs:
            text = tr("No visits planned in person on this day.")
        else:
            text = tr("{count} visits, {km} km, back at {time}.", count=len(route.legs),
                      km=fmt.number_text(route.km), time=clock(route.back_at))
            if route.late >= 1:
                text += " " + tr("The fixed times cannot all be kept: {minutes} minutes late "
                                 "in all.", minutes=round(route.late))
        if self._start_error:
            text += " " + self._start_error
        elif plan.start is None and route.legs:
            text += " " + tr("No start address in the settings: the route starts at the "
                             "first visit.")
        if plan.unplaced:
            text += " " + tr("Without coordinates, not in the route: {names}.", names=", ".join(
                c.account_name for c in plan.unplaced))
        for warning in route_warnings(plan):  # a warning, never a block: the rep decides
            text += " ⚠ " + warning
        self.summary.setText(text)

    def _draw(self, plan: DayPlan) -> None:
        self.plot.clear()
        legs = plan.route.legs
        if not legs:
            return
        start = plan.start or legs[0].stop.point
        xs = [start.longitude, *(leg.stop.point.longitude for leg in legs), start.longitude]
        ys = [start.latitude, *(leg.stop.point.latitude for leg in legs), start.latitude]
        text = self.plot.palette().color(QPalette.ColorRole.Text)
        stop = series_color(self, 0)
        self.plot.plot(xs, ys, pen=pg.mkPen(self.plot.palette().color(QPalette.ColorRole.Mid),
                                            width=2))
        self.plot.plot(xs[1:-1], ys[1:-1], pen=None, symbol="o", symbolSize=10,
                       symbolBrush=stop, symbolPen=stop)
        self.plot.plot([xs[0]], [ys[0]], pen=None, symbol="s", symbolSize=12,
                       symbolBrush=text, symbolPen=text)
        for number, (x, y) in enumerate(zip(xs[1:-1], ys[1:-1], strict=True), start=1):
            label = pg.TextItem(str(number), color=text, anchor=(0, 1))
            label.setPos(x, y)
            self.plot.addItem(label)
        # Degrees of longitude shrink with the latitude: scale them so the map is not wide.
        self.plot.getViewBox().setAspectLocked(True, 1 / math.cos(math.radians(ys[0])))

    # -- writing ---------------------------------------------------------------------------

    def cancel_selected(self) -> None:
        item = self.stops.currentItem()
        if item is None:
            return
        call_id = item.data(ID_ROLE)
        user_id = self._user_id

        def cancel(session: Session) -> None:
            delete_draft(session, user_id, call_id)

        def done(_result: None) -> None:
            self._calls = [c for c in self._calls if c.id != call_id]
            self.replan()
            self.changed.emit()

        self.ops.write(cancel, done, self._failed)

    def save_times(self) -> None:
        plan, user_id = self.plan, self._user_id
        if plan is None:
            return

        def save(session: Session) -> int:
            return apply_plan(session, user_id, plan)

        self.ops.write(save, self._saved, self._failed)

    def _saved(self, _moved: int) -> None:
        self.changed.emit()
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, tr("Route"), describe(error))
