"""A visit where the doctor did not receive the rep: recorded, synced, checked, locked.

The rule is the shared one (`app.compliance`): only an in-person visit can be marked not
received, and it records no products, key messages or samples.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3

import pytest

from app.services import calls
from app.services.calls import CallForm, SampleLine
from app.store.database import Database
from app.store.models import Interaction
from tests.factories import World
from tests.services.test_calls import (
    SIGNATURE,
    form_for,
    outbox,
    save,
    submit,
    submit_errors,
    submitted,
)

NOTHING_DISCUSSED = ("A call marked not received records no products, key messages or "
                     "samples: the doctor was not there to receive them.")
IN_PERSON_ONLY = "Only a visit in person can be marked as not received."


def not_received(world: World, **changes: object) -> CallForm:
    """A visit the doctor did not receive, as the call report sends it: nothing discussed."""
    return form_for(world, **{"products": [], "key_messages": {}, "not_received": True,
                              **changes})


def test_a_visit_not_received_is_submitted_with_nothing_discussed(
        db: Database, world: World) -> None:
    call_id = submitted(db, world, not_received(world))
    with db.read() as session:
        call = session.get(Interaction, call_id)
        assert call is not None and call.status == "submitted" and call.not_received is True
        form, status = calls.load_form(session, call_id)
    assert form.not_received is True and status == "submitted"


def test_not_received_travels_in_the_outbox(db: Database, world: World) -> None:
    call_id = save(db, world, not_received(world))
    [created] = [r for r in outbox(db, call_id) if r.entity == "interactions"]
    assert json.loads(created.fields)["not_received"] is True


def test_a_call_is_received_unless_marked(db: Database, world: World) -> None:
    call_id = save(db, world, form_for(world))
    with db.read() as session:
        assert session.get(Interaction, call_id).not_received is False  # type: ignore[union-attr]


@pytest.mark.parametrize("discussed", ["products", "key_messages", "samples"])
def test_a_visit_not_received_records_nothing_discussed(
        db: Database, world: World, discussed: str) -> None:
    parts: dict[str, object] = {
        "products": {"products": [world.promoted.id]},
        "key_messages": {"products": [world.promoted.id],
                         "key_messages": {world.key_message.id: None}},
        "samples": {"samples": [SampleLine(world.promoted.id, "LOT-1", 1)],
                    "signature": SIGNATURE, "signer_name": "Dr. Müller"},
    }[discussed]
    errors = submit_errors(db, world, not_received(world, **parts))
    assert errors["not_received"] == NOTHING_DISCUSSED


@pytest.mark.parametrize("channel", ["phone", "video", "event"])
def test_only_a_visit_in_person_can_be_not_received(
        db: Database, world: World, channel: str) -> None:
    errors = submit_errors(db, world, not_received(world, channel=channel))
    assert errors == {"not_received": IN_PERSON_ONLY}


def test_a_submitted_visit_keeps_its_outcome(db: Database, world: World) -> None:
    call_id = submitted(db, world, not_received(world))
    with contextlib.closing(sqlite3.connect(db.path)) as conn, \
            pytest.raises(sqlite3.IntegrityError, match="a submitted call is locked"):
        conn.execute("UPDATE interactions SET not_received = 0 WHERE id = ?", (call_id,))
    received = submitted(db, world, form_for(world))
    with contextlib.closing(sqlite3.connect(db.path)) as conn, \
            pytest.raises(sqlite3.IntegrityError, match="a submitted call is locked"):
        conn.execute("UPDATE interactions SET not_received = 1 WHERE id = ?", (received,))


def test_a_draft_can_be_unmarked_and_then_records_products(
        db: Database, world: World) -> None:
    call_id = save(db, world, not_received(world))
    save(db, world, form_for(world), call_id)
    submit(db, world, call_id)
    with db.read() as session:
        call = session.get(Interaction, call_id)
        assert call is not None and call.not_received is False and call.status == "submitted"


def test_a_visit_not_received_does_not_move_the_last_contact(
        db: Database, world: World) -> None:
    """A failed attempt is not a contact: the accounts list, reach and the plan keep the
    last visit the doctor did receive."""
    from app.store.models import Account

    submitted(db, world, form_for(world, start_at="2026-03-02 10:00"))
    submitted(db, world, not_received(world, start_at="2026-03-09 10:00"))
    with db.read() as session:
        account = session.get(Account, world.doctor.id)
        assert account is not None
        assert account.last_contact_at == dt.datetime(2026, 3, 2, 10, 0)
