"""Bulk inserts with SQLAlchemy Core, for rows that arrive in their hundreds of thousands.

Why Core and not the ORM: on the machines we measured (docs/platform.md) the ORM's `add_all` loads
~17k rows/s and Core `executemany` ~61k rows/s; generating a demo territory of a million calls
through the ORM would take the better part of an hour instead of minutes.

Why the statement is compiled once and fed tuples: `conn.execute(insert(table), dicts)`
spends more time re-processing each dict (`construct_params`) than SQLite spends inserting
it (profiled: 2.1 s of SQLAlchemy against 1.2 s of SQLite for 280k demo rows). Here Core
compiles the INSERT once per table and column set, each value goes through the same bind
processor SQLAlchemy would apply (dates to ISO text, booleans to 0/1), and the driver gets
plain tuples through `Connection.exec_driver_sql`: same SQL, same stored values, same
transaction and connection events, roughly 1.5x the speed (benchmarks/store.py).

Why no sync outbox: the outbox hook lives on the ORM session (`app.store.outbox`), and Core
bypasses it on purpose. Rows loaded here come from "the server" (master data, demo data, a
full refresh): they are already the server's, so sending them back as local edits would be
wrong. Local edits by a person go through the services and the ORM, never through this path.

Rows must be complete and alike: every row has the same keys, and every column without a
value in them must be nullable or have a server default (Python-side defaults do not run).

`upsert_rows` is the same path for the sync's pages: an INSERT ... ON CONFLICT (id) DO UPDATE
of the given columns (SQLAlchemy's own SQLite upsert, compiled once per table and column set).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

#: Rows per `executemany`: large enough that per-call overhead vanishes, small enough that
#: the converted copy of the parameters stays a few MiB.
CHUNK_ROWS = 20_000

_Processor = Callable[[Any], Any]


@functools.lru_cache(maxsize=256)
def _plan(dialect: Dialect, table: Table, keys: tuple[str, ...],
          update: tuple[str, ...] | None = None
          ) -> tuple[str, Callable[[Mapping[str, Any]], tuple[Any, ...]],
                     tuple[tuple[int, _Processor], ...]]:
    """The compiled INSERT, how to pick a row's values in its order, and their processors.

    With `update` (column names, maybe none) the INSERT is an upsert on the primary key `id`
    that sets those columns from the new row, or does nothing when `update` is empty."""
    if update is None:
        stmt: Any = insert(table)
    else:
        new = sqlite_insert(table)
        stmt = (new.on_conflict_do_update(index_elements=["id"],
                                          set_={k: new.excluded[k] for k in update})
                if update else new.on_conflict_do_nothing(index_elements=["id"]))
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
    order = tuple(compiled.positiontup or ())
    missing = [name for name in order if name not in keys]
    defaults = {name: _python_default(table, name) for name in missing} if update is not None \
        else {}
    if any(f is None for f in defaults.values()) or len(order) != len(keys) + len(defaults):
        raise ValueError(f"bulk rows for {table.name} need values for {missing or keys}")
    processors = tuple(
        (i, proc) for i, name in enumerate(order)
        if (proc := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    )
    fetch: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    if defaults:
        def fetch(row: Mapping[str, Any]) -> tuple[Any, ...]:
            return tuple(row[n] if n in row else defaults[n]() for n in order)  # type: ignore[misc]
    else:
        pick = itemgetter(*order)
        fetch = pick if len(order) > 1 else lambda row: (pick(row),)
    return compiled.string, fetch, processors


def _python_default(table: Table, name: str) -> Callable[[], Any] | None:
    """The Python-side default SQLAlchemy's own INSERT would give a column the rows lack
    (a constant, or a function such as `utcnow` called per row); None when it has none."""
    default = table.c[name].default
    if default is None:
        return None
    if getattr(default, "is_scalar", False):
        value = default.arg  # type: ignore[attr-defined]
        return lambda: value
    if getattr(default, "is_callable", False):
        make = default.arg  # type: ignore[attr-defined]
        return lambda: make(None)  # SQLAlchemy wraps a no-argument function to take a context
    return None


def _converted(values: tuple[Any, ...],
               processors: tuple[tuple[int, _Processor], ...]) -> tuple[Any, ...]:
    out = list(values)
    for i, proc in processors:
        out[i] = proc(out[i])
    return tuple(out)


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                *, chunk_rows: int = CHUNK_ROWS) -> int:
    """Insert `rows` into `table` on `conn` (inside the caller's transaction); the row count.

    The caller owns the transaction: loading many tables in one transaction makes the load
    all-or-nothing, and one commit (one fsync) is much faster than one per chunk.
    """
    if not rows:
        return 0
    sql, fetch, processors = _plan(conn.dialect, table, tuple(rows[0]))
    for start in range(0, len(rows), chunk_rows):
        chunk = rows[start:start + chunk_rows]
        params = ([_converted(fetch(row), processors) for row in chunk] if processors
                  else [fetch(row) for row in chunk])
        conn.exec_driver_sql(sql, params)
    return len(rows)


def upsert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                update: Sequence[str]) -> None:
    """Insert `rows` (all with the same keys, `id` among them), or on an existing id set the
    columns in `update` to the row's values (none: leave the existing row alone). One
    executemany inside the caller's transaction; an IntegrityError fails it whole, so the
    caller wraps it in a savepoint when it wants to find the refused row."""
    if not rows:
        return
    sql, fetch, processors = _plan(conn.dialect, table, tuple(rows[0]), tuple(update))
    params = ([_converted(fetch(row), processors) for row in rows] if processors
              else [fetch(row) for row in rows])
    conn.exec_driver_sql(sql, params)
