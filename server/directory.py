"""Users and territories: the operations behind `fieldrep-server user|territory ...`
(adding, assigning and unassigning, disabling and enabling, password resets and changes).

Plain functions over an open session (the caller owns the transaction), so the CLI, the admin
API and tests share one implementation. Every change to a synced row takes a new `version`.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.contract import Role
from server.db import next_versions
from server.escalations.routing import reroute_from
from server.models import Territory, TerritoryAssignment, Token, User
from server.security import MIN_PASSWORD_LENGTH, hash_password, revoke_tokens, verify_password

USERNAME_RE = re.compile(r"^[A-Za-z0-9._@-]{2,100}$")


class DirectoryError(ValueError):
    """A request the directory refuses, with a message fit for the operator."""


class UnknownNameError(DirectoryError):
    """The operator named a user, territory or product the server does not hold (404)."""


class ExistsError(DirectoryError):
    """What the operator asked to add exists already (409)."""


class StateError(DirectoryError):
    """The request does not fit what it is about as it stands, e.g. a territory for an
    admin (409)."""


def add_territory(session: Session, code: str, name: str) -> Territory:
    code = code.strip()
    if not code or len(code) > 32:
        raise DirectoryError("territory code must be 1 to 32 characters")
    if session.scalar(select(Territory).where(Territory.code == code)):
        raise ExistsError(f"territory {code!r} exists already")
    territory = Territory(code=code, name=name.strip() or code, version=next_versions(session))
    session.add(territory)
    session.flush()
    return territory


def get_territory(session: Session, code: str) -> Territory:
    territory = session.scalar(select(Territory).where(Territory.code == code))
    if territory is None:
        raise UnknownNameError(f"no territory {code!r}")
    return territory


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise UnknownNameError(f"no user {username!r}")
    return user


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    email: str | None = None,
    manager: str | None = None,
) -> User:
    """A new user. User names are case-insensitive (stored lower-case): "Anna" and "anna"
    must not become two accounts that throttle separately."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise DirectoryError("user name: 2-100 letters, digits or . _ @ -")
    if role not in {r.value for r in Role}:
        raise DirectoryError(f"role must be one of {', '.join(r.value for r in Role)}")
    _check_password(password)
    if session.scalar(select(User.id).where(User.username == username)):
        raise ExistsError(f"user {username!r} exists already")
    manager_id = None
    if manager:
        boss = get_user(session, manager)
        if boss.role != Role.MANAGER:
            raise DirectoryError(f"{manager!r} is not a manager")
        manager_id = boss.id
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        email=email,
        password_hash=hash_password(password),
        manager_id=manager_id,
        version=next_versions(session),
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session) -> list[tuple[User, list[str]]]:
    """Every user with the codes of their territories, by user name."""
    users = session.scalars(select(User).order_by(User.username)).all()
    rows = session.execute(
        select(TerritoryAssignment.user_id, Territory.code).join(
            Territory, Territory.id == TerritoryAssignment.territory_id
        )
    ).all()
    codes: dict[str, list[str]] = {}
    for user_id, code in rows:
        codes.setdefault(user_id, []).append(code)
    return [(u, sorted(codes.get(u.id, []))) for u in users]


def disable_user(session: Session, username: str) -> int:
    """Disable a user and revoke every token they hold; returns the revoked count. An MSL's
    open medical inquiries go to another MSL (or the queue) at once."""
    user = get_user(session, username)
    user.disabled = True
    user.version = next_versions(session)
    if user.role == Role.MSL:
        reroute_from(session, user.id)
    return revoke_tokens(session, user.id)


def set_manager(session: Session, username: str, manager: str | None) -> None:
    user = get_user(session, username)
    if manager is None:
        user.manager_id = None
        return
    boss = get_user(session, manager)
    if boss.role != Role.MANAGER:
        raise DirectoryError(f"{manager!r} is not a manager")
    if boss.id == user.id:
        raise DirectoryError("a manager cannot manage themselves")
    user.manager_id = boss.id


def assign_territory(session: Session, username: str, code: str) -> bool:
    """Give a user a territory; the first one becomes their primary. False if already held."""
    user = get_user(session, username)
    if user.role == Role.ADMIN:
        raise StateError("admins hold no territories (they see no account content)")
    territory = get_territory(session, code)
    exists = session.scalar(
        select(TerritoryAssignment.id).where(
            TerritoryAssignment.user_id == user.id,
            TerritoryAssignment.territory_id == territory.id,
        )
    )
    if exists:
        return False
    session.add(TerritoryAssignment(user_id=user.id, territory_id=territory.id))
    if user.territory_id is None:
        user.territory_id = territory.id
        user.version = next_versions(session)
    session.flush()
    return True


def unassign_territory(session: Session, username: str, code: str) -> bool:
    """Take a territory from a user; False if they did not hold it. Their laptop drops the
    territory's accounts at the next sync (the scope shrinks). A primary territory passes to
    another one the user still holds, or to none."""
    user = get_user(session, username)
    territory = get_territory(session, code)
    row = session.scalar(select(TerritoryAssignment).where(
        TerritoryAssignment.user_id == user.id,
        TerritoryAssignment.territory_id == territory.id))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    if user.territory_id == territory.id:
        user.territory_id = session.scalar(
            select(TerritoryAssignment.territory_id).join(
                Territory, Territory.id == TerritoryAssignment.territory_id)
            .where(TerritoryAssignment.user_id == user.id).order_by(Territory.code).limit(1))
        user.version = next_versions(session)
    session.flush()
    return True


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DirectoryError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")


def reset_password(session: Session, username: str, password: str) -> int:
    """An administrator sets a new password (forgotten, or leaked). Every token the user
    holds is revoked, so whoever knew the old one is out at once; returns how many."""
    _check_password(password)
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    return end_sessions(session, user.id)


def change_password(session: Session, user_id: str, old: str, new: str,
                    keep_token_id: str | None = None) -> int:
    """A user changes their own password, proving the old one. Their other sessions end
    (a lost laptop must not keep syncing); the session asking keeps working. Returns the
    number of sessions ended."""
    user = session.get(User, user_id)
    if user is None or not verify_password(user.password_hash, old):
        raise DirectoryError("the current password is wrong")
    _check_password(new)
    if new == old:
        raise DirectoryError("the new password must differ from the current one")
    user.password_hash = hash_password(new)
    return end_sessions(session, user.id, keep_token_id)


def end_sessions(session: Session, user_id: str, keep_token_id: str | None = None) -> int:
    """End a user's sessions after a password change: their tokens are deleted, not revoked.

    A revoked token tells its device to wipe the user's store (410, docs/laptop-store.md),
    which is right for a lost laptop or a disabled user, but a new password only means "sign
    in again": the laptop's unsent changes must survive it. A deleted token is unknown (401),
    as after a logout. Tokens already revoked stay, so a wipe order is never lost."""
    tokens = session.scalars(select(Token).where(
        Token.user_id == user_id, Token.revoked_at.is_(None),
        Token.id != (keep_token_id or ""))).all()
    for token in tokens:
        session.delete(token)
    return len(tokens)


def enable_user(session: Session, username: str) -> bool:
    """Let a disabled user log in again (with the password they had, or a reset one);
    False if they were not disabled. Tokens revoked while disabled stay revoked."""
    user = get_user(session, username)
    if not user.disabled:
        return False
    user.disabled = False
    user.version = next_versions(session)
    return True
