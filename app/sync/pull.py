"""Pull: pages of the server's changes after the stored cursor, one transaction per page.

Each page is checked whole before anything is written (a malformed page changes nothing),
then applied in one local transaction that also stores the page's cursor: a crash or a kill
while applying leaves the previous page's cursor, so the next sync asks for the same page
again and never skips one (docs/sync-protocol.md, "Pull").

While a page is applied the next one is already asked for (app/sync/prefetch.py): a pull is
a plain read, so the server builds page n+1 while the laptop writes page n; pages are still
applied strictly one after the other.

Foreign keys are deferred to the commit inside a page: the server orders changes by version,
so a call may come before a newer version of its account in the same page. Revocations run
first, with immediate checks, so a refused delete is caught per account (app/sync/revoke.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import IntegrityError

from app.contract import ENTITIES
from app.i18n import tr
from app.store.bulk import upsert_rows
from app.store.database import Database
from app.store.journal import OutboxMutation
from app.store.models import Base  # imports every table, so metadata knows them all
from app.sync import state
from app.sync.client import SyncClient
from app.sync.derived import Touched
from app.sync.erasure import erase_accounts, erased_accounts, scrub_files
from app.sync.errors import MalformedReplyError, SyncCancelledError, SyncError, unreadable
from app.sync.prefetch import Prefetch
from app.sync.revoke import remove_accounts, remove_rows
from app.sync.rows import (
    _insert_defaults,
    local_values,
    pending_fields,
    table_for,
    take_over_twin,
)
from app.wire_schema import PULL_PAGE, ValidationError

PAGE_LIMIT = 5000
Progress = Callable[[str, int, int | None], None]
#: Called inside a page's transaction just before it commits (tests simulate a kill here).
PageHook = Callable[[Connection, int], None]

_outbox = cast(Table, OutboxMutation.__table__)
_TABLE_ORDER = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


@dataclass
class Page:
    changes: list[dict[str, Any]]
    revoked: list[str]
    cursor: str
    more: bool
    checkpoint: dict[str, list[int]] | None


@dataclass
class PullReport:
    pages: int = 0
    rows: int = 0
    revoked: int = 0
    hidden: list[str] = field(default_factory=list)  # revoked but kept (locked rows)
    resynced: list[str] = field(default_factory=list)


def parse_page(reply: dict[str, Any]) -> Page:
    """The page, checked in full against the protocol's type (`app.wire_schema`);
    MalformedReplyError, in words and without the row data, before anything is written."""
    try:
        page = PULL_PAGE.validate_python(reply)
    except ValidationError as exc:
        raise MalformedReplyError(_unreadable_page(exc)) from None
    revoked = [item["id"] for item in page.get("revoked", [])
               if item.get("entity", "accounts") == "accounts"]
    return Page(cast(list[dict[str, Any]], page["changes"]), revoked, page["cursor"],
                page["more"], page.get("checkpoint"))


def _unreadable_page(exc: ValidationError) -> str:
    """What is wrong with a page, named by its first faulty part."""
    where = exc.errors()[0]["loc"]
    part = where[0] if len(where) > 1 else None
    if part == "changes":
        return unreadable(tr("a change on a page is incomplete"))
    if part == "revoked":
        return unreadable(tr("a page names a record oddly"))
    if where[0] == "checkpoint":
        return "The server's checkpoint is not a map of [count, checksum] pairs."
    return unreadable(tr("a page lacks its changes or cursor"))


def _pending_rows(conn: Connection) -> set[tuple[str, str]]:
    return {(e, r) for e, r in conn.execute(select(_outbox.c.entity, _outbox.c.row_id))}


def _upsert_many(conn: Connection, table: Table, rows: list[dict[str, Any]],
                 diverged: list[dict[str, Any]]) -> None:
    """One executemany per column set, compiled once (app/store/bulk.py): the initial sync's
    hot path.

    The lock triggers stand aside while server data is applied (migration 0005); a row the
    database still refuses is skipped and noted in `diverged` instead of failing the page for
    ever; the rest of the page is applied.
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    defaults = _insert_defaults(table)
    for values in rows:
        groups[tuple(values)].append({**defaults, **values} if defaults else values)
    for keys, group in groups.items():
        changes = [k for k in keys if k != "id"]
        nested = conn.begin_nested()
        try:
            upsert_rows(conn, table, group, changes)
            nested.commit()
            continue
        except IntegrityError:
            nested.rollback()
        for values in group:  # find the refused rows one by one
            nested = conn.begin_nested()
            try:
                upsert_rows(conn, table, [values], changes)
                nested.commit()
            except IntegrityError as exc:
                nested.rollback()
                diverged.append({"entity": table.name, "row_id": values["id"],
                                 "version": values.get("version"), "reason": str(exc.orig)})


