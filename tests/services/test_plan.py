"""Planning: moving a planned call, and a day's visits ordered into a route and applied."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.engine.route import Point
from app.services import plan
from app.services.calls import plan_call, save_draft
from app.services.errors import LockedError, ValidationError
from app.store.accounts import Address
from app.store.database import Database
from app.store.journal import AuditEntry, OutboxMutation
from app.store.models import Interaction
from app.store.plan_queries import planned_calls
from tests.factories import World, add_doctor
from tests.services.test_calls import form_for

DAY = dt.date(2026, 6, 2)
HOME = Point(48.14, 11.58)


def local(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute)).astimezone()


def day_calls(db: Database, world: World) -> list:
    with db.read() as session:
        return planned_calls(session.connection(), world.rep.id,
                             local(0).astimezone(dt.UTC).replace(tzinfo=None),
                             local(23, 59).astimezone(dt.UTC).replace(tzinfo=None))


def test_a_planned_call_moves_audited_and_queued_for_the_server(db: Database,
                                                                 world: World) -> None:
    with db.write() as session:
        call_id = plan_call(session, world.rep.id, world.doctor.id, local(9))
    with db.write() as session:
        plan.reschedule_call(session, world.rep.id, call_id, local(14, 30))
    with db.read() as session:
        call = session.get(Interaction, call_id)
        assert call is not None
        assert call.start_at == local(14, 30).astimezone(dt.UTC).replace(tzinfo=None)
        assert session.scalar(select(AuditEntry.action).where(
            AuditEntry.row_id == call_id).order_by(AuditEntry.id.desc())) == "call.rescheduled"
        fields = [m.fields for m in session.scalars(select(OutboxMutation).where(
            OutboxMutation.row_id == call_id))]
    assert any("start_at" in f for f in fields)


def test_a_draft_does_not_move_and_nothing_changes(db: Database, world: World) -> None:
    with db.write() as session:
        call_id = save_draft(session, world.rep.id, form_for(world))
    with db.read() as session:
        before = session.get(Interaction, call_id).start_at  # type: ignore[union-attr]
    with db.write() as session, pytest.raises(LockedError):
        plan.reschedule_call(session, world.rep.id, call_id, local(15))
    with db.read() as session:
        assert session.get(Interaction, call_id).start_at == before  # type: ignore[union-attr]


def test_a_date_outside_the_years_is_refused(db: Database, world: World) -> None:
    with db.write() as session:
        call_id = plan_call(session, world.rep.id, world.doctor.id, local(9))
    with db.write() as session, pytest.raises(ValidationError):
        plan.reschedule_call(session, world.rep.id, call_id, dt.datetime(1500, 1, 1))


@pytest.mark.parametrize("text", ["50.94", "north", "91, 6", "50.9, 6.9, 1"])
def test_a_start_that_is_no_place_is_refused_in_words(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        plan.parse_start(text)
    assert "latitude" in raised.value.errors["route_start"]


def test_a_start_is_read_and_empty_means_none() -> None:
    assert plan.parse_start(" 50.94, 6.96 ") == Point(50.94, 6.96)
    assert plan.parse_start("") is None


def test_the_day_is_ordered_applied_and_the_pinned_visit_keeps_its_time(
        db: Database, world: World) -> None:
    """Three doctors on a line east of home, the middle one planned first; the farthest
    pinned at 11."""
    with db.write() as session:
        session.info["from_server"] = True
        doctors = [add_doctor(session, world.territory, world.cardio, f"D{i}", f"N{i}",
                              "München") for i in range(3)]
        for i, doctor in enumerate(doctors):
            address = session.scalars(select(Address).where(
                Address.account_id == doctor.id)).one()
            address.longitude = 11.58 + 0.05 * (i + 1)
    with db.write() as session:
        ids = [plan_call(session, world.rep.id, doctors[i].id, local(9 + n))
               for n, i in enumerate((1, 0, 2))]
        phone = plan_call(session, world.rep.id, doctors[0].id, local(10), "phone")
    calls = day_calls(db, world)
    assert {c.id for c in calls} == {*ids, phone}
    day = plan.plan_day(DAY, calls, HOME, fixed={ids[2]})
    assert day.route.order == [ids[1], ids[0], ids[2]]
    assert day.route.late == 0
    with db.write() as session:
        moved = plan.apply_plan(session, world.rep.id, day)
    assert moved == 2
    after = {c.id: c.start_at for c in day_calls(db, world)}
    assert after[ids[2]] == local(11).astimezone(dt.UTC).replace(tzinfo=None)
    assert after[ids[1]] < after[ids[0]] < after[ids[2]]
    assert after[phone] == local(10).astimezone(dt.UTC).replace(tzinfo=None)


def test_a_visit_without_coordinates_is_listed_apart(db: Database, world: World) -> None:
    with db.write() as session:
        session.info["from_server"] = True
        for address in session.scalars(select(Address).where(
                Address.account_id == world.doctor.id)):
            address.latitude = address.longitude = None
    with db.write() as session:
        call_id = plan_call(session, world.rep.id, world.doctor.id, local(9))
    day = plan.plan_day(DAY, day_calls(db, world), HOME)
    assert day.route.legs == ()
    assert [c.id for c in day.unplaced] == [call_id]
