"""A small sync server that speaks docs/sync-protocol.md over real HTTP on 127.0.0.1.

Test infrastructure, not a mock of our code: a peer that stores pushed mutations
idempotently, merges fields against the base version, serves pull pages after a cursor,
revokes accounts, and injects the faults a real network and server produce (a dropped
request, an answer lost after the commit, 500s, malformed JSON, a wrong protocol version, a
timeout, a page cut mid-body). The real server (server/) is built apart; this one lets the
client be tested before it exists, and keeps every fault deterministic.

State lives in plain dicts under one lock; versions come from one change sequence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.contract import ENTITIES, PROTOCOL_VERSION, Entity, Merge, Wins, lock_of
from app.store.models import Base
from app.wire_schema import PULL_PAGE, PUSH_REPLY, PUSH_REQUEST

#: A field a new row leaves out gets what the real server's database stores: the column's
#: default where the database fills one in (`interactions.not_received`: false), else NULL.
NOT_NULL_DEFAULTS = {
    (entity, column.name): column.default.arg  # type: ignore[union-attr]
    for entity in ENTITIES if entity in Base.metadata.tables
    for column in Base.metadata.tables[entity].c
    if column.name in ENTITIES[entity].fields and column.server_default is not None
    and not column.nullable and getattr(column.default, "is_scalar", False)}
REJECT_MARK = "REJECT ME"  # a field value the server refuses (a business rejection)
_ORDER = {name: i for i, name in enumerate(ENTITIES)}
FAULTS = {"drop_request", "drop_response", "500", "malformed", "old_client", "new_client",
          "timeout", "cut", "cut_close", "401", "410", "bad_checkpoint"}


@dataclass
class Stored:
    entity: str
    values: dict[str, Any]  # id, version, deleted and the entity's fields
    #: field -> (version, device) of its last write; a device's own earlier write is not
    #: concurrent with its later one (as server/sync/merge.py). Server-side writes: None.
    field_versions: dict[str, tuple[int, str | None]] = field(default_factory=dict)


class ProtocolServer:
    """Start with `start()`, stop with `stop()`; `url` is the base URL once started."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.seq = 0
        self.rows: dict[tuple[str, str], Stored] = {}
        self.results: dict[str, dict[str, Any]] = {}  # mutation id -> its first result
        self.applied: list[str] = []  # mutation ids in the order they were applied
        self.conflict_log: list[dict[str, Any]] = []
        self.revocations: list[tuple[int, str]] = []
        self.out_of_scope: set[str] = set()
        self.users: dict[str, tuple[str, str]] = {}  # username -> (password, user id)
        self.tokens: dict[str, str] = {}  # token -> user id
        self.faults: deque[tuple[str, str]] = deque()  # (endpoint, kind), FIFO
        self.requests: list[tuple[str, str]] = []
        self.pull_queries: list[tuple[str, str]] = []  # (method, query string) of pulls
        self.release = threading.Event()  # what a "timeout" fault waits for
        self.clock_offset = dt.timedelta(0)  # the server's clock against this machine's
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.connections: set[socket.socket] = set()  # open keep-alive connections
        self.url = ""

    # Running -------------------------------------------------------------------------------

    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"peer": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        return self.url

    def stop(self) -> None:
        """Stop serving and end every connection's thread: a keep-alive connection the
        laptop has not closed yet would keep its handler thread waiting for a next request."""
        self.release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)
        for connection in list(self.connections):
            with contextlib.suppress(OSError):  # closed meanwhile
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + 5
        while self.connections and time.monotonic() < deadline:
            time.sleep(0.01)

    # Arranging -----------------------------------------------------------------------------

    def add_user(self, username: str, password: str, user_id: str) -> None:
        self.users[username] = (password, user_id)

    def issue_token(self, user_id: str) -> str:
        token = secrets.token_urlsafe(16)
        self.tokens[token] = user_id
        return token

    def expire_tokens(self) -> None:
        self.tokens.clear()

    def fault(self, endpoint: str, kind: str, times: int = 1) -> None:
        """Inject `kind` into the next `times` requests to `endpoint` (push, pull, login)."""
        assert kind in FAULTS, kind
        self.faults.extend([(endpoint, kind)] * times)

    def write(self, entity: str, values: dict[str, Any]) -> int:
        """A change made on the server side (seed data, another rep): a new version."""
        with self.lock:
            self.seq += 1
            key = (entity, values["id"])
            stored = self.rows.get(key)
            if stored is None:
                full = {name: NOT_NULL_DEFAULTS.get((entity, name))
                        for name in ENTITIES[entity].fields}
                full.update({"deleted": False})
                stored = self.rows[key] = Stored(entity, full)
            stored.values.update(values)
            stored.values["version"] = self.seq
            for name in values:
                stored.field_versions[name] = (self.seq, None)
            return self.seq

    def revoke(self, account_id: str) -> None:
        with self.lock:
            self.seq += 1
            self.out_of_scope.add(account_id)
            self.revocations.append((self.seq, account_id))

    def row(self, entity: str, row_id: str) -> dict[str, Any] | None:
        stored = self.rows.get((entity, row_id))
        return dict(stored.values) if stored else None

    # Scope ---------------------------------------------------------------------------------

    def account_of(self, entity: str, values: dict[str, Any]) -> str | None:
        if entity == "accounts":
            return str(values["id"])
        if values.get("account_id"):
            return str(values["account_id"])
        if values.get("hcp_id"):
            return str(values["hcp_id"])
        parent = values.get("interaction_id")
        if parent:
            call = self.rows.get(("interactions", parent))
            return call.values.get("account_id") if call else None
        return None

    def in_scope(self, entity: str, values: dict[str, Any]) -> bool:
        return self.account_of(entity, values) not in self.out_of_scope

    def live_checkpoint(self) -> dict[str, list[int]]:
        """[live rows in scope, sum of their versions] per entity, as the real server."""
        out = {name: [0, 0] for name in ENTITIES}
        for s in self.rows.values():
            if not s.values["deleted"] and self.in_scope(s.entity, s.values):
                out[s.entity][0] += 1
                out[s.entity][1] += s.values["version"]
        return out

    # Push ----------------------------------------------------------------------------------

    def push(self, mutations: list[dict[str, Any]], device: str = "") -> dict[str, Any]:
        with self.lock:
            return {"results": [self._one(m, device) for m in mutations],
                    "server_time": (dt.datetime.now(dt.UTC) + self.clock_offset).isoformat()}

    def _reject(self, m: dict[str, Any], reason: str) -> dict[str, Any]:
        stored = self.rows.get((m["entity"], m["row_id"]))
        return {"mutation_id": m["mutation_id"], "status": "rejected",
                "version": stored.values["version"] if stored else None,
                "row": dict(stored.values) if stored else None, "conflicts": [],
                "reason": reason}

    def _locked(self, entity: str, stored: Stored | None) -> bool:
        """A stored row whose lock (or whose parent's) holds (`app.contract.Lock`)."""
        found = lock_of(entity)
        if found is None or stored is None:
            return False
        owner, lock = found
        if owner.name == entity:
            return lock.holds(stored.values.get(lock.field))
        ref = ENTITIES[entity].parent_ref
        parent = self.rows.get((owner.name, stored.values.get(ref.column) or "")) if ref else None
        return parent is not None and lock.holds(parent.values.get(lock.field))

    def _one(self, m: dict[str, Any], device: str) -> dict[str, Any]:
        first = self.results.get(m["mutation_id"])
        if first is not None:
            # As the real server: the first answer again, "duplicate" unless it was a rejection.
            return {**first, "status": "duplicate"} if first["status"] != "rejected" else first
        result = self._decide(m, device)
        self.results[m["mutation_id"]] = result
        return result

    def _decide(self, m: dict[str, Any], device: str) -> dict[str, Any]:
        entity = ENTITIES.get(m["entity"])
        if entity is None or entity.merge is Merge.SERVER_OWNED:
            return self._reject(m, f"{m['entity']} rows are kept by the server")
        key = (entity.name, m["row_id"])
        stored = self.rows.get(key)
        fields: dict[str, Any] = m["fields"]
        probe = {"id": m["row_id"], **(stored.values if stored else {}), **fields}
        if not self.in_scope(entity.name, probe):
            return self._reject(m, "this account is no longer in your territory")
        if entity.merge is Merge.APPEND_ONLY and stored is not None:
            return self._reject(m, "this record cannot be changed")
        if entity.merge is Merge.LOCK_ON_SUBMIT and self._locked(entity.name, stored):
            return self._reject(m, "submitted calls are locked")
        if REJECT_MARK in fields.values():
            return self._reject(m, "the server refuses this value")
        self.seq += 1
        if stored is None:
            values = dict.fromkeys(entity.fields)
            values.update({"id": m["row_id"], "deleted": False})
            stored = self.rows[key] = Stored(entity.name, values)
        conflicts = []
        if m["op"] == "delete":
            stored.values["deleted"] = True
            stored.field_versions["deleted"] = (self.seq, device)
        else:
            for name, mine in fields.items():
                if name not in entity.fields:
                    continue
                theirs = stored.values.get(name)
                last, writer = stored.field_versions.get(name, (0, None))
                if last > m["base_version"] and writer != device and theirs != mine:
                    kept = _kept(entity, name, fields, stored.values)
                    conflicts.append({"field": name, "mine": mine, "theirs": theirs,
                                      "kept": kept})
                    self.conflict_log.append({"mutation_id": m["mutation_id"],
                                              "row_id": m["row_id"], "field": name,
                                              "loser": theirs if kept == "mine" else mine})
                    if kept == "theirs":
                        continue
                if theirs != mine:
                    stored.values[name] = mine
                    stored.field_versions[name] = (self.seq, device)
            if stored.values["deleted"]:  # a revived tombstone
                stored.values["deleted"] = False
                stored.field_versions["deleted"] = (self.seq, device)
        stored.values["version"] = self.seq
        self.applied.append(m["mutation_id"])
        return {"mutation_id": m["mutation_id"], "status": "conflict" if conflicts else "applied",
                "version": self.seq, "row": dict(stored.values), "conflicts": conflicts,
                "reason": None}

    # Pull ----------------------------------------------------------------------------------

    def pull(self, cursor: str | None, limit: int, *, bad_checkpoint: bool = False,
             verify: bool = False, only: str | None = None) -> dict[str, Any]:
        with self.lock:
            after = int(cursor or 0)
            changed = sorted(
                (s for s in self.rows.values()
                 if s.values["version"] > after and self.in_scope(s.entity, s.values)
                 and only in (None, s.entity)),
                key=lambda s: (s.values["version"], _ORDER[s.entity], s.values["id"]))
            page = changed[:limit]
            more = len(changed) > limit
            upto = page[-1].values["version"] if more else self.seq
            revoked = [{"entity": "accounts", "id": a} for seq, a in self.revocations
                       if after < seq <= upto and only is None]
            checkpoint = None
            if not more and (verify or bad_checkpoint):
                checkpoint = {k: v for k, v in self.live_checkpoint().items() if v[0]}
                if bad_checkpoint:
                    count, total = checkpoint.get("accounts", [0, 0])
                    checkpoint["accounts"] = [count + 1, total]
            return {"changes": [{"entity": s.entity, "row": dict(s.values)} for s in page],
                    "revoked": revoked, "cursor": str(upto), "more": more,
                    "checkpoint": checkpoint}

    def take_fault(self, endpoint: str) -> str | None:
        with self.lock:
            if self.faults and self.faults[0][0] == endpoint:
                return self.faults.popleft()[1]
            return None