def write_changes(conn: Connection, changes: list[dict[str, Any]], *,
                  only: str | None = None, skip_accounts: set[str] | None = None,
                  seen: set[str] | None = None) -> int:
    """Upsert the page's rows (parents' tables first); unsent local edits are kept."""
    pending = _pending_rows(conn)
    touched = Touched()
    diverged: list[dict[str, Any]] = []
    plain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    written = 0
    for change in sorted(changes, key=lambda c: _TABLE_ORDER.get(c["entity"], 0)):
        entity, row = change["entity"], change["row"]
        if (only is not None and entity != only) or table_for(entity) is None:
            continue  # an entity this build does not know: a newer server's extra
        if skip_accounts and (row.get("account_id") in skip_accounts
                              or (entity == "accounts" and row["id"] in skip_accounts)):
            continue
        if seen is not None:
            seen.add(row["id"])
        values = local_values(entity, row)
        table = table_for(entity)
        assert table is not None
        if ENTITIES[entity].natural_key:
            mine = take_over_twin(conn, entity, values)
            if mine:  # new here: the server's row whole, the unsent values over it
                pending = _pending_rows(conn)
                _upsert_many(conn, table, [{**values, **mine}], diverged)
                touched.add(entity, values)
                written += 1
                continue
        if (entity, row["id"]) in pending:
            keep, deleting = pending_fields(conn, entity, row["id"])
            if deleting:
                keep.add("deleted")
            changes_kept = {k: v for k, v in values.items() if k not in keep}
            _upsert_many(conn, table, [changes_kept], diverged)
        else:
            plain[entity].append(values)
        touched.add(entity, values)
        written += 1
    for entity, rows in plain.items():
        table = table_for(entity)
        assert table is not None
        _upsert_many(conn, table, rows, diverged)
    touched.refresh(conn)
    state.append_log(conn, state.DIVERGED, diverged)
    return written


#: SQLite page cache (KiB) of a connection while it writes a pulled page or scans for the
#: checkpoint. Both pass over each page of the database once, so a large cache buys them
#: little, but it stays filled afterwards: with the database's own 32 MB per connection an
#: initial sync left the writer and a reader holding 30 MB each more than needed (measured
#: with benchmarks/sync.py, client_rss_mb). The connection's own size is restored after.
STREAMING_CACHE_KIB = 8000


