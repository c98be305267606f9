"""Proposing a master-data change (or a new doctor), withdrawing it, reading its state.

The rep cannot overwrite master data (the server's value wins the merge); he asks the data
steward instead (docs/change-requests.md). A request is written offline like any row, so the
outbox sends it with the next sync; the server checks it with the same rules
(`app.master_data`) and the steward's decision comes back with a pull. Values are checked
here first, so the rep reads the refusal beside the field, in his language, before anything
is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import master_data
from app.contract import ChangeRequestStatus
from app.i18n import tr
from app.services import audit
from app.services.errors import NotFoundError, ServiceError, ValidationError
from app.store.accounts import Account, Address
from app.store.change_requests import ChangeRequest
from app.store.database import Database
from app.store.reference import Specialty, User
from app.sync import state
from app.sync.auth import client_for
from app.sync.errors import SyncError
from app.synced_columns import utcnow

PENDING = ChangeRequestStatus.PENDING.value


def _account(session: Session, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.deleted:
        raise NotFoundError(tr("The account does not exist on this laptop."))
    return account


def current_values(session: Session, account_id: str) -> dict[str, str | None]:
    """The account's master data as this laptop holds it: what the dialog shows and what a
    request records as the value the rep saw."""
    account = _account(session, account_id)
    values: dict[str, str | None] = {
        name: getattr(account, name) for name in master_data.ACCOUNT_FIELDS}
    address = session.scalar(select(Address).where(
        Address.account_id == account_id, Address.deleted.is_(False))
        .order_by(Address.is_primary.desc(), Address.version).limit(1))
    values |= {name: getattr(address, name) if address is not None else None
               for name in master_data.ADDRESS_FIELDS}
    return values


def _check(session: Session, kind: str, new: dict[str, str | None],
           comment: str | None) -> dict[str, str | None]:
    """The proposed values as they will be sent; ValidationError per field otherwise."""
    found = master_data.errors(kind, new, comment)
    specialty = new.get("specialty_id")
    if specialty and "specialty_id" not in found and session.get(Specialty, specialty) is None:
        found["specialty_id"] = tr("specialty_id {value} names no known specialty",
                                   value=specialty)
    if found:
        raise ValidationError(found)
    return {name: master_data.clean(name, value) for name, value in new.items()}


def propose_change(session: Session, user_id: str | None, account_id: str,
                   new: dict[str, str | None], comment: str | None = None) -> str:
    """A pending request to change the account's master data (only the fields whose value
    differs from what the laptop holds); its id."""
    old = current_values(session, account_id)
    cleaned = _check(session, master_data.CHANGE, new, comment)
    changes = {name: (old.get(name), value) for name, value in cleaned.items()
               if value != old.get(name)}
    if not changes:
        raise ValidationError({"": tr("the change request changes nothing")})
    account = _account(session, account_id)
    return _write(session, user_id, master_data.CHANGE, account.id, account.territory_id,
                  changes, comment)


def propose_new_doctor(session: Session, user_id: str | None, territory_id: str | None,
                       values: dict[str, str | None], comment: str | None = None) -> str:
    """A pending request for a doctor the server does not hold yet, in the rep's
    territory `territory_id` (None: his primary territory); its id."""
    cleaned = _check(session, master_data.NEW_ACCOUNT, values, comment)
    if territory_id is None:
        user = session.get(User, user_id) if user_id else None
        territory_id = user.territory_id if user is not None else None
    if territory_id is None:
        raise ValidationError({"": tr("A new doctor goes into your territory, and this laptop "
                                      "knows none of yours: sync first.")})
    changes = {name: (None, value) for name, value in cleaned.items() if value is not None}
    return _write(session, user_id, master_data.NEW_ACCOUNT, None, territory_id, changes,
                  comment)


def _write(session: Session, user_id: str | None, kind: str, account_id: str | None,
           territory_id: str | None, changes: Mapping[str, tuple[object, object]],
           comment: str | None) -> str:
    request = ChangeRequest(account_id=account_id, territory_id=territory_id, kind=kind,
                            changes=master_data.encode(changes),
                            comment=(comment or "").strip() or None, requested_by=user_id,
                            requested_at=utcnow(), status=PENDING)
    session.add(request)
    session.flush()
    if account_id is not None:
        audit.record(session, user_id, "change_request.proposed", "accounts", account_id)
    return request.id


def withdraw(session: Session, user_id: str | None, request_id: str) -> None:
    """Take back a pending request of one's own (the steward has not decided it yet)."""
    request = session.get(ChangeRequest, request_id)
    if request is None or request.deleted:
        raise NotFoundError(tr("This change request no longer exists."))
    if request.requested_by not in (None, user_id):
        raise ValidationError({"": tr("This change request is someone else's: only they can "
                                      "withdraw it.")})
    if request.status != PENDING:
        raise ValidationError({"": tr("This change request was decided already: it can no "
                                      "longer be withdrawn.")})
    request.status = ChangeRequestStatus.WITHDRAWN.value
    session.flush()


