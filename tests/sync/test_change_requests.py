"""A master-data change request from the rep to the steward to every laptop, against a real
server process on 127.0.0.1 and two reps' laptops of one territory (docs/change-requests.md):
rep A proposes offline and syncs; the steward accepts over the API; after a pull both
laptops hold the new value and show the request accepted. A rejection's reason reaches the
rep; a new doctor accepted is an account on both laptops; a bad value the laptop let
through (an older app) is refused by the server in words the rep's refusals list keeps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from app import master_data
from app.services import change_requests
from app.store.accounts import Account, Address
from app.store.change_requests import ChangeRequest
from app.store.database import Database
from app.store.refusals import listed
from app.synced_columns import utcnow
from server.db import Database as ServerDatabase
from server.db import next_versions
from server.directory import add_territory, add_user, assign_territory
from server.models import Account as ServerAccount
from server.models import Address as ServerAddress
from server.models import AuditEntry, Specialty
from tests.server.conftest import PASSWORD, start_server, stop_server
from tests.sync.test_escalation_round_trip import laptop, sync


@dataclass
class Server:
    base: str
    db: ServerDatabase
    account: str
    other: str  # an account of another territory
    territory: str
    specialty: str


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    dsn = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    proc, base = start_server(tmp_path / "server", dsn)
    db = ServerDatabase(dsn)
    try:
        with db.writing() as s:
            territory = add_territory(s, "DE-BY-01", "München Nord")
            far = add_territory(s, "DE-HH-01", "Hamburg")
            for name, role in (("anna", "rep"), ("bert", "rep"), ("carl", "rep")):
                add_user(s, name, PASSWORD, role)
            assign_territory(s, "anna", "DE-BY-01")
            assign_territory(s, "bert", "DE-BY-01")
            assign_territory(s, "carl", "DE-HH-01")
            add_user(s, "stella", PASSWORD, "steward", "Stella Daten")
            version = next_versions(s)
            specialty = Specialty(code="CARD", name_en="Cardiology", name_de="Kardiologie",
                                  version=version)
            account = ServerAccount(kind="hcp", title="Dr.", first_name="Jürgen",
                                    last_name="Müller", name="Dr. Jürgen Müller",
                                    territory_id=territory.id, version=version)
            other = ServerAccount(kind="hcp", name="Dr. Hanna Hamburg",
                                  territory_id=far.id, version=version)
            s.add_all([specialty, account, other])
            s.flush()
            s.add(ServerAddress(account_id=account.id, line1="Hauptstr. 1", city="München",
                                postcode="80331", country="DE", is_primary=True,
                                version=version))
            ids = Server(base, db, account.id, other.id, territory.id, specialty.id)
        yield ids
    finally:
        db.dispose()
        stop_server(proc)


class Steward:
    """The data steward's API, as the desktop list and any script call it."""

    def __init__(self, base: str, username: str = "stella") -> None:
        self.base, self.http = base, requests.Session()
        reply = self.http.post(f"{base}/api/v1/login", json={
            "username": username, "password": PASSWORD, "device_id": "steward-desk"}, timeout=30)
        assert reply.status_code == 200, reply.text
        self.http.headers.update({"Authorization": f"Bearer {reply.json()['token']}",
                                  "X-Device-Id": "steward-desk"})

    def pending(self) -> list[dict[str, Any]]:
        reply = self.http.get(f"{self.base}/api/v1/change-requests", timeout=30)
        assert reply.status_code == 200, reply.text
        return list(reply.json()["items"])

    def decide(self, verb: str, request_id: str, reason: str | None = None
               ) -> requests.Response:
        return self.http.post(f"{self.base}/api/v1/change-requests/{request_id}/{verb}",
                              json={"reason": reason}, timeout=30)


def _request(db: Database, request_id: str) -> ChangeRequest:
    with db.read() as session:
        row = session.get(ChangeRequest, request_id)
        assert row is not None
        session.expunge(row)
        return row


def test_accepted_change_reaches_every_laptop(server: Server, tmp_path: Path) -> None:
    a, anna = laptop(tmp_path / "a.sqlite", server.base, "anna")
    b, _bert = laptop(tmp_path / "b.sqlite", server.base, "bert")
    sync(a, server.base)
    sync(b, server.base)

    # Offline on A: a new surname, a new street and postcode, and a comment.
    with a.write() as session:
        request_id = change_requests.propose_change(
            session, anna, server.account,
            {"last_name": "Müller-Lüdenscheidt", "line1": "Neuer Weg 5", "postcode": "80333"},
            "Hat geheiratet und ist umgezogen.")
    sync(a, server.base)

    steward = Steward(server.base)
    [pending] = steward.pending()
    assert pending["id"] == request_id and pending["requested_by"] == "anna"
    assert pending["changes"]["last_name"] == {"old": "Müller", "new": "Müller-Lüdenscheidt",
                                               "current": "Müller"}
    assert pending["changes"]["postcode"]["current"] == "80331"
    accepted = steward.decide("accept", request_id, "LANR-Register geprüft")
    assert accepted.status_code == 200, accepted.text
    assert steward.decide("reject", request_id, "zu spät").status_code == 409
    assert steward.pending() == []

    for db in (a, b):
        sync(db, server.base)
        with db.read() as session:
            account = session.get(Account, server.account)
            assert account is not None
            assert account.last_name == "Müller-Lüdenscheidt"
            assert account.name == "Dr. Jürgen Müller-Lüdenscheidt"
            address = session.scalar(select(Address).where(
                Address.account_id == server.account))
            assert address is not None
            assert (address.line1, address.postcode) == ("Neuer Weg 5", "80333")
            [line] = change_requests.of_account(session, server.account, anna)
            assert line.status == "accepted" and line.reason == "LANR-Register geprüft"
    # The decision is audited with who and why.
    with server.db.reading() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.row_id == request_id))
        assert entry is not None and entry.action == "change_request_accepted"
        assert json.loads(entry.details or "{}")["by"] == "stella"
        assert json.loads(entry.details or "{}")["reason"] == "LANR-Register geprüft"


