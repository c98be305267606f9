"""Escalating a doctor's question to medical, offline, and the MSL's steps on it: what each
writes (rows, audit entry, outbox) and what bad input leaves untouched."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from app.services import escalations
from app.services.errors import ServiceError, ValidationError
from app.services.escalations import AnswerForm, EscalationForm
from app.store.base import Role
from app.store.database import Database
from app.store.escalation_queries import inquiries, trail
from app.store.escalations import MedicalInquiry
from app.store.interactions import Interaction
from app.store.reference import User
from tests.factories import World


def form(world: World, **changes: object) -> EscalationForm:
    values: dict[str, object] = {
        "account_id": world.doctor.id, "product_id": world.promoted.id,
        "question": "Darf ich Cardiozan bei Niereninsuffizienz geben?", "urgency": "high",
        "answer_channel": "phone", "consent_to_contact": True, "unsolicited": True}
    values.update(changes)
    return EscalationForm(**values)  # type: ignore[arg-type]


def counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("medical_inquiries", "audit_log", "outbox")}


def test_escalating_writes_the_inquiry_its_audit_entry_and_the_outbox(db: Database,
                                                                     world: World) -> None:
    with db.write() as session:
        inquiry_id = escalations.escalate(session, world.rep.id, form(world))
    with db.read() as session:
        row = session.get(MedicalInquiry, inquiry_id)
        assert row is not None
        assert (row.status, row.raised_by, row.assigned_to) == ("raised", world.rep.id, None)
        assert row.question == "Darf ich Cardiozan bei Niereninsuffizienz geben?"
        steps = trail(session, inquiry_id)
        assert [(s.action, s.who) for s in steps] == [("inquiry.raised", "Lena Vogel")]
        sent = session.execute(text(
            "SELECT op, fields FROM outbox WHERE entity = 'medical_inquiries'")).all()
    assert len(sent) == 1 and sent[0][0] == "upsert"
    fields = json.loads(sent[0][1])
    assert fields["status"] == "raised" and fields["consent_to_contact"] is True


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"question": "  "}, "question", "doctor's question"),
    ({"product_id": "other"}, "product_id", "may not be detailed to this account"),
    ({"product_id": None}, "product_id", "Choose the product"),
    ({"consent_to_contact": False}, "consent_to_contact", "consent"),
    ({"urgency": "yesterday"}, "urgency", "is not one of"),
    ({"answer_channel": "pigeon"}, "answer_channel", "is not one of"),
])
def test_bad_input_is_explained_and_nothing_is_saved(db: Database, world: World,
                                                     changes: dict[str, object], field: str,
                                                     words: str) -> None:
    if changes.get("product_id") == "other":
        changes = {"product_id": world.other.id}
    before = counts(db)
    with db.write() as session, pytest.raises(ValidationError) as caught:
        escalations.escalate(session, world.rep.id, form(world, **changes))
    assert words in caught.value.errors[field]
    assert counts(db) == before


def _msl(db: Database) -> str:
    with db.write() as session:
        msl = User(username="msl", display_name="Dr. Marta Brandt", role=Role.MSL.value)
        session.add(msl)
        session.flush()
        return msl.id


def _routed(db: Database, world: World, msl_id: str) -> str:
    """An inquiry as it arrives on the MSL's laptop (the server routed it)."""
    with db.write() as session:
        inquiry_id = escalations.escalate(session, world.rep.id, form(world))
        row = session.get(MedicalInquiry, inquiry_id)
        assert row is not None
        row.status, row.assigned_to = "routed", msl_id
        session.execute(text("DELETE FROM outbox"))
    return inquiry_id


def test_the_msl_takes_over_answers_hands_back_and_closes(db: Database, world: World) -> None:
    msl = _msl(db)
    inquiry_id = _routed(db, world, msl)
    with db.write() as session, pytest.raises(ServiceError):  # take it over first
        escalations.record_answer(session, msl, inquiry_id, AnswerForm("Ja."))
    with db.write() as session:
        escalations.take_over(session, msl, inquiry_id)
    with db.write() as session, pytest.raises(ValidationError):
        escalations.record_answer(session, msl, inquiry_id, AnswerForm("  "))
    with db.write() as session:
        escalations.record_answer(session, msl, inquiry_id, AnswerForm(
            "Dosis halbieren ab GFR < 30.", channel="visit", medical_notes="eGFR 25"))
    with db.write() as session, pytest.raises(ValidationError):
        escalations.hand_back(session, msl, inquiry_id, " ")
    with db.write() as session:
        escalations.hand_back(session, msl, inquiry_id, "Beantwortet, bitte nachfassen.")
        escalations.close(session, msl, inquiry_id)
    with db.read() as session:
        line = inquiries(session, account_id=world.doctor.id)[0]
        assert (line.status, line.hand_back_note) == ("closed",
                                                      "Beantwortet, bitte nachfassen.")
        assert [s.action for s in trail(session, inquiry_id)][1:] == [
            "inquiry.taken_over", "inquiry.answered", "inquiry.handed_back", "inquiry.closed"]
        visit = session.scalars(select(Interaction).where(Interaction.owner_id == msl)).one()
        assert (visit.channel, visit.status, visit.notes) == ("in_person", "submitted", None)
        entities = {e for (e,) in session.execute(text("SELECT entity FROM outbox"))}
    assert {"medical_inquiries", "medical_answers", "interactions", "audit_log"} <= entities


def test_another_msls_inquiry_cannot_be_touched(db: Database, world: World) -> None:
    inquiry_id = _routed(db, world, _msl(db))
    with db.write() as session, pytest.raises(ServiceError, match="another MSL"):
        escalations.take_over(session, world.rep.id, inquiry_id)


def test_news_tells_the_rep_of_status_changes_once(db: Database, world: World) -> None:
    msl = _msl(db)
    inquiry_id = _routed(db, world, msl)
    with db.write() as session:
        assert escalations.news(session, Role.REP.value, world.rep.id) == []  # first look
    with db.write() as session:
        session.execute(text("UPDATE medical_inquiries SET status = 'handed_back'"))
    with db.write() as session:
        told = escalations.news(session, Role.REP.value, world.rep.id)
        assert [(n.inquiry_id, n.status) for n in told] == [(inquiry_id, "handed_back")]
    with db.write() as session:
        assert escalations.news(session, Role.REP.value, world.rep.id) == []
