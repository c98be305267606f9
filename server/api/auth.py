"""Login, logout, who am I, health."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import select, text

from app.contract import PROTOCOL_VERSION
from server.api.common import (
    ERRORS,
    CurrentPrincipal,
    ErrorOut,
    FastJSON,
    Strict,
    api_error,
    get_db,
    get_settings,
)
from server.config import Settings
from server.db import Database
from server.directory import DirectoryError, change_password
from server.models import Territory, TerritoryAssignment, Token, User
from server.security import (
    ThrottleKeys,
    issue_token,
    known_device,
    lock_keys,
    record_failure,
    record_success,
    retry_after,
    verify_password,
)

router = APIRouter(prefix="/api/v1")

LOGIN_FAILED = "invalid user name or password"


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$")


class LoginOut(BaseModel):
    token: str
    expires_at: dt.datetime
    user_id: str
    role: str


class TerritoryOut(BaseModel):
    id: str
    code: str
    name: str


class MeOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    device_id: str
    territories: list[TerritoryOut]


class HealthOut(BaseModel):
    status: str
    protocol: int


@router.get("/health", response_model=HealthOut, responses={503: {"model": ErrorOut}})
def health(db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    """Liveness for load balancers and tests: answers only when the database does."""
    try:
        with db.reading() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means "not healthy", never a 500
        raise api_error(503, "database unavailable") from exc
    return FastJSON({"status": "ok", "protocol": PROTOCOL_VERSION})


@router.post("/login", response_model=LoginOut,
             responses={**ERRORS, 429: {"model": ErrorOut, "description": "slowed down"}})
def login(body: LoginIn, request: Request, db: Annotated[Database, Depends(get_db)],
          settings: Annotated[Settings, Depends(get_settings)]) -> FastJSON:
    """A token for this device. Unknown user, wrong password and disabled user all get the
    same answer, and all count towards the throttle of the name and the address."""
    username = body.username.strip().lower()
    keys = ThrottleKeys(user=username, address=_address(request), device=body.device_id)
    with db.writing() as session:
        lock_keys(session, keys)
        user = session.scalar(select(User).where(User.username == username))
        known = known_device(session, user.id if user else None, body.device_id)
        wait = retry_after(session, keys, settings, known=known)
        if wait:
            raise api_error(429, f"too many failed logins: try again in {wait} s",
                            {"Retry-After": str(wait)})
        ok = verify_password(user.password_hash if user else None, body.password)
        if not ok or user is None or user.disabled or user.deleted:
            record_failure(session, keys, settings)
            failed = True
        else:
            failed = False
            record_success(session, keys)
            token, clear = issue_token(session, user, body.device_id, settings)
            out = {"token": clear, "expires_at": token.expires_at, "user_id": user.id,
                   "role": user.role}
    if failed:  # after the commit: the failure must be counted
        raise api_error(401, LOGIN_FAILED)
    return FastJSON(out)


def _address(request: Request) -> str:
    """The caller's address: the peer, or behind a proxy named in `forwarded_allow_ips`, the
    client the proxy reports (uvicorn rewrites it; nobody else can choose it)."""
    return request.client.host if request.client else "unknown"


@router.post("/logout", status_code=204, responses=ERRORS)
def logout(principal: CurrentPrincipal, db: Annotated[Database, Depends(get_db)]) -> None:
    """Forget the token this request was made with: afterwards it is unknown (401). An
    admin's revocation keeps the row instead, and its device is told to wipe (410)."""
    with db.writing() as session:
        token = session.get(Token, principal.token_id)
        if token is not None:
            session.delete(token)


class PasswordChangeIn(Strict):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class PasswordChangedOut(BaseModel):
    ended_sessions: int


@router.post("/me/password", response_model=PasswordChangedOut,
             responses={**ERRORS, 429: {"model": ErrorOut, "description": "slowed down"}})
def change_my_password(body: PasswordChangeIn, principal: CurrentPrincipal, request: Request,
                       db: Annotated[Database, Depends(get_db)],
                       settings: Annotated[Settings, Depends(get_settings)]) -> FastJSON:
    """Change the caller's password, proving the current one. The caller's other sessions
    end; this one stays. A wrong current password counts as a failed login (a found
    token must not become a way to guess the password)."""
    keys = ThrottleKeys(user=principal.username, address=_address(request),
                        device=principal.device_id)
    with db.writing() as session:
        lock_keys(session, keys)
        wait = retry_after(session, keys, settings, known=True)
        if wait:
            raise api_error(429, f"too many failed logins: try again in {wait} s",
                            {"Retry-After": str(wait)})
        try:  # refusals come before anything is changed
            ended = change_password(session, principal.user_id, body.current_password,
                                    body.new_password, keep_token_id=principal.token_id)
        except DirectoryError as exc:
            problem = str(exc)
            wrong = "current password is wrong" in problem
            if wrong:
                record_failure(session, keys, settings)
        else:
            problem = ""
    if problem:  # after the commit: a failure must be counted
        raise api_error(403 if wrong else 422, problem)
    return FastJSON({"ended_sessions": ended})


@router.get("/me", response_model=MeOut, responses=ERRORS)
def me(principal: CurrentPrincipal, db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    """The caller and the territories they cover."""
    with db.reading() as session:
        user = session.get(User, principal.user_id)
        assert user is not None
        territories = session.execute(
            select(Territory.id, Territory.code, Territory.name)
            .join(TerritoryAssignment, TerritoryAssignment.territory_id == Territory.id)
            .where(TerritoryAssignment.user_id == user.id).order_by(Territory.code)
        ).all()
        return FastJSON({
            "id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "device_id": principal.device_id,
            "territories": [{"id": i, "code": c, "name": n} for i, c, n in territories],
        })
