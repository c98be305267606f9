"""Admin endpoints: master data import for outside systems, users, device revocation.

Admins administer; none of these answers carries account content beyond the import report
(which names rows and keys, not medical data).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from server.api import gdpr
from server.api.common import ERRORS, FastJSON, Strict, api_error, get_db, require_admin
from server.db import Database
from server.directory import DirectoryError, get_user, list_users
from server.importing.records import ImportFormatError
from server.importing.run import import_csv, import_fhir
from server.scope import Principal
from server.security import revoke_tokens

router = APIRouter(prefix="/api/v1/admin")

Admin = Annotated[Principal, Depends(require_admin)]


class ImportRow(BaseModel):
    ref: str
    status: str
    key: str | None = None
    account_id: str | None = None
    reason: str | None = None
    warnings: list[str] | None = None
    flags: list[str] | None = None  # what a loaded record lacks ("address without a city")


class ImportReportOut(BaseModel):
    counts: dict[str, int]
    flags: dict[str, int]  # loaded records per flag
    rows: list[ImportRow]


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    disabled: bool
    territories: list[str]


class RevokeIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    device_id: str | None = Field(default=None, min_length=1, max_length=100)


class RevokeOut(BaseModel):
    revoked: int


_FHIR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resourceType"],
    "properties": {"resourceType": {
        "type": "string", "enum": ["Practitioner", "PractitionerRole", "Organization", "Bundle"]}},
}

_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "minLength": 1}},
            "application/fhir+json": {"schema": _FHIR_SCHEMA},
            "application/json": {"schema": _FHIR_SCHEMA},
        },
    }
}


@router.post("/import", response_model=ImportReportOut, openapi_extra=_IMPORT_BODY,
             responses={**ERRORS, 415: {"description": "unsupported content type"}})
async def import_master_data(
    request: Request,
    _admin: Admin,
    db: Annotated[Database, Depends(get_db)],
    territory: Annotated[str | None, Query(max_length=32,
                                           description="for accounts naming none")] = None,
) -> FastJSON:
    """Upsert master data: `text/csv` (columns named like the fields, `id:<SYSTEM>` for
    external ids) or FHIR R4 JSON (`application/fhir+json`, optionally with
    `fhirVersion=4.0`). A payload unusable as a whole is refused (4xx, nothing written);
    otherwise the report tells per row what happened."""
    content_type = request.headers.get("content-type", "")
    media, *params = [p.strip() for p in content_type.split(";")]
    options = dict(p.split("=", 1) for p in params if "=" in p)
    body = await request.body()
    if not body:
        raise api_error(400, "empty body: send a CSV file or FHIR JSON")
    try:
        if media in ("text/csv", "application/csv"):
            report = await run_in_threadpool(
                import_csv, db, body, None, options.get("charset", "utf-8"), territory)
        elif media in ("application/fhir+json", "application/json"):
            report = await run_in_threadpool(
                import_fhir, db, body, options.get("fhirVersion"), territory)
        else:
            raise api_error(415, "send text/csv or application/fhir+json")
    except ImportFormatError as exc:
        raise api_error(422, str(exc)) from exc
    return FastJSON(report.to_dict())


@router.get("/users", response_model=list[UserOut], responses=ERRORS)
def users(_admin: Admin, db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    with db.reading() as session:
        return FastJSON([
            {"id": u.id, "username": u.username, "display_name": u.display_name,
             "role": u.role, "disabled": u.disabled, "territories": codes}
            for u, codes in list_users(session)
        ])


@router.post("/revoke", response_model=RevokeOut,
             responses={**ERRORS, 404: {"description": "no such user"}})
def revoke(body: RevokeIn, _admin: Admin, db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    """Revoke a user's tokens: all of them, or those of one lost device."""
    with db.writing() as session:
        try:
            user = get_user(session, body.username)
        except DirectoryError as exc:
            raise api_error(404, str(exc)) from exc
        count = revoke_tokens(session, user.id, body.device_id)
    return FastJSON({"revoked": count})


router.include_router(gdpr.router)  # data-protection requests: export, erase (docs/gdpr.md)
