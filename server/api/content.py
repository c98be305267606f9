"""Content endpoints: what a laptop should hold, the package download, and the admin's
approval and validity decisions.

Packages travel apart from the data (docs/architecture.md): the laptop asks for the list, then
fetches each package it lacks by SHA-256 with HTTP Range (Starlette's FileResponse answers
`Range` with 206), so a dropped connection resumes where it broke off; the laptop verifies the
SHA-256 before importing. A withdrawn package is no longer handed out.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.content_format.blobs import ContentStore
from app.content_format.kinds import ApprovalState
from app.contract import Role
from server.api.common import (
    ERRORS,
    CurrentPrincipal,
    FastJSON,
    Strict,
    api_error,
    get_db,
    get_settings,
    require_admin,
)
from server.config import Settings
from server.content import (
    ContentAdminError,
    NoSuchContentError,
    content_for,
    list_content,
    may_download,
    set_state,
    set_validity,
)
from server.db import Database
from server.models import ContentPackage
from server.scope import Principal

router = APIRouter(prefix="/api/v1")

Admin = Annotated[Principal, Depends(require_admin)]
Db = Annotated[Database, Depends(get_db)]
Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="the package's SHA-256")]
Ref = Annotated[str, Path(min_length=1, max_length=140,
                          description="the presentation's id, code, or code@version")]


class ContentOut(BaseModel):
    id: str
    code: str
    version: str
    title: str
    product_id: str
    product: str
    approval_state: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    package_sha256: str
    size: int
    slides: int


class ContentList(BaseModel):
    items: list[ContentOut]


class ValidityIn(Strict):
    valid_from: Annotated[dt.date, Field(strict=False)]
    valid_until: Annotated[dt.date, Field(strict=False)]


_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such content (or not yours)"}}
_STUCK: dict[int | str, dict[str, Any]] = {
    409: {"description": "withdrawn content cannot be approved again (add a new version)"}}


@router.get("/content", response_model=ContentList, responses=ERRORS)
def my_content(principal: CurrentPrincipal, db: Db) -> FastJSON:
    """The presentations of the caller's products (territories): what the laptop should
    hold. Withdrawn ones are listed too, so the laptop knows to remove them."""
    with db.reading() as session:
        return FastJSON({"items": [item.to_json() for item in content_for(session, principal)]})


@router.get("/content/packages/{sha256}", response_class=FileResponse,
            responses={**ERRORS, **_NOT_FOUND,
                       206: {"description": "the requested byte range"},
                       416: {"description": "range not satisfiable"}})
async def package(sha256: Sha256, principal: CurrentPrincipal, db: Db,
                  settings: Annotated[Settings, Depends(get_settings)]) -> FileResponse:
    """A package's bytes (application/zip); send `Range: bytes=N-` to resume."""
    def allowed() -> bool:
        with db.reading() as session:
            if principal.role == Role.ADMIN:
                return session.get(ContentPackage, sha256) is not None
            return may_download(session, principal, sha256)

    path = ContentStore(settings.content_path).path(sha256)
    if not await run_in_threadpool(allowed) or not path.is_file():
        raise api_error(404, "no such content package, or not one of your products")
    return FileResponse(path, media_type="application/zip",
                        filename=f"{sha256}.zip", headers={"Cache-Control": "no-store"})


@router.get("/admin/content", response_model=ContentList, responses=ERRORS)
def all_content(_admin: Admin, db: Db) -> FastJSON:
    """Every presentation on the server, with its approval state and validity window."""
    with db.reading() as session:
        return FastJSON({"items": [item.to_json() for item in list_content(session)]})


def _state(db: Database, ref: str, state: ApprovalState, admin: Principal) -> FastJSON:
    try:
        return FastJSON(set_state(db, ref, state, admin.user_id, admin.device_id).to_json())
    except NoSuchContentError as exc:
        raise api_error(404, str(exc)) from exc
    except ContentAdminError as exc:
        raise api_error(409, str(exc)) from exc


@router.post("/admin/content/{ref}/approve", response_model=ContentOut,
             responses={**ERRORS, **_NOT_FOUND, **_STUCK})
def approve(ref: Ref, admin: Admin, db: Db) -> FastJSON:
    """Approve the content (the only way it becomes approved; audited): reps receive it and
    may present it inside its validity window."""
    return _state(db, ref, ApprovalState.APPROVED, admin)


@router.post("/admin/content/{ref}/withdraw", response_model=ContentOut,
             responses={**ERRORS, **_NOT_FOUND, **_STUCK})
def withdraw(ref: Ref, admin: Admin, db: Db) -> FastJSON:
    """Withdraw the content (audited): laptops remove it at their next sync."""
    return _state(db, ref, ApprovalState.WITHDRAWN, admin)


@router.put("/admin/content/{ref}/validity", response_model=ContentOut,
            responses={**ERRORS, **_NOT_FOUND})
def validity(ref: Ref, body: ValidityIn, _admin: Admin, db: Db) -> FastJSON:
    """Set the window in which the content may be presented (dates, inclusive)."""
    try:
        return FastJSON(set_validity(db, ref, body.valid_from, body.valid_until).to_json())
    except NoSuchContentError as exc:
        raise api_error(404, str(exc)) from exc
    except ContentAdminError as exc:
        raise api_error(422, str(exc)) from exc
