"""What approved e-mail refuses, against a real server and SMTP server: templates not
approved or expired, a paragraph with a link or where the template has no slot, the contact
cap, each in the laptop's words on the server too; tracking links with bad tokens or link
numbers (404, never a 5xx, never a redirect elsewhere); temporary SMTP failures retried."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from app.content_format import email as rules
from app.services import email as email_service
from server.db import next_versions
from server.email import templates
from server.models import EmailSend, Interaction, Touchpoint
from tests.sync import email_fixtures
from tests.sync.email_fixtures import EmailServer, laptop, plain, push_email, rep_id, sync

email_server, inbox = email_fixtures.email_server, email_fixtures.inbox


def _template(server: EmailServer, code: str, *, approve: bool = True,
              until: dt.date | None = None, body: str = email_fixtures.BODY) -> str:
    with server.db.writing() as s:
        row = templates.add(s, code, product="Cardiozan", topic="study", subject="News",
                            body=body, valid_until=until)
        if approve:
            templates.set_state(s, code, "approved", "root")
        return row.id


def _laptop_says(tmp_path: Path, server: EmailServer, template: str, paragraph: str = ""
                 ) -> tuple[object, dict[str, str]]:
    db = laptop(tmp_path, server)
    sync(db, server)
    with db.read() as session:
        seen = email_service.preview(session, server.doctor, template, paragraph=paragraph)
    return db, seen.errors


@pytest.mark.parametrize("case", ["draft", "expired", "link", "no slot"])
def test_the_server_refuses_what_the_laptop_refuses_in_the_same_words(
        tmp_path: Path, email_server: EmailServer, case: str) -> None:
    server = email_server
    paragraph = {"link": "Details on www.elsewhere.example", "no slot": "Hello"}.get(case, "")
    template = {
        "draft": lambda: _template(server, "draft-one", approve=False),
        "expired": lambda: _template(server, "old-one",
                                     until=dt.date.today() - dt.timedelta(days=1)),
        "link": lambda: server.template,
        "no slot": lambda: _template(server, "fixed", body="{salutation}\n\nFixed text.\n"),
    }[case]()
    db, errors = _laptop_says(tmp_path, server, template, paragraph)
    try:
        assert len(errors) == 1, errors
        [words] = errors.values()
        with db.read() as session:  # type: ignore[attr-defined]
            offered = {t.id for t in email_service.templates_for(session, dt.date.today())}
        assert (template in offered) == (case in ("link", "no slot")), \
            "the dialog offers approved, valid templates only"

        answers = push_email(db, server, template, paragraph or None)  # type: ignore[arg-type]
        assert answers[1]["status"] == "rejected" and answers[1]["reason"] == words, answers
        assert len(server.inbox.wait(1, seconds=2)) == 0, "nothing sent"
    finally:
        db.close()  # type: ignore[attr-defined]


def test_the_contact_cap_counts_every_channel(tmp_path: Path,
                                              email_server: EmailServer) -> None:
    server = email_server
    with server.db.writing() as s:
        version = next_versions(s)
        for hours in range(rules.CONTACT_CAP):
            s.add(Interaction(account_id=server.doctor, owner_id=server.rep,
                              channel=("in_person", "phone", "video")[hours % 3],
                              status="submitted", version=version,
                              start_at=dt.datetime.now() - dt.timedelta(days=1, hours=hours)))
    db, errors = _laptop_says(tmp_path, server, server.template)
    try:
        assert list(errors) == ["cap"], errors
        answers = push_email(db, server, server.template)  # type: ignore[arg-type]
        assert answers[1]["reason"] == errors["cap"], answers
    finally:
        db.close()  # type: ignore[attr-defined]


def test_tracking_links_with_bad_tokens_or_link_numbers_are_not_found(
        tmp_path: Path, email_server: EmailServer) -> None:
    server = email_server
    db = laptop(tmp_path, server)
    try:
        sync(db, server)
        with db.write() as session:
            email_service.send_email(session, rep_id(db), server.doctor, server.template)
        sync(db, server)
        [message] = server.inbox.wait(1)
        found = re.search(r"/api/v1/email/c/([A-Za-z0-9_-]+)/0", plain(message))
        assert found is not None
        token, base = found.group(1), server.base + "/api/v1/email"
        other = ("A" if token[0] != "A" else "B") + token[1:]
        with requests.Session() as http:
            for method, path in [
                    ("GET", f"/o/{other}.gif"), ("GET", f"/o/{token}"), ("GET", "/o/x.gif"),
                    ("GET", f"/o/{token}.png"), ("GET", f"/c/{other}/0"),
                    ("GET", f"/c/{token}/1"), ("GET", f"/c/{token}/-1"),
                    ("GET", f"/c/{token}/abc"), ("GET", f"/c/{token}/99999999999"),
                    ("GET", f"/u/{other}"), ("POST", f"/u/{other}"), ("GET", "/u/'%00"),
                    ("GET", "/c/" + "x" * 5000 + "/0")]:
                answer = http.request(method, base + path, timeout=10, allow_redirects=False)
                assert answer.status_code == 404, (method, path, answer.status_code)
                assert "location" not in answer.headers
        with server.db.reading() as s:
            assert s.scalars(select(Touchpoint)).all() == [], "nothing recorded"
    finally:
        db.close()


def test_a_temporary_smtp_failure_is_retried_with_backoff(
        tmp_path: Path, email_server: EmailServer) -> None:
    server = email_server
    server.inbox.refuse = 2  # "451 try again later", twice
    db = laptop(tmp_path, server)
    try:
        sync(db, server)
        with db.write() as session:
            email_service.send_email(session, rep_id(db), server.doctor, server.template)
        sync(db, server)
        assert len(server.inbox.wait(1, seconds=30)) == 1
        assert server.inbox.refused == 2
        with server.db.reading() as s:
            send = s.scalar(select(EmailSend))
            assert send is not None and (send.status, send.attempts) == ("sent", 3)
    finally:
        db.close()
