"""Pull: pages of changes after an opaque cursor, in the caller's scope, never past a version
whose transaction may still commit.

Why the cursor is safe on PostgreSQL: every writer takes the change counter's row lock
(`server.db.next_versions`) before it writes a row and keeps it until it commits, so writers
are serialised and versions become visible in the order they were handed out. A pull reads
the counter and all its pages' rows in ONE snapshot (REPEATABLE READ on PostgreSQL; SQLite's
WAL read transaction is one snapshot already): the counter value V it sees was committed by
the last writer visible in that snapshot, every smaller version committed before it, and the
only transaction that may still commit holds versions above V. So the page serves versions
<= V only (explicitly, too), and the cursor never passes a number that may still commit. The
pull takes no lock and never waits for writers. Checked by
tests/server/test_sync_pull.py::test_concurrent_pushers_never_skip (PostgreSQL).

Revocation: `scope_members` holds, per user, the accounts the user's scope held when one of
the user's pulls last looked, with the counter value when an account was seen gone. Every
pull refreshes it first (computing the scope with `server.scope`, so territory assignments,
account moves, affiliations and team changes all count, without hooks in every write path)
and answers `revoked` with the accounts gone at or after the cursor's version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.contract import ENTITIES, to_wire
from server.db import Database
from server.models import ChangeCounter, ScopeMember, utcnow
from server.scope import Principal
from server.sync.scoping import pull_filter, scoped_account_ids
from server.sync.wire import decode_cursor, encode_cursor, row_out, table_of, wire_columns

NAMES = tuple(ENTITIES)  # contract order: parents before children
MAX_LIMIT = 5000
Key = tuple[int, int, str]
START: Key = (-1, -1, "")


def committed_version(session: Session) -> int:
    """The change counter as this transaction's snapshot sees it."""
    value = session.scalar(select(ChangeCounter.value).where(ChangeCounter.name == "main"))
    return int(value or 0)


def _scope_diff(session: Session, principal: Principal
                ) -> tuple[int, list[str], list[str], list[str]]:
    """(counter, accounts new in scope, back in scope, gone) against `scope_members`."""
    seen = committed_version(session)
    now = set(session.scalars(scoped_account_ids(principal)))
    stored: dict[str, int | None] = {
        a: removed for a, removed in session.execute(
            select(ScopeMember.account_id, ScopeMember.removed_version)
            .where(ScopeMember.user_id == principal.user_id))}
    new = sorted(now - stored.keys())
    back = sorted(a for a in now & stored.keys() if stored[a] is not None)
    gone = sorted(a for a, removed in stored.items() if removed is None and a not in now)
    return seen, new, back, gone


def refresh_scope(db: Database, principal: Principal) -> None:
    """Bring the user's `scope_members` up to date with the scope now. Looks first in a
    read transaction: most pulls change nothing and must not queue behind writers."""
    with db.reading() as session:
        _seen, new, back, gone = _scope_diff(session, principal)
    if not (new or back or gone):
        return
    try:
        with db.writing() as session:
            seen, new, back, gone = _scope_diff(session, principal)
            if new:
                session.execute(insert(ScopeMember), [
                    {"user_id": principal.user_id, "account_id": a, "added_version": seen,
                     "removed_version": None} for a in new])
            for ids, values in ((back, {"added_version": seen, "removed_version": None}),
                                (gone, {"removed_version": seen})):
                for chunk in range(0, len(ids), 500):
                    session.execute(update(ScopeMember).where(
                        ScopeMember.user_id == principal.user_id,
                        ScopeMember.account_id.in_(ids[chunk:chunk + 500])).values(**values))
    except IntegrityError:
        pass  # a concurrent pull of the same user recorded the same change


def _after(name: str, rank: int, after: Key) -> Any:
    t = table_of(name).c
    version, after_rank, after_id = after
    if rank > after_rank:
        return t.version >= version
    if rank == after_rank:
        return or_(t.version > version, and_(t.version == version, t.id > after_id))
    return t.version > version


def _page(session: Session, principal: Principal, after: Key, bound: int, limit: int
          ) -> list[tuple[Key, str, Any]]:
    """The first `limit + 1` rows after the cursor, over every entity, in (version, rank, id)
    order. Each entity's query stops at the version of the current `limit + 1`-th row."""
    best: list[tuple[Key, str, Any]] = []
    for rank, name in enumerate(NAMES):
        t = table_of(name)
        ceiling = min(bound, best[limit][0][0]) if len(best) > limit else bound
        # Most tables have nothing new for an incremental pull: ask the version index alone
        # first (the scoped query costs a scope evaluation even when it finds nothing).
        if not session.scalar(select(t.c.id).where(_after(name, rank, after),
                                                   t.c.version <= ceiling).limit(1)):
            continue
        rows = session.execute(
            select(*(t.c[c] for c in wire_columns(name)))
            .where(pull_filter(name, principal), _after(name, rank, after),
                   t.c.version <= ceiling)
            .order_by(t.c.version, t.c.id).limit(limit + 1)
        ).mappings().all()
        best.extend(((int(r["version"]), rank, r["id"]), name, r) for r in rows)
        best.sort(key=lambda item: item[0])
        del best[limit + 1:]
    return best


def checkpoint(session: Session, principal: Principal, bound: int) -> dict[str, int]:
    """Live rows in scope per entity at this snapshot: the client compares its own counts."""
    counts: dict[str, int] = {}
    for name in NAMES:
        t = table_of(name)
        counts[name] = int(session.scalar(
            select(func.count()).select_from(t)
            .where(pull_filter(name, principal), t.c.deleted == false(),
                   t.c.version <= bound)) or 0)
    return counts


def pull(db: Database, principal: Principal, cursor: str | None, limit: int
         ) -> dict[str, Any]:
    """One page (raises wire.Rejected for a cursor that is not ours)."""
    after = decode_cursor(cursor) if cursor else START
    refresh_scope(db, principal)
    with db.reading() as session:
        if not db.is_sqlite:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        bound = committed_version(session)
        rows = _page(session, principal, after, bound, limit)
        more = len(rows) > limit
        rows = rows[:limit]
        revoked: list[str] = []
        if cursor:
            revoked = list(session.scalars(
                select(ScopeMember.account_id).where(
                    ScopeMember.user_id == principal.user_id,
                    ScopeMember.removed_version >= after[0])
                .order_by(ScopeMember.account_id)))
        counts = None if more else checkpoint(session, principal, bound)
    next_cursor = encode_cursor(*rows[-1][0]) if more else encode_cursor(bound, len(NAMES), "")
    return {
        "changes": [{"entity": name, "row": row_out(name, row)} for _key, name, row in rows],
        "revoked": [{"entity": "accounts", "id": a} for a in revoked],
        "cursor": next_cursor,
        "more": more,
        "checkpoint": counts,
        "server_time": to_wire(utcnow()),
    }
