"""Master-data change requests on the server: the push's rules, the steward's decisions.

A rep cannot overwrite master data through sync (the server's value wins the merge,
docs/sync-protocol.md); he proposes a change or a new doctor as a `change_requests` row
(docs/change-requests.md). The push checks it here: in his scope (the write scope of the
account, `server.sync.authorise`), master-data fields only, values by the laptop's and the
import's rules (`app.master_data`). A data steward (role `steward`, nobody else) accepts or
rejects it through the API or the CLI: accepting writes the account (or creates the new
doctor in the requester's territory) as a server-side write, so every laptop in scope
receives it with its next pull; every decision is audited with who and why.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app import master_data
from app.contract import ChangeRequestStatus, Role
from server.db import next_versions
from server.models import (
    Account,
    Address,
    AuditEntry,
    ChangeRequest,
    Specialty,
    Territory,
    User,
    utcnow,
)
from server.scope import Principal
from server.sync.wire import Rejected

ENTITY = "change_requests"
PENDING = ChangeRequestStatus.PENDING.value
REASON_MAX = master_data.COMMENT_MAX


class DecisionError(ValueError):
    """A decision the server refuses, with a message fit for the steward."""

    status = 409


class NotStewardError(DecisionError):
    status = 403


class UnknownRequestError(DecisionError):
    status = 404


# --- the push ------------------------------------------------------------------------------


def check(session: Session, principal: Principal, territories: set[str], entity: str,
          op: str, row: Row[Any] | None, values: dict[str, Any]) -> None:
    """Rejected, with a reason the rep reads, unless the pushed change request keeps the
    rules (called by server/sync/push.py for every mutation; others pass)."""
    if entity != ENTITY:
        return
    if op == "delete":
        raise Rejected("a change request is withdrawn, never deleted")
    if row is None:
        _check_new(session, territories, values)
    else:
        _check_withdraw(row, values)


def refused(message: str) -> Rejected:
    return Rejected(f"change request refused: {message}")


def _check_new(session: Session, territories: set[str], values: dict[str, Any]) -> None:
    if values.get("status") != PENDING or any(
            values.get(c) is not None for c in ("decided_by", "decided_at", "reason")):
        raise refused("a new change request is sent as pending: the data steward decides it")
    kind = values.get("kind")
    try:
        changes = master_data.decode(values.get("changes"))
    except ValueError as exc:
        raise refused(str(exc)) from None
    problems = master_data.errors(str(kind), {k: v["new"] for k, v in changes.items()},
                                  values.get("comment"))
    if problems:
        raise refused("; ".join(problems.values()))
    specialty = changes.get("specialty_id", {}).get("new")
    if specialty is not None and session.get(Specialty, specialty) is None:
        raise refused(f"specialty_id {specialty} names no known specialty")
    account_id = values.get("account_id")
    if kind == master_data.NEW_ACCOUNT:
        if account_id is not None:
            raise refused("a new doctor's request names no account: the steward makes it")
        if values.get("territory_id") not in territories:
            raise refused("a new doctor can only be requested in your own territories")
        return
    if account_id is None:
        raise refused("a change request names the account it changes")
    territory = session.scalar(select(Account.territory_id).where(Account.id == account_id))
    if values.get("territory_id") not in (None, territory):
        raise refused("a change request is in its account's territory")


def _check_withdraw(row: Row[Any], values: dict[str, Any]) -> None:
    changed = {k for k, v in values.items() if getattr(row, k) != v}
    if not changed:
        return
    if row.status != PENDING:
        raise refused(f"it was {row.status} already and cannot be changed")
    if changed != {"status"} or values["status"] != ChangeRequestStatus.WITHDRAWN:
        raise refused("a rep may only withdraw his pending request: the data steward "
                      "accepts or rejects it; to change it, withdraw it and propose a new one")


# --- the steward ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A change request as the steward reads it: each field with the value the rep saw,
    the one he proposes and the server's value now."""

    id: str
    kind: str
    status: str
    account_id: str | None
    account_name: str | None
    territory: str | None
    requested_by: str | None
    requested_at: dt.datetime
    comment: str | None
    changes: dict[str, dict[str, Any]]
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["requested_at"] = self.requested_at.isoformat()
        out["decided_at"] = self.decided_at.isoformat() if self.decided_at else None
        return out


def steward(session: Session, username: str) -> User:
    """The active data steward `username`; NotStewardError for anyone else (a manager and
    an MSL read master data, they do not decide it)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or user.disabled or user.deleted:
        raise NotStewardError(f"no active user {username!r}")
    if user.role != Role.STEWARD:
        raise NotStewardError(f"only a data steward decides change requests: {user.username} "
                              f"is a {user.role}")
    return user


def listing(session: Session, status: str | None = PENDING) -> list[Item]:
    """All requests (of `status`, None: every one), oldest first: the steward's queue."""
    query = select(ChangeRequest).where(ChangeRequest.deleted.is_(False))
    if status is not None:
        query = query.where(ChangeRequest.status == status)
    requests = session.scalars(query.order_by(ChangeRequest.requested_at,
                                              ChangeRequest.id)).all()
    users: dict[str, str] = {r.id: r.username for r in session.execute(
        select(User.id, User.username))}
    territories: dict[str, str] = {r.id: r.code for r in session.execute(
        select(Territory.id, Territory.code))}
    return [_item(session, r, users, territories) for r in requests]


