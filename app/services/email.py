"""Approved e-mail from the rep's laptop (docs/email.md): pick a template, see the exact text
the doctor gets, add only what the template allows, send, offline.

Sending writes a submitted call of channel e-mail (so the history, the engine and the contact
cap count it like any contact) with its `emails` part naming the template, both queued in the
outbox in one transaction; the server renders the same text and sends it when the laptop
syncs. The rules are the server's (app/content_format/email.py), read here from the laptop's
store: no consent, an unapproved or expired template, a paragraph the template has no slot
for or a link in it, the contact cap, each refused with the same sentence the server uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.content_format import email as rules
from app.i18n import tr
from app.services import audit
from app.services.errors import NotFoundError, ValidationError
from app.store.accounts import Account, ChannelConsent
from app.store.base import CallStatus, utcnow
from app.store.email import Email, EmailTemplate
from app.store.interactions import Interaction


@dataclass(frozen=True)
class TemplateChoice:
    id: str
    code: str
    subject: str
    topic: str
    variants: tuple[str, ...]
    has_slot: bool


@dataclass(frozen=True)
class Consent:
    """The e-mail consent as the laptop holds it, with its evidence (when, from where)."""

    state: str
    date: dt.date | None
    source: str | None

    @property
    def granted(self) -> bool:
        return self.state == "granted"

    def words(self) -> str:
        if self.state == "granted":
            return tr("E-mail consent granted on {date} ({source}).",
                      date=self.date.isoformat() if self.date else "?",
                      source=self.source or tr("source not recorded"))
        if self.state == "withdrawn":
            return tr("E-mail consent withdrawn on {date} ({source}).",
                      date=self.date.isoformat() if self.date else "?",
                      source=self.source or tr("source not recorded"))
        return tr("No e-mail consent recorded.")


@dataclass(frozen=True)
class Preview:
    to: str
    subject: str
    text: str
    consent: Consent
    #: Per field, what keeps the e-mail from going (empty: it may be sent).
    errors: dict[str, str]


def _template(row: EmailTemplate) -> rules.Template:
    return rules.Template(row.id, row.code, row.subject, row.body, row.variants,
                          row.valid_from, row.valid_until, row.approval_state)


def templates_for(session: Session, day: dt.date) -> list[TemplateChoice]:
    """The templates the rep may send on `day`: approved and valid."""
    out = []
    for row in session.scalars(select(EmailTemplate).where(EmailTemplate.deleted.is_(False))
                               .order_by(EmailTemplate.subject)):
        t = _template(row)
        if t.usable_on(day):
            out.append(TemplateChoice(row.id, row.code, row.subject, row.topic,
                                      tuple(sorted(t.variant_bodies())), t.has_slot()))
    return out


def consent_of(session: Session, account_id: str) -> Consent:
    row = session.scalar(select(ChannelConsent).where(
        ChannelConsent.account_id == account_id, ChannelConsent.channel == "email",
        ChannelConsent.deleted.is_(False)))
    if row is None:
        return Consent("unknown", None, None)
    return Consent(row.consent, row.consent_date, row.source)


def _recent_contacts(session: Session, account_id: str, day: dt.date) -> int:
    start = dt.datetime.combine(day - dt.timedelta(days=rules.CAP_DAYS - 1), dt.time())
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return int(session.scalar(select(func.count()).select_from(Interaction).where(
        Interaction.account_id == account_id, Interaction.status == "submitted",
        Interaction.deleted.is_(False), Interaction.not_received.is_(False),
        Interaction.start_at >= start, Interaction.start_at < end)) or 0)


def _account(session: Session, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.deleted:
        raise NotFoundError(tr("This account is no longer on this computer."))
    return account


def preview(session: Session, account_id: str, template_id: str | None,
            variant: str | None = None, paragraph: str = "",
            now: dt.datetime | None = None) -> Preview:
    """The exact subject and text the doctor would get, and what keeps it from going."""
    account = _account(session, account_id)
    day = (now or utcnow()).date()
    row = session.get(EmailTemplate, template_id) if template_id else None
    template = _template(row) if row is not None and not row.deleted else None
    consent = consent_of(session, account_id)
    to = rules.Recipient(account.name, account.title, account.first_name, account.last_name,
                         account.preferred_language, account.email)
    errors = rules.check_email(rules.EmailFacts(
        account_name=account.name, template=template, variant=variant or None,
        paragraph=paragraph, day=day, email_consent_granted=consent.granted,
        to_address=account.email, recent_contacts=_recent_contacts(session, account_id, day)))
    if template is None:
        return Preview(account.email or "", "", "", consent, errors)
    rendered = rules.render(template, to, variant or None, paragraph)
    return Preview(account.email or "", rendered.subject, rendered.text, consent, errors)


def send_email(session: Session, user_id: str | None, account_id: str, template_id: str,
               variant: str | None = None, paragraph: str = "",
               now: dt.datetime | None = None) -> str:
    """Queue the e-mail (a submitted call of channel e-mail and its part); the call's id.
    ValidationError with the rules' sentences, nothing written, when it may not go."""
    now = now or utcnow()
    seen = preview(session, account_id, template_id, variant, paragraph, now)
    if seen.errors:
        raise ValidationError(seen.errors)
    account = _account(session, account_id)
    # Written as a draft with its part, then submitted: the outbox keeps that order, so the
    # server has the part before the submission locks the call (as a call report's parts).
    call = Interaction(account_id=account_id, owner_id=user_id, channel="email",
                       status=CallStatus.DRAFT.value, start_at=now, subject=seen.subject,
                       notes=seen.text)
    session.add(call)
    session.flush()
    session.add(Email(interaction_id=call.id, account_id=account_id, template_id=template_id,
                      variant=variant or None, paragraph=paragraph.strip() or None,
                      to_address=seen.to))
    session.flush()
    call.status, call.submitted_at = CallStatus.SUBMITTED.value, now
    if account.last_contact_at is None or account.last_contact_at < now:
        account.last_contact_at = now
    session.flush()
    audit.record(session, user_id, "email.sent", "interactions", call.id,
                 template=template_id, variant=variant)
    return call.id
