"""Service accounts: an outside system's token, what it may post, who made and revoked it.

A token is shown once, when it is made; only its SHA-256 is stored (as the laptops'
tokens: a leaked database hands out nothing). Its scope is fixed at creation: the
territories whose accounts it may post onto (or all) and the touchpoint kinds it may post.
Reading the change feed is a right of its own (`may_read_feed`): a system that posts
webinars has no business exporting the CRM. A revoked or expired token is refused at its
next request: the check reads the database every time, so every server process behind a
load balancer refuses it at once. Rotating issues a new token for the same service account
(same scope, same system, so its event ids stay its own) and keeps the old one working for
an overlap, so the outside system switches over without a failed request; one row holds both
hashes, so a second rotation ends the first one's overlap at once. Creating, rotating and
revoking are admin actions, each with an audit entry naming the admin (`AuditEntry`, as
content approval writes one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.contract import Role, TouchpointKind
from server.db import next_versions
from server.directory import DirectoryError, get_territory, get_user
from server.models import AuditEntry, ServiceAccount, Territory, User, utcnow
from server.security import token_digest

#: Every token starts so: a secret scanner (and a person) can tell what leaked.
TOKEN_PREFIX = "frs_"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
KINDS = tuple(k.value for k in TouchpointKind)
#: How long a rotated token keeps working beside its successor, unless `--grace` says.
DEFAULT_GRACE = dt.timedelta(hours=24)
#: The longest overlap and lifetime an admin may give (a typo of days for hours must not
#: make a token live for decades).
MAX_GRACE = dt.timedelta(days=90)
MAX_LIFETIME_DAYS = 3660


class ServiceAccountError(DirectoryError):
    """A service-account request that cannot be carried out, in words for the admin."""


@dataclass(frozen=True)
class Caller:
    """The service account behind a request's token: what it may post where."""

    id: str
    name: str
    system: str
    territories: frozenset[str] | None  # territory ids; None: every territory
    kinds: frozenset[str]
    may_read_feed: bool = False


