"""Push: send the outbox in order, in batches, and apply the server's answers.

A mutation leaves the outbox only when the server answered it (applied, duplicate, conflict
or rejected); a lost request or answer only means the same mutation ids are sent again, and
the server answers them with their first result (docs/sync-protocol.md, "Push").

Why a batch never holds two mutations of one row: the answers are adopted in bulk, per
entity (app/sync/adopt.py), which holds only when each row has one answer per batch; and the
second's base version is settled by the first's answer (`adopt.hold_back`). The second keeps
the base version it was made on: the server treats the first's changes as seen because the
same device made them (server/sync/merge.py), and every other device's change since that
base is still merged as a possible conflict (docs/sync-protocol.md, "The guarantee").

Why mutations stay frozen (`in_flight`) after a failed send that may have reached the server:
if a later edit were folded into such a mutation, the server would answer the retry with the
first result for that id and the folded change would be lost. Only a request the server
certainly did not read (refused connection, protocol mismatch, login needed) unfreezes them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, update

from app.i18n import tr
from app.store import conflicts as conflict_log
from app.store import refusals
from app.store.base import utcnow
from app.store.database import Database
from app.store.journal import OutboxMutation
from app.sync import state
from app.sync.adopt import Answer, Sent, adopt_all, hold_back
from app.sync.client import SyncClient
from app.sync.derived import Touched
from app.sync.errors import MalformedReplyError, SyncCancelledError, SyncError, unreadable
from app.wire_schema import MAX_MUTATIONS, PUSH_REPLY, ValidationError

log = logging.getLogger(__name__)
MAX_BATCH = MAX_MUTATIONS  # the protocol's limit per request
Progress = Callable[[str, int, int | None], None]

_outbox = cast(Table, OutboxMutation.__table__)


@dataclass
class Mutation:
    seq: int
    mutation_id: str
    entity: str
    row_id: str
    op: str
    fields: dict[str, Any]
    base_version: int

    def wire(self) -> dict[str, Any]:
        return {"mutation_id": self.mutation_id, "entity": self.entity, "row_id": self.row_id,
                "op": self.op, "fields": self.fields, "base_version": self.base_version}


@dataclass
class PushReport:
    sent: int = 0
    applied: int = 0
    duplicate: int = 0
    conflicts: int = 0
    rejected: int = 0
    batches: int = 0
    server_time: dt.datetime | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return self.applied + self.duplicate + self.conflicts + self.rejected


def pending_count(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(_outbox)).scalar_one())


def take_batch(db: Database, limit: int = MAX_BATCH) -> list[Mutation]:
    """The oldest mutations (one per row at most), frozen in the transaction that reads them.

    Mutations left frozen by an interrupted push are taken again: being frozen only stops
    folding, it never hides a mutation from the next push.
    """
    batch: list[Mutation] = []
    with db.write() as session:
        conn = session.connection()
        rows = conn.execute(select(_outbox).order_by(_outbox.c.seq).limit(limit)).all()
        seen: set[tuple[str, str]] = set()
        for r in rows:
            if (r.entity, r.row_id) in seen:
                break
            seen.add((r.entity, r.row_id))
            batch.append(Mutation(r.seq, r.mutation_id, r.entity, r.row_id, r.op,
                                  json.loads(r.fields), r.base_version))
        if batch:
            conn.execute(update(_outbox).where(_outbox.c.seq.in_([m.seq for m in batch]))
                         .values(in_flight=True))
    return batch


def release(db: Database, batch: list[Mutation]) -> None:
    """Unfreeze mutations the server certainly did not read, so edits fold again."""
    with db.write() as session:
        session.connection().execute(
            update(_outbox).where(_outbox.c.seq.in_([m.seq for m in batch]))
            .values(in_flight=False))


def parse_results(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """Check the whole answer against the protocol's type (`app.wire_schema`) before
    anything is applied: a bad one changes nothing."""
    try:
        checked = PUSH_REPLY.validate_python(reply)
    except ValidationError as exc:
        if exc.errors()[0]["loc"][:1] != ("results",) or len(exc.errors()[0]["loc"]) == 1:
            raise MalformedReplyError(unreadable(tr("the push answer has no results"))) from None
        raise MalformedReplyError(unreadable(tr("a result of the push answer is "
                                                "incomplete"))) from None  # no row data
    return cast(list[dict[str, Any]], checked["results"])


def _server_time(reply: dict[str, Any]) -> dt.datetime | None:
    raw = reply.get("server_time")
    if not isinstance(raw, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def apply_results(db: Database, batch: list[Mutation], results: list[dict[str, Any]],
                  report: PushReport) -> int:
    """Apply the answers in one local transaction; how many mutations were answered."""
    by_id = {m.mutation_id: m for m in batch}
    now = utcnow().isoformat()
    rejections: list[dict[str, Any]] = []
    answers: list[Answer] = []
    touched = Touched()
    with db.write() as session:
        session.info["from_server"] = True  # adopting the server's row is not a local edit
        conn = session.connection()
        state.put(conn, state.APPLYING, "1")  # the server's rows may replace locked ones
        answered: list[Mutation] = []
        for result in results:
            m = by_id.pop(result["mutation_id"] or "", None)
            if m is None:
                continue  # not ours, or answered twice in one reply
            answered.append(m)
            status = result["status"]
            if status == "rejected":
                report.rejected += 1
                log.info("the server refused a change: %s %s", m.entity, m.op)
                rejections.append({
                    "at": now, "mutation_id": m.mutation_id, "entity": m.entity,
                    "row_id": m.row_id, "op": m.op, "fields": m.fields,
                    "reason": result.get("reason") or "rejected by the server"})
            elif status == "conflict" or (status == "duplicate" and result.get("conflicts")):
                # A duplicate repeats the first answer: its conflicts were never seen here
                # if that answer was lost on the way.
                report.conflicts += status == "conflict"
                report.duplicate += status == "duplicate"
                conflict_log.record(conn, m.mutation_id, m.entity, m.row_id,
                                    result.get("conflicts") or [])
            elif status == "duplicate":
                report.duplicate += 1
            else:
                report.applied += 1
            version = result.get("version")
            if isinstance(version, int):
                answers.append(Answer(m.seq, m.entity, m.row_id, m.base_version, version,
                                      result.get("row")))
        if answered:
            conn.execute(delete(_outbox).where(_outbox.c.seq.in_([m.seq for m in answered])))
        hold_back(conn, [Sent(m.seq, m.entity, m.row_id, m.base_version, frozenset(m.fields))
                         for m in answered if m.op == "upsert"])
        adopt_all(conn, answers, touched)
        state.put(conn, state.APPLYING, None)
        touched.refresh(conn)
        state.append_log(conn, state.REJECTIONS, rejections)
        refusals.record(conn, rejections)  # the rep's list (app/store/refusals.py)
    return len(answered)


def push_all(db: Database, client: SyncClient, *, batch_size: int = MAX_BATCH,
             progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None) -> PushReport:
    """Push until the outbox is empty (edits made meanwhile included)."""
    report = PushReport()
    total = pending_count(db)
    while True:
        if cancelled is not None and cancelled():
            raise SyncCancelledError("The sync was cancelled.")
        batch = take_batch(db, min(batch_size, MAX_BATCH))
        if not batch:
            return report
        try:
            reply = client.push([m.wire() for m in batch])
            results = parse_results(reply)
        except SyncError as exc:
            if not exc.maybe_delivered:
                release(db, batch)
            raise
        report.batches += 1
        report.sent += len(batch)
        report.server_time = _server_time(reply) or report.server_time
        if apply_results(db, batch, results, report) == 0:
            raise MalformedReplyError("The server answered none of the changes sent to it.")
        if progress is not None:
            progress("push", report.answered, max(total, report.answered))
