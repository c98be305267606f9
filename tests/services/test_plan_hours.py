"""Practice opening hours in the plan: the route starts each visit within its practice's
hours, the calendar and the route warn about a visit outside them (never refuse it), and an
accepted suggestion's visit is proposed when the practice is open."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.services import plan, visit_slots
from app.services.calls import plan_call
from app.store.accounts import Account, Address
from app.store.database import Database
from tests.factories import World, add_doctor
from tests.services.test_plan import HOME, day_calls, local

HOURS = "Mo-Fr 08:00-12:00, Mo,Di,Do 14:00-18:00"


def _doctors(db: Database, world: World, hours: tuple[str | None, ...]) -> list[str]:
    """Doctors on a line east of home, the first nearest, with these opening hours."""
    with db.write() as session:
        session.info["from_server"] = True
        ids = []
        for i, text in enumerate(hours):
            doctor = add_doctor(session, world.territory, world.cardio, f"H{i}", f"N{i}",
                                "München")
            doctor.opening_hours = text
            session.scalars(select(Address).where(Address.account_id == doctor.id)).one(
            ).longitude = 11.58 + 0.05 * (i + 1)
            ids.append(doctor.id)
        return ids


def test_the_route_waits_for_an_afternoon_practice(db: Database, world: World) -> None:
    """The nearer practice opens at 14:00 on a Tuesday: without its hours the route would
    visit it first, at eight; with them it visits the other first and this one at two."""
    near, far = _doctors(db, world, ("Mo-Fr 14:00-18:00", None))
    with db.write() as session:
        calls = [plan_call(session, world.rep.id, doctor, local(9)) for doctor in (near, far)]
    day = plan.plan_day(local(9).date(), day_calls(db, world), HOME)
    assert day.route.order == [calls[1], calls[0]]
    afternoon = next(leg for leg in day.route.legs if leg.stop.key == calls[0])
    assert afternoon.start >= 14 * 60
    assert plan.route_warnings(day) == []


def test_a_visit_outside_the_hours_is_warned_about_never_refused(db: Database,
                                                                 world: World) -> None:
    practice, unknown = _doctors(db, world, (HOURS, None))
    with db.write() as session:  # a Tuesday: 08-12 and 14-18
        lunch = plan_call(session, world.rep.id, practice, local(12, 30))
        morning = plan_call(session, world.rep.id, practice, local(9))
        anytime = plan_call(session, world.rep.id, unknown, local(21))
    calls = {c.id: c for c in day_calls(db, world)}
    assert plan.hours_warning(calls[lunch]) == (
        f"Dr. med. H0 N0: 12:30 is outside the opening hours ({HOURS}).")
    assert plan.hours_warning(calls[morning]) is None
    assert plan.hours_warning(calls[anytime]) is None  # no hours known: nothing to say
    saturday = local(9).date() + dt.timedelta(days=4)
    assert plan.hours_warning(calls[morning], saturday, 9 * 60) == (
        f"Dr. med. H0 N0 is closed on this day (opening hours: {HOURS}).")
    # Wednesday has no afternoon: a visit starting at 11:50 would end after closing.
    assert plan.hours_warning(calls[morning], saturday - dt.timedelta(days=3), 11 * 60 + 50)


def test_an_accepted_visit_is_proposed_when_the_practice_is_open(db: Database,
                                                                  world: World) -> None:
    [practice] = _doctors(db, world, ("Mo,Mi 15:00-17:00",))
    tuesday = dt.date(2026, 12, 8)
    with db.read() as session:
        proposal = visit_slots.propose(session, world.rep.id, practice, tuesday,
                                       dt.datetime.combine(tuesday, dt.time(7)))
        assert session.get(Account, practice).opening_hours == "Mo,Mi 15:00-17:00"
    assert proposal.start == dt.datetime(2026, 12, 9, 15, 0)  # Wednesday at three