@contextmanager
def streaming_cache(conn: Connection) -> Iterator[None]:
    """Within the caller's work on `conn`: a small page cache, then the connection's own."""
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = -{STREAMING_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


class DanglingRowsError(SyncError):
    """A page refers to rows that only a later page brings (a parent edited after its child)."""


#: How many pages a pull may join when a page refers to rows of the next ones.
MAX_JOINED_PAGES = 50


def _join(first: Page, then: Page) -> Page:
    return Page(first.changes + then.changes, first.revoked + then.revoked, then.cursor,
                then.more, then.checkpoint)


def apply_page(db: Database, page: Page, *, page_no: int = 0,
               hook: PageHook | None = None) -> tuple[int, list[str]]:
    """Apply one page and store its cursor, all in one transaction; (rows, hidden accounts)."""
    try:
        with db.write() as session:
            session.info["from_server"] = True
            conn = session.connection()
            with state.applying_server_data(conn), streaming_cache(conn):
                hidden = remove_accounts(conn, page.revoked) if page.revoked else []
                erased = erased_accounts(page.changes)  # GDPR erasures (app/sync/erasure.py)
                scrub = erase_accounts(conn, erased, revoked=page.revoked)
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                written = write_changes(conn, page.changes,
                                        skip_accounts={*page.revoked, *erased})
            state.put(conn, state.CURSOR, page.cursor)
            if hook is not None:
                hook(conn, page_no)
    except IntegrityError as exc:
        # Deferred keys fail at the commit: a row came before the row it belongs to, on a
        # later page (see the note: the server must serve parents first across
        # pages). Nothing of the page was kept; say so in words, not with a traceback.
        raise DanglingRowsError(
            "The server sent a page whose rows refer to rows not received yet; nothing of "
            "it was applied. Sync again (F5); if this stays, tell your support team.") from exc
    if scrub:
        scrub_files(db)
    return written, hidden


def local_checkpoint(db: Database, entities: list[str]) -> dict[str, list[int]]:
    """[live rows the server has acknowledged (version > 0), sum of their versions] per
    entity: what the server's checkpoint says this replica should hold."""
    out: dict[str, list[int]] = {}
    with db.read() as session, streaming_cache(session.connection()):
        conn = session.connection()
        for entity in entities:
            table = table_for(entity)
            if table is not None:
                count, total = conn.execute(
                    select(func.count(), func.coalesce(func.sum(table.c.version), 0))
                    .where(table.c.version > 0, table.c.deleted.is_(False))).one()
                out[entity] = [int(count), int(total)]
    return out


def mismatched(db: Database, checkpoint: dict[str, list[int]]) -> list[str]:
    """Entities whose local count or checksum differs from the server's; those with unsent
    changes are skipped (they cannot agree until the outbox is sent)."""
    with db.read() as session:
        busy = set(session.connection().execute(select(_outbox.c.entity).distinct()).scalars())
    ours = local_checkpoint(db, [e for e in checkpoint if e not in busy])
    return [e for e, pair in ours.items() if list(checkpoint[e]) != pair]


def resync_entity(db: Database, client: SyncClient, entity: str, *, limit: int = PAGE_LIMIT,
                  cancelled: Callable[[], bool] | None = None) -> int:
    """Pull one entity again from the beginning, keeping unsent writes; rows the server no
    longer has for us are removed. The main cursor stays where it is. Rows written."""
    seen: set[str] = set()
    cursor: str | None = None
    written = 0
    while True:
        if cancelled is not None and cancelled():
            raise SyncCancelledError("The sync was cancelled.")
        page = parse_page(client.pull(cursor, limit, only=entity))
        with db.write() as session:
            session.info["from_server"] = True
            conn = session.connection()
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            with state.applying_server_data(conn):
                written += write_changes(conn, page.changes, only=entity, seen=seen)
        if page.more and page.cursor == cursor:
            raise MalformedReplyError("The server's cursor did not move.")
        cursor = page.cursor
        if not page.more:
            break
    table = table_for(entity)
    assert table is not None
    with db.write() as session:
        session.info["from_server"] = True
        conn = session.connection()
        pending = {r for e, r in _pending_rows(conn) if e == entity}
        stale = [i for i in conn.execute(select(table.c.id).where(table.c.version > 0))
                 .scalars() if i not in seen and i not in pending]
        with state.applying_server_data(conn):
            if entity == "accounts":
                remove_accounts(conn, stale)
            else:
                remove_rows(conn, entity, stale)
    return written


def _apply_joining(db: Database, prefetch: Prefetch, page: Page, page_no: int,
                   hook: PageHook | None) -> tuple[int, list[str], Page]:
    """Apply a page; when its rows refer to rows of later pages (the server orders by
    version, so a call can come a page before its account's newer version), join the
    following pages to it and apply them together, in one transaction with the last cursor.

    The next page is asked for (prefetched) before each attempt to apply, so the server
    builds it while this one is written.
    """
    for _ in range(MAX_JOINED_PAGES):
        if page.more:
            prefetch.start(page.cursor)
        try:
            rows, hidden = apply_page(db, page, page_no=page_no, hook=hook)
        except DanglingRowsError:
            if not page.more:
                raise
            page = _join(page, parse_page(prefetch.take(page.cursor)))
            continue
        return rows, hidden, page
    raise DanglingRowsError(f"{MAX_JOINED_PAGES} pages still refer to rows never received; "
                            "nothing of them was applied.")


def pull_all(db: Database, client: SyncClient, *, push: Callable[[], object],
             limit: int = PAGE_LIMIT, progress: Progress | None = None,
             cancelled: Callable[[], bool] | None = None,
             hook: PageHook | None = None, verify: bool = False) -> PullReport:
    """Pull every page after the stored cursor; with `verify`, ask for the checkpoint and
    resync each entity that does not match it."""
    report = PullReport()
    with db.read() as session:
        cursor = state.get(session.connection(), state.CURSOR)
    prefetch = Prefetch(lambda after: client.pull(after, limit, verify=verify))
    try:
        while True:
            if cancelled is not None and cancelled():
                raise SyncCancelledError("The sync was cancelled.")
            page = parse_page(prefetch.take(cursor))
            if page.revoked:
                _push_before_revoking(db, push)
            rows, hidden, page = _apply_joining(db, prefetch, page, report.pages + 1, hook)
            report.pages += 1
            report.rows += rows
            report.revoked += len(page.revoked)
            report.hidden += hidden
            if progress is not None:
                progress("pull", report.rows, None)
            if page.more and page.cursor == cursor:
                raise MalformedReplyError("The server's cursor did not move.")
            cursor = page.cursor
            if not page.more:
                break
    finally:
        prefetch.close()  # a page asked for but not wanted (error, cancel) is dropped
    if page.checkpoint:
        for entity in mismatched(db, page.checkpoint):
            resync_entity(db, client, entity, limit=limit, cancelled=cancelled)
            report.resynced.append(entity)
    return report


def _push_before_revoking(db: Database, push: Callable[[], object]) -> None:
    """The contract: a revoked account goes only after its pending changes are sent."""
    for _ in range(3):  # the rep may save again while this push runs
        push()
        with db.read() as session:
            left = session.connection().execute(
                select(func.count()).select_from(_outbox)).scalar_one()
        if not left:
            return
    raise SyncError("Changes keep arriving while accounts leave your territory: "
                    "sync again in a moment.")
