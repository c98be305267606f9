"""A sync ends within its deadline against a server that never answers, Cancel acts at once,
and every message is in words with what to do: no row data, no Python reprs.

The silent server is a real TCP socket on 127.0.0.1 that accepts connections and never sends
a byte (as a hung proxy or a stopped process behind a live port does). The crafted peers are
small real HTTP servers that answer what a broken or a wrong server answers.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services import accounts as account_service
from app.store.database import Database, open_database
from app.sync import state
from app.sync.client import DEADLINE_S, RetryPolicy, SyncClient
from app.sync.errors import MalformedReplyError, OfflineError, ServerError, SyncCancelledError
from app.sync.push import pending_count
from app.sync.run import SyncState, sync_once
from tests.factories import make_world
from tests.server.conftest import Live

SECRET = "+49 89 SECRET-PHONE"  # row data that must never appear in a message


class SilentServer:
    """Accepts every connection and never answers (nor closes)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self.accepted:
            conn.close()
        self.sock.close()


class Crafted:
    """An HTTP server answering every request with one status and JSON body."""

    def __init__(self, status: int, body: Callable[[dict[str, Any]], Any]) -> None:
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                sent = json.loads(self.rfile.read(length) or b"{}")
                data = json.dumps(body(sent)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                outer.requests += 1

            do_GET = do_POST = _answer  # noqa: N815 - the handler's protocol

            def log_message(self, *_args: Any) -> None:
                pass

        self.requests = 0
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def laptop(tmp_path: Path, template_db: Path) -> Iterator[Database]:
    """A synced replica with one unsent contact edit (row data that must stay unsaid)."""
    import shutil

    shutil.copy(template_db, tmp_path / "fieldrep.sqlite")
    db = open_database(tmp_path / "fieldrep.sqlite")
    with db.write() as session:
        session.info["from_server"] = True  # arrived by sync
        account = make_world(session).doctor.id
    with db.write() as session:
        account_service.update_contact(session, None, account, email=None, phone=SECRET,
                                       notes="private notes")
    yield db
    db.close()


def client(url: str, **options: Any) -> SyncClient:
    options.setdefault("retry", RetryPolicy(attempts=5, base_s=0.05))
    made = SyncClient(url, device_id="laptop-1", **options)
    made.token = "a-token"
    return made


def last_error(db: Database) -> str | None:
    with db.read() as session:
        return state.get(session.connection(), state.LAST_ERROR)


def assert_in_words(message: str) -> None:
    assert SECRET not in message and "private notes" not in message
    assert not any(mark in message for mark in ("{", "}", "[", "]", "':", "Error(", "<",
                                                 "None", "True"))


def test_a_silent_server_ends_the_sync_within_the_deadline(
        laptop: Database, silent: SilentServer) -> None:
    waiting: list[tuple[str, int, int | None]] = []
    watch = SyncState(listener=lambda *a: waiting.append(a))
    before = pending_count(laptop)
    started = time.monotonic()
    with pytest.raises(OfflineError) as failed:
        sync_once(laptop, client(silent.url, deadline_s=3.0), watch)
    took = time.monotonic() - started
    assert 3.0 <= took < 4.5, took  # not 5 tries of a minute
    assert pending_count(laptop) == before  # the outbox is intact
    message = str(failed.value)
    assert "did not answer for 3 seconds" in message and "next sync" in message
    assert last_error(laptop) == message
    assert_in_words(message)
    assert ("waiting", 2, 3) in waiting  # the status bar's "waiting for the server"


def test_the_deadline_is_thirty_seconds_by_default() -> None:
    assert DEADLINE_S == 30.0
    assert SyncClient("http://127.0.0.1:9", device_id="x").deadline_s == 30.0


@pytest.mark.slow
def test_a_silent_server_ends_the_default_sync_within_thirty_seconds(
        laptop: Database, silent: SilentServer) -> None:
    started = time.monotonic()
    with pytest.raises(OfflineError):
        sync_once(laptop, client(silent.url, retry=RetryPolicy()))  # the default tries
    assert time.monotonic() - started < DEADLINE_S + 3


def test_cancel_stops_a_sync_waiting_for_a_silent_server_at_once(
        laptop: Database, silent: SilentServer) -> None:
    watch = SyncState()
    before = pending_count(laptop)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            sync_once(laptop, client(silent.url), watch)
        except BaseException as exc:  # the test reads it below
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    while not silent.accepted:  # the push request is on its way
        time.sleep(0.02)
    time.sleep(0.3)
    cancelled_at = time.monotonic()
    watch.cancel()
    worker.join(5)
    assert not worker.is_alive()
    assert time.monotonic() - cancelled_at < 1.0
    assert len(outcome) == 1 and isinstance(outcome[0], SyncCancelledError)
    assert pending_count(laptop) == before


def test_a_bad_push_result_is_said_in_words_and_stored_so(laptop: Database) -> None:
    def answer(sent: dict[str, Any]) -> Any:  # echoes the rows back in a broken result
        return {"results": [{"mutation_id": m["mutation_id"], "status": "weird",
                             "row": m["fields"]} for m in sent.get("mutations", [])]}

    peer = Crafted(200, answer)
    try:
        with pytest.raises(MalformedReplyError) as failed:
            sync_once(laptop, client(peer.url))
    finally:
        peer.close()
    message = str(failed.value)
    assert message.startswith("The server's answer could not be read")
    assert "support team" in message
    assert_in_words(message)
    assert last_error(laptop) == message


def test_a_bad_page_is_said_in_words(laptop: Database) -> None:
    def answer(sent: dict[str, Any]) -> Any:
        if "mutations" in sent:
            return {"results": [{"mutation_id": m["mutation_id"], "status": "applied",
                                 "version": 1} for m in sent["mutations"]]}
        return {"changes": [{"entity": "accounts", "row": {"phone": SECRET}}],
                "cursor": "1", "more": False}

    peer = Crafted(200, answer)
    try:
        with pytest.raises(MalformedReplyError) as failed:
            sync_once(laptop, client(peer.url))
    finally:
        peer.close()
    assert_in_words(str(failed.value))
    assert last_error(laptop) == str(failed.value)


def test_a_404_on_the_api_says_the_address_is_probably_wrong(
        laptop: Database, live: Live) -> None:
    wrong = live.base + "/fieldrep"  # a real Fieldrep server, but not at this address
    with pytest.raises(ServerError) as failed:
        sync_once(laptop, client(wrong))
    message = str(failed.value)
    assert "address is probably wrong" in message and "Settings" in message
    assert_in_words(message)


@pytest.mark.parametrize("status", [500, 503])
def test_server_failures_say_what_to_do(laptop: Database, status: int) -> None:
    peer = Crafted(status, lambda _sent: {"error": "Traceback: KeyError('phone')"})
    try:
        with pytest.raises(ServerError) as failed:
            sync_once(laptop, client(peer.url, retry=RetryPolicy(attempts=2, base_s=0.01)))
    finally:
        peer.close()
    message = str(failed.value)
    assert f"error {status}" in message and "support team" in message
    assert "Traceback" not in message and "KeyError" not in message
