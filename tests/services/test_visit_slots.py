"""The slot an accepted visit is proposed in: a working half hour, not past, not taken."""

from __future__ import annotations

import datetime as dt

from app.services import visit_slots
from app.services.calls import plan_call
from app.store.database import Database
from tests.factories import World

MONDAY = dt.date(2026, 12, 7)


def plan(db: Database, world: World, local: dt.datetime, account_id: str | None = None) -> str:
    with db.write() as session:
        return plan_call(session, world.rep.id, account_id or world.doctor_no_email.id,
                         visit_slots.to_utc(local))


def slot(db: Database, world: World, due: dt.date, now: dt.datetime) -> dt.datetime:
    with db.read() as session:
        return visit_slots.next_free_slot(session, world.rep.id, due, now)


def test_the_first_free_working_half_hour_from_the_due_day(db: Database,
                                                          world: World) -> None:
    morning = dt.datetime.combine(MONDAY, dt.time(7, 10))
    assert slot(db, world, MONDAY, morning) == dt.datetime.combine(MONDAY, dt.time(8))
    plan(db, world, dt.datetime.combine(MONDAY, dt.time(8)))
    plan(db, world, dt.datetime.combine(MONDAY, dt.time(8, 30)))
    assert slot(db, world, MONDAY, morning) == dt.datetime.combine(MONDAY, dt.time(9))


def test_never_in_the_past_nor_after_hours_nor_at_the_weekend(db: Database,
                                                             world: World) -> None:
    assert slot(db, world, MONDAY, dt.datetime.combine(MONDAY, dt.time(11, 5))) == \
        dt.datetime.combine(MONDAY, dt.time(11, 30))
    friday = MONDAY + dt.timedelta(days=4)
    assert slot(db, world, friday, dt.datetime.combine(friday, dt.time(17, 45))) == \
        dt.datetime.combine(MONDAY + dt.timedelta(days=7), dt.time(8))


def test_a_doctor_with_an_open_call_is_proposed_that_call(db: Database, world: World) -> None:
    at = dt.datetime.combine(MONDAY, dt.time(10))
    call_id = plan(db, world, at, world.doctor.id)
    with db.read() as session:
        proposal = visit_slots.propose(session, world.rep.id, world.doctor.id, MONDAY,
                                       dt.datetime.combine(MONDAY, dt.time(7)))
    assert (proposal.existing_id, proposal.start) == (call_id, at)