def _item(session: Session, r: ChangeRequest, users: dict[str, str],
          territories: dict[str, str]) -> Item:
    account = session.get(Account, r.account_id) if r.account_id else None
    current = _current(session, account)
    changes = {name: {**value, "current": current.get(name)}
               for name, value in master_data.decode(r.changes).items()}
    return Item(r.id, r.kind, r.status, r.account_id, account.name if account else None,
                territories.get(r.territory_id or (account.territory_id if account else "")
                                or ""),
                users.get(r.requested_by or ""), r.requested_at, r.comment, changes,
                users.get(r.decided_by or ""), r.decided_at, r.reason)


def _primary(session: Session, account_id: str) -> Address | None:
    return session.scalar(select(Address).where(
        Address.account_id == account_id, Address.deleted.is_(False))
        .order_by(Address.is_primary.desc(), Address.version).limit(1))


def _current(session: Session, account: Account | None) -> dict[str, Any]:
    if account is None:
        return {}
    values = {name: getattr(account, name) for name in master_data.ACCOUNT_FIELDS}
    address = _primary(session, account.id)
    values |= {name: getattr(address, name) if address else None
               for name in master_data.ADDRESS_FIELDS}
    return values


def _pending(session: Session, request_id: str) -> ChangeRequest:
    request = session.get(ChangeRequest, request_id)
    if request is None or request.deleted:
        raise UnknownRequestError(f"no change request {request_id}")
    if request.status != PENDING:
        raise DecisionError(f"change request {request_id} is {request.status} already: "
                            "only a pending request is decided")
    return request


def _reason(reason: str | None, *, required: bool) -> str | None:
    text = (reason or "").strip() or None
    if text is None and required:
        raise DecisionError("a rejection needs a reason: the rep reads it")
    if text is not None and len(text) > REASON_MAX:
        raise DecisionError(f"the reason is longer than {REASON_MAX} characters")
    return text


def accept(session: Session, request_id: str, *, by: str, reason: str | None = None) -> Item:
    """Apply the request to the server's account (or create the new doctor in the
    requester's territory), in the caller's transaction; audited."""
    user = steward(session, by)
    request = _pending(session, request_id)
    note = _reason(reason, required=False)
    new = {k: v["new"] for k, v in master_data.decode(request.changes).items()}
    problems = master_data.errors(request.kind, new)
    if problems:  # the rules may have changed since the push
        raise DecisionError("; ".join(problems.values()))
    cleaned = {k: master_data.clean(k, v) for k, v in new.items()}
    specialty = cleaned.get("specialty_id")
    if specialty is not None and session.get(Specialty, specialty) is None:
        raise DecisionError(f"specialty_id {specialty} names no known specialty")
    version = next_versions(session)
    now = utcnow()
    if request.kind == master_data.NEW_ACCOUNT:
        account = Account(kind="hcp", territory_id=request.territory_id, version=version,
                          updated_at=now, deleted=False, name="")
        session.add(account)
    else:
        found = session.get(Account, request.account_id)
        if found is None or found.deleted:
            raise DecisionError("the account of this request no longer exists")
        account = found
    for name in master_data.ACCOUNT_FIELDS:
        if name in cleaned:
            setattr(account, name, cleaned[name])
    if "name" not in cleaned and account.kind == "hcp" and (
            request.kind == master_data.NEW_ACCOUNT
            or {"title", "first_name", "last_name"} & set(cleaned)):
        account.name = master_data.hcp_name({n: getattr(account, n) for n in
                                             ("title", "first_name", "last_name")})
    account.version, account.updated_at = version, now
    session.flush()
    address_values = {k: v for k, v in cleaned.items() if k in master_data.ADDRESS_FIELDS}
    if address_values:
        address = _primary(session, account.id)
        if address is None:
            address = Address(account_id=account.id, line1="", city="", country="DE",
                              is_primary=True, deleted=False)
            session.add(address)
        for name, value in address_values.items():
            setattr(address, name, value if value is not None or name in ("line2", "postcode")
                    else "")
        address.version, address.updated_at = version, now
    request.account_id = account.id
    _decide(session, request, user, ChangeRequestStatus.ACCEPTED, note, version, now)
    return _item(session, request, {user.id: user.username, **_requester(session, request)},
                 {})


def reject(session: Session, request_id: str, *, by: str, reason: str | None) -> Item:
    """Refuse the request with a reason the rep reads; audited."""
    user = steward(session, by)
    request = _pending(session, request_id)
    note = _reason(reason, required=True)
    version = next_versions(session)
    _decide(session, request, user, ChangeRequestStatus.REJECTED, note, version, utcnow())
    return _item(session, request, {user.id: user.username, **_requester(session, request)},
                 {})


def _requester(session: Session, request: ChangeRequest) -> dict[str, str]:
    name = session.scalar(select(User.username).where(User.id == request.requested_by))
    return {request.requested_by: name} if request.requested_by and name else {}


def _decide(session: Session, request: ChangeRequest, user: User, status: str,
            reason: str | None, version: int, now: dt.datetime) -> None:
    request.status, request.decided_by, request.decided_at = status, user.id, now
    request.reason = reason
    request.version, request.updated_at = version, now
    session.add(AuditEntry(at=now, user_id=user.id, action=f"change_request_{status}",
                           entity=ENTITY, row_id=request.id, version=version,
                           updated_at=now, deleted=False,
                           details=json.dumps({"by": user.username, "reason": reason,
                                               "account_id": request.account_id,
                                               "fields": sorted(master_data.decode(
                                                   request.changes))}, ensure_ascii=False)))
    session.flush()
