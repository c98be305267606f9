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
pull refreshes it first (with the rules of `server.scope`, so territory assignments, account
moves, affiliations and team changes all count, without hooks in every write path) and
answers `revoked` with the accounts gone at or after the cursor's version. The refresh costs
the changes, not the scope: `scope_states` records the territories and the counter of the
last check, and while the territories stand only the accounts written since can have entered
or left (`server.scope.may_change_visibility`); those are probed one by one. New
territories, a first pull and every `verify` pull compare the whole scope.

Cost of a page: one query counts, per table, the rows past the cursor (version indexes). A
table with few (an incremental pull) checks them against the scope row by row through the
indexes (`scoping.Shape`); a long range (a first sync) takes the scope as a set, once. Either
way the rows come off the `(version, id)` index from the cursor in the page's order, so a
page reads about its own rows, never the whole scope sorted (`_page`).

Checkpoints: per entity, the live rows in scope as `[count, checksum]`, the checksum being
the sum of their versions. A replica that missed a change holds an older version of that row
(or one row too many or too few) and so a different pair: counts alone cannot see a missed
update. A checkpoint is a scan of the whole scope (~0.4 s for 255,000 rows), so it is served
only when the client asks (`verify`): on its first sync and every few syncs after, never on
every incremental pull, whose cost must follow the changes, not the database. Answers are
cached per user and snapshot, so a client that asks again with nothing changed costs nothing.

`only`: a resync of one entity pages through that entity alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    bindparam,
    false,
    func,
    insert,
    literal,
    select,
    tuple_,
    union,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.contract import ENTITIES, to_wire
from server.db import Database, next_versions
from server.models import (
    ChangeCounter,
    ScopeMember,
    ScopeState,
    TerritoryAssignment,
    utcnow,
)
from server.scope import Principal, may_change_visibility, territories_of, visible_among
from server.sync.scoping import pull_filter, scoped_account_ids
from server.sync.wire import Rejected, decode_cursor, encode_cursor, row_out, table_of, wire_columns

NAMES = tuple(ENTITIES)  # contract order: parents before children
MAX_LIMIT = 5000
Key = tuple[int, int, str]
START: Key = (-1, -1, "")


def committed_version(session: Session) -> int:
    """The change counter as this transaction's snapshot sees it."""
    value = session.scalar(select(ChangeCounter.value).where(ChangeCounter.name == "main"))
    return int(value or 0)


#: Accounts written since a user's scope state beyond which a pull records its check (a
#: write) although the scope did not change, so that the next pull starts from there.
RECORD_AFTER = 200
#: Accounts written since a user's scope state beyond which probing each one costs more
#: than comparing the whole scope.
COMPARE_ALL_AFTER = 5000
_CHUNK = 500


@dataclass
class ScopeDiff:
    """What `scope_members` lacks against the scope now, and whether the user's
    `scope_states` row must be written (first pull, territories changed, a long way
    behind)."""

    new: list[str] = field(default_factory=list)
    back: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    territories: str = ""
    record: bool = False

    def __bool__(self) -> bool:
        return bool(self.new or self.back or self.gone or self.record)


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _scope_diff(session: Session, principal: Principal, full: bool) -> ScopeDiff:
    """The difference between `scope_members` and the scope now. With the user's territories
    as they were at the last check (`scope_states`), only accounts written after it can
    have entered or left: those are probed one by one, and the cost follows the changes.
    Otherwise (first pull, territories changed, `full`, very many changes) the whole scope
    is compared."""
    territories = principal.role + ":" + ",".join(sorted(session.scalars(
        territories_of(principal))))
    state = session.execute(select(ScopeState.territories, ScopeState.version)
                            .where(ScopeState.user_id == principal.user_id)).first()
    fresh = state is not None and state.territories == territories
    diff = ScopeDiff(territories=territories, record=not fresh)
    members = select(ScopeMember.account_id, ScopeMember.removed_version).where(
        ScopeMember.user_id == principal.user_id)
    candidates: list[str] = []
    if fresh and not full:
        assert state is not None
        candidates = sorted(set(session.scalars(
            union(*may_change_visibility(state.version)))))
        if not candidates:
            return diff
    if fresh and not full and len(candidates) <= COMPARE_ALL_AFTER:
        diff.record = len(candidates) > RECORD_AFTER
        now: set[str] = set()
        stored: dict[str, int | None] = {}
        for ids in _chunks(candidates):
            now.update(session.scalars(visible_among(principal, ids)))
            stored.update({account: removed for account, removed in session.execute(
                members.where(ScopeMember.account_id.in_(ids)))})
    else:  # recorded unless only `full` brought us here, so the next pull probes again
        diff.record = not (fresh and full)
        now = set(session.scalars(scoped_account_ids(principal)))
        stored = {account: removed for account, removed in session.execute(members)}
    diff.new = sorted(now - stored.keys())
    diff.back = sorted(a for a in now & stored.keys() if stored[a] is not None)
    diff.gone = sorted(a for a, removed in stored.items() if removed is None and a not in now)
    return diff


