"""Rule sets managers and admins publish for the laptops (docs/rules.md).

The server checks what it can without the client's engine (the server reads only the wire
contract): the file is TOML of format 1 with a name, rules and a version above every
published one. Each laptop then validates the whole rule set and keeps its previous one
(or the shipped default) if the new one is refused, so a bad file never stops suggestions.
Publishing a version makes it the only active one; older versions stay for the record.
"""

from __future__ import annotations

import tomllib

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.contract import Role
from server.db import next_versions
from server.directory import DirectoryError
from server.models import RuleSet, User

PUBLISHERS = (Role.MANAGER.value, Role.ADMIN.value)


def publish_rules(session: Session, text: str, username: str) -> RuleSet:
    """Store `text` as the active rule set, published by `username` (a manager or admin)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.disabled:
        raise DirectoryError(f"no active user {username!r}")
    if user.role not in PUBLISHERS:
        raise DirectoryError("only managers and admins publish rule sets")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DirectoryError(f"not valid TOML: {error}") from error
    if data.get("format") != 1:
        raise DirectoryError("format must be 1")
    name, version = data.get("name"), data.get("version")
    if not isinstance(name, str) or not name.strip():
        raise DirectoryError("name is missing")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DirectoryError("version must be a whole number")
    if not isinstance(data.get("rules", []), list):
        raise DirectoryError("rules must be a list of [[rules]] tables")
    newest = session.scalar(select(func.max(RuleSet.revision))) or 0
    if version <= newest:
        raise DirectoryError(f"version must be above {newest}, the newest published")
    for old in session.scalars(select(RuleSet).where(RuleSet.active.is_(True))):
        session.execute(update(RuleSet).where(RuleSet.id == old.id)
                        .values(active=False, version=next_versions(session)))
    row = RuleSet(name=name.strip(), revision=version, body=text, active=True,
                  version=next_versions(session))
    session.add(row)
    session.flush()
    return row


def list_rules(session: Session) -> list[RuleSet]:
    return list(session.scalars(select(RuleSet).order_by(RuleSet.revision)))
