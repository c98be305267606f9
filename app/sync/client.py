"""One HTTP client for the sync server, wrapping a `requests.Session` (Anki's httpclient).

Why one class: the protocol headers, timeouts, retries and error mapping are the same for
every endpoint, and a single place keeps a request from ever going out without the protocol
version (docs/sync-protocol.md, "Every request"). Retries with exponential back-off and full
jitter cover network errors and 5xx only: the protocol makes push idempotent (mutation ids)
and pull a plain read, so sending either again is always safe. The sleep and the random
source are injectable, so tests exercise back-off without waiting.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from app.contract import PROTOCOL_VERSION
from app.store.schema import HEAD
from app.sync import transport
from app.sync.errors import (
    AuthRequiredError,
    MalformedReplyError,
    OfflineError,
    ProtocolMismatchError,
    ServerError,
    SyncCancelledError,
)

PUSH_PATH = "/api/v1/sync/push"
PULL_PATH = "/api/v1/sync/pull"
LOGIN_PATH = "/api/v1/login"

#: (bytes sent, bytes received) after each request: the hook of Anki's httpclient.
ByteHook = Callable[[int, int], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed request is sent again.

    Full jitter (a random wait in [0, min(cap, base * 2**n)]) spreads a fleet of laptops that
    all lost the server at once, so they do not come back in lock-step.
    """

    attempts: int = 5
    base_s: float = 0.5
    cap_s: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        return rng.uniform(0.0, min(self.cap_s, self.base_s * 2 ** attempt))


