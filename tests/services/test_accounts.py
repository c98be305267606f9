"""Account edits: consent, channel preferences, contact details, and what each writes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select, text

from app.services import accounts
from app.services.errors import ValidationError
from app.store.database import Database
from app.store.models import Account, ChannelConsent
from tests.factories import World


def consents(db: Database, account_id: str) -> dict[str, ChannelConsent]:
    with db.read() as session:
        rows = session.scalars(select(ChannelConsent)
                               .where(ChannelConsent.account_id == account_id))
        return {row.channel: row for row in rows}


def counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("channel_consents", "audit_log", "outbox")}


def account(db: Database, account_id: str) -> Account:
    with db.read() as session:
        row = session.get(Account, account_id)
        assert row is not None
        return row


def outbox(db: Database, entity: str) -> list[tuple[str, str, str]]:
    """(row_id, op, fields) of the entity's mutations, oldest first."""
    with db.read() as session:
        return [(r.row_id, r.op, r.fields) for r in session.execute(
            text("SELECT row_id, op, fields FROM outbox WHERE entity = :e ORDER BY seq"),
            {"e": entity})]


def audit(db: Database) -> list[tuple[str, str, str | None]]:
    with db.read() as session:
        return [(r.action, r.row_id, r.details) for r in session.execute(
            text("SELECT action, row_id, details FROM audit_log ORDER BY at, id"))]


def refused(db: Database, call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    """Run a service that must refuse its input; check it wrote nothing; return the errors."""
    before = counts(db)
    with pytest.raises(ValidationError) as caught, db.write() as session:
        call(session, None, *args, **kwargs)
    assert counts(db) == before
    assert all(caught.value.errors.values())
    return caught.value.errors


# --- consent --------------------------------------------------------------------------


def test_consent_is_granted_with_its_date(db: Database, world: World) -> None:
    with db.write() as session:
        accounts.set_consent(session, world.rep.id, world.doctor_no_email.id, "email",
                             "granted", "2026-05-04", source=" signed form ")

    row = consents(db, world.doctor_no_email.id)["email"]
    assert (row.consent, row.consent_date, row.source) == (
        "granted", dt.date(2026, 5, 4), "signed form")
    assert audit(db) == [("consent.granted", row.id, json.dumps(
        {"account_id": world.doctor_no_email.id, "channel": "email", "date": "2026-05-04"}))]
    [(row_id, op, fields)] = outbox(db, "channel_consents")
    assert (row_id, op) == (row.id, "upsert")
    assert json.loads(fields)["consent_date"] == "2026-05-04"


def test_consent_date_defaults_to_today(db: Database, world: World) -> None:
    before = dt.datetime.now(dt.UTC).date()
    with db.write() as session:
        accounts.set_consent(session, None, world.doctor.id, "email", "withdrawn")
    after = dt.datetime.now(dt.UTC).date()

    rows = consents(db, world.doctor.id)
    assert list(rows) == ["email"]  # the existing row changed, no second one
    assert rows["email"].consent == "withdrawn"
    assert rows["email"].consent_date in {before, after}
    [(_, op, fields)] = outbox(db, "channel_consents")
    assert (op, set(json.loads(fields))) == ("upsert", {"consent", "consent_date"})


@pytest.mark.parametrize(
    ("channel", "consent", "day", "fields"),
    [
        ("email", "granted", "2026-02-30", {"consent_date"}),
        ("telegram", "granted", "2026-05-04", {"channel"}),
        ("email", "maybe", "2026-05-04", {"consent"}),
    ],
    ids=["impossible date", "unknown channel", "unknown consent"],
)
def test_bad_consent_is_refused(db: Database, world: World, channel: str, consent: str,
                                day: dt.date | str, fields: set[str]) -> None:
    errors = refused(db, accounts.set_consent, world.doctor_no_email.id, channel, consent, day)
    assert set(errors) == fields


def test_a_future_consent_date_is_explained(db: Database, world: World) -> None:
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    errors = refused(db, accounts.set_consent, world.doctor.id, "email", "granted", tomorrow)
    assert "future" in errors["consent_date"]


# --- preferences ----------------------------------------------------------------------


def test_preferences_rank_channels_and_unprefer_the_others(db: Database, world: World) -> None:
    with db.write() as session:
        accounts.set_preferences(session, world.rep.id, world.doctor.id, ["phone", "email"])
    with db.write() as session:
        accounts.set_preferences(session, world.rep.id, world.doctor.id, ["video", "phone"])

    ranks = {c: (r.preferred, r.preference_rank) for c, r in consents(db, world.doctor.id).items()}
    assert ranks == {
        "video": (True, 1), "phone": (True, 2), "email": (False, None),
        "in_person": (False, None), "event": (False, None),
    }
    assert consents(db, world.doctor.id)["email"].consent == "granted"  # untouched
    assert [a[0] for a in audit(db)] == ["account.preferences", "account.preferences"]


def test_preferences_are_stored_on_the_account(db: Database, world: World) -> None:
    with db.write() as session:
        accounts.set_preferences(session, None, world.doctor.id, ["in_person"],
                                 preferred_contact_time=" Tue afternoons ",
                                 preferred_language="de")

    row = account(db, world.doctor.id)
    assert (row.preferred_contact_time, row.preferred_language) == ("Tue afternoons", "de")
    [(row_id, op, fields)] = outbox(db, "accounts")
    assert (row_id, op) == (world.doctor.id, "upsert")
    assert json.loads(fields) == {"preferred_contact_time": "Tue afternoons",
                                  "preferred_language": "de"}


@pytest.mark.parametrize(
    ("ranked", "fields"),
    [(["phone", "phone"], {"ranked_channels"}), (["phone", "pager"], {"ranked_channels.1"})],
    ids=["duplicate", "unknown channel"],
)
def test_bad_preferences_are_refused(db: Database, world: World, ranked: list[str],
                                     fields: set[str]) -> None:
    errors = refused(db, accounts.set_preferences, world.doctor.id, ranked)
    assert set(errors) == fields


# --- contact --------------------------------------------------------------------------


def test_update_contact_writes_the_account_its_audit_and_outbox(
        db: Database, world: World) -> None:
    with db.write() as session:
        accounts.update_contact(session, world.rep.id, world.doctor.id,
                                email=" j.mueller@praxis.de ", phone="089 123", notes="Cyclist")

    row = account(db, world.doctor.id)
    assert (row.email, row.phone, row.notes) == ("j.mueller@praxis.de", "089 123", "Cyclist")
    assert audit(db) == [("account.contact", world.doctor.id, None)]
    [(_, op, fields)] = outbox(db, "accounts")
    assert op == "upsert"
    assert json.loads(fields) == {"email": "j.mueller@praxis.de", "phone": "089 123",
                                  "notes": "Cyclist"}
    with db.read() as session:
        entry_id = session.execute(text("SELECT id FROM audit_log")).scalar_one()
    assert [row_id for row_id, _, _ in outbox(db, "audit_log")] == [entry_id]


@pytest.mark.parametrize("email", ["anna.example.com", "anna@", "anna @praxis.de"])
def test_a_bad_e_mail_address_is_refused(db: Database, world: World, email: str) -> None:
    errors = refused(db, accounts.update_contact, world.doctor.id, email=email, phone="1",
                     notes="x")
    assert set(errors) == {"email"}
    assert email.strip() in errors["email"]
    assert account(db, world.doctor.id).phone is None
