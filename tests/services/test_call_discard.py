"""Discarding a draft: tombstones with an audit entry, sent as deletes, gone on every laptop
of the rep after a sync; never a submitted call, someone else's draft, or one that carries an
e-detail or a medical question."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services import calls, escalations
from app.services.call_discard import discard_draft
from app.services.calls import CallForm
from app.services.errors import LockedError, ValidationError
from app.store.base import utcnow
from app.store.database import Database
from app.store.interactions import DiscussedProduct, Interaction
from app.store.journal import AuditEntry, OutboxMutation
from tests.factories import World


def a_draft(db: Database, world: World) -> str:
    with db.write() as session:
        return calls.save_draft(session, world.rep.id, CallForm(
            account_id=world.doctor.id, start_at=utcnow(), products=[world.promoted.id],
            notes="opened by mistake"))


def test_a_discarded_draft_leaves_tombstones_an_audit_entry_and_deletes_to_send(
        db: Database, world: World) -> None:
    call_id = a_draft(db, world)
    with db.write() as session:
        discard_draft(session, world.rep.id, call_id)
    with db.read() as session:
        call = session.get(Interaction, call_id)
        assert call is not None and call.deleted
        assert all(p.deleted for p in session.scalars(
            select(DiscussedProduct).where(DiscussedProduct.interaction_id == call_id)))
        [entry] = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "call.draft_discarded")).all()
        assert (entry.user_id, entry.row_id) == (world.rep.id, call_id)
        ops = {(m.entity, m.op) for m in session.scalars(
            select(OutboxMutation).where(OutboxMutation.row_id == call_id))}
    assert ("interactions", "delete") in ops


def test_a_submitted_call_is_never_discarded(db: Database, world: World) -> None:
    call_id = a_draft(db, world)
    with db.write() as session:
        calls.submit_call(session, world.rep.id, call_id)
    with pytest.raises(LockedError), db.write() as session:
        discard_draft(session, world.rep.id, call_id)
    with db.read() as session:
        assert not session.get(Interaction, call_id).deleted  # type: ignore[union-attr]


def test_someone_elses_draft_is_not_discarded(db: Database, world: World) -> None:
    call_id = a_draft(db, world)
    with pytest.raises(ValidationError, match="Only the rep"), db.write() as session:
        discard_draft(session, "someone-else", call_id)


def test_a_draft_with_a_medical_question_is_kept(db: Database, world: World) -> None:
    call_id = a_draft(db, world)
    with db.write() as session:
        escalations.escalate(session, world.rep.id, escalations.EscalationForm(
            account_id=world.doctor.id, product_id=world.promoted.id,
            question="Dosis bei Niereninsuffizienz?", urgency="high", answer_channel="phone",
            consent_to_contact=True, unsolicited=True, call_id=call_id))
    with pytest.raises(ValidationError, match="medical question"), db.write() as session:
        discard_draft(session, world.rep.id, call_id)
    with db.read() as session:
        assert not session.get(Interaction, call_id).deleted  # type: ignore[union-attr]
