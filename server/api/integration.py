"""The integration API: outside systems post touchpoints onto accounts and read the change
feed of their territories (docs/integration.md).

Its callers are service accounts, not people: their tokens (`fieldrep-server
service-account add`) are accepted here and nowhere else, and a person's login token is
not accepted here. Bodies are read by hand (`server.integration.touchpoints.parse`), not by
a pydantic model: a bulk post must answer for each line in plain words and keep the good
ones, and the single post answers with the same words.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from server.api.common import ERRORS, ErrorOut, FastJSON, api_error, get_db
from server.db import Database
from server.integration import feed
from server.integration.service_accounts import Caller, TokenRefusedError, caller_of
from server.integration.touchpoints import (
    DETAIL_MAX,
    EVENT_ID_MAX,
    KINDS,
    LINES_MAX,
    TITLE_MAX,
    Answer,
    LineError,
    ingest,
    parse,
    parse_ndjson,
)
from server.sync.wire import Rejected

router = APIRouter(prefix="/api/v1/integration")
BULK_PATH = "/api/v1/integration/touchpoints/bulk"

_bearer = HTTPBearer(auto_error=False,
                     description="a service account's token (fieldrep-server service-account)")
_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def service_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The service account of the request's token; 401 in words when there is none."""
    if credentials is None or not credentials.credentials:
        raise api_error(401, "authentication required: send Authorization: Bearer <API token>",
                        _UNAUTHORIZED)
    with get_db(request).reading() as session:
        try:
            return caller_of(session, credentials.credentials)
        except TokenRefusedError as exc:
            raise api_error(401, str(exc), _UNAUTHORIZED) from None


Service = Annotated[Caller, Depends(service_caller)]

_TOUCHPOINT: dict[str, Any] = {
    "type": "object",
    "required": ["event_id", "kind", "occurred_at"],
    "additionalProperties": False,
    "properties": {
        "event_id": {"type": "string", "minLength": 1, "maxLength": EVENT_ID_MAX,
                     "description": "the caller's id of the event: a resend is a replay"},
        "kind": {"type": "string", "enum": list(KINDS)},
        "occurred_at": {"type": "string", "format": "date-time",
                        "description": "ISO 8601; without an offset it is UTC"},
        "account_id": {"type": "string", "maxLength": 36,
                       "description": "the account's Fieldrep id (or give external_id)"},
        "external_id": {"type": "object", "required": ["system", "value"],
                        "additionalProperties": False,
                        "properties": {"system": {"type": "string", "maxLength": 255,
                                                  "description": "LANR, BSNR, NPI, ..."},
                                       "value": {"type": "string", "maxLength": 64}}},
        "title": {"type": "string", "maxLength": TITLE_MAX},
        "detail": {"type": "string", "maxLength": DETAIL_MAX},
    },
}


#: The bulk body; its media type is not read (NDJSON is the one to send, text/plain is
#: described too so that generic HTTP tools and API testers can send a body).
_LINES: dict[str, Any] = {"type": "string", "description": "one touchpoint per line, each a "
                          "JSON object as the single post takes"}


class TouchpointOut(BaseModel):
    event_id: str
    status: str  # "created" or "duplicate"
    id: str
    account_id: str


class LineOut(BaseModel):
    line: int
    event_id: str
    status: str
    id: str
    account_id: str


class LineErrorOut(BaseModel):
    line: int
    event_id: str | None
    reason: str


class BulkOut(BaseModel):
    counts: dict[str, int]  # created, duplicate, rejected
    results: list[LineOut]
    errors: list[LineErrorOut]


_ANSWERS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    404: {"model": ErrorOut, "description": "unknown account or external id"},
    409: {"model": ErrorOut, "description": "the event id was used for another touchpoint"},
}


@router.post("/touchpoints", response_model=TouchpointOut, status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": _TOUCHPOINT}}}},
             responses={**_ANSWERS, 200: {"model": TouchpointOut,
                                          "description": "a replay: written before"}})