@dataclass(frozen=True)
class RequestLine:
    """One request on the account: what it asks, its state and the steward's reason (or
    the server's refusal of the push)."""

    id: str
    requested_at: dt.datetime
    status: str
    changes: dict[str, tuple[object, object]]
    comment: str | None
    reason: str | None
    refused: str | None  # the server refused the push itself: why
    mine: bool


def of_account(session: Session, account_id: str, user_id: str | None) -> list[RequestLine]:
    """The account's change requests, newest first."""
    refusals = _refusals(session)
    rows = session.scalars(select(ChangeRequest).where(
        ChangeRequest.account_id == account_id, ChangeRequest.deleted.is_(False))
        .order_by(ChangeRequest.requested_at.desc(), ChangeRequest.id.desc())).all()
    return [RequestLine(r.id, r.requested_at, r.status,
                        {k: (v.get("old"), v["new"]) for k, v in
                         master_data.decode(r.changes).items()},
                        r.comment, r.reason, refusals.get(r.id),
                        r.requested_by == user_id) for r in rows]


def _refusals(session: Session) -> dict[str, str]:
    """Why the server refused requests this laptop sent (request id -> its reason)."""
    log = state.get_json(session.connection(), state.REJECTIONS, [])
    return {entry["row_id"]: str(entry.get("reason") or "") for entry in log
            if isinstance(entry, dict) and entry.get("entity") == "change_requests"
            and isinstance(entry.get("row_id"), str)}


# --- the data steward (online: a decision is taken on the server) -----------------------


def pending_online(db: Database, base_url: str, **client_options: Any) -> list[dict[str, Any]]:
    """The pending change requests of every territory, as the server holds them now."""
    if not base_url:
        raise ServiceError(tr("The change requests are on the server: set it up with "
                              "File › Sync now."))
    with client_for(db, base_url, **client_options) as client:
        try:
            reply = client.request("GET", "/api/v1/change-requests")
        except SyncError as exc:
            raise ServiceError(tr("The change requests could not be read: {reason}",
                                  reason=str(exc))) from exc
    items = reply.get("items")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def decide_online(db: Database, base_url: str, request_id: str, accept: bool,
                  reason: str | None, **client_options: Any) -> dict[str, Any]:
    """Accept or reject a request on the server (a rejection needs a reason); every laptop
    in scope learns of it with its next sync."""
    reason = (reason or "").strip() or None
    if not accept and reason is None:
        raise ValidationError({"reason": tr("A rejection needs a reason: the rep reads it.")})
    if not base_url:
        raise ServiceError(tr("The change requests are on the server: set it up with "
                              "File › Sync now."))
    verb = "accept" if accept else "reject"
    with client_for(db, base_url, **client_options) as client:
        try:
            return client.request("POST", f"/api/v1/change-requests/{request_id}/{verb}",
                                  body={"reason": reason})
        except SyncError as exc:
            raise ServiceError(tr("The change request was not decided: {reason}",
                                  reason=str(exc))) from exc