def refresh_scope(db: Database, principal: Principal, *, full: bool = False) -> None:
    """Bring the user's `scope_members` up to date with the scope now (`full`: by comparing
    the whole scope, whatever the state says). Looks first in a read transaction: most
    pulls change nothing and must not queue behind writers."""
    with db.reading() as session:
        if not _scope_diff(session, principal, full):
            return
    try:
        with db.writing() as session:
            # A version of its own, taken first: the counter's lock makes every write before
            # it visible here, so the state recorded below covers every version below it.
            # Every cursor served so far is below it and every pull from now on is at or
            # above it, so each change is announced exactly once.
            seen = next_versions(session)
            diff = _scope_diff(session, principal, full)
            if diff.new:
                session.execute(insert(ScopeMember), [
                    {"user_id": principal.user_id, "account_id": a, "added_version": seen,
                     "removed_version": None} for a in diff.new])
            for ids, values in ((diff.back, {"added_version": seen, "removed_version": None}),
                                (diff.gone, {"removed_version": seen})):
                for chunk in _chunks(ids):
                    session.execute(update(ScopeMember).where(
                        ScopeMember.user_id == principal.user_id,
                        ScopeMember.account_id.in_(chunk)).values(**values))
            updated = session.execute(
                update(ScopeState).where(ScopeState.user_id == principal.user_id)
                .values(territories=diff.territories, version=seen))
            if not updated.rowcount:  # type: ignore[attr-defined]
                session.execute(insert(ScopeState).values(
                    user_id=principal.user_id, territories=diff.territories, version=seen))
    except IntegrityError:
        pass  # a concurrent pull of the same user recorded the same change


def _after(name: str, rank: int, after_rank: int, version: Any, after_id: Any) -> Any:
    """Rows of `name` (at `rank`) past the cursor (`version`, `after_rank`, `after_id`);
    `version` and `after_id` may be bound parameters."""
    t = table_of(name).c
    if rank > after_rank:
        return t.version >= version
    if rank == after_rank:  # a row value: the (version, id) index is entered at the cursor
        return tuple_(t.version, t.id) > tuple_(version, after_id)
    return t.version > version


#: Rows after the cursor up to which a table's page checks the scope row by row.
PROBE_ROWS = 2000
#: Always checked as a set: a user is in scope as the author of any row in scope, and
#: probing that for a colleague of another territory walks all the colleague's calls.
SET_ONLY = frozenset({"users"})
#: Per cursor rank, the one statement that counts every table's rows past the cursor.
_CHANGED: dict[int, Any] = {}


def _changed(session: Session, after: Key, bound: int) -> dict[str, int]:
    """Per entity with rows past the cursor (at or below `bound`), how many, counted up to
    PROBE_ROWS: one query over the version indexes instead of one per table (most tables
    have nothing new for an incremental pull)."""
    # Past the last rank or before the first, every rank compares alike: a forged cursor
    # cannot grow the cache.
    after_rank = max(-1, min(after[1], len(NAMES)))
    statement = _CHANGED.get(after_rank)
    if statement is None:
        version: Any = bindparam("version")
        after_id: Any = bindparam("id")
        ceiling: Any = bindparam("bound")
        statement = union_all(*(
            select(literal(rank), func.count()).select_from(
                select(table_of(name).c.id)
                .where(_after(name, rank, after_rank, version, after_id),
                       table_of(name).c.version <= ceiling)
                .limit(PROBE_ROWS).subquery())
            for rank, name in enumerate(NAMES)))
        _CHANGED[after_rank] = statement
    counts = session.execute(statement, {"version": after[0], "id": after[2], "bound": bound})
    return {NAMES[rank]: int(count) for rank, count in counts if count}


#: The WHERE clause of a page's rows of an entity (None: the entity is not served), given
#: whether the few rows past the cursor are to be probed row by row.
Where = Callable[[str, bool], Any]


