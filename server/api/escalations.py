"""POST /api/v1/escalations/{id}/reassign: a manager or an MSL hands an open medical inquiry
to another MSL (or back to the queue). Online on purpose: who holds an inquiry is decided in
one place, so two laptops never both believe they hold it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.contract import Role
from server.api.common import ERRORS, FastJSON, Strict, api_error, forbid_admin, get_db
from server.db import Database
from server.escalations.routing import ReassignForbiddenError, RoutingError, reassign
from server.models import Account, MedicalInquiry, User
from server.scope import Principal
from server.sync.scoping import scoped_account_ids

router = APIRouter(prefix="/api/v1/escalations")
Caller = Annotated[Principal, Depends(forbid_admin)]


class ReassignIn(Strict):
    to: str | None = Field(default=None, min_length=1, max_length=100,
                           description="user name of the MSL; null puts it into the queue")


class ReassignOut(BaseModel):
    assigned_to: str


@router.post("/{inquiry_id}/reassign", response_class=FastJSON, response_model=ReassignOut,
             responses={**ERRORS, 404: {"description": "no such inquiry"},
                        409: {"description": "the inquiry cannot be reassigned"}})
def reassign_inquiry(
    body: ReassignIn, principal: Caller, db: Annotated[Database, Depends(get_db)],
    inquiry_id: Annotated[str, Path(min_length=36, max_length=36)],
) -> dict[str, str]:
    if principal.role not in (Role.MANAGER, Role.MSL):
        raise api_error(403, "only a manager or an MSL can reassign a medical inquiry")
    with db.writing() as session:
        inquiry = session.get(MedicalInquiry, inquiry_id)
        # A manager reassigns within the team's accounts; an MSL the inquiries they hold
        # (server.escalations.routing.reassign).
        if inquiry is None or (principal.role == Role.MANAGER and session.scalar(
                scoped_account_ids(principal).where(Account.id == inquiry.account_id)) is None):
            raise api_error(404, "no such medical inquiry")
        caller = session.scalar(select(User).where(User.id == principal.user_id))
        try:
            return {"assigned_to": reassign(session, inquiry_id, body.to, caller)}
        except ReassignForbiddenError as exc:
            raise api_error(403, str(exc)) from exc
        except RoutingError as exc:
            raise api_error(409, str(exc)) from exc
