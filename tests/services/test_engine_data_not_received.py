"""A visit the doctor did not receive reaches the engine as a failed visit: an attempt its
access learning counts, never a contact."""

from __future__ import annotations

from app.engine.features import CHANNEL_INDEX, Features
from app.services import engine_data
from app.store.database import Database
from tests.factories import World
from tests.services.test_calls import form_for, submitted
from tests.services.test_calls_not_received import not_received


def test_a_visit_not_received_is_a_failed_visit_for_the_engine(
        db: Database, world: World) -> None:
    refused = submitted(db, world, not_received(world))
    received = submitted(db, world, form_for(world))
    with db.read() as session:
        both = engine_data.read_touchpoints(session, account_id=world.doctor.id)
        [failed] = engine_data.read_touchpoints(session, call_id=refused)
        [visit] = engine_data.read_touchpoints(session, call_id=received)
        accounts = engine_data.read_accounts(session)
    assert sorted(t.failed_visit for t in both) == [False, True]
    assert failed.failed_visit is True and failed.channel == "in_person"
    assert visit.failed_visit is False

    features = Features(accounts)
    features.add([failed, visit])
    row = features.index[world.doctor.id]
    # One visit took place, one failed: the access learning sees both.
    assert features.failed[row] == 1.0
    assert features.contacts[row, CHANNEL_INDEX["in_person"]] == 1.0
    assert features.visits_failing()[row] == 1.0 / 3.0