class SyncClient:
    """Talks the sync protocol to one server for one device.

    `token` may be set later (after a login). `cancelled` is polled before each attempt and
    each back-off, so a cancel never waits for the whole retry budget.
    """

    def __init__(
        self,
        base_url: str,
        *,
        device_id: str,
        token: str | None = None,
        timeout: tuple[float, float] = (5.0, 60.0),
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        on_bytes: ByteHook | None = None,
        cancelled: Callable[[], bool] | None = None,
        schema: str = HEAD,
        ca_bundle: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self.token = token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.on_bytes = on_bytes
        self.cancelled = cancelled
        self.schema = schema
        self.session = requests.Session()
        transport.secure(self.session, ca_bundle)  # TLS only, verified (app/sync/transport.py)
        # requests asks for gzip and inflates it transparently; the server gzips large pages.
        self.session.headers.update({
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
            "X-Fieldrep-Protocol": str(PROTOCOL_VERSION),
            "X-Fieldrep-Schema": schema,
            "X-Device-Id": device_id,
            "User-Agent": "Fieldrep-sync/1",
        })
        self.retries_made = 0  # for reports and tests

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # The protocol's three calls ------------------------------------------------------------

    def login(self, username: str, password: str) -> dict[str, Any]:
        """A new token for this device; never retried on 401 (a wrong password is final)."""
        reply = self.request("POST", LOGIN_PATH, body={
            "username": username, "password": password, "device_id": self.device_id},
            auth=False)
        for key in ("token", "user_id"):
            if not isinstance(reply.get(key), str):
                raise MalformedReplyError(f"The server's login answer has no {key}.")
        return reply

    def push(self, mutations: list[dict[str, Any]]) -> dict[str, Any]:
        return self.request("POST", PUSH_PATH, body={"mutations": mutations})

    def pull(self, cursor: str | None, limit: int, *, verify: bool = False,
             only: str | None = None) -> dict[str, Any]:
        """A page after `cursor`; `verify` asks for the checkpoint on the last page, `only`
        pages through one entity (a resync)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        if verify:
            params["verify"] = "true"
        if only is not None:
            params["only"] = only
        return self.request("GET", PULL_PATH, params=params)

    # The machinery --------------------------------------------------------------------------

    def request(self, method: str, path: str, *, body: Any = None,
                params: Mapping[str, Any] | None = None, auth: bool = True) -> dict[str, Any]:
        """Send with retries; the decoded JSON object, or a typed SyncError."""
        headers: dict[str, str] = {}
        if auth:
            if not self.token:
                raise AuthRequiredError("Please log in again: enter your password to sync.")
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = orjson.dumps(body)
            headers["Content-Type"] = "application/json"
        attempt = 0
        delivered = False  # whether any attempt so far may have reached the server
        while True:
            self._check_cancelled(delivered)
            try:
                return self._once(method, path, data, params, headers)
            except (OfflineError, ServerError) as exc:
                delivered = delivered or exc.maybe_delivered
                retriable = isinstance(exc, OfflineError) or exc.status >= 500
                attempt += 1
                if not retriable or attempt >= self.retry.attempts:
                    exc.maybe_delivered = delivered
                    raise
                self.retries_made += 1
                self._check_cancelled(delivered)
                self.sleep(self.retry.delay(attempt - 1, self.rng))

    def _check_cancelled(self, delivered: bool) -> None:
        if self.cancelled is not None and self.cancelled():
            error = SyncCancelledError("The sync was cancelled.")
            error.maybe_delivered = delivered
            raise error

    def _once(self, method: str, path: str, data: bytes | None,
              params: Mapping[str, Any] | None, headers: dict[str, str]) -> dict[str, Any]:
        url = self.base_url + path
        try:
            response = self.session.request(method, url, data=data, params=params,
                                            headers=headers, timeout=self.timeout)
            content = response.content  # reads the whole body: a cut body fails here
        except requests.ConnectionError as exc:
            error = OfflineError(f"The server {self.base_url} cannot be reached ({_why(exc)}).")
            # Refused before anything was sent: the server cannot have read the request.
            error.maybe_delivered = _maybe_sent(exc)
            raise error from exc
        except requests.Timeout as exc:
            raise OfflineError(f"The server {self.base_url} did not answer in time.") from exc
        except requests.RequestException as exc:  # ChunkedEncodingError, ContentDecodingError
            raise OfflineError(f"The connection to {self.base_url} broke off ({_why(exc)}).") \
                from exc
        if self.on_bytes is not None:
            self.on_bytes(len(data or b""), len(content))
        return self._decode(response, content)

    def _decode(self, response: requests.Response, content: bytes) -> dict[str, Any]:
        status = response.status_code
        try:
            reply = orjson.loads(content) if content else None
        except orjson.JSONDecodeError:
            reply = None
            if status < 400:
                raise MalformedReplyError(
                    "The server's answer could not be read (not valid JSON); nothing was "
                    "changed on this laptop.") from None
        words = reply.get("error") if isinstance(reply, dict) else None
        words = words if isinstance(words, str) else None
        if status == 426:
            raise ProtocolMismatchError(
                words or "This Fieldrep is too old for the server: please update Fieldrep.",
                client_too_old=True)
        if status == 409 and words is not None and "older" in words:
            raise ProtocolMismatchError(words, client_too_old=False)
        if status == 401:
            raise AuthRequiredError(
                "Please log in again: your session has ended"
                + (f" ({words})." if words else "."))
        if status >= 400:
            raise ServerError(
                f"The server answered {status}" + (f": {words}" if words else "."),
                status=status)
        if not isinstance(reply, dict):
            raise MalformedReplyError(
                "The server's answer is not a JSON object; nothing was changed on this laptop.")
        return reply


def _why(exc: BaseException) -> str:
    text = str(exc)
    for marker in ("Connection refused", "timed out", "RemoteDisconnected", "IncompleteRead",
                   "Connection reset", "Connection aborted"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


def _maybe_sent(exc: requests.ConnectionError) -> bool:
    """False only when no connection was made (refused, no route, unknown host): then the
    server cannot have read the request. Anything else may have reached it."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, NewConnectionError | ConnectionRefusedError | NameResolutionError):
            return False
        reason = getattr(e, "reason", None)
        todo.extend(x for x in (*e.args, reason, e.__cause__, e.__context__)
                    if isinstance(x, BaseException))
    return True
