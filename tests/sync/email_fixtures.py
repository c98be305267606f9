"""A real SMTP server on 127.0.0.1 (aiosmtpd) and a real sync server configured to send
through it, with a rep, a doctor who consented to e-mail and an approved template: what the
approved e-mail tests share (tests/sync/test_email_*.py)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.engine import EngineSettings, default_rules, in_control_group
from app.ids import uuid7
from app.services import login
from app.store.database import Database, open_database
from app.sync.auth import client_for
from app.sync.run import sync_once
from server.db import Database as ServerDatabase
from server.db import next_versions
from server.directory import add_territory, add_user, assign_territory
from server.email import templates
from server.models import Account, ChannelConsent, Product, TerritoryProduct
from tests.server.conftest import PASSWORD, TEST_SETTINGS, free_port, start_server, stop_server

LINK = "https://example.com/studies/renal-07"
BODY = ("{salutation}\n\nThe CZ-RENAL-07 results are out: " + LINK + "\n\n{paragraph}\n\n"
        "Kind regards\n")


@dataclass
class Inbox:
    """What the SMTP server received; `refuse` temporary failures to answer first."""

    messages: list[Any] = field(default_factory=list)
    refuse: int = 0
    refused: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def wait(self, count: int, seconds: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return [email.message_from_bytes(m.content, policy=email.policy.default)
                for m in self.messages]  # type: ignore[misc]


@dataclass
class EmailServer:
    base: str
    db: ServerDatabase
    inbox: Inbox
    doctor: str
    rep: str
    template: str
    product: str


def _smtp(inbox: Inbox) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def email_server(tmp_path: Path, inbox: Inbox) -> Iterator[EmailServer]:
    controller, port = _smtp(inbox)
    settings = TEST_SETTINGS + (
        f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_starttls = false\n'
        'email_from = "Fieldrep <noreply@fieldrep.test>"\nemail_retry_s = 1\n'
        'email_interval_s = 1\n')
    dsn = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    proc, base = start_server(tmp_path / "server", dsn, settings)
    db = ServerDatabase(dsn)
    rules = default_rules()
    try:
        with db.writing() as s:
            north = add_territory(s, "DE-BY-01", "München Nord")
            rep = add_user(s, "joerg", PASSWORD, "rep", "Jörg")
            assign_territory(s, "joerg", "DE-BY-01")
            add_user(s, "root", PASSWORD, "admin", "Admin")
            version = next_versions(s)
            product = Product(id=uuid7(), name="Cardiozan", therapeutic_area="Kardiologie",
                              version=version)
            s.add(product)
            s.flush()
            s.add(TerritoryProduct(territory_id=north.id, product_id=product.id,
                                   version=version))
            # Outside the engine's control group, so the rules may answer him.
            doctor = next(a for a in (uuid7() for _ in range(100)) if not in_control_group(
                a, rules.control_share, EngineSettings().control_salt))
            s.add(Account(id=doctor, kind="hcp", name="Dr. Jürgen Müller", title="Dr.",
                          first_name="Jürgen", last_name="Müller", preferred_language="en",
                          email="mueller@praxis.test", territory_id=north.id, segment="B",
                          version=version))
            s.flush()
            s.add(ChannelConsent(account_id=doctor, channel="email", consent="granted",
                                 consent_date=dt.date(2026, 1, 5),
                                 source="double opt-in 2026-01-05", version=version))
            template = templates.add(s, "renal-study", product="Cardiozan", topic="study",
                                     subject="New renal data for {title} {last_name}",
                                     body=BODY)
            templates.set_state(s, "renal-study", "approved", "root")
            ids = EmailServer(base, db, inbox, doctor, rep.id, template.id, product.id)
        yield ids
    finally:
        db.dispose()
        stop_server(proc)
        controller.stop()


def laptop(tmp_path: Path, server: EmailServer, username: str = "joerg") -> Database:
    db = open_database(tmp_path / f"{username}.sqlite3")
    client = client_for(db, server.base)
    try:
        login.login(db, client, username, PASSWORD)
    finally:
        client.close()
    return db


def sync(db: Database, server: EmailServer) -> None:
    client = client_for(db, server.base)
    try:
        sync_once(db, client)
    finally:
        client.close()


def rep_id(db: Database) -> str:
    from app.store.reference import User

    with db.read() as session:
        found = session.scalar(select(User.id).where(User.username == "joerg"))
    assert found is not None
    return found


def plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def mutation(entity: str, row_id: str, fields: dict[str, object]) -> dict[str, object]:
    return {"mutation_id": uuid7(), "entity": entity, "row_id": row_id, "op": "upsert",
            "base_version": 0, "fields": fields}


def push_email(db: Database, server: EmailServer, template: str, paragraph: str | None = None,
               ) -> list[dict[str, Any]]:
    """Push what a laptop pushes for an e-mail, skipping the laptop's checks (a modified
    client): the draft call, its e-mail part, the submission. The answers."""
    call = uuid7()
    client = client_for(db, server.base)
    try:
        answers: list[dict[str, Any]] = client.push([
            mutation("interactions", call, {
                "account_id": server.doctor, "owner_id": rep_id(db), "channel": "email",
                "status": "draft", "start_at": dt.datetime.now().isoformat()}),
            mutation("emails", uuid7(), {
                "interaction_id": call, "account_id": server.doctor, "template_id": template,
                "to_address": "mueller@praxis.test", "paragraph": paragraph}),
            mutation("interactions", call, {"status": "submitted"}),
        ])["results"]
    finally:
        client.close()
    return answers
