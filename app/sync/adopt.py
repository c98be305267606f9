"""Taking the server's answers to a push into the local rows, a batch at a time.

Each answered mutation gives its row the server's version (and, when the answer carries it,
the server's row) and keeps the fields with an unsent local edit. Done one mutation at a time
this was seven statements and a savepoint each, most of an everyday sync's time; here it is a
few statements per entity: which rows exist, which fields are pending, one executemany per
column set inside a savepoint.

Why the row's later unsent mutations keep their base version (docs/sync-protocol.md, "The
guarantee"): the version an answer carries may hold other devices' changes that this laptop
never saw (another laptop's edit of the same row, applied between the base and this
mutation). Moving a later mutation's base up to it made the server take those changes for
seen, and the later mutation overwrote them without a conflict: acknowledged writes lost
without a trace. The server already treats a field last written by this same device as seen
(server/sync/merge.py), so the old base is enough for the laptop's own earlier changes and
keeps every other device's change in the merge. The other way round, a later mutation that
carries a field of an answered one is held back to that one's base (`hold_back`): its value
was typed over the laptop's unsent value, not over the server's, whatever version the row
took from a pull meanwhile.

Why batching changes nothing: a push batch holds at most one mutation per row
(app/sync/push.py), and each of these steps reads and writes only its own row and its own
outbox entries, so their order within a batch does not matter. The one answer that reaches
other rows (a new row the server merged into a twin under another id: the local row gives
way, its unsent mutations are pointed at the server's id) is applied alone, in its place in
the answer's order, after everything before it. A row the database refuses (a lock trigger)
makes the executemany fail whole; the batch is then applied row by row, each in its own
savepoint, and only the refused row keeps its local state (noted in `sync.diverged`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Integer, Table, bindparam, select, update
from sqlalchemy.exc import DBAPIError

from app.store.bulk import upsert_rows
from app.store.journal import OutboxMutation
from app.sync import state
from app.sync.derived import Touched
from app.sync.rows import _insert_defaults, local_values, table_for, take_over_twin, upsert

_outbox = cast(Table, OutboxMutation.__table__)

_HOLD_BACK = (
    update(_outbox)
    .where(_outbox.c.seq == bindparam("b_seq"))
    .values(base_version=bindparam("b_base"))
)


@dataclass
class Answer:
    """One answered mutation: which outbox entry, which row, the server's version and row."""

    seq: int
    entity: str
    row_id: str
    base_version: int
    version: int
    row: dict[str, Any] | None


def adopt_all(conn: Connection, answers: Iterable[Answer], touched: Touched) -> None:
    """Adopt the answers in order (their outbox entries already deleted by the caller)."""
    diverged: list[dict[str, Any]] = []
    run: list[Answer] = []
    for answer in answers:
        if table_for(answer.entity) is None:
            continue
        row = answer.row
        if row is not None and isinstance(row.get("id"), str) and row["id"] != answer.row_id:
            _adopt_run(conn, run, touched, diverged)
            run = []
            _adopt_twin(conn, answer, row, touched)
        else:
            run.append(answer)
    _adopt_run(conn, run, touched, diverged)
    state.append_log(conn, state.DIVERGED, diverged)


def _adopt_twin(conn: Connection, answer: Answer, row: dict[str, Any],
                touched: Touched) -> None:
    """The server merged this new row into one it holds under another id (a natural-key
    twin): the local row gives way to the server's, keeping its unsent values."""
    table = table_for(answer.entity)
    assert table is not None
    mine = take_over_twin(conn, answer.entity, local_values(answer.entity, row))
    upsert(conn, answer.entity, {**row, "version": answer.version})
    if mine:
        conn.execute(update(table).where(table.c.id == row["id"]).values(**mine))
    touched.add(answer.entity, local_values(answer.entity, row))


def _pending(conn: Connection, entity: str, row_ids: list[str]) -> dict[str, set[str]]:
    """Per row: the fields with an unsent local change ("deleted" for a pending delete)."""
    keep: dict[str, set[str]] = defaultdict(set)
    for row_id, op, raw in conn.execute(
            select(_outbox.c.row_id, _outbox.c.op, _outbox.c.fields)
            .where(_outbox.c.entity == entity, _outbox.c.row_id.in_(row_ids))):
        keep[row_id].update(["deleted"] if op == "delete" else json.loads(raw))
    return keep


