"""What a doctor's mail program calls: the opening pixel, the click redirect, the unsubscribe
link (server/email/tracking.py). No login: the message's unguessable token is the key. An
unknown token, link number or shape answers 404, never a 5xx and never a redirect to a
place the approved template does not name (no open redirect)."""

from __future__ import annotations

import base64
import html
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from server.api.common import ErrorOut, FastJSON, get_db
from server.db import Database
from server.email import tracking

router = APIRouter(prefix="/api/v1/email", tags=["email"])
Db = Annotated[Database, Depends(get_db)]
#: The smallest transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "no such message or link"}}
#: The pages answer HTML, their 404 JSON: both declared, so a client knows either.
PAGE_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {
    "model": ErrorOut, "description": "no such message",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}}


def _not_found() -> FastJSON:
    return FastJSON({"error": "no such message or link"}, status_code=404)


@router.get("/o/{name}", responses=NOT_FOUND, response_class=Response)
async def opened(name: str, db: Db) -> Response:
    """The opening pixel (`<token>.gif`): a 1x1 transparent GIF; the first fetch counts."""
    token = name.removesuffix(".gif")
    if not name.endswith(".gif") or not await run_in_threadpool(tracking.opened, db, token):
        return _not_found()
    return Response(PIXEL, media_type="image/gif")


CLICK: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND, 302: {"description": "to the template's link of that number"}}


@router.get("/c/{token}/{index}", responses=CLICK, response_class=Response)
async def clicked(token: str, index: str, db: Db) -> Response:
    """A followed link: redirects to the approved template's link number `index`."""
    if not index.isdigit() or len(index) > 4:
        return _not_found()
    target = await run_in_threadpool(tracking.clicked, db, token, int(index))
    if target is None:
        return _not_found()
    return RedirectResponse(target, status_code=302)


_PAGE = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
         "<body><p>{text}</p>{form}</body></html>")


@router.get("/u/{token}", responses=PAGE_NOT_FOUND, response_class=HTMLResponse)
async def unsubscribe_page(token: str, db: Db) -> Response:
    """A page asking to confirm: a link scanner's GET must not unsubscribe anybody."""
    if not await run_in_threadpool(tracking.known, db, token):
        return _not_found()
    form = (f"<form method=\"post\" action=\"/api/v1/email/u/{html.escape(token)}\">"
            "<button type=\"submit\">Unsubscribe</button></form>")
    return HTMLResponse(_PAGE.format(title="Unsubscribe", form=form,
                                     text="No more e-mails of this kind to this address?"))


@router.post("/u/{token}", responses=PAGE_NOT_FOUND, response_class=HTMLResponse)
async def unsubscribe(token: str, db: Db) -> Response:
    """Withdraws the doctor's e-mail consent (also RFC 8058 one-click from the mail program)."""
    if not await run_in_threadpool(tracking.unsubscribe, db, token):
        return _not_found()
    return HTMLResponse(_PAGE.format(title="Unsubscribed", form="",
                                     text="You will receive no more of these e-mails."))
