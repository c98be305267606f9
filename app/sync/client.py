"""One HTTP client for the sync server, wrapping a `requests.Session` (Anki's httpclient).

Why one class: the protocol headers, timeouts, retries and error mapping are the same for
every endpoint, and a single place keeps a request from ever going out without the protocol
version (docs/sync-protocol.md, "Every request"). Retries with exponential back-off and full
jitter cover network errors and 5xx only: the protocol makes push idempotent (mutation ids)
and pull a plain read, so sending either again is always safe. The sleep and the random
source are injectable, so tests exercise back-off without waiting.

Why a deadline besides the timeouts: a server that accepts the connection and never answers
held a sync for five tries of a minute each (306 s) before the rep heard of it. Now a sync
gives up when one request has had no answer for `deadline_s` (30 s by default) in all,
across tries and back-off; every answer starts that time again, so a long sync that makes
progress is never cut, and time spent applying pages on the laptop never counts. Each
request waits on a helper thread while the sync's thread watches Cancel and the time, so
Cancel stops at once even mid-request, and after a few seconds of silence `on_wait` tells
the status bar "waiting for the server".
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from app.contract import PROTOCOL_VERSION
from app.i18n import tr
from app.store.schema import HEAD
from app.sync import errors as say
from app.sync import transport
from app.sync.errors import (
    AuthRequiredError,
    MalformedReplyError,
    OfflineError,
    ProtocolMismatchError,
    ServerError,
    SyncCancelledError,
)

log = logging.getLogger(__name__)

PUSH_PATH = "/api/v1/sync/push"
PULL_PATH = "/api/v1/sync/pull"
LOGIN_PATH = "/api/v1/login"

#: (bytes sent, bytes received) after each request: the hook of Anki's httpclient.
ByteHook = Callable[[int, int], None]
#: Seconds waited so far for an answer (after WAIT_SHOWN_AFTER_S), then None when it came.
WaitHook = Callable[[float | None], None]

#: A sync stops when the server has sent nothing for this long (across tries).
DEADLINE_S = 30.0
#: Silence longer than this is reported through `on_wait` (once a second).
WAIT_SHOWN_AFTER_S = 2.0
#: How often the waiting thread looks at Cancel and the clock.
POLL_S = 0.1


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
        deadline_s: float = DEADLINE_S,
        on_wait: WaitHook | None = None,
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
        self.deadline_s = deadline_s
        self.on_wait = on_wait
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

    def _remaining(self, since: float) -> float:
        """Seconds left of the deadline for a request first sent at `since`."""
        return self.deadline_s - (time.monotonic() - since)

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
                raise MalformedReplyError(say.unreadable(tr("the login answer lacks a part")))
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
                raise AuthRequiredError(say.log_in_again())
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = orjson.dumps(body)
            headers["Content-Type"] = "application/json"
        attempt = 0
        delivered = False  # whether any attempt so far may have reached the server
        since = time.monotonic()
        while True:
            self._check_cancelled(delivered)
            self._check_deadline(since, delivered)
            try:
                return self._once(method, path, data, params, headers, since)
            except (OfflineError, ServerError) as exc:
                delivered = delivered or exc.maybe_delivered
                # "Ask again in n seconds" (429) is waited for when the deadline allows it;
                # a longer wait (a throttled login) is the answer itself.
                told = exc.retry_after if isinstance(exc, ServerError) else None
                retriable = isinstance(exc, OfflineError) or exc.status >= 500 or (
                    told is not None and told < self._remaining(since))
                attempt += 1
                if not retriable or attempt >= self.retry.attempts:
                    exc.maybe_delivered = delivered
                    raise
                self.retries_made += 1
                self._check_cancelled(delivered)
                self._check_deadline(since, delivered)
                wait = told if told is not None else self.retry.delay(attempt - 1, self.rng)
                self.sleep(min(wait, max(self._remaining(since), 0.0)))

    def _check_cancelled(self, delivered: bool) -> None:
        if self.cancelled is not None and self.cancelled():
            error = SyncCancelledError(say.cancelled())
            error.maybe_delivered = delivered
            raise error

    def _check_deadline(self, since: float, delivered: bool) -> None:
        if self._remaining(since) <= 0:
            log.warning("no answer from the server within the deadline of %d s",
                        self.deadline_s)
            error = OfflineError(say.no_answer(self.base_url, self.deadline_s))
            error.maybe_delivered = delivered
            raise error

    def _once(self, method: str, path: str, data: bytes | None,
              params: Mapping[str, Any] | None, headers: dict[str, str],
              since: float) -> dict[str, Any]:
        url = self.base_url + path
        left = max(self._remaining(since), 0.01)
        timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
        try:
            response, content = self._wait_for(lambda: self._send(
                method, url, data, params, headers, timeout))
        except requests.ConnectionError as exc:
            error = OfflineError(say.unreachable(self.base_url, _why(exc)))
            # Refused before anything was sent: the server cannot have read the request.
            error.maybe_delivered = _maybe_sent(exc)
            raise error from exc
        except requests.Timeout as exc:
            log.warning("a request timed out (%s %s)", method, path.split("?", 1)[0])
            raise OfflineError(say.no_answer(self.base_url, self.deadline_s)) from exc
        except requests.RequestException as exc:  # ChunkedEncodingError, ContentDecodingError
            raise OfflineError(say.broke_off(self.base_url, _why(exc))) from exc
        if self.on_bytes is not None:
            self.on_bytes(len(data or b""), len(content))
        return self._decode(response, content)

    def _send(self, method: str, url: str, data: bytes | None,
              params: Mapping[str, Any] | None, headers: dict[str, str],
              timeout: tuple[float, float]) -> tuple[requests.Response, bytes]:
        response = self.session.request(method, url, data=data, params=params,
                                        headers=headers, timeout=timeout)
        return response, response.content  # reads the whole body: a cut body fails here

    def _wait_for(self, send: Callable[[], tuple[requests.Response, bytes]]
                  ) -> tuple[requests.Response, bytes]:
        """Run `send` on a helper thread; meanwhile watch Cancel and report the wait.

        A cancelled request is left to end by its own timeout (at most the deadline) on its
        daemon thread; its answer is dropped, and the mutations it carried stay frozen and
        are sent again (the server answers a repeat with its first answer)."""
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["answer"] = send()
            except BaseException as exc:  # handed to the waiting thread
                box["error"] = exc

        started = time.monotonic()
        worker = threading.Thread(target=run, name="fieldrep-sync-request", daemon=True)
        worker.start()
        told = 0.0
        while worker.is_alive():
            worker.join(POLL_S)
            self._check_cancelled(True)
            waited = time.monotonic() - started
            if self.on_wait is not None and waited >= WAIT_SHOWN_AFTER_S and waited - told >= 1:
                told = waited
                self.on_wait(waited)
        if told and self.on_wait is not None:
            self.on_wait(None)
        if "error" in box:
            raise box["error"]
        answer: tuple[requests.Response, bytes] = box["answer"]
        return answer

    def _decode(self, response: requests.Response, content: bytes) -> dict[str, Any]:
        status = response.status_code
        try:
            reply = orjson.loads(content) if content else None
        except orjson.JSONDecodeError:
            reply = None
            if status < 400:
                raise MalformedReplyError(say.unreadable(tr("it is not valid JSON"))) \
                    from None
        words = reply.get("error") if isinstance(reply, dict) else None
        words = words if isinstance(words, str) else None
        if status == 426:
            raise ProtocolMismatchError(
                words or tr("This Fieldrep is too old for the server: please update "
                                "Fieldrep."), client_too_old=True)
        if status == 409 and words is not None and "older" in words:
            raise ProtocolMismatchError(words, client_too_old=False)
        if status == 401:
            raise AuthRequiredError(say.log_in_again(words))
        if status == 404 and (words or "not found").strip().lower() == "not found":
            # Not Fieldrep's own words (it names what it did not find): no such API here.
            raise ServerError(say.wrong_address(self.base_url), status=status)
        if status >= 500:
            raise ServerError(say.server_failed(status), status=status)
        if status >= 400:
            raise ServerError(say.server_refused(status, words), status=status,
                              retry_after=_retry_after(response) if status == 429 else None)
        if not isinstance(reply, dict):
            raise MalformedReplyError(say.unreadable(tr("it is not a JSON object")))
        return reply


def _retry_after(response: requests.Response) -> float | None:
    """The seconds of a Retry-After header (its date form is not used by the server)."""
    raw = response.headers.get("Retry-After", "").strip()
    return float(raw) if raw.isdigit() else None


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
