"""The laptop waits as long as the server asks ("429, Retry-After: n") and asks again, while
its deadline allows; a longer wait (a throttled login) is the answer, given at once.

The peer is a small real HTTP server on 127.0.0.1 that answers a scripted list of statuses,
as the real server does when a device's previous page is still being prepared
(server/sync/device_gate.py)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest

from app.sync.client import RetryPolicy, SyncClient
from app.sync.errors import ServerError


class Scripted:
    """Answers each request with the next (status, Retry-After) of its script, then 200."""

    def __init__(self, script: list[tuple[int, str | None]]) -> None:
        self.script = list(script)
        self.seen = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.seen += 1
                status, after = outer.script.pop(0) if outer.script else (200, None)
                body = {"error": "the server is still preparing this laptop's previous page"} \
                    if status != 200 else {"changes": [], "cursor": "c", "more": False}
                data = json.dumps(body).encode()
                self.send_response(status)
                if after is not None:
                    self.send_header("Retry-After", after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def peer(request: pytest.FixtureRequest) -> Iterator[Scripted]:
    server = Scripted(request.param)
    yield server
    server.close()


def client(url: str, slept: list[float]) -> SyncClient:
    return SyncClient(url, device_id="laptop-1", token="t", retry=RetryPolicy(attempts=5),
                      sleep=slept.append)


@pytest.mark.parametrize("peer", [[(429, "2"), (429, "2")]], indirect=True)
def test_a_busy_answer_is_waited_for_and_asked_again(peer: Scripted) -> None:
    slept: list[float] = []
    with client(peer.url, slept) as sync:
        page = sync.pull(None, 100)
    assert page["cursor"] == "c" and peer.seen == 3
    assert slept == [2.0, 2.0]  # as long as the server asked, not the back-off's guess


@pytest.mark.parametrize("peer", [[(429, "60")]], indirect=True)
def test_a_wait_beyond_the_deadline_is_the_answer_in_words(peer: Scripted) -> None:
    slept: list[float] = []
    with client(peer.url, slept) as sync, pytest.raises(ServerError) as refused:
        sync.pull(None, 100)
    assert peer.seen == 1 and slept == []
    assert refused.value.status == 429 and refused.value.retry_after == 60
    assert "previous page" in str(refused.value)


@pytest.mark.parametrize("peer", [[(429, None)]], indirect=True)
def test_a_refusal_without_retry_after_is_not_repeated(peer: Scripted) -> None:
    slept: list[float] = []
    with client(peer.url, slept) as sync, pytest.raises(ServerError):
        sync.pull(None, 100)
    assert peer.seen == 1
