"""Calls: drafts, submission and its rules, the lock, and the writes each step leaves."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Row, select, text
from sqlalchemy.orm import Session

from app.services import calls
from app.services.calls import CallForm, SampleLine
from app.services.errors import LockedError, NotFoundError, ValidationError
from app.store.database import Database
from app.store.models import (
    Account,
    Attendee,
    AuditEntry,
    DiscussedKeyMessage,
    DiscussedProduct,
    Interaction,
    Product,
    Sample,
)
from tests.factories import World

#: "Now" for submissions, so the tests do not depend on the day they run.
NOW = dt.datetime(2026, 6, 1, 12, 0)
SIGNATURE = json.dumps([[[0.1, 0.2], [0.3, 0.4]]])
TABLES = ("interactions", "discussed_products", "discussed_key_messages", "samples",
          "attendees", "audit_log", "outbox")


def form_for(world: World, **changes: Any) -> CallForm:
    """A complete in-person call on world.doctor that passes every submit rule."""
    form = CallForm(
        account_id=world.doctor.id, start_at="2026-03-02 10:00", duration_min="30",
        subject="Heart failure update", notes="Interested in the new study.",
        products=[world.promoted.id], key_messages={world.key_message.id: "positive"},
    )
    return dataclasses.replace(form, **changes)


def with_samples(world: World, quantity: int, **changes: Any) -> CallForm:
    signed = {"signature": SIGNATURE, "signer_name": "Dr. Müller"}
    return form_for(world, samples=[SampleLine(world.promoted.id, "LOT-1", quantity)],
                    **{**signed, **changes})


def save(db: Database, world: World, form: CallForm, call_id: str | None = None) -> str:
    with db.write() as session:
        return calls.save_draft(session, world.rep.id, form, call_id)


def submit(db: Database, world: World, call_id: str, now: dt.datetime = NOW) -> None:
    with db.write() as session:
        calls.submit_call(session, world.rep.id, call_id, now=now)


def submitted(db: Database, world: World, form: CallForm) -> str:
    call_id = save(db, world, form)
    submit(db, world, call_id)
    return call_id


def submit_errors(db: Database, world: World, form: CallForm,
                  now: dt.datetime = NOW) -> dict[str, str]:
    """The errors submitting this form raises; the call stays a draft."""
    call_id = save(db, world, form)
    with pytest.raises(ValidationError) as caught:
        submit(db, world, call_id, now)
    with db.read() as session:
        assert session.get(Interaction, call_id).status == "draft"  # type: ignore[union-attr]
    return caught.value.errors


def counts(session: Session) -> dict[str, int]:
    return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def db_counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return counts(session)


def outbox(db: Database, row_id: str | None = None) -> list[Row[Any]]:
    sql = "SELECT entity, row_id, op, fields, base_version, in_flight FROM outbox"
    with db.read() as session:
        if row_id is None:
            return list(session.execute(text(f"{sql} ORDER BY seq")))
        return list(session.execute(text(f"{sql} WHERE row_id = :id ORDER BY seq"),
                                    {"id": row_id}))


def audit_actions(db: Database, row_id: str) -> list[str]:
    with db.read() as session:
        return list(session.scalars(text(
            "SELECT action FROM audit_log WHERE row_id = :id ORDER BY at, id"), {"id": row_id}))


# --- drafts ---------------------------------------------------------------------------


def test_saved_draft_reopens_with_everything_entered(db: Database, world: World) -> None:
    entered = with_samples(world, 2, channel="event", follow_up="Send the study",
                           follow_up_date="2026-03-09", attendees=["Schwester Ute"])
    call_id = save(db, world, entered)

    with db.read() as session:
        form, status = calls.load_form(session, call_id)

    assert status == "draft"
    assert form == dataclasses.replace(
        entered, start_at=dt.datetime(2026, 3, 2, 10, 0), duration_min=30,
        follow_up_date=dt.date(2026, 3, 9),
    )


def test_editing_a_draft_keeps_rows_and_tombstones_removed_children(
        db: Database, world: World) -> None:
    first = form_for(world, products=[world.promoted.id, world.other.id],
                     samples=[SampleLine(world.promoted.id, "LOT-1", 2)],
                     attendees=["Dr. Weber", "Schwester Ute"])
    call_id = save(db, world, first)
    with db.read() as session:
        call = session.get(Interaction, call_id)
        assert call is not None
        kept_product = next(p.id for p in call.products if p.product_id == world.promoted.id)
        dropped_product = next(p.id for p in call.products if p.product_id == world.other.id)
        sample_id = call.samples[0].id
        attendees = {a.name: a.id for a in call.attendees}

    again = dataclasses.replace(first, products=[world.promoted.id], notes="Changed",
                                samples=[SampleLine(world.promoted.id, "LOT-1", 3)],
                                attendees=["Dr. Weber"])
    assert save(db, world, again, call_id) == call_id

    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM interactions")) == 1
        assert session.get(Interaction, call_id).notes == "Changed"  # type: ignore[union-attr]
        assert session.get(DiscussedProduct, kept_product).deleted is False  # type: ignore[union-attr]
        assert session.get(DiscussedProduct, dropped_product).deleted is True  # type: ignore[union-attr]
        sample = session.get(Sample, sample_id)
        assert sample is not None
        assert (sample.quantity, sample.deleted) == (3, False)
        assert session.get(Attendee, attendees["Dr. Weber"]).deleted is False  # type: ignore[union-attr]
        assert session.get(Attendee, attendees["Schwester Ute"]).deleted is True  # type: ignore[union-attr]
        assert session.scalar(text("SELECT count(*) FROM samples")) == 1
        form, _ = calls.load_form(session, call_id)
    assert (form.products, form.attendees) == ([world.promoted.id], ["Dr. Weber"])


def test_saving_the_same_form_twice_adds_no_rows(db: Database, world: World) -> None:
    form = with_samples(world, 2, attendees=["Dr. Weber"])
    call_id = save(db, world, form)
    before = db_counts(db)

    save(db, world, form, call_id)

    after = db_counts(db)
    # No new rows at all: the draft's editing session is audited once (AUDIT_DRAFT_WINDOW).
    assert {t: after[t] - before[t] for t in TABLES} == dict.fromkeys(TABLES, 0)


def test_a_sample_line_listed_twice_is_refused(db: Database, world: World) -> None:
    # Sample rows are matched to the form by product and lot: a line listed twice would add
    # a row on every save.
    lines = [SampleLine(world.promoted.id, "LOT-1", 1), SampleLine(world.promoted.id, "LOT-1 ", 2)]
    before = db_counts(db)
    with pytest.raises(ValidationError) as caught:
        save(db, world, form_for(world, samples=lines))
    assert set(caught.value.errors) == {"samples.1.lot"}
    assert db_counts(db) == before


def test_an_attendee_listed_twice_is_refused(db: Database, world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        save(db, world, form_for(world, attendees=["Dr. Weber", " Dr. Weber"]))
    assert set(caught.value.errors) == {"attendees"}


# --- bad input ------------------------------------------------------------------------


PROMOTED = "<world.promoted>"  # replaced by the fixture's product id in the test


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"start_at": "2026-02-30"}, {"start_at"}),
        ({"start_at": None}, {"start_at"}),
        ({"follow_up_date": "2026-02-30"}, {"follow_up_date"}),
        ({"samples": [SampleLine(PROMOTED, "LOT-1", -1)]}, {"samples.0.quantity"}),
        ({"samples": [SampleLine(PROMOTED, "LOT-1", "zwei")]}, {"samples.0.quantity"}),
        ({"samples": [SampleLine(PROMOTED, "  ", 1)]}, {"samples.0.lot"}),
        ({"channel": "carrier_pigeon"}, {"channel"}),
        ({"channel": "fax", "duration_min": "-5"}, {"channel", "duration_min"}),
        ({"key_messages": {"km": "delighted"}}, {"key_messages"}),
        ({"products": ["no-such-product"]}, {"products"}),
        # Outside the years the server accepts (app.contract.YEARS): year 1 with an offset
        # cannot even be converted to UTC.
        ({"start_at": "0001-01-01 00:00+01:00"}, {"start_at"}),
        ({"start_at": dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone(
            -dt.timedelta(hours=2)))}, {"start_at"}),
        ({"follow_up_date": "2300-01-01"}, {"follow_up_date"}),
    ],
    ids=["impossible date", "no date", "impossible follow-up", "negative quantity",
         "quantity not a number", "empty lot", "unknown channel", "two fields at once",
         "unknown reaction", "unknown product", "year 1 with an offset",
         "year 9999 with an offset", "follow-up in 2300"],
)
def test_bad_input_is_refused_and_nothing_is_written(
        db: Database, world: World, changes: dict[str, Any], fields: set[str]) -> None:
    for line in changes.get("samples", []):
        line.product_id = world.promoted.id if line.product_id == PROMOTED else line.product_id
    before = db_counts(db)
    with db.write() as session:
        with pytest.raises(ValidationError) as caught:
            calls.save_draft(session, world.rep.id, form_for(world, **changes))
        # Counting flushes whatever the service may have left in the session.
        assert counts(session) == before
    assert set(caught.value.errors) == fields
    assert all(caught.value.errors.values())
    assert db_counts(db) == before


def test_bad_input_on_an_existing_draft_leaves_it_as_it_was(db: Database, world: World) -> None:
    call_id = save(db, world, form_for(world))
    before = db_counts(db)

    with pytest.raises(ValidationError):
        save(db, world, form_for(world, notes="lost", start_at="2026-13-01"), call_id)

    assert db_counts(db) == before
    with db.read() as session:
        form, _ = calls.load_form(session, call_id)
    assert form.notes == "Interested in the new study."


# --- the lock -------------------------------------------------------------------------


LOCKED_ACTIONS: dict[str, Callable[[Session, World, str], object]] = {
    "save_draft": lambda s, w, call_id: calls.save_draft(
        s, w.rep.id, form_for(w, notes="changed later"), call_id),
    "delete_draft": lambda s, w, call_id: calls.delete_draft(s, w.rep.id, call_id),
    "submit_call": lambda s, w, call_id: calls.submit_call(s, w.rep.id, call_id, now=NOW),
}


@pytest.mark.parametrize("action", LOCKED_ACTIONS)
def test_a_submitted_call_is_locked(db: Database, world: World, action: str) -> None:
    call_id = submitted(db, world, form_for(world))
    before = db_counts(db)

    with pytest.raises(LockedError, match="submitted and is locked"), db.write() as session:
        LOCKED_ACTIONS[action](session, world, call_id)

    assert db_counts(db) == before
    with db.read() as session:
        form, status = calls.load_form(session, call_id)
    assert (status, form.notes) == ("submitted", "Interested in the new study.")


def test_the_database_refuses_changes_to_a_submitted_call(db: Database, world: World) -> None:
    call_id = submitted(db, world, form_for(world))

    with contextlib.closing(sqlite3.connect(db.path)) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="a submitted call is locked"):
            conn.execute("UPDATE interactions SET notes = 'rewritten' WHERE id = ?", (call_id,))
        with pytest.raises(sqlite3.IntegrityError, match="a submitted call is locked"):
            conn.execute("DELETE FROM interactions WHERE id = ?", (call_id,))
        # Sync may still record the server's version of the row.
        conn.execute("UPDATE interactions SET version = 42 WHERE id = ?", (call_id,))
        conn.commit()
        row = conn.execute("SELECT notes, version, deleted FROM interactions WHERE id = ?",
                           (call_id,)).fetchone()
    assert row == ("Interested in the new study.", 42, 0)


# --- submit rules ---------------------------------------------------------------------


def test_a_valid_call_is_submitted(db: Database, world: World) -> None:
    call_id = submitted(db, world, with_samples(world, 2))

    with db.read() as session:
        call = session.get(Interaction, call_id)
        assert call is not None
        assert (call.status, call.submitted_at, call.signed_at) == ("submitted", NOW, NOW)
    assert audit_actions(db, call_id) == ["call.draft_created", "call.submitted"]


def test_samples_need_a_signature(db: Database, world: World) -> None:
    errors = submit_errors(db, world, with_samples(world, 2, signature=None))
    assert set(errors) == {"signature"}


def test_samples_over_the_yearly_limit_are_refused(db: Database, world: World) -> None:
    submitted(db, world, with_samples(world, 6, start_at="2026-02-01 09:00"))
    save(db, world, with_samples(world, 9, start_at="2026-02-03 09:00"))  # a draft: not given

    errors = submit_errors(db, world, with_samples(world, 5))

    assert set(errors) == {"samples.0.quantity"}
    message = errors["samples.0.quantity"]
    assert "Cardiozan" in message
    assert "6 of 10" in message
    assert "4 left" in message


def test_samples_up_to_the_yearly_limit_are_accepted(db: Database, world: World) -> None:
    submitted(db, world, with_samples(world, 6, start_at="2026-02-01 09:00"))
    call_id = submitted(db, world, with_samples(world, 4))
    assert audit_actions(db, call_id)[-1] == "call.submitted"


def test_samples_of_the_previous_year_do_not_count(db: Database, world: World) -> None:
    submitted(db, world, with_samples(world, 8, start_at="2025-12-15 09:00"))
    call_id = submitted(db, world, with_samples(world, 10, start_at="2026-01-05 09:00"))
    assert audit_actions(db, call_id)[-1] == "call.submitted"


def test_two_lines_of_one_product_count_together(db: Database, world: World) -> None:
    form = form_for(world, signature=SIGNATURE,
                    samples=[SampleLine(world.promoted.id, "LOT-1", 6),
                             SampleLine(world.promoted.id, "LOT-2", 5)])
    errors = submit_errors(db, world, form)
    assert "0 of 10" in errors["samples.0.quantity"]


def test_e_mail_calls_need_e_mail_consent(db: Database, world: World) -> None:
    submitted(db, world, form_for(world, channel="email"))  # world.doctor consented

    errors = submit_errors(db, world, form_for(world, channel="email",
                                               account_id=world.doctor_no_email.id))
    assert set(errors) == {"channel"}
    assert "Anna Schäfer" in errors["channel"]


def test_a_product_not_promotable_in_the_territory_is_refused(
        db: Database, world: World) -> None:
    errors = submit_errors(db, world, form_for(world, products=[world.other.id],
                                               key_messages={}))
    assert set(errors) == {"products"}
    assert "Neurovit" in errors["products"]


def test_key_messages_of_a_product_not_discussed_are_refused(
        db: Database, world: World) -> None:
    errors = submit_errors(db, world, form_for(world, products=[]))
    assert set(errors) == {"key_messages"}


def test_a_call_in_the_future_cannot_be_submitted(db: Database, world: World) -> None:
    errors = submit_errors(db, world, form_for(world, start_at=NOW + dt.timedelta(hours=2)))
    assert set(errors) == {"start_at"}
    # A laptop clock a little behind is tolerated.
    submitted(db, world, form_for(world, start_at=NOW + dt.timedelta(minutes=10)))


def test_submit_updates_the_accounts_last_contact(db: Database, world: World) -> None:
    submitted(db, world, form_for(world, start_at="2026-03-02 10:00"))
    submitted(db, world, form_for(world, start_at="2026-01-10 10:00"))  # entered late
    save(db, world, form_for(world, start_at="2026-04-01 10:00"))  # a draft: no contact yet

    with db.read() as session:
        account = session.get(Account, world.doctor.id)
        assert account is not None
        assert account.last_contact_at == dt.datetime(2026, 3, 2, 10, 0)


# --- audit and outbox -----------------------------------------------------------------


def test_a_saved_draft_writes_its_audit_entry_and_outbox_together(
        db: Database, world: World) -> None:
    call_id = save(db, world, with_samples(world, 2, attendees=["Dr. Weber"]))

    with db.read() as session:
        call = session.get(Interaction, call_id)
        assert call is not None
        children = {
            "discussed_products": [p.id for p in call.products],
            "discussed_key_messages": [k.id for k in call.key_messages],
            "samples": [s.id for s in call.samples],
            "attendees": [a.id for a in call.attendees],
        }
        entry = session.scalars(text("SELECT id FROM audit_log")).one()
        audit = session.get(AuditEntry, entry)
        assert audit is not None
        assert (audit.action, audit.row_id, audit.user_id) == (
            "call.draft_created", call_id, world.rep.id)

    expected = {("interactions", call_id), ("audit_log", entry)} | {
        (entity, row_id) for entity, ids in children.items() for row_id in ids}
    rows = outbox(db)
    assert {(r.entity, r.row_id) for r in rows} == expected
    assert {(r.op, r.base_version) for r in rows} == {("upsert", 0)}


def test_a_failed_transaction_leaves_no_audit_entry_and_no_outbox(
        db: Database, world: World) -> None:
    before = db_counts(db)

    with pytest.raises(KeyError), db.write() as session:
        calls.save_draft(session, world.rep.id, form_for(world))
        raise KeyError("the caller fails after the service returned")

    assert db_counts(db) == before


def test_a_submit_writes_its_audit_entry_and_outbox(db: Database, world: World) -> None:
    call_id = save(db, world, form_for(world))
    with db.read() as session:
        audit_before = counts(session)["audit_log"]
    # The draft's mutation is being pushed: the submit must become a mutation of its own.
    with db.write() as session:
        session.execute(text("UPDATE outbox SET in_flight = 1"))

    submit(db, world, call_id)

    pending = [r for r in outbox(db, call_id) if not r.in_flight]
    assert len(pending) == 1
    assert json.loads(pending[0].fields) == {"status": "submitted",
                                             "submitted_at": NOW.isoformat()}
    assert db_counts(db)["audit_log"] == audit_before + 1
    assert audit_actions(db, call_id)[-1] == "call.submitted"


def test_draft_saves_coalesce_into_one_pending_mutation(db: Database, world: World) -> None:
    call_id = save(db, world, form_for(world))  # the call, then its audit entry
    for notes in ("first", "second", "third"):
        save(db, world, form_for(world, notes=notes, subject=f"about {notes}"), call_id)

    # The creation cannot absorb later edits (the audit entry came after it); the edits
    # fold into one mutation, the newest of the outbox.
    rows = outbox(db, call_id)
    assert len(rows) == 2
    assert json.loads(rows[0].fields)["account_id"] == world.doctor.id
    fields = json.loads(rows[1].fields)
    assert fields == {"subject": "about third", "notes": "third"}


def test_no_change_moves_ahead_of_a_later_one(db: Database, world: World) -> None:
    """A submit after sample lines were added lands after them in the outbox."""
    call_id = save(db, world, form_for(world))
    save(db, world, with_samples(world, 2), call_id)
    submit(db, world, call_id)

    with db.read() as session:
        order = [(r.entity, json.loads(r.fields).get("status")) for r in session.execute(
            text("SELECT entity, fields FROM outbox ORDER BY seq"))]
    samples_at = next(i for i, (entity, _) in enumerate(order) if entity == "samples")
    submitted_at = next(i for i, (_, status) in enumerate(order) if status == "submitted")
    assert samples_at < submitted_at


def test_an_edit_after_the_mutation_went_in_flight_makes_a_new_one(
        db: Database, world: World) -> None:
    call_id = save(db, world, form_for(world))
    with db.write() as session:
        session.execute(text("UPDATE outbox SET in_flight = 1 WHERE row_id = :id"),
                        {"id": call_id})

    save(db, world, form_for(world, notes="after the push started"), call_id)
    save(db, world, form_for(world, notes="and again"), call_id)

    rows = outbox(db, call_id)
    assert [r.in_flight for r in rows] == [True, False]
    assert json.loads(rows[0].fields)["notes"] == "Interested in the new study."
    assert json.loads(rows[1].fields) == {"notes": "and again"}


def test_delete_draft_tombstones_the_call_and_its_children(db: Database, world: World) -> None:
    call_id = save(db, world, with_samples(world, 2, attendees=["Dr. Weber"]))

    with db.write() as session:
        calls.delete_draft(session, world.rep.id, call_id)

    with db.read() as session:
        with pytest.raises(NotFoundError):
            calls.load_form(session, call_id)
        rows = {
            (model.__tablename__, row_id, deleted)
            for model in (Interaction, DiscussedProduct, DiscussedKeyMessage, Sample, Attendee)
            for row_id, deleted in session.execute(select(model.id, model.deleted))
        }
    assert len(rows) == 5
    assert {deleted for _, _, deleted in rows} == {True}
    deletes = {(r.entity, r.row_id) for r in outbox(db) if r.op == "delete"}
    assert deletes == {(table, row_id) for table, row_id, _ in rows}
    assert audit_actions(db, call_id)[-1] == "call.deleted"


def test_a_deleted_draft_cannot_be_saved_or_submitted(db: Database, world: World) -> None:
    call_id = save(db, world, form_for(world))
    with db.write() as session:
        calls.delete_draft(session, world.rep.id, call_id)

    with pytest.raises(NotFoundError):
        save(db, world, form_for(world), call_id)
    with pytest.raises(NotFoundError):
        submit(db, world, call_id)


@pytest.mark.parametrize("signature", ["[]", "[[]]", "[[[0.5, 0.5]]]", "not json", "{}"])
def test_a_signature_must_be_drawn(db: Database, world: World, signature: str) -> None:
    call_id = save(db, world, with_samples(world, 1, signature=signature))
    with pytest.raises(ValidationError) as caught:
        submit(db, world, call_id)
    assert set(caught.value.errors) == {"signature"}


def test_samples_need_the_signers_name(db: Database, world: World) -> None:
    call_id = save(db, world, with_samples(world, 1, signer_name=" "))
    with pytest.raises(ValidationError) as caught:
        submit(db, world, call_id)
    assert set(caught.value.errors) == {"signer_name"}


def test_a_product_withdrawn_from_promotion_is_refused_on_submit(
        db: Database, world: World) -> None:
    """The submit rule and the call report's product list agree: inactive is not offered."""
    call_id = save(db, world, form_for(world, products=[world.promoted.id]))
    with db.write() as session:
        session.info["from_server"] = True
        product = session.get(Product, world.promoted.id)
        assert product is not None
        product.active = False
    with pytest.raises(ValidationError) as caught:
        submit(db, world, call_id)
    assert set(caught.value.errors) == {"products"}