async def post_touchpoint(request: Request, caller: Service,
                          db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    """One touchpoint (JSON). 201 when written, 200 with the first answer when the event id
    was seen before; a refusal (4xx) says why and writes nothing."""
    body = await request.body()
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise api_error(400, "malformed JSON body: send one touchpoint as a JSON object") \
            from None
    try:
        touchpoint = parse(data)
    except LineError as exc:
        raise api_error(exc.status, exc.reason) from None
    [answer] = await run_in_threadpool(ingest, db, caller, [touchpoint])
    if isinstance(answer, LineError):
        raise api_error(answer.status, answer.reason)
    return FastJSON(answer.to_dict(), status_code=201 if answer.status == "created" else 200)


@router.post("/touchpoints/bulk", response_model=BulkOut,
             openapi_extra={"requestBody": {"required": True, "content": {
                 media: {"schema": _LINES} for media in ("application/x-ndjson",
                                                         "text/plain")}}},
             responses={**ERRORS, 413: {"model": ErrorOut, "description":
                                        "body too large or too many lines"}})
async def post_touchpoints(request: Request, caller: Service,
                           db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    """Many touchpoints, one JSON object per line (NDJSON). Good lines are written, each
    bad one is reported by its line number with the reason; replays answer `duplicate`."""
    body = await request.body()
    if not body.strip():
        raise api_error(400, "empty body: send one JSON touchpoint per line")
    if body.count(b"\n") >= LINES_MAX:
        raise api_error(413, f"more than {LINES_MAX} lines: split them into several posts")
    lines = list(parse_ndjson(body))
    good = [(n, t) for n, t in lines if not isinstance(t, LineError)]
    answers = await run_in_threadpool(ingest, db, caller, [t for _, t in good])
    answered: dict[int, Answer | LineError] = {
        n: t for n, t in lines if isinstance(t, LineError)}
    answered.update((n, a) for (n, _), a in zip(good, answers, strict=True))
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    counts = {"created": 0, "duplicate": 0, "rejected": 0}
    for number in sorted(answered):
        answer = answered[number]
        if isinstance(answer, LineError):
            counts["rejected"] += 1
            errors.append({"line": number, "event_id": answer.event_id,
                           "reason": answer.reason})
        else:
            counts[answer.status] += 1
            results.append({"line": number, **answer.to_dict()})
    return FastJSON({"counts": counts, "results": results, "errors": errors})


class ChangeOut(BaseModel):
    entity: str
    row: dict[str, Any]
    erased: bool | None = None


class FeedOut(BaseModel):
    changes: list[ChangeOut]
    cursor: str
    more: bool


def _limit(text: str | None) -> int:
    if text is None:
        return feed.DEFAULT_LIMIT
    try:
        value = int(text)
    except ValueError:
        raise api_error(400, f"limit {text[:20]!r} is no whole number: 1 to "
                             f"{feed.MAX_LIMIT}") from None
    if not 1 <= value <= feed.MAX_LIMIT:
        raise api_error(400, f"limit is from 1 to {feed.MAX_LIMIT}")
    return value


@router.get("/changes", response_model=FeedOut,
            responses={**ERRORS, 403: {"model": ErrorOut,
                                       "description": "the token may not read the feed"}})
def get_changes(
    caller: Service,
    db: Annotated[Database, Depends(get_db)],
    cursor: Annotated[str | None, Query(description="the cursor of the previous page; none: "
                                                    "from the beginning")] = None,
    limit: Annotated[str | None, Query(description=f"rows per page, 1 to {feed.MAX_LIMIT} "
                                                   f"(default {feed.DEFAULT_LIMIT})")] = None,
) -> FastJSON:
    """The changes in the token's territories after `cursor`, oldest first: every row once,
    at its newest version, never skipping one a concurrent writer commits late. Keep the
    answer's `cursor` and ask again with it; `more` says whether to ask at once."""
    if not caller.may_read_feed:
        raise api_error(403, "this API token may not read the change feed: ask the Fieldrep "
                             "administrator for a service account with --feed")
    size = _limit(limit)
    if cursor is not None and len(cursor) > 400:
        raise api_error(400, "invalid cursor: pass the cursor of the previous page")
    try:
        return FastJSON(feed.changes(db, caller, cursor or None, size))
    except Rejected as exc:
        raise api_error(400, str(exc)) from None
