"""Passwords, tokens and the login throttle.

Passwords: argon2id (memory-hard, so a stolen hash is expensive to guess). Tokens: 32 random
bytes; the database keeps only their SHA-256, bound to a device id, with an expiry and a
revocation time. Throttle: failed logins are rows in `login_attempts`, counted per (name,
address) pair, per address (softer), per name and per (name, device), so every server
process sees the same count (docs/architecture.md: nothing in server memory); see
`retry_after` for who is held back by which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from server.config import Settings
from server.models import LoginAttempt, Token, User, utcnow

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash with the library's current recommended parameters."""
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True if the password matches. With no hash (unknown user) a dummy hash is checked,
    so an unknown user name costs the same time as a wrong password: timing reveals nothing."""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(
    session: Session, user: User, device_id: str, settings: Settings
) -> tuple[Token, str]:
    """A new token row and the clear token, which is handed out once and never stored."""
    clear = secrets.token_urlsafe(32)
    now = utcnow()
    row = Token(
        token_hash=token_digest(clear),
        user_id=user.id,
        device_id=device_id,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.token_ttl_s),
    )
    session.add(row)
    session.flush()
    return row, clear


def revoke_tokens(session: Session, user_id: str, device_id: str | None = None) -> int:
    """Revoke the user's live tokens (all devices, or one lost device); returns how many."""
    now = utcnow()
    stmt = select(Token).where(Token.user_id == user_id, Token.revoked_at.is_(None))
    if device_id is not None:
        stmt = stmt.where(Token.device_id == device_id)
    tokens = session.scalars(stmt).all()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)


@dataclass(frozen=True)
class ThrottleKeys:
    """What a login attempt is counted against: the user name asked for (whether or not such
    a user exists, so the answer reveals nothing), the address, and the device."""

    user: str
    address: str
    device: str = ""

    def counted(self) -> dict[str, str]:
        """Kind -> key of the counters one failure adds to. Composite keys are hashed: a
        name and a device id together may exceed the column."""
        return {
            "pair": _digest(self.user, self.address),
            "addr": self.address,
            "user": self.user,
            "device": _digest(self.user, self.device),
        }


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _delay_s(failures: int, free: int, settings: Settings) -> int:
    if failures < free:
        return 0
    return min(settings.login_base_delay_s * 2 ** (failures - free), settings.login_max_delay_s)


def lock_keys(session: Session, keys: ThrottleKeys) -> None:
    """Serialise logins of one name, address or device until this transaction ends.

    Without it, parallel attempts on PostgreSQL (READ COMMITTED) all read the same failure
    count before any of them records its own: N requests at once would get N guesses per
    delay. SQLite's write transactions (BEGIN IMMEDIATE) are serial already.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for key in sorted(f"{k}:{v}" for k, v in keys.counted().items()):  # one order: no deadlock
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def known_device(session: Session, user_id: str | None, device_id: str) -> bool:
    """Whether this user has logged in on this device before and it was not revoked since
    (a lost laptop's revoked tokens, a logout or a password reset make it a stranger again).
    Expired tokens count: a laptop long offline is still the owner's (until pruned).

    The device id is the laptop's own random id: someone guessing passwords elsewhere does
    not know it, so failures they cause never lock the owner's laptop out."""
    if user_id is None or not device_id:
        return False
    return session.scalar(select(Token.id).where(
        Token.user_id == user_id, Token.device_id == device_id,
        Token.revoked_at.is_(None)).limit(1)) is not None


def retry_after(session: Session, keys: ThrottleKeys, settings: Settings, *,
                known: bool = False) -> int:
    """Seconds the caller must wait before the next attempt is even checked (0: go ahead).

    A known device answers only for its own failures (name and device). Anyone else is
    counted by the (name, address) pair, by the address (a softer limit: many people share
    one behind a proxy or NAT, but password spraying comes from one too), and by the name
    across all addresses (guessing one password from many addresses)."""
    now = utcnow()
    since = now - dt.timedelta(seconds=settings.login_window_s)
    counted = keys.counted()
    limits = ([("device", settings.login_user_free_failures)] if known else [
        ("pair", settings.login_user_free_failures),
        ("addr", settings.login_address_free_failures),
        ("user", settings.login_name_free_failures)])
    wait = 0
    for kind, free in limits:
        count, last = session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                LoginAttempt.kind == kind, LoginAttempt.key == counted[kind],
                LoginAttempt.at > since)
        ).one()
        delay = _delay_s(int(count), free, settings)
        if delay and last is not None:
            remaining = (last + dt.timedelta(seconds=delay) - now).total_seconds()
            wait = max(wait, int(remaining) + 1 if remaining > 0 else 0)
    return wait


def record_failure(session: Session, keys: ThrottleKeys, settings: Settings) -> None:
    """Count one failed login against every key; forget expired ones of those keys."""
    now = utcnow()
    since = now - dt.timedelta(seconds=settings.login_window_s)
    for kind, key in keys.counted().items():
        session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.kind == kind, LoginAttempt.key == key, LoginAttempt.at <= since
            )
        )
        session.add(LoginAttempt(kind=kind, key=key, at=now))


def record_success(session: Session, keys: ThrottleKeys) -> None:
    """A good login clears the failures of its own pair and device; not the address's (one
    good account must not reset a password-spraying address) nor the name's across all
    addresses (the owner logging in must not reset a distributed guesser's count)."""
    counted = keys.counted()
    for kind in ("pair", "device"):
        session.execute(delete(LoginAttempt).where(LoginAttempt.kind == kind,
                                                   LoginAttempt.key == counted[kind]))