def _page(session: Session, principal: Principal | None, after: Key, bound: int, limit: int,
          only: str | None = None, where: Where | None = None) -> list[tuple[Key, str, Any]]:
    """The first `limit + 1` rows after the cursor, over every entity (or `only` one), in
    (version, rank, id) order. Each entity's query walks its `(version, id)` index from the
    cursor and stops after `limit + 1` rows in scope, or below the version of the current
    `limit + 1`-th row: entities come in rank order, so a later one's row at that version
    would sort after it (a first sync, whose rows share an import's version, reads one
    entity per page, not every entity's next rows). The few rows that changed since a recent
    cursor are checked against the scope one by one (probes); the scope as a set is for long
    ranges (a first sync). `where` replaces the user's scope (the integration feed's)."""
    if where is None:
        assert principal is not None
        user = principal

        def where(name: str, per_row: bool) -> Any:
            return pull_filter(name, user, per_row=per_row, page=True)

    best: list[tuple[Key, str, Any]] = []
    changed = _changed(session, after, bound)
    for rank, name in enumerate(NAMES):
        if name not in changed or (only is not None and name != only):
            continue
        t = table_of(name)
        if len(best) > limit:
            top = best[limit][0][0]
            if top <= after[0]:
                continue  # every row left of this entity sorts after the page's last
            upper = t.c.version < top
        else:
            upper = t.c.version <= bound
        per_row = changed[name] < PROBE_ROWS and name not in SET_ONLY
        condition = where(name, per_row)
        if condition is None:
            continue
        rows = session.execute(
            select(*(t.c[c] for c in wire_columns(name)))
            .where(condition, _after(name, rank, after[1], after[0], after[2]), upper)
            .order_by(t.c.version, t.c.id).limit(limit + 1)
        ).mappings().all()
        best.extend(((int(r["version"]), rank, r["id"]), name, r) for r in rows)
        best.sort(key=lambda item: item[0])
        del best[limit + 1:]
    return best


Checkpoint = dict[str, list[int]]
#: Checkpoints computed lately: (user, scope members' state, counter) -> checkpoint.
_CACHE: OrderedDict[tuple[Any, ...], Checkpoint] = OrderedDict()
_CACHE_SIZE = 256
_cache_lock = threading.Lock()


def checkpoint(session: Session, principal: Principal, bound: int) -> Checkpoint:
    """Per entity, `[live rows in scope, sum of their versions]` at this snapshot."""
    out: Checkpoint = {}
    for name in NAMES:
        t = table_of(name)
        count, total = session.execute(
            select(func.count(), func.coalesce(func.sum(t.c.version), 0))
            .where(pull_filter(name, principal), t.c.deleted == false(),
                   t.c.version <= bound)).one()
        out[name] = [int(count or 0), int(total or 0)]
    return out


def _scope_state(session: Session, principal: Principal) -> tuple[Any, ...]:
    """What the user's scope is made of beyond the change counter: the territories and the
    accounts' membership (`scope_members`, refreshed by every pull). Unassigning a territory
    writes no version, so the counter alone would serve a stale cached checkpoint."""
    territories = tuple(sorted(session.scalars(territories_of(principal))))
    members = session.execute(
        select(func.count(ScopeMember.removed_version), func.count(),
               func.max(ScopeMember.added_version), func.max(ScopeMember.removed_version))
        .where(ScopeMember.user_id == principal.user_id)).one()
    return territories, tuple(members)


def cached_checkpoint(session: Session, principal: Principal, bound: int) -> Checkpoint:
    key = (principal.user_id, _scope_state(session, principal), bound)
    with _cache_lock:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    value = checkpoint(session, principal, bound)
    with _cache_lock:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


#: Most rows a pull sends for accounts that entered the scope (more: the next pull goes on).
BACKFILL_LIMIT = 20000


def _backfill(session: Session, principal: Principal, after: Key, bound: int
              ) -> list[tuple[str, Any]]:
    """Every row (at or below `bound`) of the accounts that entered the user's scope at or
    after the cursor's version: an account moved into the territory brings its addresses,
    consents and calls, whose versions are older than the cursor and so never on a page."""
    entered = select(ScopeMember.account_id).where(
        ScopeMember.user_id == principal.user_id, ScopeMember.removed_version.is_(None),
        ScopeMember.added_version > after[0])
    if session.scalar(entered.limit(1)) is None:
        return []
    out: list[tuple[str, Any]] = []
    for name in NAMES:
        t = table_of(name)
        rows = session.execute(
            select(*(t.c[c] for c in wire_columns(name)))
            .where(pull_filter(name, principal, entered), t.c.version <= bound,
                   t.c.version < after[0])
            .order_by(t.c.version, t.c.id).limit(BACKFILL_LIMIT)).mappings().all()
        out.extend((name, r) for r in rows)
    return out


