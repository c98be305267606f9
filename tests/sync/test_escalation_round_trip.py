"""The escalation round trip as two people live it, against a real server process on
127.0.0.1 and two laptops (a rep's and an MSL's database): the rep escalates offline and
restarts the app, syncs; the MSL syncs, sees it with the account's history, takes over,
answers, hands back; the rep syncs and sees the status and the note, and the rep's database
file holds no byte of the answer; the MSL closes and the account leaves the MSL's laptop."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services import escalations, login
from app.services.errors import ServiceError
from app.services.escalations import AnswerForm, EscalationForm
from app.store.accounts import Account
from app.store.database import Database, open_database
from app.store.escalation_queries import inquiries
from app.store.escalations import MedicalAnswer, MedicalInquiry
from app.store.interactions import Interaction
from app.sync.auth import client_for
from app.sync.run import sync_once
from server.db import Database as ServerDatabase
from server.db import next_versions
from server.directory import add_territory, add_user, assign_territory
from server.escalations.routing import cover
from server.models import Account as ServerAccount
from server.models import Interaction as ServerInteraction
from server.models import Product, TerritoryProduct
from tests.server.conftest import PASSWORD, start_server, stop_server

ANSWER = "Bei einer GFR unter 30 die Dosis halbieren (Studie CZ-RENAL-07, Tabelle 3)."
NOTES = "Arzt fragt wegen Patientin mit Dialyse; eGFR 25."
NOTE_FOR_REP = "Am Telefon beantwortet; bitte beim nächsten Besuch nachfragen."


@dataclass
class Server:
    base: str
    account: str
    product: str
    first_visit: str


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    dsn = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    proc, base = start_server(tmp_path / "server", dsn)
    db = ServerDatabase(dsn)
    try:
        with db.writing() as s:
            territory = add_territory(s, "DE-BY-01", "München Nord")
            add_user(s, "joerg", PASSWORD, "rep", "Jörg Krüger")
            assign_territory(s, "joerg", "DE-BY-01")
            add_user(s, "marta", PASSWORD, "msl", "Dr. Marta Brandt")
            add_user(s, "ben", PASSWORD, "msl", "Dr. Ben Yilmaz")  # covers nothing yet
            version = next_versions(s)
            product = Product(name="Cardiozan", therapeutic_area="Cardiology",
                              yearly_sample_limit=10, version=version)
            account = ServerAccount(kind="hcp", name="Dr. med. Jürgen Müller",
                                    territory_id=territory.id, version=version)
            s.add_all([product, account])
            s.flush()
            s.add(TerritoryProduct(territory_id=territory.id, product_id=product.id,
                                   version=version))
            visit = ServerInteraction(account_id=account.id, channel="in_person",
                                      status="submitted", version=version,
                                      start_at=product.updated_at, subject="Erstbesuch",
                                      submitted_at=product.updated_at)
            s.add(visit)
            s.flush()
            cover(s, "marta", "DE-BY-01", "cardiology")
            ids = Server(base, account.id, product.id, visit.id)
        yield ids
    finally:
        db.dispose()
        stop_server(proc)


def laptop(path: Path, base: str, username: str) -> tuple[Database, str]:
    db = open_database(path)
    client = client_for(db, base)
    try:
        result = login.login(db, client, username, PASSWORD)
    finally:
        client.close()
    return db, result.user_id


def sync(db: Database, base: str) -> None:
    client = client_for(db, base)
    try:
        sync_once(db, client)
    finally:
        client.close()


def file_bytes(path: Path) -> bytes:
    """The database file and its WAL and journal, as they lie on the disk."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_escalate_answer_hand_back_close(server: Server, tmp_path: Path) -> None:
    rep_path, msl_path = tmp_path / "rep.sqlite", tmp_path / "msl.sqlite"
    rep, rep_id = laptop(rep_path, server.base, "joerg")
    sync(rep, server.base)

    # Offline: the rep escalates, and the app is closed and opened again before any sync.
    with rep.write() as session:
        inquiry_id = escalations.escalate(session, rep_id, EscalationForm(
            account_id=server.account, product_id=server.product,
            question="Darf ich Cardiozan bei Dialyse geben?", urgency="urgent",
            answer_channel="phone", consent_to_contact=True, unsolicited=True))
    rep.close()
    rep = open_database(rep_path)
    sync(rep, server.base)
    with rep.read() as session:
        row = session.get(MedicalInquiry, inquiry_id)
        assert row is not None and row.status == "routed"
    with rep.write() as session:
        assert escalations.news(session, "rep", rep_id) == []  # the app takes note

    msl, msl_id = laptop(msl_path, server.base, "marta")
    sync(msl, server.base)
    with msl.read() as session:
        row = session.get(MedicalInquiry, inquiry_id)
        assert row is not None and (row.status, row.assigned_to) == ("routed", msl_id)
        assert session.get(Account, server.account) is not None
        assert session.get(Interaction, server.first_visit) is not None, "the history came"
    with msl.write() as session:
        escalations.take_over(session, msl_id, inquiry_id)
    with msl.write() as session:
        escalations.record_answer(session, msl_id, inquiry_id,
                                  AnswerForm(ANSWER, "phone", NOTES))
    with msl.write() as session:
        escalations.hand_back(session, msl_id, inquiry_id, NOTE_FOR_REP)
    sync(msl, server.base)

    sync(rep, server.base)
    with rep.read() as session:
        row = session.get(MedicalInquiry, inquiry_id)
        assert row is not None
        assert (row.status, row.hand_back_note) == ("handed_back", NOTE_FOR_REP)
        assert row.answered_at is not None
        assert session.scalar(select(func.count()).select_from(MedicalAnswer)) == 0
        calls = session.scalars(select(Interaction).where(Interaction.owner_id == msl_id))
        assert [c.channel for c in calls] == ["phone"], "the MSL's call is in the history"
    with rep.write() as session:
        told = escalations.news(session, "rep", rep_id)
    rep.close()
    on_disk = file_bytes(rep_path)
    for secret in (ANSWER, NOTES):
        assert secret.encode() not in on_disk, "the answer reached the rep's laptop"
    assert NOTE_FOR_REP.encode() in on_disk  # the check reads the right file
    assert [(n.inquiry_id, n.status) for n in told] == [(inquiry_id, "handed_back")]

    with msl.write() as session:
        escalations.close(session, msl_id, inquiry_id)
    sync(msl, server.base)
    with msl.read() as session:
        # Revoked: removed, or (its submitted calls are locked on the laptop, see
        # app/sync/revoke.py) kept as a hidden tombstone that no list shows.
        account = session.get(Account, server.account)
        assert account is None or account.deleted, "the account left the MSL's scope"
    msl.close()


