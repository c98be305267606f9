"""Editing what the rep learns about an account: channel preferences, consent, contact."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.edetail.capture import TRACKING_CHANNEL
from app.i18n import tr
from app.services import audit
from app.services.errors import NotFoundError, ValidationError
from app.services.parse import Fields
from app.store.accounts import Account, ChannelConsent
from app.store.base import Channel, ConsentState

CHANNELS = {c.value for c in Channel}
CONSENTS = {c.value for c in ConsentState}
#: Consent to e-detailing tracking: asked like a channel's consent, never ranked.
CONSENT_CHANNELS = CHANNELS | {TRACKING_CHANNEL}


def _account(session: Session, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.deleted:
        raise NotFoundError(tr("The account does not exist on this laptop."))
    return account


def _consent_row(session: Session, account_id: str, channel: str) -> ChannelConsent:
    row = session.scalar(select(ChannelConsent).where(ChannelConsent.account_id == account_id,
                                                      ChannelConsent.channel == channel))
    if row is None:
        row = ChannelConsent(account_id=account_id, channel=channel,
                             consent=ConsentState.UNKNOWN.value, preferred=False)
        session.add(row)
    elif row.deleted:
        row.deleted = False
    return row


def set_consent(session: Session, user_id: str | None, account_id: str, channel: str,
                consent: str, consent_date: dt.date | str | None = None,
                source: str | None = None) -> None:
    """Record that the account granted or withdrew consent to a channel, and when."""
    account = _account(session, account_id)
    f = Fields()
    f.choice("channel", channel, CONSENT_CHANNELS)
    f.choice("consent", consent, CONSENTS)
    day = f.date("consent_date", consent_date)
    today = dt.date.today()  # the rep's calendar day, not UTC's (Germany is ahead)
    if consent != ConsentState.UNKNOWN and day is None and "consent_date" not in f.errors:
        day = today
    if day is not None and day > today:
        f.fail("consent_date", tr("The consent date cannot be in the future."))
    if f.errors:
        raise ValidationError(f.errors)
    row = _consent_row(session, account.id, channel)
    row.consent, row.consent_date, row.source = consent, day, (source or "").strip() or None
    session.flush()
    audit.record(session, user_id, f"consent.{consent}", "channel_consents", row.id,
                 account_id=account.id, channel=channel, date=day)


def set_preferences(session: Session, user_id: str | None, account_id: str,
                    ranked_channels: list[str], preferred_contact_time: str | None = None,
                    preferred_language: str | None = None) -> None:
    """The channels the account prefers, best first; the others are not preferred."""
    account = _account(session, account_id)
    f = Fields()
    for i, channel in enumerate(ranked_channels):
        f.choice(f"ranked_channels.{i}", channel, CHANNELS)
    if len(set(ranked_channels)) != len(ranked_channels):
        f.fail("ranked_channels", tr("A channel is listed twice."))
    if f.errors:
        raise ValidationError(f.errors)
    rank = {c: i for i, c in enumerate(ranked_channels, start=1)}
    for channel in sorted(CHANNELS):
        row = _consent_row(session, account.id, channel)
        preferred, position = channel in rank, rank.get(channel)
        if row.preferred != preferred or row.preference_rank != position:
            row.preferred, row.preference_rank = preferred, position
    account.preferred_contact_time = (preferred_contact_time or "").strip() or None
    account.preferred_language = preferred_language or None
    session.flush()
    audit.record(session, user_id, "account.preferences", "accounts", account.id,
                 channels=ranked_channels)


def update_contact(session: Session, user_id: str | None, account_id: str, *,
                   email: str | None, phone: str | None, notes: str | None) -> None:
    """The account's e-mail address, phone and the rep's standing notes."""
    account = _account(session, account_id)
    email = (email or "").strip() or None
    if email is not None and ("@" not in email or " " in email or email.endswith("@")):
        raise ValidationError({"email": tr("“{value}” is not an e-mail address.", value=email)})
    account.email, account.phone = email, (phone or "").strip() or None
    account.notes = notes or None
    session.flush()
    audit.record(session, user_id, "account.contact", "accounts", account.id)
