"""What a doctor's mail program tells the server: the opening pixel, a followed link, the
unsubscribe link. Each names its message by an unguessable token (only its SHA-256 is
stored); an unknown token is simply not found. Openings and clicks become touchpoints
(app.contract "touchpoints", source `fieldrep-email`) that sync to the laptops in scope and
set off the rules' `email_opened` and `email_clicked` triggers there; the first of each per
message counts, so a mail program fetching the pixel again adds nothing."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.synced_columns import utcnow
from server.db import Database, next_versions
from server.email.outbox import token_hash
from server.models import AuditEntry, ChannelConsent, EmailSend, Touchpoint
from server.sync import merge

SOURCE = "fieldrep-email"
#: A token as `secrets.token_urlsafe(24)` makes it: anything else is not looked up.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _find(session: Session, token: str) -> EmailSend | None:
    if not TOKEN.match(token):
        return None
    return session.scalar(select(EmailSend).where(EmailSend.token_hash == token_hash(token),
                                                  EmailSend.status == "sent"))


def _touch(session: Session, send: EmailSend, kind: str, at: dt.datetime,
           detail: str | None = None) -> None:
    session.add(Touchpoint(account_id=send.account_id, kind=kind, occurred_at=at,
                           source=SOURCE, event_id=f"{send.id}:{kind}", title=send.subject,
                           detail=detail, service_account_id=None,
                           version=next_versions(session), updated_at=at))


def opened(db: Database, token: str) -> bool:
    """Record the first opening; False for an unknown token."""
    with db.writing() as session:
        send = _find(session, token)
        if send is None:
            return False
        if send.opened_at is None:
            send.opened_at = now = utcnow()
            _touch(session, send, "email_opened", now)
        return True


def clicked(db: Database, token: str, index: int) -> str | None:
    """The template link number `index` of the message (None: unknown token or link), its
    first click recorded. A click proves the opening too (images may be blocked)."""
    with db.writing() as session:
        send = _find(session, token)
        links: list[str] = json.loads(send.links) if send is not None else []
        if send is None or not 0 <= index < len(links):
            return None
        now = utcnow()
        if send.opened_at is None:
            send.opened_at = now
            _touch(session, send, "email_opened", now)
        if send.clicked_at is None:
            send.clicked_at = now
            _touch(session, send, "email_clicked", now, links[index])
        return links[index]


def known(db: Database, token: str) -> bool:
    with db.reading() as session:
        return _find(session, token) is not None


def unsubscribe(db: Database, token: str) -> bool:
    """Withdraw the doctor's e-mail consent, with the evidence kept: the consent's source
    names the message, the send row when, an audit entry both. The consent is a synced row,
    so every laptop gets the withdrawal with its next pull and refuses a later e-mail."""
    with db.writing() as session:
        send = _find(session, token)
        if send is None:
            return False
        now = utcnow()
        if send.unsubscribed_at is None:
            send.unsubscribed_at = now
        consent = session.scalar(select(ChannelConsent).where(
            ChannelConsent.account_id == send.account_id, ChannelConsent.channel == "email",
            ChannelConsent.deleted.is_(False)))
        version = next_versions(session)
        if consent is None:
            consent = ChannelConsent(account_id=send.account_id, channel="email",
                                     version=version, preferred=False)
            session.add(consent)
        if consent.consent != "withdrawn":
            names = ["consent", "consent_date", "source"]
            consent.field_versions = merge.stamp("channel_consents", consent.field_versions,
                                                 consent.version or version, names, version,
                                                 "unsubscribe")
            consent.consent, consent.consent_date = "withdrawn", now.date()
            consent.source = f"unsubscribe link, e-mail {send.email_id}"[:100]
            consent.version, consent.updated_at = version, now
            session.flush()
            session.add(AuditEntry(at=now, user_id=None, action="email.unsubscribe",
                                   entity="channel_consents", row_id=consent.id,
                                   version=version, details=json.dumps(
                                       {"email_id": send.email_id, "send_id": send.id,
                                        "at": now.isoformat()})))
        return True