def cover_ben(tmp_path: Path) -> None:
    """Ben covers the territory too, once the inquiry went to Marta: an inquiry is reassigned
    only to an MSL who covers the account's territory and therapeutic area."""
    db = ServerDatabase(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    try:
        with db.writing() as s:
            cover(s, "ben", "DE-BY-01", "cardiology")
    finally:
        db.dispose()


def test_an_msl_hands_an_inquiry_to_another_msl(server: Server, tmp_path: Path) -> None:
    rep, rep_id = laptop(tmp_path / "rep.sqlite", server.base, "joerg")
    sync(rep, server.base)
    with rep.write() as session:
        inquiry_id = escalations.escalate(session, rep_id, EscalationForm(
            account_id=server.account, product_id=server.product,
            question="Gibt es Daten bei über 80-Jährigen?", consent_to_contact=True))
    sync(rep, server.base)
    marta, _ = laptop(tmp_path / "marta.sqlite", server.base, "marta")
    ben, ben_id = laptop(tmp_path / "ben.sqlite", server.base, "ben")
    sync(marta, server.base)
    with pytest.raises(ServiceError, match="not an active MSL"):
        escalations.reassign_online(marta, server.base, inquiry_id, "joerg")
    cover_ben(tmp_path)
    assert escalations.reassign_online(marta, server.base, inquiry_id, "ben") == "ben"
    sync(marta, server.base)
    with marta.read() as session:
        assert inquiries(session) == [], "the inquiry left the first MSL's desk"
    sync(ben, server.base)
    with ben.read() as session:
        [line] = inquiries(session, mine=ben_id)
        assert (line.id, line.status) == (inquiry_id, "routed")
        assert session.get(Interaction, server.first_visit) is not None
    with ben.write() as session:
        escalations.take_over(session, ben_id, inquiry_id)
    sync(ben, server.base)
    sync(rep, server.base)
    with rep.read() as session:
        [line] = inquiries(session, account_id=server.account)
        assert (line.status, line.assigned_name) == ("in_progress", "Dr. Ben Yilmaz")
    for db in (rep, marta, ben):
        db.close()


def test_a_refused_escalation_says_why_on_the_account(server: Server, tmp_path: Path) -> None:
    """The product stopped being promotable in the territory while the rep was offline."""
    from app.ui.views.escalation.status import inquiry_summary

    rep, rep_id = laptop(tmp_path / "rep.sqlite", server.base, "joerg")
    sync(rep, server.base)
    db = ServerDatabase(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    try:
        with db.writing() as s:
            link = s.scalars(select(TerritoryProduct)).one()
            link.deleted, link.version = True, next_versions(s)
    finally:
        db.dispose()
    with rep.write() as session:
        inquiry_id = escalations.escalate(session, rep_id, EscalationForm(
            account_id=server.account, product_id=server.product,
            question="Off-label bei Kindern?", consent_to_contact=True))
    sync(rep, server.base)
    with rep.read() as session:
        reasons = escalations.refusals(session)
        [line] = inquiries(session, account_id=server.account)
    assert reasons == {inquiry_id: "this product may not be detailed to this account"}
    assert "not accepted by the server: this product may not be detailed" in \
        inquiry_summary(line, reasons[inquiry_id])
    rep.close()
