"""Taking the server's answers to a push into the local rows, a batch at a time.

Each answered mutation gives its row the server's version (and, when the answer carries it,
the server's row), keeps the fields with an unsent local edit, and re-bases the row's later
unsent mutations on the new version. Done one mutation at a time this was seven statements
and a savepoint each, most of an everyday sync's time; here it is a few statements per
entity: which rows exist, which fields are pending, one executemany per column set inside a
savepoint, one executemany of the re-basing.

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

_REBASE = (
    update(_outbox)
    .where(_outbox.c.entity == bindparam("b_entity"), _outbox.c.row_id == bindparam("b_row"),
           _outbox.c.seq > bindparam("b_seq"), _outbox.c.base_version == bindparam("b_base"),
           _outbox.c.in_flight.is_(False))
    .values(base_version=bindparam("b_version"))
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
    rebase: list[dict[str, Any]] = []
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
            rebase.append({"b_entity": entity, "b_row": a.row_id, "b_seq": a.seq,
                           "b_base": a.base_version, "b_version": a.version})
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
    if rebase:
        conn.execute(_REBASE, rebase)


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