#: Columns that point at a user: the user's row must reach the replica before them.
USER_COLUMNS = ("owner_id", "user_id")


def _referenced_users(session: Session, principal: Principal, rows: list[Any], after: Key,
                      bound: int) -> list[tuple[str, Any]]:
    """The users the page's rows point at. A user's row is older than the cursor when a
    colleague's call or audit entry becomes visible later (an account moved in, an entry
    pushed late): without it the replica's foreign key would refuse the page."""
    ids = {r[c] for _name, r in rows for c in USER_COLUMNS if r.get(c)}
    ids -= {r["id"] for name, r in rows if name == "users"}
    ids.discard(principal.user_id)
    if not ids:
        return []
    t = table_of("users")
    ids -= set(session.scalars(select(TerritoryAssignment.user_id).where(  # colleagues
        TerritoryAssignment.territory_id.in_(territories_of(principal)),
        TerritoryAssignment.user_id.in_(sorted(ids)))))
    if not ids:
        return []
    found = session.execute(select(*(t.c[c] for c in wire_columns("users")))
                            .where(t.c.id.in_(sorted(ids)), t.c.version <= bound,
                                   t.c.version < after[0])
                            ).mappings().all()
    return [("users", r) for r in found]


def _out(name: str, row: Any, territories: set[str]) -> dict[str, Any]:
    """A row on the wire. A user of another territory (the author of a call on an account
    that moved in) comes without that territory: the replica holds only its own."""
    out = row_out(name, row)
    if name == "users" and out.get("territory_id") not in territories:
        out["territory_id"] = None
    return out


def snapshot_page(db: Database, cursor: str | None, limit: int, where: Where
                  ) -> tuple[list[tuple[str, Any]], str, bool]:
    """One page of the rows `where` admits after `cursor`, read as the pull reads its own:
    in one snapshot, never past the change counter that snapshot saw (so never past a
    version whose transaction may still commit). Returns the page's (entity, row) pairs,
    the next cursor and whether more rows wait. For the integration feed, whose scope is a
    service account's, not a user's; raises wire.Rejected for a cursor that is not ours."""
    after = decode_cursor(cursor) if cursor else START
    with db.reading() as session:
        if not db.is_sqlite:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        bound = committed_version(session)
        rows = _page(session, None, after, bound, limit, where=where)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(*rows[-1][0]) if more else encode_cursor(bound, len(NAMES), "")
    return [(name, row) for _key, name, row in rows], next_cursor, more


def pull(db: Database, principal: Principal, cursor: str | None, limit: int, *,
         verify: bool = False, only: str | None = None) -> dict[str, Any]:
    """One page (raises wire.Rejected for a cursor that is not ours)."""
    after = decode_cursor(cursor) if cursor else START
    if only is not None and only not in ENTITIES:
        raise Rejected(f"unknown entity: {only[:64]}")
    refresh_scope(db, principal, full=verify)
    with db.reading() as session:
        if not db.is_sqlite:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        bound = committed_version(session)
        rows = _page(session, principal, after, bound, limit, only)
        more = len(rows) > limit
        rows = rows[:limit]
        # A pull starts at a cursor that ended a page sequence (rank past the last entity):
        # only then are the rows of newly visible accounts added, before the page's own.
        backfill = (_backfill(session, principal, after, bound)
                    if cursor and only is None and after[1] == len(NAMES) else [])
        if cursor and only in (None, "users"):
            served = [*backfill, *((name, r) for _key, name, r in rows)]
            backfill = [*_referenced_users(session, principal, served, after, bound),
                        *backfill]
        revoked: list[str] = []
        if cursor and only is None:
            revoked = list(session.scalars(
                select(ScopeMember.account_id).where(
                    ScopeMember.user_id == principal.user_id,
                    ScopeMember.removed_version >= after[0])
                .order_by(ScopeMember.account_id)))
        mine = set(session.scalars(territories_of(principal)))
        counts = (cached_checkpoint(session, principal, bound)
                  if verify and not more else None)
    next_cursor = encode_cursor(*rows[-1][0]) if more else encode_cursor(bound, len(NAMES), "")
    return {
        "changes": [*({"entity": name, "row": _out(name, row, mine)} for name, row in backfill),
                    *({"entity": name, "row": _out(name, row, mine)}
                      for _key, name, row in rows)],
        "revoked": [{"entity": "accounts", "id": a} for a in revoked],
        "cursor": next_cursor,
        "more": more,
        "checkpoint": counts,
        "server_time": to_wire(utcnow()),
    }
