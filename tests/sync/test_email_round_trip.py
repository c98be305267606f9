"""Approved e-mail end to end: a rep composes offline, syncs against a real server, which
sends through a real SMTP server on 127.0.0.1; the doctor's mail program opens the pixel and
follows a link; the next sync brings both to the rep's history and a rule answers the click.
The unsubscribe link withdraws consent on the server and, by pull, on the laptop; a later
e-mail is refused on both with the same words."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import requests
from sqlalchemy import select

from app.content_format.email import consent_sentence
from app.services import email as email_service
from app.services.errors import ValidationError
from app.services.suggestions import Recommender
from app.store.accounts import ChannelConsent as LaptopConsent
from app.store.queries import account_history
from app.store.touchpoint_queries import with_touchpoints
from server.models import AuditEntry, ChannelConsent, EmailSend, Touchpoint
from tests.sync import email_fixtures
from tests.sync.email_fixtures import LINK, EmailServer, laptop, plain, push_email, rep_id, sync

#: The fixtures: a real SMTP server and a sync server sending through it.
email_server, inbox = email_fixtures.email_server, email_fixtures.inbox

TRACKED = re.compile(r"http://127\.0\.0\.1:\d+/api/v1/email/c/([A-Za-z0-9_-]+)/(\d+)")


def _compose(tmp_path: Path, server: EmailServer) -> tuple[object, str, str]:
    """A laptop that synced once, then sent the e-mail offline: (db, call id, text shown)."""
    db = laptop(tmp_path, server)
    sync(db, server)
    rep = rep_id(db)
    with db.write() as session:
        [choice] = email_service.templates_for(session, dt.date.today())
        assert choice.has_slot
        shown = email_service.preview(session, server.doctor, choice.id,
                                      paragraph="As discussed on Tuesday.")
        assert shown.errors == {} and shown.consent.granted
        call_id = email_service.send_email(session, rep, server.doctor, choice.id,
                                           paragraph="As discussed on Tuesday.")
    return db, call_id, shown.text


def test_an_approved_email_is_sent_once_tracked_and_answered_by_a_rule(
        tmp_path: Path, email_server: EmailServer) -> None:
    server = email_server
    db, _, shown = _compose(tmp_path, server)
    recommender = Recommender()
    rep = rep_id(db)
    try:
        assert "Dear Dr. Müller," in shown and "As discussed on Tuesday." in shown
        with db.write() as session:  # the first look: history, not news
            recommender.today(session, rep, dt.date.today())
        sync(db, server)  # the push: the server queues it and sends after answering

        [message] = server.inbox.wait(1)
        assert message["To"] == "mueller@praxis.test"
        assert message["Subject"] == "New renal data for Dr. Müller"
        text = plain(message)
        [(token, index)] = TRACKED.findall(text)
        approved, footer = text.split("\n--\n")
        assert TRACKED.sub(LINK, approved) == shown, "exactly the text the rep saw"
        assert f"/api/v1/email/u/{token}" in footer

        base = server.base + "/api/v1/email"
        with requests.Session() as http:
            pixel = http.get(f"{base}/o/{token}.gif", timeout=10)
            assert (pixel.status_code, pixel.headers["content-type"]) == (200, "image/gif")
            assert pixel.content.startswith(b"GIF89a")
            http.get(f"{base}/o/{token}.gif", timeout=10)  # the mail program again
            click = http.get(f"{base}/c/{token}/{index}", timeout=10, allow_redirects=False)
            assert (click.status_code, click.headers["location"]) == (302, LINK)

        sync(db, server)
        assert len(server.inbox.messages) == 1, "sent once, whatever syncs follow"
        with db.read() as session:
            history = with_touchpoints(session.connection(), server.doctor, account_history(
                session.connection(), server.doctor))
        kinds = sorted((e.touchpoint_kind or e.channel) for e in history)
        assert kinds == ["email", "email_clicked", "email_opened"], kinds
        recommender.history_changed()
        with db.write() as session:
            items = recommender.today(session, rep, dt.date.today())
        fired = [i for i in items if i.account_id == server.doctor and any(
            "Followed a link in the e-mail" in r.text for r in i.reasons)]
        assert len(fired) == 1, [(i.action, [r.text for r in i.reasons]) for i in items]
        with server.db.reading() as s:
            send = s.scalar(select(EmailSend))
            assert send is not None and send.status == "sent"
            assert send.opened_at is not None and send.clicked_at is not None
            assert len(s.scalars(select(Touchpoint)).all()) == 2, "the first of each counts"
    finally:
        db.close()  # type: ignore[attr-defined]


def test_unsubscribe_withdraws_consent_everywhere_and_a_later_email_is_refused(
        tmp_path: Path, email_server: EmailServer) -> None:
    server = email_server
    db, _, _ = _compose(tmp_path, server)
    try:
        sync(db, server)
        [message] = server.inbox.wait(1)
        unsubscribe = re.search(r"http://\S+/api/v1/email/u/\S+", plain(message))
        assert unsubscribe is not None
        assert message["List-Unsubscribe"].strip() == f"<{unsubscribe.group(0)}>"
        with requests.Session() as http:
            page = http.get(unsubscribe.group(0), timeout=10)
            assert page.status_code == 200 and "<form" in page.text
            with server.db.reading() as s:
                assert s.scalar(select(ChannelConsent.consent)) == "granted", \
                    "a link scanner's GET unsubscribes nobody"
            assert http.post(unsubscribe.group(0), timeout=10).status_code == 200

        with server.db.reading() as s:
            consent = s.scalar(select(ChannelConsent))
            assert consent is not None and consent.consent == "withdrawn"
            assert consent.consent_date == dt.date.today()
            with db.read() as session:
                email_id = session.scalar(select(email_service.Email.id))
            assert consent.source == f"unsubscribe link, e-mail {email_id}"
            audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "email.unsubscribe"))
            assert audit is not None and json.loads(audit.details or "")["email_id"] == email_id

        sync(db, server)
        rep = rep_id(db)
        words = consent_sentence("Dr. Jürgen Müller")
        with db.write() as session:
            held = session.scalar(select(LaptopConsent))
            assert held is not None and held.consent == "withdrawn"
            assert email_service.consent_of(session, server.doctor).words().startswith(
                "E-mail consent withdrawn on")
            template = email_service.templates_for(session, dt.date.today())[0].id
            try:
                email_service.send_email(session, rep, server.doctor, template)
            except ValidationError as exc:
                assert exc.errors["consent"] == words
            else:
                raise AssertionError("the laptop sent an e-mail without consent")

        # A client that skips the laptop's check is refused by the server in the same words.
        answers = push_email(db, server, template)
        assert [a["status"] for a in answers] == ["applied", "rejected", "rejected"], answers
        assert answers[1]["reason"] == answers[2]["reason"] == words
        assert len(server.inbox.wait(2, seconds=3)) == 1

        # Erasing the doctor (GDPR) takes his e-mails and their send records along.
        from server.gdpr_erase import erase_and_scrub
        from server.models import Email, EmailSend

        report = erase_and_scrub(server.db, server.doctor, "root")
        assert report.removed["email_sends"] == 1 and report.removed["emails"] == 1
        with server.db.reading() as s:
            assert s.scalars(select(EmailSend)).all() == []
            assert s.scalars(select(Email)).all() == []
        sync(db, server)
        with db.read() as session:
            assert session.scalars(select(email_service.Email)).all() == []
    finally:
        db.close()  # type: ignore[attr-defined]

