"""An HTTP relay on 127.0.0.1 between the sync client and the real server, injecting the
faults of a real network: a request dropped before the server saw it, an answer dropped
after the server committed, a 500 from a broken gateway, a connection reset mid-body.

Test infrastructure, not a stand-in: every request that is not faulted reaches the real
server process and its answer is passed on byte for byte (gzip included). The upstream can be
switched while running, so the server can be restarted behind a stable address.
"""

from __future__ import annotations

import http.client
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

KINDS = ("drop_request", "drop_response", "500", "reset")
_PASSED = ("Content-Type", "Content-Encoding", "Content-Length")


class FaultProxy:
    """`start()` gives the URL clients use; `fault(endpoint, kind)` queues a fault for the
    next request whose path ends in `endpoint` (push, pull)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.faults: deque[tuple[str, str]] = deque()
        self.injected: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> str:
        handler = type("Handler", (_Relay,), {"proxy": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        return self.url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def fault(self, endpoint: str, kind: str) -> None:
        assert kind in KINDS, kind
        with self.lock:
            self.faults.append((endpoint, kind))

    def take(self, endpoint: str) -> str | None:
        with self.lock:
            for i, (where, kind) in enumerate(self.faults):
                if where == endpoint:
                    del self.faults[i]
                    self.injected.append((where, kind))
                    return kind
        return None


class _Relay(BaseHTTPRequestHandler):
    proxy: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._relay("GET")

    def do_POST(self) -> None:
        self._relay("POST")

    def _relay(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        endpoint = urlsplit(self.path).path.rsplit("/", 1)[-1]
        kind = self.proxy.take(endpoint)
        if kind == "drop_request":
            self.close_connection = True
            return
        if kind == "500":
            self._answer(500, {"Content-Type": "application/json"},
                         b'{"error": "bad gateway"}')
            return
        target = urlsplit(self.proxy.upstream)
        upstream = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port,
                                              timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "connection")}
            upstream.request(method, self.path, body=body, headers=headers)
            reply = upstream.getresponse()
            data = reply.read()
            status = reply.status
            passed = {k: v for k, v in reply.getheaders() if k.title() in _PASSED}
            passed = {k.title(): v for k, v in passed.items()}
        except OSError:
            self.close_connection = True  # the server is down: the client sees a reset
            return
        finally:
            upstream.close()
        if kind == "drop_response":
            self.close_connection = True  # the server committed; the answer is lost
            return
        if kind == "reset":
            passed["Content-Length"] = str(len(data))
            self._answer(status, passed, data[: len(data) // 2])
            self.close_connection = True
            return
        self._answer(status, passed, data)

    def _answer(self, status: int, headers: dict[str, str], data: bytes) -> None:
        try:
            self.send_response(status)
            headers.setdefault("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True
