"""One sync: push, pull until the server has nothing more, push what arrived meanwhile.

Plain code with no Qt (docs/architecture.md, "Threads"): the UI's worker runs
`sync_once` on a thread with a `SyncState` it can read for progress and set to cancel; the
CLI runs it directly. The outcome, good or bad, is written to `local_state`, so the rep
always sees the last success and the last error in words (docs/sync-status.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, select

from app.store.base import utcnow
from app.store.database import Database
from app.store.journal import OutboxMutation
from app.sync import state
from app.sync.client import SyncClient
from app.sync.content import sync_content
from app.sync.errors import AuthRequiredError, SyncCancelledError, SyncError
from app.sync.pull import PAGE_LIMIT, PageHook, PullReport, pull_all
from app.sync.push import MAX_BATCH, PushReport, pending_count, push_all

#: Support reads this log (docs/sync-status.md): every attempt, its outcome and its counts,
#: never a value, a name or an error text that could carry one (the class and counts only).
log = logging.getLogger(__name__)

#: A sync checks the server's checkpoint (counts and checksums of the whole scope) on the
#: first sync and then once in this many: often enough to repair a replica soon, rarely
#: enough that an everyday sync's cost follows the changes, not the database.
VERIFY_EVERY = 10

#: Device clocks never decide order, but a clock this far off the server's is worth a word.
CLOCK_WARNING = dt.timedelta(minutes=5)

_outbox = cast(Table, OutboxMutation.__table__)

#: The phase reported while the server has not answered for a while (app/sync/client.py).
WAITING = "waiting"


@dataclass
class SyncState:
    """Progress and cancel, shared between the sync thread and whoever watches it."""

    phase: str = "idle"
    done: int = 0
    total: int | None = None
    listener: Callable[[str, int, int | None], None] | None = None
    #: The client's deadline in seconds (shown beside the time waited).
    deadline: int | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)
    _before: tuple[str, int, int | None] = ("start", 0, None)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, phase: str, done: int, total: int | None) -> None:
        self.phase, self.done, self.total = phase, done, total
        if self.listener is not None:
            self.listener(phase, done, total)

    def waiting(self, seconds: float | None) -> None:
        """The client's wait for an answer: phase "waiting" (done: seconds waited, total:
        the deadline) while it lasts; afterwards the progress from before is shown again."""
        if seconds is not None:
            if self.phase != WAITING:
                self._before = (self.phase, self.done, self.total)
            self.report(WAITING, int(seconds), self.deadline)
        elif self.phase == WAITING:
            self.report(*self._before)


@dataclass
class SyncReport:
    push: PushReport = field(default_factory=PushReport)
    pull: PullReport = field(default_factory=PullReport)
    pending_after: int = 0
    clock_skew_s: float | None = None

    def summary(self) -> str:
        p, q = self.push, self.pull
        words = (f"sent {p.answered} change(s) ({p.applied} applied, {p.duplicate} already "
                 f"there, {p.conflicts} conflict(s), {p.rejected} rejected); received "
                 f"{q.rows} row(s) in {q.pages} page(s)")
        if q.revoked:
            words += f"; {q.revoked} account(s) left your territory"
        if q.resynced:
            words += f"; re-synced {', '.join(q.resynced)}"
        if self.pending_after:
            words += f"; {self.pending_after} change(s) still waiting"
        if self.clock_skew_s is not None and abs(self.clock_skew_s) > CLOCK_WARNING.seconds:
            words += (f"; this laptop's clock is {abs(self.clock_skew_s) / 60:.0f} min off "
                      "the server's")
        return words


def _merge(total: PushReport, part: PushReport) -> None:
    for name in ("sent", "applied", "duplicate", "conflicts", "rejected", "batches"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.server_time = part.server_time or total.server_time


def _record(db: Database, **values: str | None) -> None:
    with db.write() as session:
        conn = session.connection()
        for key, value in values.items():
            state.put(conn, key, value)


def sync_once(db: Database, client: SyncClient, progress: SyncState | None = None,
              cancelled: Callable[[], bool] | None = None, *, batch_size: int = MAX_BATCH,
              page_limit: int = PAGE_LIMIT, hook: PageHook | None = None,
              verify: bool | None = None) -> SyncReport:
    """Run one full sync; raises a SyncError (already recorded as the last error).

    `verify` checks the replica against the server's checkpoint; None decides by itself
    (the first sync and every VERIFY_EVERY-th)."""
    watch = progress or SyncState()
    is_cancelled = cancelled or watch.cancelled
    client.cancelled = is_cancelled
    client.on_wait = watch.waiting
    watch.deadline = int(client.deadline_s)
    report = SyncReport()

    def push() -> None:
        part = push_all(db, client, batch_size=batch_size, progress=watch.report,
                        cancelled=is_cancelled)
        _merge(report.push, part)

    with db.read() as session:
        conn = session.connection()
        unverified = int(state.get(conn, state.UNVERIFIED) or 0)
        first = state.get(conn, state.CURSOR) is None
    if verify is None:
        verify = first or unverified + 1 >= VERIFY_EVERY
    began = time.monotonic()
    log.info("sync started: %d change(s) to send, first sync %s, verifying %s",
             pending_count(db), first, verify)
    try:
        push()
        before = pending_count(db)
        report.pull = pull_all(db, client, push=push, limit=page_limit, progress=watch.report,
                               cancelled=is_cancelled, hook=hook, verify=verify)
        if pending_count(db) or before:
            push()  # edits saved while the pull ran
    except SyncCancelledError:
        log.info("sync cancelled after %.1f s", time.monotonic() - began)
        watch.report("cancelled", watch.done, watch.total)
        raise
    except AuthRequiredError as exc:
        # The token is no use any more; the outbox stays as it is for after the login.
        log.warning("sync refused after %.1f s: the server asks for a new login",
                    time.monotonic() - began)
        _record(db, **{state.LAST_ERROR: str(exc), state.TOKEN: None})
        watch.report("failed", watch.done, watch.total)
        raise
    except SyncError as exc:
        log.warning("sync failed after %.1f s: %s; %d change(s) kept to send",
                    time.monotonic() - began, type(exc).__name__, pending_count(db))
        _record(db, **{state.LAST_ERROR: str(exc)})
        watch.report("failed", watch.done, watch.total)
        raise
    now = utcnow()
    if report.push.server_time is not None:
        report.clock_skew_s = (now - report.push.server_time).total_seconds()
    report.pending_after = pending_count(db)
    _record(db, **{state.LAST_SUCCESS: now.isoformat(), state.LAST_ERROR: None,
                   state.UNVERIFIED: "0" if verify else str(unverified + 1),
                   state.CLOCK_SKEW: None if report.clock_skew_s is None
                   else f"{report.clock_skew_s:.0f}"})
    push_done = report.push
    log.info("sync done in %.1f s: sent %d (applied %d, conflicts %d, refused %d) in %d "
             "batch(es); received %d row(s) in %d page(s), %d account(s) revoked; "
             "%d change(s) still to send", time.monotonic() - began, push_done.sent,
             push_done.applied, push_done.conflicts, push_done.rejected, push_done.batches,
             report.pull.rows, report.pull.pages, report.pull.revoked, report.pending_after)
    sync_content(db, client, progress=watch.report, cancelled=is_cancelled)  # files apart
    watch.report("done", report.push.answered + report.pull.rows, None)
    return report


def oldest_pending(db: Database) -> dt.datetime | None:
    """When the oldest unsent change was made (the rep always sees it, docs/sync-status.md)."""
    with db.read() as session:
        return session.execute(select(_outbox.c.created_at).order_by(_outbox.c.seq)
                               .limit(1)).scalar()
