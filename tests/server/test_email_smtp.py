"""The SMTP side of approved e-mail against a real SMTP server (aiosmtpd) on 127.0.0.1 that
demands STARTTLS and a login: the message goes encrypted with the configured credentials and
checked certificate; an unknown CA is a temporary failure (the server's settings: kept and
retried), a 5xx for the address is a bounce."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from server.config import Settings
from server.email.outbox import PermanentFailureError, TemporaryFailureError, _smtp_send
from server.models import EmailSend
from tests.server.conftest import free_port
from tests.server.test_tls import make_pki


class Relay:
    def __init__(self) -> None:
        self.received: list[Any] = []
        self.logins: list[tuple[bytes, bool]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope, session.ssl is not None))
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login, auth_data.password) == (b"fieldrep", b"s3cret")
        self.logins.append((auth_data.login, ok))
        return AuthResult(success=ok)


@pytest.fixture
def relay(tmp_path: Path) -> Any:
    pki = make_pki(tmp_path / "pki", "SMTP Test CA")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki.cert, pki.key)
    handler = Relay()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=handler.authenticate,
                            auth_require_tls=True)
    controller.start()
    try:
        yield handler, port, pki.ca
    finally:
        controller.stop()


def _send(to: str) -> EmailSend:
    now = dt.datetime.now()
    return EmailSend(id="s1", email_id="e1", account_id="a1", template_id="t1",
                     to_address=to, subject="New renal data",
                     text="Dear Dr. Müller,\n--\nNo more e-mails of this kind: "
                          "http://127.0.0.1/api/v1/email/u/token\n",
                     html="<p>Dear Dr. Müller,</p>", links="[]", token_hash="0" * 64,
                     status="queued", attempts=0, next_attempt_at=now, queued_at=now)


def _settings(port: int, ca: Path) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True,
                    smtp_ca_file=str(ca), smtp_user="fieldrep", smtp_password="s3cret",
                    email_from="medinfo@fieldrep.test")


def test_the_message_goes_over_starttls_with_the_configured_login(relay: Any) -> None:
    handler, port, ca = relay
    _smtp_send(_settings(port, ca), _send("mueller@praxis.test"))
    [(envelope, encrypted)] = handler.received
    assert encrypted, "sent after STARTTLS"
    assert envelope.rcpt_tos == ["mueller@praxis.test"]
    assert handler.logins == [(b"fieldrep", True)]
    assert b"Dear Dr. M" in envelope.content


def test_an_unknown_ca_is_temporary_and_sends_nothing(relay: Any, tmp_path: Path) -> None:
    handler, port, _ = relay
    other = make_pki(tmp_path / "other", "Another CA").ca
    with pytest.raises(TemporaryFailureError, match="CERTIFICATE_VERIFY_FAILED"):
        _smtp_send(_settings(port, other), _send("mueller@praxis.test"))
    assert handler.received == []


def test_an_address_refused_for_good_is_a_bounce(relay: Any) -> None:
    handler, port, ca = relay
    with pytest.raises(PermanentFailureError, match="550"):
        _smtp_send(_settings(port, ca), _send("gone@praxis.test"))
    assert handler.received == []
