"""The ASGI application: routers, body limits, gzip, security headers, and errors that are
always JSON.

FastAPI rather than bare Starlette: the issue asks for an OpenAPI description "kept true to
the code", and FastAPI derives it from the same type hints that validate requests (unknown
fields and wrong types refused by pydantic models). Its slow part, serialising responses
through `jsonable_encoder`, is bypassed: endpoints return orjson bytes (`FastJSON`).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import __version__
from server.api import (
    accounts,
    admin,
    auth,
    catalog,
    change_requests,
    content,
    cycle_plans,
    email,
    escalations,
    integration,
    sync,
)
from server.api.common import FastJSON
from server.config import Settings, load_settings
from server.db import Database


class BodyLimit:
    """Refuse bodies over a limit with 413 before the application sees them.

    A declared Content-Length over the limit is refused unread; otherwise the body is read
    here, counted, and replayed to the app. Reading it here (instead of counting inside the
    app's receive) matters: FastAPI turns any error while reading a body into a vague 400.
    """

    def __init__(self, app: ASGIApp, default: int, overrides: dict[str, int]) -> None:
        self.app, self.default, self.overrides = app, default, overrides

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.overrides.get(scope["path"], self.default)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _json(send, 400, {"error": "invalid Content-Length"})
                return
            if int(declared) > limit:
                await _json(send, 413, {"error": f"body larger than {limit} bytes"})
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _json(send, 413, {"error": f"body larger than {limit} bytes"})
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """`Cache-Control: no-store` and `X-Content-Type-Options: nosniff` on every response.

    Answers carry doctors' data and tokens: no proxy or browser cache may keep them, and no
    browser may guess a type other than the one declared. Pure ASGI (no BaseHTTPMiddleware)
    so streaming package downloads pass through untouched."""

    HEADERS = ((b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {self.HEADERS[0][0], self.HEADERS[1][0]}
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in names]
                message = {**message, "headers": [*headers, *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _json(send: Send, status: int, payload: dict[str, Any]) -> None:
    response = FastJSON(payload, status_code=status)
    await send({"type": "http.response.start", "status": status,
                "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


def _validation_message(exc: RequestValidationError) -> tuple[int, dict[str, Any]]:
    """A 4xx that says what is wrong, without echoing the input (it may hold a password)."""
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, {"error": "malformed JSON body"}
    detail = [{"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
              for e in errors]
    fields = ", ".join(d["field"] for d in detail)
    return 422, {"error": f"invalid request: {fields}", "detail": detail}


def _allowed(app: FastAPI, path: str) -> str:
    """Every method of every operation on this path. Starlette names only the first route's
    methods in a 405's `Allow`, wrong where one path has a route per method (PUT, DELETE).
    Read from the OpenAPI description, which lists every operation of every path."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(app.state, "allow", None)
    if table is None:
        table = [(re.compile("^" + re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(p)) + "$"),
                  {method.upper() for method in operations})
                 for p, operations in app.openapi()["paths"].items()]
        app.state.allow = table
    methods = set().union(*(m for pattern, m in table if pattern.match(path)))
    return ", ".join(sorted(methods))


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    """The application for one process; the database is the only shared state."""
    app = FastAPI(
        title="Fieldrep server",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        default_response_class=FastJSON,
    )
    app.state.settings = settings
    app.state.db = db or Database.from_settings(settings)
    app.include_router(auth.router)
    app.include_router(accounts.router)
    app.include_router(admin.router)
    app.include_router(catalog.router)
    app.include_router(sync.router)
    app.include_router(content.router)
    app.include_router(escalations.router)
    app.include_router(integration.router)
    app.include_router(change_requests.router)
    app.include_router(cycle_plans.router)
    app.include_router(email.router)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> FastJSON:
        detail = exc.detail
        if detail == "There was an error parsing the body":  # FastAPI's words for non-UTF-8
            detail = "malformed JSON body: not UTF-8 JSON"
        headers = exc.headers
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed(app, request.url.path)}
        return FastJSON({"error": detail}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> FastJSON:
        if any(tuple(e.get("loc", ()))[:2] == ("header", "x-fieldrep-protocol")
               for e in exc.errors()):
            refusal = sync.protocol_refusal(request.headers.get("x-fieldrep-protocol"))
            if refusal is not None:  # before any other complaint: nothing else is read
                return FastJSON({"error": refusal[1]}, status_code=refusal[0])
        status, payload = _validation_message(exc)
        return FastJSON(payload, status_code=status)

    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes)
    app.add_middleware(BodyLimit, default=settings.max_body_bytes,
                       overrides={"/api/v1/admin/import": settings.max_import_bytes,
                                  integration.BULK_PATH: settings.max_import_bytes})
    app.add_middleware(SecurityHeaders)  # outermost: also on BodyLimit's own refusals
    return app


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers (settings from the environment)."""
    return create_app(load_settings())