def test_rejection_reason_and_withdrawal_reach_the_rep(server: Server, tmp_path: Path) -> None:
    a, anna = laptop(tmp_path / "a.sqlite", server.base, "anna")
    sync(a, server.base)
    with a.write() as session:
        rejected = change_requests.propose_change(session, anna, server.account,
                                                  {"phone": "089 123456"})
        withdrawn = change_requests.propose_change(session, anna, server.account,
                                                   {"email": "praxis@mueller.de"})
    sync(a, server.base)
    with a.write() as session:
        change_requests.withdraw(session, anna, withdrawn)
    sync(a, server.base)

    steward = Steward(server.base)
    assert [p["id"] for p in steward.pending()] == [rejected]
    assert steward.decide("reject", rejected).status_code == 409  # a reason is needed
    assert steward.decide("reject", rejected, "Nummer gehört zur Klinik").status_code == 200
    sync(a, server.base)
    assert _request(a, rejected).status == "rejected"
    assert _request(a, rejected).reason == "Nummer gehört zur Klinik"
    assert _request(a, withdrawn).status == "withdrawn"
    with a.read() as session:
        account = session.get(Account, server.account)
        assert account is not None and account.phone is None  # nothing applied
    with a.write() as session, pytest.raises(change_requests.ValidationError):
        change_requests.withdraw(session, anna, rejected)  # decided: no withdrawing


def test_new_doctor_accepted_is_an_account_on_both_laptops(server: Server,
                                                          tmp_path: Path) -> None:
    a, anna = laptop(tmp_path / "a.sqlite", server.base, "anna")
    b, _bert = laptop(tmp_path / "b.sqlite", server.base, "bert")
    sync(a, server.base)
    with a.write() as session:
        request_id = change_requests.propose_new_doctor(
            session, anna, server.territory,
            {"title": "Dr.", "first_name": "Eva", "last_name": "Neumann",
             "specialty_id": server.specialty, "line1": "Am Markt 2", "postcode": "80335",
             "city": "München"}, "Neue Praxis seit Oktober.")
    sync(a, server.base)
    steward = Steward(server.base)
    reply = steward.decide("accept", request_id)
    assert reply.status_code == 200, reply.text
    account_id = reply.json()["account_id"]
    for db in (a, b):
        sync(db, server.base)
        with db.read() as session:
            account = session.get(Account, account_id)
            assert account is not None and account.name == "Dr. Eva Neumann"
            assert account.territory_id == server.territory
            assert account.specialty_id == server.specialty
            address = session.scalar(select(Address).where(Address.account_id == account_id))
            assert address is not None and address.city == "München"
    assert _request(a, request_id).account_id == account_id


def _push_raw(db: Database, user: str, fields: dict[str, Any]) -> str:
    """A request written past the service's checks (an older laptop, a hand-made row)."""
    with db.write() as session:
        row = ChangeRequest(requested_by=user, requested_at=utcnow(),
                            status="pending", **fields)
        session.add(row)
        session.flush()
        return row.id


def test_the_server_refuses_what_the_rules_refuse(server: Server, tmp_path: Path) -> None:
    a, anna = laptop(tmp_path / "a.sqlite", server.base, "anna")
    sync(a, server.base)
    with a.write() as session:  # the other territory's account, as a laptop might hold it
        session.add(Account(id=server.other, kind="hcp", name="Dr. Hanna Hamburg"))
    cases = {
        "not in your territories": {
            "account_id": server.other, "kind": "change",
            "changes": master_data.encode({"last_name": (None, "Hamburg-Altona")})},
        "segment is not master data": {
            "account_id": server.account, "kind": "change",
            "changes": master_data.encode({"segment": ("B", "A")})},
        "postcode must be five digits": {
            "account_id": server.account, "kind": "change",
            "changes": master_data.encode({"postcode": ("80331", "8033X")})},
        "a new doctor can only be requested in your own territories": {
            "account_id": None, "kind": "new_account",
            "territory_id": None,
            "changes": master_data.encode({"last_name": (None, "X"), "city": (None, "Y")})},
    }
    ids = {words: _push_raw(a, anna, fields) for words, fields in cases.items()}
    sync(a, server.base)
    with a.read() as session:
        refusals = {r.row_id: r.reason for r in listed(session.connection())}
    for words, request_id in ids.items():
        assert words in refusals[request_id], (words, refusals.get(request_id))
    assert Steward(server.base).pending() == []
    with a.read() as session:  # the account view shows why
        lines = change_requests.of_account(session, server.account, anna)
        assert {line.refused for line in lines if line.refused} >= {
            refusals[ids["segment is not master data"]]}