@dataclass(frozen=True)
class Listed:
    name: str
    system: str
    territories: list[str] | None  # codes
    kinds: list[str]
    created_at: dt.datetime
    created_by: str
    revoked_at: dt.datetime | None
    may_read_feed: bool = False
    expires_at: dt.datetime | None = None
    rotated_at: dt.datetime | None = None
    previous_valid_until: dt.datetime | None = None

    def to_dict(self) -> dict[str, object]:
        def when(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {"name": self.name, "system": self.system,
                "territories": self.territories or "all", "kinds": self.kinds,
                "feed": self.may_read_feed,
                "created_at": self.created_at.isoformat(), "created_by": self.created_by,
                "expires_at": when(self.expires_at), "rotated_at": when(self.rotated_at),
                "previous_valid_until": when(self.previous_valid_until),
                "revoked_at": when(self.revoked_at)}


def _expiry(days: float | None, now: dt.datetime) -> dt.datetime | None:
    """When a token made now with a lifetime of `days` expires (None: never)."""
    if days is None:
        return None
    if not 0 < days <= MAX_LIFETIME_DAYS:
        raise ServiceAccountError(f"--expires-in-days is a number of days from 1 to "
                                  f"{MAX_LIFETIME_DAYS}")
    return now + dt.timedelta(days=days)


def _admin(session: Session, username: str) -> str:
    user = get_user(session, username)
    if user.role != Role.ADMIN or user.disabled or user.deleted:
        raise ServiceAccountError(f"{user.username} is no active admin: only admins manage "
                                  "service accounts")
    return user.id


def _audit(session: Session, admin_id: str, action: str, row: ServiceAccount,
           **details: object) -> None:
    session.add(AuditEntry(at=utcnow(), user_id=admin_id, action=action,
                           entity="service_accounts", row_id=row.id,
                           version=next_versions(session),
                           details=json.dumps({"name": row.name, **details})))


def create(session: Session, name: str, *, by: str, territories: Sequence[str] | None,
           kinds: Sequence[str] | None, system: str | None = None, feed: bool = False,
           expires_in_days: float | None = None) -> str:
    """Make a service account; returns its token (the only time it is seen).

    `territories`: territory codes, or None for all; `kinds`: touchpoint kinds, or None
    for all; `feed`: it may read the change feed; `expires_in_days`: the token's lifetime
    (None: until revoked or rotated)."""
    name = name.strip().lower()
    if not _NAME.match(name):
        raise ServiceAccountError("a service account's name is 1 to 100 lower-case letters, "
                                  "digits, '.', '_' or '-'")
    system = (system or name).strip()
    if not system or len(system) > 100:
        raise ServiceAccountError("the system is 1 to 100 characters")
    admin_id = _admin(session, by)
    if session.scalar(select(ServiceAccount.id).where(ServiceAccount.name == name)):
        raise ServiceAccountError(f"a service account {name!r} exists already (revoked ones "
                                  "keep their name: choose another)")
    ids: list[str] | None = None
    if territories is not None:
        if not territories:
            raise ServiceAccountError("name at least one territory, or all")
        ids = sorted({get_territory(session, code).id for code in territories})
    wanted = list(dict.fromkeys(KINDS if kinds is None else kinds))
    unknown = [k for k in wanted if k not in KINDS]
    if unknown or not wanted:
        raise ServiceAccountError(f"unknown touchpoint kind {', '.join(unknown) or '(none)'}: "
                                  f"one of {', '.join(KINDS)}")
    expires = _expiry(expires_in_days, utcnow())
    token = _new_token()
    row = ServiceAccount(name=name, system=system, token_hash=token_digest(token),
                         territories=None if ids is None else json.dumps(ids),
                         kinds=json.dumps(wanted), created_by=admin_id, may_read_feed=feed,
                         expires_at=expires)
    session.add(row)
    session.flush()
    _audit(session, admin_id, "service_account.created", row, system=system,
           territories=list(territories) if territories is not None else "all", kinds=wanted,
           feed=feed, expires_at=expires.isoformat() if expires else None)
    return token


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _named(session: Session, name: str) -> ServiceAccount:
    row = session.scalar(select(ServiceAccount).where(
        ServiceAccount.name == name.strip().lower()))
    if row is None:
        raise ServiceAccountError(f"no service account {name!r}")
    return row


def rotate(session: Session, name: str, *, by: str, grace: dt.timedelta = DEFAULT_GRACE,
           expires_in_days: float | None = None) -> str:
    """A new token for the service account (returned, shown once); the one it replaces
    keeps working for `grace`, never beyond its own expiry. Its scope, system and feed right
    stay. A revoked service account is not brought back by a rotation."""
    admin_id = _admin(session, by)
    if not dt.timedelta(0) <= grace <= MAX_GRACE:
        raise ServiceAccountError("--grace is from 0 hours to 90 days")
    row = _named(session, name)
    if row.revoked_at is not None:
        raise ServiceAccountError(f"{row.name} was revoked on {row.revoked_at:%Y-%m-%d %H:%M} "
                                  "UTC: make a new service account instead")
    now = utcnow()
    expires = _expiry(expires_in_days, now)
    until = now + grace
    if row.expires_at is not None:
        until = min(until, max(row.expires_at, now))
    token = _new_token()
    row.previous_token_hash, row.previous_valid_until = row.token_hash, until
    row.token_hash, row.expires_at, row.rotated_at = token_digest(token), expires, now
    _audit(session, admin_id, "service_account.rotated", row,
           previous_valid_until=until.isoformat(),
           expires_at=expires.isoformat() if expires else None)
    return token


def revoke(session: Session, name: str, *, by: str) -> bool:
    """Revoke a service account's token; False when it was revoked already."""
    admin_id = _admin(session, by)
    row = _named(session, name)
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    _audit(session, admin_id, "service_account.revoked", row)
    return True


def listing(session: Session) -> list[Listed]:
    """Every service account, revoked ones too, by name (never a token)."""
    codes = dict(session.execute(select(Territory.id, Territory.code)).all())
    out = []
    for row, admin in session.execute(
            select(ServiceAccount, User.username).join(User, User.id == ServiceAccount.created_by)
            .order_by(ServiceAccount.name)):
        ids = None if row.territories is None else json.loads(row.territories)
        out.append(Listed(row.name, row.system,
                          None if ids is None else sorted(codes.get(i, i) for i in ids),
                          json.loads(row.kinds), row.created_at, admin, row.revoked_at,
                          row.may_read_feed, row.expires_at, row.rotated_at,
                          row.previous_valid_until))
    return out


class TokenRefusedError(Exception):
    """A token the integration API does not accept; the message says why, plainly."""


def caller_of(session: Session, token: str, now: dt.datetime | None = None) -> Caller:
    """The service account of a token, or TokenRefusedError (unknown, revoked, expired, or
    replaced by a rotation and past its overlap)."""
    digest = token_digest(token)
    row = session.scalar(select(ServiceAccount).where(or_(
        ServiceAccount.token_hash == digest, ServiceAccount.previous_token_hash == digest)))
    if row is None:
        raise TokenRefusedError("unknown API token: ask the Fieldrep administrator for one")
    if row.revoked_at is not None:
        raise TokenRefusedError(f"this API token was revoked on {row.revoked_at:%Y-%m-%d %H:%M} "
                                "UTC: ask the Fieldrep administrator for a new one")
    now = now or utcnow()
    if row.token_hash != digest:  # the token a rotation replaced
        assert row.previous_valid_until is not None and row.rotated_at is not None
        if now >= row.previous_valid_until:
            raise TokenRefusedError(
                f"this API token was replaced on {row.rotated_at:%Y-%m-%d %H:%M} UTC and "
                f"expired on {row.previous_valid_until:%Y-%m-%d %H:%M} UTC: use the new token, "
                "or ask the Fieldrep administrator for a new one")
    elif row.expires_at is not None and now >= row.expires_at:
        raise TokenRefusedError(f"this API token expired on {row.expires_at:%Y-%m-%d %H:%M} "
                                "UTC: ask the Fieldrep administrator for a new one")
    return Caller(row.id, row.name, row.system,
                  None if row.territories is None else frozenset(json.loads(row.territories)),
                  frozenset(json.loads(row.kinds)), row.may_read_feed)
