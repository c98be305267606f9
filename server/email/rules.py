"""The laptop's e-mail rules (app/content_format/email.py), applied by the server to every
e-mail a push brings: a modified client must not send what the laptop refuses (no consent,
an unapproved or expired template, a paragraph the template does not allow, a link of the
rep's own, the contact cap). The facts come from the server's store, where every device's
calls and the consents an unsubscribe link withdrew arrive first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.content_format import email as rules
from server.email.templates import as_template
from server.models import Account, ChannelConsent, EmailTemplate, Interaction
from server.sync.wire import Rejected

EMAIL = "email"


def recipient(account: Account) -> rules.Recipient:
    return rules.Recipient(account.name or "", account.title, account.first_name,
                           account.last_name, account.preferred_language, account.email)


def check(session: Session, values: dict[str, Any]) -> None:
    """Rejected, with the laptop's sentences, when the pushed e-mail breaks a rule."""
    account = session.get(Account, values.get("account_id"))
    call = session.execute(select(Interaction.__table__).where(
        Interaction.id == values.get("interaction_id"))).first()
    if account is None or call is None:
        return  # the database's own checks refuse it
    if call.account_id != account.id or call.channel != EMAIL:
        raise Rejected("an e-mail belongs to a call of channel e-mail to the same account")
    template = session.get(EmailTemplate, values.get("template_id"))
    day = call.start_at.date() if call.start_at else dt.date.today()
    errors = rules.check_email(facts(session, account, template, values.get("variant"),
                                     values.get("paragraph") or "", day, call.id))
    if errors:
        raise Rejected(rules.refusal(errors))


def facts(session: Session, account: Account, template: EmailTemplate | None,
          variant: str | None, paragraph: str, day: dt.date, call_id: str | None
          ) -> rules.EmailFacts:
    consent = session.scalar(select(ChannelConsent.consent).where(
        ChannelConsent.account_id == account.id, ChannelConsent.channel == "email",
        ChannelConsent.deleted.is_(False)))
    start = dt.datetime.combine(day - dt.timedelta(days=rules.CAP_DAYS - 1), dt.time())
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    where = [Interaction.account_id == account.id, Interaction.status == "submitted",
             Interaction.deleted.is_(False), Interaction.not_received.is_(False),
             Interaction.start_at >= start, Interaction.start_at < end]
    if call_id is not None:
        where.append(Interaction.id != call_id)
    recent = session.scalar(select(func.count()).select_from(Interaction).where(*where)) or 0
    return rules.EmailFacts(
        account_name=account.name or "", template=as_template(template) if template else None,
        variant=variant, paragraph=paragraph, day=day,
        email_consent_granted=consent == "granted", to_address=account.email,
        recent_contacts=int(recent))
