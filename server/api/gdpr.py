"""Admin endpoints for data-protection requests about one doctor (docs/gdpr.md).

Admins answer these requests for the company (the controller); the endpoints are admin only.
An export leaves out medical answers unless `medical=true` is asked for: they are the
doctor's own data, but they cross the firewall between promotion and medical, so a routine
export does not show them and the export's header says whether it holds them.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import Field

from server.api.common import ERRORS, FastJSON, Strict, api_error, get_db, require_admin
from server.db import Database
from server.gdpr_erase import erase_and_scrub
from server.gdpr_export import build
from server.gdpr_pdf import render
from server.gdpr_rows import GdprError, UnknownAccountError
from server.scope import Principal

log = logging.getLogger(__name__)
router = APIRouter(prefix="/gdpr")  # under /api/v1/admin (server/api/admin.py)

Admin = Annotated[Principal, Depends(require_admin)]
AccountId = Annotated[str, Path(min_length=1, max_length=36,
                                description="the doctor's account id")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such account"}}


class EraseIn(Strict):
    confirm: str = Field(min_length=1, max_length=36,
                         description="the account id again, so a typo erases nothing")


def _failed(exc: GdprError) -> Exception:
    return api_error(404 if isinstance(exc, UnknownAccountError) else 422, str(exc))


@router.get("/accounts/{account_id}/export", responses={
    **ERRORS, **_NOT_FOUND,
    200: {"content": {"application/json": {}, "application/pdf": {}},
          "description": "the export as JSON or as a readable PDF"}})
def export(account_id: AccountId, admin: Admin, db: Annotated[Database, Depends(get_db)],
           format: Annotated[Literal["json", "pdf"], Query()] = "json",
           medical: Annotated[bool, Query(description="include medical answers")] = False,
           ) -> Response:
    """Everything the server holds about one doctor (GDPR Art. 15)."""
    with db.reading() as session:
        try:
            data = build(session, account_id, medical=medical, requested_by=admin.username)
        except GdprError as exc:
            raise _failed(exc) from exc
    log.info("gdpr export of account %s by user %s (medical answers: %s)",
             account_id, admin.user_id, medical)
    if format == "pdf":
        return Response(render(data), media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="gdpr-{account_id}.pdf"'})
    return FastJSON(data)


@router.post("/accounts/{account_id}/erase", responses={
    **ERRORS, **_NOT_FOUND, 409: {"description": "confirm differs from the path's id"}})
def erase(account_id: AccountId, body: EraseIn, admin: Admin,
          db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    """Erase one doctor (GDPR Art. 17): what goes and what the law keeps is in
    docs/gdpr.md. Erasing again changes nothing and says `already_erased`."""
    if body.confirm != account_id:
        raise api_error(409, "confirm must repeat the account id of the path: nothing erased")
    try:
        report = erase_and_scrub(db, account_id, f"user:{admin.username}")
    except GdprError as exc:
        raise _failed(exc) from exc
    log.info("gdpr erasure of account %s by user %s", account_id, admin.user_id)
    return FastJSON(report.to_json())
