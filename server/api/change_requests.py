"""The data steward's endpoints (docs/change-requests.md): the pending master-data change
requests, and accepting or rejecting one with a reason. Online on purpose: a decision is
taken in one place and reaches the laptops with their next pull. Only a user of role
`steward` may call them; a manager or an MSL reads master data and is refused here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import Field

from app.contract import ChangeRequestStatus, Role
from server import change_requests
from server.api.common import ERRORS, CurrentPrincipal, FastJSON, Strict, api_error, get_db
from server.db import Database
from server.scope import Principal

router = APIRouter(prefix="/api/v1/change-requests", tags=["change requests"])
RequestId = Annotated[str, Path(min_length=36, max_length=36)]


def require_steward(principal: CurrentPrincipal) -> Principal:
    if principal.role != Role.STEWARD:
        raise api_error(403, f"only a data steward decides change requests: you are a "
                             f"{principal.role}")
    return principal


Steward = Annotated[Principal, Depends(require_steward)]


class DecisionIn(Strict):
    reason: str | None = Field(default=None, max_length=change_requests.REASON_MAX,
                               description="why (needed to reject): the rep reads it")


@router.get("", response_class=FastJSON, responses=ERRORS)
def list_requests(principal: Steward, db: Annotated[Database, Depends(get_db)],
                  status: Annotated[ChangeRequestStatus | None, Query()] =
                  ChangeRequestStatus.PENDING) -> dict[str, list[dict[str, Any]]]:
    """Change requests of `status` (pending by default), oldest first, as `items`."""
    with db.reading() as session:
        return {"items": [item.to_dict() for item in change_requests.listing(
            session, status.value if status else None)]}


def _decide(verb: str, principal: Principal, db: Database, request_id: str,
            body: DecisionIn) -> dict[str, Any]:
    decide = change_requests.accept if verb == "accept" else change_requests.reject
    try:
        with db.writing() as session:
            return decide(session, request_id, by=principal.username,
                          reason=body.reason).to_dict()
    except change_requests.DecisionError as exc:
        raise api_error(exc.status, str(exc)) from exc


_DECISION = {**ERRORS, 404: {"description": "no such change request"},
             409: {"description": "the request is decided already, or cannot be applied"}}


@router.post("/{request_id}/accept", response_class=FastJSON, responses=_DECISION)
def accept_request(body: DecisionIn, principal: Steward,
                   db: Annotated[Database, Depends(get_db)],
                   request_id: RequestId) -> dict[str, Any]:
    """Apply the change to the account (or create the new doctor); every laptop in scope
    receives it with its next pull."""
    return _decide("accept", principal, db, request_id, body)


@router.post("/{request_id}/reject", response_class=FastJSON, responses=_DECISION)
def reject_request(body: DecisionIn, principal: Steward,
                   db: Annotated[Database, Depends(get_db)],
                   request_id: RequestId) -> dict[str, Any]:
    """Refuse the change with a reason; the rep reads it on the account after a pull."""
    return _decide("reject", principal, db, request_id, body)
