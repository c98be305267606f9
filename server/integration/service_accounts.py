"""Service accounts: an outside system's token, what it may post, who made and revoked it.

A token is shown once, when it is made; only its SHA-256 is stored (as the laptops'
tokens: a leaked database hands out nothing). Its scope is fixed at creation: the
territories whose accounts it may post onto (or all) and the touchpoint kinds it may post.
A revoked token is refused at its next request: the check reads the database every time,
so every server process behind a load balancer refuses it at once. Creating and revoking
are admin actions, each with an audit entry naming the admin (`AuditEntry`, as content
approval writes one).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
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


@dataclass(frozen=True)
class Listed:
    name: str
    system: str
    territories: list[str] | None  # codes
    kinds: list[str]
    created_at: dt.datetime
    created_by: str
    revoked_at: dt.datetime | None

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "system": self.system,
                "territories": self.territories or "all", "kinds": self.kinds,
                "created_at": self.created_at.isoformat(), "created_by": self.created_by,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


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
           kinds: Sequence[str] | None, system: str | None = None) -> str:
    """Make a service account; returns its token (the only time it is seen).

    `territories`: territory codes, or None for all; `kinds`: touchpoint kinds, or None
    for all."""
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
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ServiceAccount(name=name, system=system, token_hash=token_digest(token),
                         territories=None if ids is None else json.dumps(ids),
                         kinds=json.dumps(wanted), created_by=admin_id)
    session.add(row)
    session.flush()
    _audit(session, admin_id, "service_account.created", row, system=system,
           territories=list(territories) if territories is not None else "all", kinds=wanted)
    return token


def revoke(session: Session, name: str, *, by: str) -> bool:
    """Revoke a service account's token; False when it was revoked already."""
    admin_id = _admin(session, by)
    row = session.scalar(select(ServiceAccount).where(
        ServiceAccount.name == name.strip().lower()))
    if row is None:
        raise ServiceAccountError(f"no service account {name!r}")
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
                          json.loads(row.kinds), row.created_at, admin, row.revoked_at))
    return out


class TokenRefusedError(Exception):
    """A token the integration API does not accept; the message says why, plainly."""


def caller_of(session: Session, token: str) -> Caller:
    """The service account of a token, or TokenRefusedError (unknown or revoked)."""
    row = session.scalar(select(ServiceAccount).where(
        ServiceAccount.token_hash == token_digest(token)))
    if row is None:
        raise TokenRefusedError("unknown API token: ask the Fieldrep administrator for one")
    if row.revoked_at is not None:
        raise TokenRefusedError(f"this API token was revoked on {row.revoked_at:%Y-%m-%d %H:%M} "
                                "UTC: ask the Fieldrep administrator for a new one")
    return Caller(row.id, row.name, row.system,
                  None if row.territories is None else frozenset(json.loads(row.territories)),
                  frozenset(json.loads(row.kinds)))
