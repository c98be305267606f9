"""Against the real server process (SQLite and PostgreSQL): a write the server acknowledged is
never overwritten unseen (docs/sync-protocol.md, "The guarantee").

Two laptops A and B of the same rep, both synced. B, offline, saves twice on one row with
another save between (so the two saves stay two outbox mutations); A changes a field B's
second save carries and syncs; then B syncs. A's value must then be the server's current
value, or be in the conflict log on the server and on B. These races once lost A's value
without a trace: B's first mutation came back at a version later than A's write, and the
laptop moved the base version of its second one up to it, so the server took A's change
for one B had seen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.services import accounts as account_service
from app.services import calls
from app.store.database import Database, open_database
from app.sync.client import SyncClient
from app.sync.run import sync_once
from server.models import Account, ChannelConsent, ConflictEntry, Interaction
from tests.server.conftest import PASSWORD, Live

Laptop = tuple[Database, SyncClient, str]  # the replica, its client, the user's id


@pytest.fixture
def laptops(live: Live, tmp_path: Path) -> Iterator[Callable[[str, str], Laptop]]:
    made: list[Laptop] = []

    def make(username: str, device: str) -> Laptop:
        db = open_database(tmp_path / f"{device}.sqlite")
        client = SyncClient(live.base, device_id=device)
        reply = client.login(username, PASSWORD)
        client.token = reply["token"]
        made.append((db, client, reply["user_id"]))
        return made[-1]

    yield make
    for db, client, _user in made:
        client.close()
        db.close()


def two_laptops(live: Live, laptops: Callable[[str, str], Laptop]
                ) -> tuple[Laptop, Laptop, str, str]:
    """A and B of one rep, both synced; two accounts of the rep's territory."""
    territory = live.territory()
    username = live.user("rep", (territory,))
    x, other = live.account(territory, name="Dr. X"), live.account(territory, name="Dr. Y")
    a, b = laptops(username, "laptop-a"), laptops(username, "laptop-b")
    for db, client, _user in (a, b):
        sync_once(db, client)
    return a, b, x, other


def kept_or_logged(live: Live, b: Laptop, entity: str, row_id: str, field: str,
                   value: object, current: object) -> None:
    """`value` (A's acknowledged write) is the server's current value of the field, or the
    conflict log holds it on the server and on laptop B."""
    if current == value:
        return
    wire = json.dumps(value)
    with live.db.reading() as s:
        logged = s.execute(select(ConflictEntry.mine, ConflictEntry.theirs).where(
            ConflictEntry.entity == entity, ConflictEntry.row_id == row_id,
            ConflictEntry.field == field)).all()
    assert any(wire in (mine, theirs) for mine, theirs in logged), (
        f"{entity}.{field} = {value!r} was overwritten by {current!r} and is in no conflict "
        f"log on the server ({logged})")
    with b[0].read() as session:
        local = session.execute(text(
            "SELECT mine, theirs FROM sync_conflicts WHERE entity = :e AND row_id = :r "
            "AND field = :f"), {"e": entity, "r": row_id, "f": field}).all()
    assert any(wire in (mine, theirs) for mine, theirs in local), (
        f"{entity}.{field} = {value!r} is not in laptop B's conflict list ({local})")


def test_a_second_offline_save_does_not_overwrite_an_unseen_contact_edit(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    """The four steps of the issue: B's preferences, then B's contact edit, both offline;
    A's contact edit synced meanwhile."""
    (a, ca, ua), (b, cb, ub), x, _other = two_laptops(live, laptops)
    with b.write() as session:
        account_service.set_preferences(session, ub, x, ["phone"],
                                        preferred_contact_time="mornings")
    with b.write() as session:
        account_service.update_contact(session, ub, x, email=None, phone="+49 B",
                                       notes="B-notes")
    with a.write() as session:
        account_service.update_contact(session, ua, x, email=None, phone="+49 A",
                                       notes="A-notes")
    sync_once(a, ca)
    sync_once(b, cb)
    sync_once(a, ca)
    with live.db.reading() as s:
        phone, notes, time = s.execute(select(
            Account.phone, Account.notes, Account.preferred_contact_time)
            .where(Account.id == x)).one()
    assert time == "mornings"
    kept_or_logged(live, (b, cb, ub), "accounts", x, "phone", "+49 A", phone)
    kept_or_logged(live, (b, cb, ub), "accounts", x, "notes", "A-notes", notes)
    # The rules still decide who wins: the server's phone (master data), the last notes.
    assert (phone, notes) == ("+49 A", "B-notes")


def test_a_draft_saved_twice_offline_does_not_overwrite_unseen_notes(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    (a, ca, ua), (b, cb, ub), x, other = two_laptops(live, laptops)
    start = dt.datetime(2026, 11, 2, 9, 0)
    with a.write() as session:
        call = calls.save_draft(session, ua, calls.CallForm(
            account_id=x, channel="phone", start_at=start, notes="first"))
    sync_once(a, ca)
    sync_once(b, cb)
    with b.write() as session:  # B: the subject, another save, then the notes
        calls.save_draft(session, ub, calls.CallForm(
            account_id=x, channel="phone", start_at=start, subject="B-subject",
            notes="first"), call)
    with b.write() as session:
        account_service.update_contact(session, ub, other, email=None, phone=None,
                                       notes="between")
    with b.write() as session:
        calls.save_draft(session, ub, calls.CallForm(
            account_id=x, channel="phone", start_at=start, subject="B-subject",
            notes="B-notes"), call)
    with a.write() as session:
        calls.save_draft(session, ua, calls.CallForm(
            account_id=x, channel="phone", start_at=start, notes="A-notes"), call)
    sync_once(a, ca)
    sync_once(b, cb)
    with live.db.reading() as s:
        subject, notes = s.execute(select(Interaction.subject, Interaction.notes)
                                   .where(Interaction.id == call)).one()
    assert subject == "B-subject"
    kept_or_logged(live, (b, cb, ub), "interactions", call, "notes", "A-notes", notes)


def test_a_consent_saved_after_preferences_offline_does_not_overwrite_an_unseen_consent(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    (a, ca, ua), (b, cb, ub), x, _other = two_laptops(live, laptops)
    with a.write() as session:  # the consent rows exist on both laptops
        account_service.set_preferences(session, ua, x, ["phone"])
    sync_once(a, ca)
    sync_once(b, cb)
    with b.write() as session:
        account_service.set_preferences(session, ub, x, ["email", "phone"])
    with b.write() as session:
        account_service.set_consent(session, ub, x, "email", "granted", dt.date(2026, 3, 1),
                                    source="B-source")
    with a.write() as session:
        account_service.set_consent(session, ua, x, "email", "withdrawn", dt.date(2026, 3, 9),
                                    source="A-source")
    sync_once(a, ca)
    sync_once(b, cb)
    with live.db.reading() as s:
        row_id, consent, source, preferred = s.execute(select(
            ChannelConsent.id, ChannelConsent.consent, ChannelConsent.source,
            ChannelConsent.preferred).where(ChannelConsent.account_id == x,
                                            ChannelConsent.channel == "email")).one()
    assert preferred is True
    kept_or_logged(live, (b, cb, ub), "channel_consents", row_id, "source", "A-source", source)
    # The newest consent date wins, whichever laptop reports last.
    assert (consent, source) == ("withdrawn", "A-source")
