"""A doctor erased on request, end to end: a real server process on 127.0.0.1 and two
laptops (a rep's and an MSL's) that both hold the doctor, with calls, a sample with its
signature, consents, an escalated inquiry with the MSL's answer, a conflict, a pending edit
on the rep's laptop. The operator erases with the real CLI; both laptops sync; then the
doctor's name and e-mail address are absent from every byte of the server's database
(WAL included) and of each laptop's data folder, while the evidence the law requires stays
on the server, keyed by the id only (docs/gdpr.md)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from app.services import accounts as account_service
from app.services import calls, escalations, login
from app.services.calls import CallForm, SampleLine
from app.services.escalations import AnswerForm, EscalationForm
from app.store.accounts import Account
from app.store.database import Database, open_database
from app.store.interactions import Interaction
from app.sync import state
from app.sync.auth import client_for
from app.sync.run import sync_once
from server.db import Database as ServerDatabase
from server.db import next_versions
from server.directory import add_territory, add_user, assign_territory
from server.escalations.routing import cover
from server.models import Account as ServerAccount
from server.models import Attendee as ServerAttendee
from server.models import (
    ConflictEntry,
    Erasure,
    ExternalId,
    IdempotencyRecord,
    Product,
    TerritoryProduct,
)
from server.models import Interaction as ServerInteraction
from tests.server.conftest import PASSWORD, ROOT, start_server, stop_server

FIRST, LAST = "Henrike", "Quastenberg"
NAME = f"Dr. {FIRST} {LAST}"
EMAIL = "h.quastenberg@praxis-nordlicht.example"
#: Every spelling of the doctor a file could hold: as typed, and folded as the laptop's
#: search index stores words.
NEEDLES = (LAST.encode(), LAST.lower().encode(), FIRST.encode(), EMAIL.encode())
SIGNATURE = json.dumps([[[0, 0], [10, 12], [20, 5]]])


@dataclass
class Server:
    base: str
    dsn: str
    data_dir: Path
    db: ServerDatabase
    doctor: str
    product: str
    hco_call: str


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    data_dir = tmp_path / "server"
    dsn = f"sqlite:///{data_dir / 'server.sqlite3'}"
    proc, base = start_server(data_dir, dsn)
    db = ServerDatabase(dsn)
    try:
        with db.writing() as s:
            territory = add_territory(s, "DE-HH-01", "Hamburg Nord")
            add_user(s, "joerg", PASSWORD, "rep", "Jörg Krüger")
            assign_territory(s, "joerg", "DE-HH-01")
            add_user(s, "marta", PASSWORD, "msl", "Dr. Marta Brandt")
            version = next_versions(s)
            product = Product(name="Cardiozan", therapeutic_area="Cardiology",
                              yearly_sample_limit=10, version=version)
            doctor = ServerAccount(kind="hcp", name=NAME, first_name=FIRST, last_name=LAST,
                                   email=EMAIL, phone="040 123456", notes=None,
                                   territory_id=territory.id, version=version)
            clinic = ServerAccount(kind="hco", name="Klinikum Nordlicht",
                                   territory_id=territory.id, version=version)
            s.add_all([product, doctor, clinic])
            s.flush()
            s.add_all([
                TerritoryProduct(territory_id=territory.id, product_id=product.id,
                                 version=version),
                ExternalId(account_id=doctor.id, system="LANR", value="987654321",
                           version=version),
            ])
            # The doctor attended a round table at the clinic: a mention on another
            # account's call.
            round_table = ServerInteraction(account_id=clinic.id, channel="event",
                                            status="submitted", version=version,
                                            start_at=dt.datetime(2026, 11, 2, 9),
                                            subject="Round table",
                                            submitted_at=dt.datetime(2026, 11, 2, 12))
            s.add(round_table)
            s.flush()
            s.add(ServerAttendee(interaction_id=round_table.id, account_id=doctor.id,
                                 name=NAME, version=version))
            cover(s, "marta", "DE-HH-01", "cardiology")
            ids = Server(base, dsn, data_dir, db, doctor.id, product.id, round_table.id)
        yield ids
    finally:
        db.dispose()
        stop_server(proc)


def without_secure_delete(db: Database) -> None:
    """Connections as SQLite builds without SECURE_DELETE make them (this machine's build
    has it on by default): the erasure must switch it on itself."""
    for engine in (db.writer, db.reader):
        event.listen(engine, "connect", lambda conn, _record: conn.execute(
            "PRAGMA secure_delete = OFF"))
        engine.dispose()


def laptop(folder: Path, base: str, username: str, secure_delete: bool
           ) -> tuple[Database, str]:
    folder.mkdir()
    db = open_database(folder / "fieldrep.sqlite")
    if not secure_delete:
        without_secure_delete(db)
    client = client_for(db, base)
    try:
        result = login.login(db, client, username, PASSWORD)
    finally:
        client.close()
    return db, result.user_id


def sync(db: Database, base: str, verify: bool = False) -> None:
    client = client_for(db, base)
    try:
        sync_once(db, client, verify=verify)
    finally:
        client.close()


def found_in(folder: Path) -> dict[str, list[bytes]]:
    """Per file under `folder` (database, WAL, journal, anything else), the needles in it."""
    hits: dict[str, list[bytes]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found = [n for n in NEEDLES if n in data]
            if found:
                hits[path.name] = found
    return hits


def erase_with_cli(server: Server, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FIELDREP_SERVER_DSN": server.dsn,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "--data-dir", str(server.data_dir), "gdpr",
         "erase", server.doctor, *extra], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False)


@pytest.mark.slow  # a server process, two laptops, the CLI: about 25 s on 2 cores
@pytest.mark.parametrize("secure_delete", [True, False], ids=["secure-delete", "plain-build"])
def test_an_erased_doctor_leaves_the_server_and_every_laptop(server: Server, tmp_path: Path,
                                                             secure_delete: bool) -> None:
    if secure_delete:
        with sqlite3.connect(":memory:") as probe:
            if not probe.execute("PRAGMA secure_delete").fetchone()[0]:
                pytest.skip("this SQLite build has secure_delete off by default")
    rep, rep_id = laptop(tmp_path / "rep", server.base, "joerg", secure_delete)
    sync(rep, server.base)
    # The rep records consents, a call with a signed sample, and escalates a question.
    with rep.write() as session:
        account_service.set_consent(session, rep_id, server.doctor, "email", "granted")
        account_service.set_consent(session, rep_id, server.doctor, "phone", "withdrawn",
                                    source="said so at the visit")
        call_id = calls.save_draft(session, rep_id, CallForm(
            account_id=server.doctor, start_at=dt.datetime(2026, 12, 1, 10, 0),
            subject=f"Besuch bei {NAME}", notes=f"{LAST} fragt nach Studien",
            products=[server.product],
            samples=[SampleLine(server.product, "LOT-4711", 2)],
            signature=SIGNATURE, signer_name=f"{FIRST} {LAST}"))
        calls.submit_call(session, rep_id, call_id)
        inquiry_id = escalations.escalate(session, rep_id, EscalationForm(
            account_id=server.doctor, product_id=server.product,
            question=f"Frau {LAST} fragt nach Dosierung bei Niereninsuffizienz",
            consent_to_contact=True))
    # Meanwhile the office edits the doctor's notes on the server: the rep's edit of the
    # same field becomes a conflict, whose losing value the conflict log keeps.
    with rep.write() as session:
        account_service.update_contact(session, rep_id, server.doctor, email=EMAIL,
                                       phone="040 123456", notes=f"{LAST}: lieber morgens")
    with server.db.writing() as s:
        doctor = s.get(ServerAccount, server.doctor)
        assert doctor is not None
        doctor.notes, doctor.version = f"{LAST}: nur dienstags", next_versions(s)
    sync(rep, server.base)

    msl, msl_id = laptop(tmp_path / "msl", server.base, "marta", secure_delete)
    sync(msl, server.base)
    with msl.write() as session:
        escalations.take_over(session, msl_id, inquiry_id)
    with msl.write() as session:
        escalations.record_answer(session, msl_id, inquiry_id, AnswerForm(
            f"Frau {LAST} telefonisch beantwortet", "phone", f"{FIRST} {LAST}, eGFR 25"))
    sync(msl, server.base)
    sync(rep, server.base)

    # The rep, offline, edits the doctor once more: still unsent when the erasure comes.
    with rep.write() as session:
        account_service.update_contact(session, rep_id, server.doctor, email=EMAIL,
                                       phone="040 999", notes=f"{LAST} neu")

    with server.db.reading() as s:
        assert (s.scalar(select(func.count()).select_from(ConflictEntry)) or 0) > 0
        copies = s.scalars(select(IdempotencyRecord.response)).all()
        assert any(LAST in c for c in copies), "idempotency records copy the rows"
    for folder in (server.data_dir, tmp_path / "rep", tmp_path / "msl"):
        assert found_in(folder), f"the checks read the right files ({folder.name})"

    dry = erase_with_cli(server)
    assert dry.returncode == 1 and "nothing erased" in dry.stdout, dry.stderr
    with server.db.reading() as s:
        assert s.get(ServerAccount, server.doctor).name == NAME  # type: ignore[union-attr]
    done = erase_with_cli(server, "--yes", "--by", "dpo")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # The rep's visit and the MSL's phone call that answered the inquiry.
    assert report["removed"]["interactions"] == 2 and report["removed"]["samples"] == 1

    sync(rep, server.base)
    sync(msl, server.base)
    # A full check afterwards agrees with the server (the pseudonymised audit entries the
    # rep wrote come back without the doctor) and brings nothing of the doctor back.
    sync(rep, server.base, verify=True)
    with rep.read() as session:
        conn = session.connection()
        assert session.get(Account, server.doctor) is None
        assert session.get(Interaction, call_id) is None
        rejected = state.get_json(conn, state.REJECTIONS, [])
        assert all(r.get("row_id") != server.doctor for r in rejected)
        assert state.get_json(conn, state.DIVERGED, []) == [], "nothing refused on the way"
    with msl.read() as session:
        assert session.get(Account, server.doctor) is None
    for db in (rep, msl):
        db.close()

    with server.db.reading() as s:
        tombstone = s.get(ServerAccount, server.doctor)
        assert tombstone is not None and tombstone.deleted and tombstone.name == ""
        assert (tombstone.first_name, tombstone.last_name, tombstone.email) == (None,) * 3
        # The pending edit was refused (pushed before the laptop learned of the erasure).
        evidence = s.get(Erasure, server.doctor)
        assert evidence is not None and evidence.erased_by == "dpo"
        kept = json.loads(evidence.retained)
        [sample] = kept["samples"]
        assert (sample["lot"], sample["quantity"], sample["signature"]) == (
            "LOT-4711", 2, SIGNATURE)
        assert kept["recipient_ids"] == [{"system": "LANR", "value": "987654321"}]
        assert [c["channel"] for c in kept["withdrawn_consents"]] == ["phone"]
        attendee = s.scalars(select(ServerAttendee).where(
            ServerAttendee.interaction_id == server.hco_call)).one()
        assert (attendee.name, attendee.deleted) == ("", True)
    server.db.dispose()

    assert found_in(server.data_dir) == {}
    assert found_in(tmp_path / "rep") == {}
    assert found_in(tmp_path / "msl") == {}