def _adopt_run(conn: Connection, run: list[Answer], touched: Touched,
               diverged: list[dict[str, Any]]) -> None:
    by_entity: dict[str, list[Answer]] = defaultdict(list)
    for answer in run:
        by_entity[answer.entity].append(answer)
    for entity, answers in by_entity.items():
        table = table_for(entity)
        assert table is not None
        ids = [a.row_id for a in answers]
        existing = set(conn.execute(select(table.c.id).where(table.c.id.in_(ids))).scalars())
        keep = _pending(conn, entity, ids)
        defaults = _insert_defaults(table)
        # (insert columns, updated columns) -> rows; None -> rows that only take the version
        groups: dict[tuple[tuple[str, ...], tuple[str, ...]] | None,
                     list[tuple[Answer, dict[str, Any]]]] = defaultdict(list)
        for a in answers:
            if a.row_id not in existing:
                continue  # gone locally (e.g. its account left the territory): nothing to do
            if a.row is None:
                groups[None].append((a, {"b_id": a.row_id, "b_version": a.version}))
                continue
            values = local_values(entity, {**a.row, "id": a.row_id, "version": a.version})
            kept = keep.get(a.row_id, set())
            changes = tuple(k for k in values if k != "id" and k not in kept)
            values = {**defaults, **values}
            groups[(tuple(values), changes)].append((a, values))
        for key, members in groups.items():
            write = _bump(conn, table) if key is None else _upserting(conn, table, key[1])
            for a, values in _apply(conn, write, members, diverged, table):
                if a.row is not None:
                    touched.add(entity, values)


@dataclass
class Sent:
    """An answered mutation (any status): what its row's later mutations are held back to."""

    seq: int
    entity: str
    row_id: str
    base_version: int
    fields: frozenset[str]


def hold_back(conn: Connection, sent: Iterable[Sent]) -> None:
    """Later unsent mutations of an answered mutation's row that carry any of its fields
    take its base version when theirs is newer. Their value of such a field was made over
    the answered mutation's own (unsent, so kept through every pull), never over what the
    server held at the newer version; the answered mutation's base is the last version at
    which this laptop saw the server's value of that field."""
    by_row: dict[tuple[str, str], list[Sent]] = defaultdict(list)
    for s in sent:
        if s.fields:
            by_row[(s.entity, s.row_id)].append(s)
    if not by_row:
        return
    lower: dict[int, int] = {}
    for entity in {e for e, _r in by_row}:
        ids = [r for e, r in by_row if e == entity]
        for seq, row_id, raw, base in conn.execute(
                select(_outbox.c.seq, _outbox.c.row_id, _outbox.c.fields,
                       _outbox.c.base_version)
                .where(_outbox.c.entity == entity, _outbox.c.row_id.in_(ids),
                       _outbox.c.op == "upsert")):
            carried = set(json.loads(raw))
            for s in by_row[(entity, row_id)]:
                if seq > s.seq and s.base_version < lower.get(seq, base) \
                        and carried & s.fields:
                    lower[seq] = s.base_version
    if lower:
        conn.execute(_HOLD_BACK, [{"b_seq": seq, "b_base": base}
                                  for seq, base in lower.items()])


Write = Callable[[list[dict[str, Any]]], None]


def _upserting(conn: Connection, table: Table, changes: tuple[str, ...]) -> Write:
    return lambda rows: upsert_rows(conn, table, rows, changes)


def _bump(conn: Connection, table: Table) -> Write:
    """Only the version moves (the answer carried no row): never backwards."""
    stmt = (update(table)
            .where(table.c.id == bindparam("b_id"),
                   table.c.version < bindparam("b_version", type_=Integer()))
            .values(version=bindparam("b_version", type_=Integer())))

    def write(rows: list[dict[str, Any]]) -> None:
        conn.execute(stmt, rows)
    return write


def _apply(conn: Connection, write: Write, members: list[tuple[Answer, dict[str, Any]]],
           diverged: list[dict[str, Any]], table: Table) -> list[tuple[Answer, dict[str, Any]]]:
    """Write all members in one savepoint; when the database refuses one, row by row. The
    members written; a refused row keeps its local values and takes only the version."""
    nested = conn.begin_nested()
    try:
        write([values for _a, values in members])
        nested.commit()
        return members
    except DBAPIError:
        nested.rollback()
    done = []
    for a, values in members:
        nested = conn.begin_nested()
        try:
            write([values])
            nested.commit()
            done.append((a, values))
        except DBAPIError as exc:  # e.g. a lock trigger: keep the local row as it is
            nested.rollback()
            conn.execute(update(table).where(table.c.id == a.row_id).values(version=a.version))
            diverged.append({"entity": a.entity, "row_id": a.row_id, "version": a.version,
                             "reason": str(exc.orig)})
    return done
