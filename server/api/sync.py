"""The sync endpoints (docs/sync-protocol.md): POST /api/v1/sync/push, GET /api/v1/sync/pull.

Both check the protocol version before anything else: a client of another protocol gets a
clear message and nothing is read or written. The messages are the protocol's types
(`app.wire_schema`), which the laptop checks the replies against. The push body's mutations
are checked one by one, not by the request's type: one malformed mutation is answered
`rejected` and never fails the batch (a 422 for the whole request would block the client's
queue behind it forever).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Query, Request

from app.contract import PROTOCOL_VERSION, to_wire
from app.wire_schema import PullPage, PushReply, PushRequest
from server.api.common import ERRORS, ErrorOut, FastJSON, api_error, forbid_admin, get_db
from server.db import Database
from server.email import outbox as email_outbox
from server.models import utcnow
from server.scope import Principal
from server.sync.device_gate import BUSY_RETRY_AFTER_S, PULLS, DeviceBusyError
from server.sync.pull import MAX_LIMIT, pull
from server.sync.push import push
from server.sync.wire import Rejected

TOO_OLD = ("this version of Fieldrep is too old for the server (sync protocol {theirs}, "
           "server {ours}): please update Fieldrep")
TOO_NEW = ("the server is older than this version of Fieldrep (sync protocol {theirs}, "
           "server {ours}): ask your administrator to update the server")


def protocol_refusal(raw: str | None) -> tuple[int, str] | None:
    """(426, words) for an older or silent client, (409, words) for a newer one, (400, words)
    for a header that is no version number, None when the client speaks our protocol."""
    raw = (raw or "").strip()
    if raw and not raw.isdigit():
        return 400, "X-Fieldrep-Protocol must be a protocol version number"
    theirs = int(raw) if raw else 0
    if theirs < PROTOCOL_VERSION:
        return 426, TOO_OLD.format(theirs=raw[:16] or "none", ours=PROTOCOL_VERSION)
    if theirs > PROTOCOL_VERSION:
        return 409, TOO_NEW.format(theirs=theirs, ours=PROTOCOL_VERSION)
    return None


def check_protocol(
    x_fieldrep_protocol: Annotated[Literal["1"], Header(
        description="the client's sync protocol version (app.contract.PROTOCOL_VERSION); "
                    "another one is answered 426 (older) or 409 (newer)")],
    x_fieldrep_schema: Annotated[str | None, Header(
        max_length=64, description="the client's schema revision (not checked)")] = None,
) -> None:
    """The header is declared as exactly our version, so OpenAPI says what is accepted;
    `server.app` turns its validation error into the 426/409 of the protocol."""
    refusal = protocol_refusal(x_fieldrep_protocol)
    if refusal is not None:  # pragma: no cover - the declared type admits only ours
        raise api_error(*refusal)


router = APIRouter(prefix="/api/v1/sync", dependencies=[Depends(check_protocol)])
Syncer = Annotated[Principal, Depends(forbid_admin)]
SYNC_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {"description": "the client speaks a newer sync protocol than the server"},
    426: {"description": "the client speaks an older sync protocol: update Fieldrep"},
}
PULL_ERRORS: dict[int | str, dict[str, Any]] = {
    **SYNC_ERRORS,
    429: {"model": ErrorOut,
          "description": "this device's previous page is still being prepared: ask again "
                         "after Retry-After seconds (server/sync/device_gate.py)"},
}


@router.post("/push", response_model=PushReply, responses=SYNC_ERRORS)
def push_endpoint(body: PushRequest, principal: Syncer,
                  db: Annotated[Database, Depends(get_db)], request: Request,
                  background: BackgroundTasks) -> FastJSON:
    """Apply the mutations in order; answer each one (applied, duplicate, conflict,
    rejected). E-mails it brought are queued with it and sent after the answer."""
    settings = request.app.state.settings
    with db.writing() as session:
        results = push(session, principal, body["mutations"])
        # A push may bring an e-mail and its call's submission apart: both may queue it.
        if any(isinstance(m, dict) and m.get("entity") in ("emails", "interactions")
               for m in body["mutations"]) and \
                email_outbox.queue_new(session, settings.public_url or str(request.base_url)):
            background.add_task(email_outbox.deliver_quietly, db, settings)
    return FastJSON({"results": results, "server_time": to_wire(utcnow())})


@router.get("/pull", response_model=PullPage, responses=PULL_ERRORS)
def pull_endpoint(
    principal: Syncer,
    db: Annotated[Database, Depends(get_db)],
    cursor: Annotated[str | None, Query(max_length=400,
                                        description="cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 1000,
    verify: Annotated[bool, Query(
        description="add the checkpoint ([count, checksum] per entity) to the last page")
    ] = False,
    only: Annotated[str | None, Query(max_length=64,
                                      description="page through this entity alone")] = None,
) -> FastJSON:
    """One page of changes in the caller's scope after `cursor` (none: from the start)."""
    try:
        with PULLS.one_at_a_time(principal.user_id, principal.device_id):
            page = pull(db, principal, cursor, limit, verify=verify, only=only)
    except Rejected as exc:
        raise api_error(400, str(exc)) from None
    except DeviceBusyError as exc:
        raise api_error(429, str(exc), {"Retry-After": str(BUSY_RETRY_AFTER_S)}) from None
    return FastJSON(page)
