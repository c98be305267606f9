"""The send queue: e-mails that arrived by push are rendered with their tracking links and
queued in the push's own transaction, then sent through the configured SMTP server after the
push has answered (a background task, and every `email_interval_s` in `serve`).

Why a table and not a thread's list: several server processes share one database and nothing
lives in server memory (docs/architecture.md), so the queue, the attempts and the lease a
sender holds are rows. A temporary failure (4xx, a dropped connection, no SMTP server) is
tried again after `email_retry_s`, doubling, until `email_max_attempts`; a permanent one
(5xx) is a bounce. Both are recorded on the row (`fieldrep-server email list`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import secrets
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.content_format import email as rules
from app.synced_columns import utcnow
from server.config import Settings
from server.db import Database
from server.email.rules import recipient
from server.email.templates import as_template
from server.models import Account, Email, EmailSend, EmailTemplate, Interaction

log = logging.getLogger("fieldrep.server.email")

#: How long a sender holds a message it took before another process may try it.
LEASE = dt.timedelta(minutes=5)
MAX_DELAY = dt.timedelta(hours=6)
BATCH = 50


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Built:
    text: str
    html: str


def build(rendered: rules.Rendered, base: str, token: str) -> Built:
    """The message with every template link through the click redirect, the opening pixel
    and the unsubscribe link. Links are replaced by their place in the template's list, so
    the redirect can lead nowhere else."""
    root = f"{base.rstrip('/')}/api/v1/email"
    text = rendered.text
    for index, link in sorted(enumerate(rendered.links), key=lambda p: -len(p[1])):
        text = text.replace(link, f"{root}/c/{token}/{index}")
    unsubscribe = f"{root}/u/{token}"
    footer = f"\n--\nNo more e-mails of this kind: {unsubscribe}\n"
    body = html.escape(text).replace("\n", "<br>\n")
    page = (f"<!DOCTYPE html><html><body><p>{body}</p><p><small><a href=\"{unsubscribe}\">"
            f"Unsubscribe</a></small></p><img src=\"{root}/o/{token}.gif\" width=\"1\" "
            "height=\"1\" alt=\"\"></body></html>")
    return Built(text + footer, page)


def queue_new(session: Session, base: str) -> int:
    """Queue every e-mail of a submitted call that has no send yet (those this push brought);
    returns how many. In the push's transaction, so a pushed e-mail is never left unqueued."""
    rows = session.execute(
        select(Email).join(Interaction, Interaction.id == Email.interaction_id)
        .outerjoin(EmailSend, EmailSend.email_id == Email.id)
        .where(EmailSend.id.is_(None), Email.deleted.is_(False),
               Interaction.status == "submitted", Interaction.channel == "email",
               Interaction.deleted.is_(False))).all()
    now = utcnow()
    for (email,) in rows:
        account = session.get(Account, email.account_id)
        template = session.get(EmailTemplate, email.template_id)
        if account is None or template is None or not account.email:
            continue
        rendered = rules.render(as_template(template), recipient(account), email.variant,
                                email.paragraph or "")
        token = secrets.token_urlsafe(24)
        built = build(rendered, base, token)
        session.add(EmailSend(
            email_id=email.id, account_id=account.id, template_id=template.id,
            to_address=account.email, subject=rendered.subject, text=built.text,
            html=built.html, links=json.dumps(list(rendered.links)),
            token_hash=token_hash(token), status="queued", attempts=0, next_attempt_at=now,
            queued_at=now))
    session.flush()
    return len(rows)


class TemporaryFailureError(Exception):
    """Try again later."""


class PermanentFailureError(Exception):
    """The receiving side refused for good: a bounce."""


def _text(answer: bytes | str) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else answer


