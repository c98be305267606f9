"""Planning the rep's days: move a planned call, and order a day's visits into a route.

Why here and not in the view: the calendar's drag and the route's "apply" both move planned
calls, and both must validate, audit and sync the same way (the store's outbox follows every
change). The route itself is pure (app/engine/route.py); this module turns the day's planned
calls into stops and the route's times back into calls.

What the stops know: a visit may start within the practice's opening hours that day (the
account's `opening_hours`, app/opening_hours.py: from its first opening to its last closing,
as the route's search takes one window a stop; `PRACTICE_HOURS` where the account has none);
a visit the rep pinned keeps its time (a fixed appointment); a call without coordinates
cannot be placed and is listed apart. Hours are a warning, never a block: `hours_warning`
says which visit (in the calendar, in the route, at the times the route chose) falls
outside them, over a lunch break too, and the rep decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app import opening_hours
from app.engine.route import Point, Route, Stop, plan_route, route_in_order
from app.i18n import tr
from app.services import audit
from app.services.errors import LockedError, NotFoundError, ValidationError
from app.services.parse import Fields
from app.store.base import CallStatus, Channel
from app.store.interactions import Interaction
from app.store.plan_queries import PlannedCall

#: When a practice receives visits (minutes after local midnight).
PRACTICE_HOURS = (8 * 60, 18 * 60)
#: A visit lasts this long when the call does not say.
VISIT_MIN = 20
#: When the rep sets off, unless the first fixed appointment says earlier.
DAY_START_MIN = 8 * 60


def reschedule_call(session: Session, user_id: str | None, call_id: str,
                    start_at: dt.datetime) -> None:
    """Move a planned call to `start_at` (aware, or naive UTC). Only planned calls move: a
    draft or a submitted call happened when it happened."""
    call = session.get(Interaction, call_id)
    if call is None or call.deleted:
        raise NotFoundError(tr("This call no longer exists."))
    if call.status != CallStatus.PLANNED:
        raise LockedError(tr("Only a planned call can be moved; this one is already reported."))
    f = Fields()
    value = f.datetime("start_at", start_at)
    if f.errors or value is None:
        raise ValidationError(f.errors)
    if value == call.start_at:
        return
    before = call.start_at
    call.start_at = value
    session.flush()
    audit.record(session, user_id, "call.rescheduled", "interactions", call.id,
                 before=before.isoformat(), after=value.isoformat())


def parse_start(text: str) -> Point | None:
    """The start address setting, "latitude, longitude"; None when empty.

    Raises ValidationError with the rep's words for anything else."""
    text = text.strip()
    if not text:
        return None
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    try:
        latitude, longitude = (float(p) for p in parts)
    except ValueError:
        latitude = longitude = float("nan")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"route_start": tr(
            "“{value}” is not a place: enter latitude and longitude, e.g. 50.94, 6.96.",
            value=text)})
    return Point(latitude, longitude)


@dataclass(frozen=True)
class DayPlan:
    """A day's route and the calls it could not place (no coordinates)."""

    day: dt.date
    start: Point | None
    route: Route
    unplaced: tuple[PlannedCall, ...]
    calls: dict[str, PlannedCall]


def _local_minutes(value: dt.datetime) -> int:
    local = value.replace(tzinfo=dt.UTC).astimezone()
    return local.hour * 60 + local.minute


def hours_of(call: PlannedCall) -> opening_hours.OpeningHours | None:
    """The call's practice hours; None when unknown (or unreadable: the server refuses
    unreadable hours, so that is an old row, and no hours are better than wrong ones)."""
    try:
        return opening_hours.parse(call.opening_hours)
    except opening_hours.OpeningHoursError:
        return None


def window(call: PlannedCall, day: dt.date) -> tuple[int, int]:
    """When the visit may start on `day`: from the practice's first opening to its last
    closing less the visit; `PRACTICE_HOURS` when its hours are unknown or it is closed."""
    hours = hours_of(call)
    spans = hours.spans(day.weekday()) if hours is not None else ()
    if not spans:
        return PRACTICE_HOURS
    service = call.duration_min or VISIT_MIN
    first = spans[0][0]
    return first, max(first, max(end for _start, end in spans) - service)


def hours_warning(call: PlannedCall, day: dt.date | None = None,
                  start_min: float | None = None) -> str | None:
    """Why the visit falls outside its practice's hours, or None (inside, or hours unknown).
    By default at the call's own local day and time; `day` and `start_min` ask about the
    time a route chose."""
    hours = hours_of(call)
    if hours is None:
        return None
    local = call.start_at.replace(tzinfo=dt.UTC).astimezone()
    day = day or local.date()
    start = round(start_min) if start_min is not None else local.hour * 60 + local.minute
    if hours.is_open(day.weekday(), start, call.duration_min or VISIT_MIN):
        return None
    if not hours.spans(day.weekday()):
        return tr("{name} is closed on this day (opening hours: {hours}).",
                  name=call.account_name, hours=call.opening_hours)
    return tr("{name}: {time} is outside the opening hours ({hours}).",
              name=call.account_name, time=f"{start // 60:02d}:{start % 60:02d}",
              hours=call.opening_hours)


def _stops(calls: Iterable[PlannedCall], fixed: set[str], day: dt.date) -> list[Stop]:
    stops = []
    for call in calls:
        assert call.latitude is not None and call.longitude is not None
        point = Point(call.latitude, call.longitude)
        service = call.duration_min or VISIT_MIN
        if call.id in fixed:
            stops.append(Stop.fixed(call.id, point, _local_minutes(call.start_at), service))
        else:
            stops.append(Stop(call.id, point, service, *window(call, day)))
    return stops


def plan_day(day: dt.date, calls: Sequence[PlannedCall], start: Point | None,
             fixed: Iterable[str] = (), *, keep_order: bool = False) -> DayPlan:
    """The day's in-person visits in the best order (or in the order given, `keep_order`),
    from `start` (else from the first visit's place)."""
    visits = [c for c in calls if c.channel == Channel.IN_PERSON]
    placed = [c for c in visits if c.latitude is not None and c.longitude is not None]
    unplaced = tuple(c for c in visits if c.latitude is None or c.longitude is None)
    stops = _stops(placed, set(fixed), day)
    origin = start or (stops[0].point if stops else Point(0.0, 0.0))
    begin = min([DAY_START_MIN, *(s.earliest - 60 for s in stops if s.is_fixed)])
    route = (route_in_order if keep_order else plan_route)(origin, stops, max(0, begin))
    return DayPlan(day, start, route, unplaced, {c.id: c for c in calls})


def route_warnings(plan: DayPlan) -> list[str]:
    """The visits the route puts outside their practice's hours, in the route's order."""
    found = []
    for leg in plan.route.legs:
        call = plan.calls.get(leg.stop.key)
        warning = hours_warning(call, plan.day, leg.start) if call is not None else None
        if warning is not None:
            found.append(warning)
    return found


def apply_plan(session: Session, user_id: str | None, plan: DayPlan) -> int:
    """Give each visit of the route its planned start; returns how many calls moved."""
    moved = 0
    midnight = dt.datetime.combine(plan.day, dt.time()).astimezone()
    for leg in plan.route.legs:
        start = midnight + dt.timedelta(minutes=round(leg.start))
        call = session.get(Interaction, leg.stop.key)
        before = call.start_at if call is not None else None
        reschedule_call(session, user_id, leg.stop.key, start)
        moved += call is not None and call.start_at != before
    return moved
