"""The sync outbox written from the ORM session: what goes in, and what never does."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import Row, create_engine, text
from sqlalchemy.orm import sessionmaker

from app.contract import ENTITIES
from app.store import outbox as outbox_writer
from app.store.base import Base
from app.store.database import Database
from app.store.errors import StoreError
from app.store.models import Account, Address, ChannelConsent, Task
from app.store.search import refresh_accounts
from tests.factories import World


def outbox(db: Database) -> list[Row[Any]]:
    with db.read() as session:
        return list(session.execute(
            text("SELECT entity, row_id, op, fields, base_version FROM outbox ORDER BY seq")))


def fields_of(row: Row[Any]) -> dict[str, Any]:
    return dict(json.loads(row.fields))


def consent_id(db: Database, account_id: str) -> str:
    with db.read() as session:
        return str(session.execute(
            text("SELECT id FROM channel_consents WHERE account_id = :a"), {"a": account_id}
        ).scalar_one())


def set_server_version(db: Database, model: type[Any], row_id: str, version: int) -> None:
    """What applying a pulled change does: the row gets the server's version, no outbox."""
    with db.write() as session:
        session.info["from_server"] = True
        row = session.get(model, row_id)
        assert row is not None
        row.version = version


def test_reference_data_from_the_server_makes_no_outbox_rows(
        db: Database, world: World) -> None:
    with db.write() as session:
        session.info["from_server"] = True
        doctor = session.get(Account, world.doctor.id)
        assert doctor is not None
        doctor.email = "from.server@praxis.de"
        session.add(Task(account_id=doctor.id, subject="Visit", status="open"))
        consent = session.get(ChannelConsent, consent_id(db, world.doctor.id))
        assert consent is not None
        consent.deleted = True

    assert outbox(db) == []


def test_hard_deleting_a_synced_row_is_refused_and_rolled_back(
        db: Database, world: World) -> None:
    row_id = consent_id(db, world.doctor.id)
    set_server_version(db, ChannelConsent, row_id, 3)

    with pytest.raises(StoreError, match="mark them deleted"), db.write() as session:
        session.get(Account, world.doctor.id).notes = "in the same transaction"  # type: ignore[union-attr]
        session.delete(session.get(ChannelConsent, row_id))
        session.flush()

    with db.read() as session:
        consent = session.get(ChannelConsent, row_id)
        assert consent is not None
        assert consent.deleted is False
        assert session.get(Account, world.doctor.id).notes is None  # type: ignore[union-attr]
    assert outbox(db) == []


def test_a_new_row_sends_its_contract_fields_only(db: Database, world: World) -> None:
    with db.write() as session:
        account = Account(kind="hcp", first_name="Eva", last_name="Weiß",
                          name="Dr. Eva Weiß", territory_id=world.territory.id,
                          name_key="weiss eva", search_text="Dr. Eva Weiß",
                          last_contact_at=dt.datetime(2026, 1, 1))
        session.add(account)
        session.flush()
        session.add(Address(account_id=account.id, line1="Ring 2", city="Augsburg"))
        session.flush()
        refresh_accounts(session.connection(), [account.id])

    rows = outbox(db)
    assert [(r.entity, r.op, r.base_version) for r in rows] == [
        ("accounts", "upsert", 0), ("addresses", "upsert", 0)]
    assert set(fields_of(rows[0])) == set(ENTITIES["accounts"].fields)
    assert fields_of(rows[0])["name"] == "Dr. Eva Weiß"
    assert set(fields_of(rows[1])) == set(ENTITIES["addresses"].fields)


def test_an_edit_sends_the_changed_contract_fields_only(db: Database, world: World) -> None:
    with db.write() as session:
        doctor = session.get(Account, world.doctor.id)
        assert doctor is not None
        doctor.phone = "089 555"
        doctor.segment = doctor.segment  # assigned, but not changed
        doctor.name_key = "something else"
        doctor.search_text = "other words"
        doctor.last_contact_at = dt.datetime(2026, 2, 2)

    [row] = outbox(db)
    assert (row.entity, row.row_id, row.op) == ("accounts", world.doctor.id, "upsert")
    assert fields_of(row) == {"phone": "089 555"}


def test_a_change_of_local_columns_alone_sends_nothing(db: Database, world: World) -> None:
    with db.write() as session:
        doctor = session.get(Account, world.doctor.id)
        assert doctor is not None
        doctor.last_contact_at = dt.datetime(2026, 2, 2)
        doctor.city = "Munich"

    assert outbox(db) == []


def test_base_version_is_the_rows_version_when_edited(db: Database, world: World) -> None:
    set_server_version(db, Account, world.doctor.id, 7)

    with db.write() as session:
        session.get(Account, world.doctor.id).notes = "first"  # type: ignore[union-attr]
    with db.write() as session:
        session.get(Account, world.doctor.id).phone = "089 1"  # type: ignore[union-attr]

    [row] = outbox(db)  # coalesced: the edit is still based on version 7
    assert (row.base_version, fields_of(row)) == (7, {"notes": "first", "phone": "089 1"})


def test_a_tombstone_becomes_a_delete_mutation(db: Database, world: World) -> None:
    row_id = consent_id(db, world.doctor.id)
    set_server_version(db, ChannelConsent, row_id, 4)

    with db.write() as session:
        session.get(ChannelConsent, row_id).deleted = True  # type: ignore[union-attr]

    [row] = outbox(db)
    assert (row.entity, row.row_id, row.op, row.base_version, fields_of(row)) == (
        "channel_consents", row_id, "delete", 4, {})


def test_a_revived_tombstone_is_sent_whole(db: Database, world: World) -> None:
    """The server holds the row deleted: bringing it back must carry every field."""
    row_id = consent_id(db, world.doctor.id)
    with db.write() as session:
        row = session.get(ChannelConsent, row_id)
        assert row is not None
        row.deleted = True
    with db.write() as session:
        row = session.get(ChannelConsent, row_id)
        assert row is not None
        row.deleted = False

    last = outbox(db)[-1]
    assert (last.entity, last.op) == ("channel_consents", "upsert")
    assert set(fields_of(last)) == set(ENTITIES["channel_consents"].fields)


def test_every_session_factory_gets_the_outbox_writer() -> None:
    """A session factory made after another was collected still records its changes:
    SQLAlchemy's listener registry, keyed by id(), mistook it for the collected one with
    the same id, and nothing reached the outbox."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    for k in range(20):
        factory = sessionmaker(engine)
        outbox_writer.install(factory)
        with factory() as session, session.begin():
            session.add(Task(subject=f"Task {k}"))
        del factory, session
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar() == 20