def _smtp_send(settings: Settings, send: EmailSend) -> None:
    message = EmailMessage()
    message["From"] = settings.email_from or settings.smtp_user
    message["To"] = formataddr(("", send.to_address))
    message["Subject"] = send.subject
    message["Message-ID"] = make_msgid(domain="fieldrep")
    unsubscribe = next(line for line in send.text.splitlines()
                       if "/api/v1/email/u/" in line).split(": ", 1)[1]
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(send.text)
    message.add_alternative(send.html, subtype="html")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context(
                    cafile=settings.smtp_ca_file or None))
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError) as exc:
        # The server's own settings are wrong, not the address: kept, retried once fixed.
        raise TemporaryFailureError(f"{type(exc).__name__}: {exc}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        words = "; ".join(f"{c} {_text(m)}" for c, m in exc.recipients.values())
        if all(code >= 500 for code in codes):
            raise PermanentFailureError(words) from None
        raise TemporaryFailureError(words) from None
    except smtplib.SMTPResponseException as exc:
        words = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        if exc.smtp_code >= 500:
            raise PermanentFailureError(words) from None
        raise TemporaryFailureError(words) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailureError(f"{type(exc).__name__}: {exc}") from None


def _claim(db: Database, now: dt.datetime) -> list[str]:
    """Messages due, each leased to this sender by a conditional update (another process
    that read the same row finds it leased and leaves it)."""
    with db.writing() as session:
        due = session.execute(select(EmailSend.id, EmailSend.next_attempt_at).where(
            EmailSend.status == "queued", EmailSend.next_attempt_at <= now)
            .order_by(EmailSend.next_attempt_at).limit(BATCH)).all()
        taken = []
        for send_id, at in due:
            got = session.execute(update(EmailSend).where(
                EmailSend.id == send_id, EmailSend.status == "queued",
                EmailSend.next_attempt_at == at).values(next_attempt_at=now + LEASE))
            if got.rowcount == 1:  # type: ignore[attr-defined]
                taken.append(send_id)
        return taken


def deliver_due(db: Database, settings: Settings, now: dt.datetime | None = None) -> dict[str,
                                                                                        int]:
    """Send what is due; counts of sent, retried and bounced messages."""
    counts = {"sent": 0, "retry": 0, "bounced": 0}
    if not settings.smtp_host:
        return counts
    now = now or utcnow()
    for send_id in _claim(db, now):
        with db.reading() as session:
            send = session.get(EmailSend, send_id)
            if send is None:
                continue
            session.expunge(send)
        outcome: dict[str, object]
        try:
            _smtp_send(settings, send)
        except PermanentFailureError as exc:
            outcome = {"status": "bounced", "last_error": str(exc)[:2000]}
        except TemporaryFailureError as exc:
            tries = send.attempts + 1
            if tries >= settings.email_max_attempts:
                outcome = {"status": "bounced",
                           "last_error": f"gave up after {tries} tries: {exc}"[:2000]}
            else:
                delay = min(dt.timedelta(seconds=settings.email_retry_s * 2 ** (tries - 1)),
                            MAX_DELAY)
                outcome = {"status": "queued", "last_error": str(exc)[:2000],
                           "next_attempt_at": utcnow() + delay}
        else:
            outcome = {"status": "sent", "sent_at": utcnow(), "last_error": None}
        with db.writing() as session:
            session.execute(update(EmailSend).where(EmailSend.id == send_id).values(
                attempts=EmailSend.attempts + 1, **outcome))
        counts["retry" if outcome["status"] == "queued" else str(outcome["status"])] += 1
        log.info("e-mail %s: %s", send_id, outcome["status"])
    return counts


def deliver_quietly(db: Database, settings: Settings) -> None:
    """The background task after a push: a failure is logged, never the push's."""
    try:
        deliver_due(db, settings)
    except Exception:
        log.exception("sending e-mails failed; the queue keeps them")


def start_periodic(settings: Settings) -> threading.Event | None:
    """Send what is due every `email_interval_s` in the serving process (retries)."""
    if settings.email_interval_s <= 0 or not settings.smtp_host:
        return None
    stop = threading.Event()

    def loop() -> None:
        db = Database.from_settings(settings)
        try:
            while not stop.wait(settings.email_interval_s):
                deliver_quietly(db, settings)
        finally:
            db.dispose()

    threading.Thread(target=loop, name="email", daemon=True).start()
    return stop


def listing(session: Session) -> list[dict[str, object]]:
    return [{"id": s.id, "email_id": s.email_id, "to": s.to_address, "subject": s.subject,
             "status": s.status, "attempts": s.attempts, "last_error": s.last_error,
             "queued_at": s.queued_at.isoformat(),
             "sent_at": s.sent_at.isoformat() if s.sent_at else None,
             "opened_at": s.opened_at.isoformat() if s.opened_at else None,
             "clicked_at": s.clicked_at.isoformat() if s.clicked_at else None,
             "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None}
            for s in session.scalars(select(EmailSend).order_by(EmailSend.queued_at))]