class _Handler(BaseHTTPRequestHandler):
    peer: ProtocolServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read the peer's state, not its log

    def setup(self) -> None:
        super().setup()
        self.peer.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.peer.connections.discard(self.connection)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _send(self, status: int, payload: Any, *, raw: bytes | None = None,
              cut: str | None = None) -> None:
        body = raw if raw is not None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 512 and not cut:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if cut == "cut_close":
                self.send_header("Connection", "close")  # no length: the body ends at close
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if cut:
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
            else:
                self.wfile.write(body)
        except OSError:
            self.close_connection = True

    def _serve(self, method: str) -> None:
        peer = self.peer
        url = urlsplit(self.path)
        endpoint = url.path.rsplit("/", 1)[-1]
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        peer.requests.append((method, endpoint))
        if endpoint == "pull":
            peer.pull_queries.append((method, url.query))
        fault = peer.take_fault(endpoint)
        if fault == "drop_request":
            self.close_connection = True
            return
        if fault == "timeout":
            peer.release.wait(10)
            self.close_connection = True
            return
        if fault == "500":
            return self._send(500, {"error": "internal server error"})
        if fault == "401":
            return self._send(401, {"error": "invalid, expired or revoked token: log in again"})
        if fault == "410":  # the server's wipe order (server/api/common.py)
            return self._send(410, {"error": "this device was revoked"})
        if fault == "old_client":
            return self._send(426, {"error": "This Fieldrep is too old for the server: "
                                             "please update Fieldrep."})
        if fault == "new_client":
            return self._send(409, {"error": "This Fieldrep is newer than the server: the "
                                             "server is older and must be updated first."})
        if endpoint == "login":
            body = json.loads(data)
            user = peer.users.get(body.get("username", ""))
            if user is None or user[0] != body.get("password"):
                return self._send(401, {"error": "invalid user name or password"})
            token = peer.issue_token(user[1])
            return self._send(200, {"token": token, "expires_at": "2026-12-01T00:00:00Z",
                                    "user_id": user[1], "role": "rep"})
        version = self.headers.get("X-Fieldrep-Protocol")
        if version != str(PROTOCOL_VERSION):
            if version is None or not version.isdigit() or int(version) < PROTOCOL_VERSION:
                return self._send(426, {"error": "update Fieldrep"})
            return self._send(409, {"error": "the server is older"})
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in peer.tokens:
            return self._send(401, {"error": "invalid, expired or revoked token: log in again"})
        if fault == "malformed":
            return self._send(200, None, raw=b'{"results": [{"mutation_id": ')
        # What goes in and out is the protocol's type (app/wire_schema.py), as on the server.
        if endpoint == "push" and method == "POST":
            body = PUSH_REQUEST.validate_python(json.loads(data))
            reply = PUSH_REPLY.validate_python(peer.push(body["mutations"],
                                                         self.headers.get("X-Device-Id", "")))
        elif endpoint == "pull" and method == "GET":
            query = parse_qs(url.query)
            reply = PULL_PAGE.validate_python(peer.pull(
                query.get("cursor", [None])[0], int(query.get("limit", ["5000"])[0]),
                bad_checkpoint=fault == "bad_checkpoint",
                verify=query.get("verify", [""])[0] == "true", only=query.get("only", [None])[0]))
        else:
            return self._send(404, {"error": "no such endpoint"})
        if fault == "drop_response":
            self.close_connection = True  # committed above; the answer never arrives
            return None
        return self._send(200, reply, cut=fault if fault in ("cut", "cut_close") else None)


def _kept(entity: Entity, name: str, mine: dict[str, Any], theirs: dict[str, Any]) -> str:
    """Who wins a conflicting field, as the contract declares (server/sync/merge.py)."""
    wins = entity.winner(name)
    if wins is Wins.NEWEST and entity.newest_by is not None:
        ours, other = mine.get(entity.newest_by), theirs.get(entity.newest_by)
        return "mine" if other is None or (ours is not None and ours >= other) else "theirs"
    return "mine" if wins is Wins.REP else "theirs"
