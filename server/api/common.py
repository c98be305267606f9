"""What every endpoint shares: fast JSON responses, errors, the authenticated caller."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from app.contract import Role
from server.config import Settings
from server.db import Database
from server.models import Token, User, utcnow
from server.scope import Principal
from server.security import token_digest

ORJSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


class FastJSON(JSONResponse):
    """JSON rendered by orjson straight to bytes (docs/platform.md: ~30x faster than FastAPI's
    default path for 10k records). Naive datetimes are UTC and say so ("Z"). A JSONResponse
    subclass, so FastAPI documents the response models in OpenAPI."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=ORJSON_OPTIONS)


class Strict(BaseModel):
    """Request bodies: unknown fields and wrong types are errors, never silently dropped
    or coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorOut(BaseModel):
    error: str
    detail: Any | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "bad request"},
    401: {"model": ErrorOut, "description": "missing, invalid, expired or revoked token"},
    403: {"model": ErrorOut, "description": "not allowed for this role"},
    413: {"model": ErrorOut, "description": "body too large"},
    422: {"model": ErrorOut, "description": "invalid body or parameters"},
}


def api_error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPException:
    return HTTPException(status_code=status, detail=message, headers=headers)


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


_bearer = HTTPBearer(auto_error=False, description="the token from POST /api/v1/login")

_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}
#: 410 Gone: only to the device holding the token, which must then wipe the user's data.
WIPE_USER = "this user is disabled"
WIPE_DEVICE = "this device was revoked"


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    x_device_id: Annotated[str | None, Header(max_length=100,
                                              description="the device the token was issued to")]
    = None,
) -> Principal:
    """The caller, from a live token used on the device it was issued to.

    Every check answers the same 401 shape; only the device mismatch says so, because the
    holder of a valid token already knows the user exists.
    """
    if credentials is None or not credentials.credentials:
        raise api_error(401, "authentication required: send Authorization: Bearer <token>",
                        _UNAUTHORIZED)
    db = get_db(request)
    with db.reading() as session:
        row = session.execute(
            select(Token.id, Token.device_id, Token.expires_at, Token.revoked_at, User.id,
                   User.username, User.role, User.disabled, User.deleted)
            .join(User, User.id == Token.user_id)
            .where(Token.token_hash == token_digest(credentials.credentials))
        ).first()
    if row is not None and x_device_id == row.device_id and (row.disabled or row.deleted):
        raise api_error(410, WIPE_USER)  # the laptop wipes this user's data (docs/server.md)
    if row is not None and x_device_id == row.device_id and row.revoked_at is not None:
        raise api_error(410, WIPE_DEVICE)
    if row is None or row.expires_at <= utcnow():
        raise api_error(401, "invalid, expired or revoked token: log in again", _UNAUTHORIZED)
    if x_device_id != row.device_id:
        raise api_error(401, "this token belongs to another device (X-Device-Id)",
                        _UNAUTHORIZED)
    return Principal(user_id=row[4], username=row.username, role=row.role,
                     device_id=row.device_id, token_id=row.id)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_admin(principal: CurrentPrincipal) -> Principal:
    if principal.role != Role.ADMIN:
        raise api_error(403, "only admins may do this")
    return principal


def forbid_admin(principal: CurrentPrincipal) -> Principal:
    """Account content is medical context; admins administer and do not read it."""
    if principal.role == Role.ADMIN:
        raise api_error(403, "admins see no account content; use a rep, MSL or manager login")
    return principal
