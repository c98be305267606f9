"""A history checker for the sync guarantee (docs/sync-protocol.md, "The guarantee"), in the
manner of Jepsen's: after a concurrent run, read back from the server's own records every
acknowledged write of the tracked fields, per row and field in version order, and check each
overwrite: the value it replaced was either seen by the writer before the edit, or is in the
conflict log on the server and on the laptop whose push met it.

What the server keeps and the checker reads: each idempotency record holds the answer to its
mutation (the row as it stood after it) and `applied_version`, the version it wrote; so the
row's states in version order, and who wrote each, come from the server alone. What the
writer had seen is the laptops' side of the story: before each edit the simulation notes
every tracked value its replica holds (`Observer`), and which mutation each edited field
went into. Values written in the run are unique, so "seen" is a plain comparison.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from server.models import ConflictEntry, IdempotencyRecord
from server.sync.wire import wire_columns

#: Fields whose every write in the simulation is a value never written before.
TRACKED = {
    "accounts": ("phone", "notes", "preferred_contact_time"),
    "channel_consents": ("source",),
    "interactions": ("notes",),
}

Key = tuple[str, str, str]  # entity, row id, field


@dataclass
class Observer:
    """What one laptop has shown, and which values each of its mutations was typed over."""

    seen: dict[Key, set[Any]] = field(default_factory=lambda: defaultdict(set))
    #: (mutation id, field) -> the values of that field the laptop had shown before the edit
    typed_over: dict[tuple[str, str], frozenset[Any]] = field(default_factory=dict)

    def look(self, conn: Connection) -> dict[str, dict[str, Any]]:
        """Note every tracked value the replica holds; the outbox as it stands."""
        for entity, names in TRACKED.items():
            for row in conn.execute(text(f"SELECT id, {', '.join(names)} FROM {entity}")):
                for name in names:
                    self.seen[(entity, row.id, name)].add(getattr(row, name))
        return {m: json.loads(f) for m, f in conn.execute(
            text("SELECT mutation_id, fields FROM outbox"))}

    def edited(self, conn: Connection, before: dict[str, dict[str, Any]],
               entity_of: dict[str, tuple[str, str]]) -> None:
        """After an edit: each tracked field it put into a mutation was typed over what the
        laptop had shown of that field until then."""
        for mutation_id, entity, row_id, raw in conn.execute(
                text("SELECT mutation_id, entity, row_id, fields FROM outbox")):
            fields = json.loads(raw)
            entity_of[mutation_id] = (entity, row_id)
            old = before.get(mutation_id, {})
            for name in TRACKED.get(entity, ()):
                if name in fields and (name not in old or old[name] != fields[name]):
                    self.typed_over[(mutation_id, name)] = frozenset(
                        self.seen[(entity, row_id, name)])


@dataclass
class Lost:
    entity: str
    row_id: str
    field: str
    value: Any  # the acknowledged value that was overwritten
    by: Any  # the value that replaced it
    version: int
    device: str

    def __str__(self) -> str:
        return (f"{self.entity}.{self.field} of {self.row_id}: {self.value!r} overwritten by "
                f"{self.by!r} from laptop {self.device} at version {self.version}, unseen "
                "and in no conflict log")


@dataclass
class _State:
    version: int
    row: dict[str, Any]
    writer: tuple[str, str] | None  # (mutation id, device) that wrote this version


def _histories(s: Session, users: list[str]) -> dict[tuple[str, str], list[_State]]:
    """Per (entity, row id): the row's acknowledged states in version order."""
    states: dict[tuple[str, str], dict[int, _State]] = defaultdict(dict)
    for mutation_id, device, raw, applied in s.execute(
            select(IdempotencyRecord.mutation_id, IdempotencyRecord.device_id,
                   IdempotencyRecord.response, IdempotencyRecord.applied_version)
            .where(IdempotencyRecord.user_id.in_(users),
                   IdempotencyRecord.status.in_(("applied", "conflict")))):
        answer = orjson.loads(raw)
        row, version = answer.get("row"), answer.get("version")
        entity = _entity_of_answer(answer, row)
        if row is None or entity is None or not isinstance(version, int):
            continue
        known = states[(entity, row["id"])].setdefault(version, _State(version, row, None))
        if applied == version:
            known.writer = (mutation_id, device)
    return {k: sorted(v.values(), key=lambda st: st.version) for k, v in states.items()}


_BY_COLUMNS = {frozenset(wire_columns(name)): name for name in TRACKED}


def _entity_of_answer(answer: dict[str, Any], row: dict[str, Any] | None) -> str | None:
    """The entity of an answered row, told by its columns (answers do not name it)."""
    return None if row is None else _BY_COLUMNS.get(frozenset(row))


LocalLog = set[tuple[str, str, str, str]]


def local_log(conn: Connection) -> LocalLog:
    """A laptop's conflict list as (entity, row id, field, value as JSON), both sides."""
    return {(e, r, f, v) for e, r, f, v in conn.execute(text(
        "SELECT entity, row_id, field, mine FROM sync_conflicts UNION "
        "SELECT entity, row_id, field, theirs FROM sync_conflicts"))}


def check(s: Session, users: list[str], observers: dict[str, Observer],
          local_logs: dict[str, LocalLog], initial: dict[tuple[str, str], dict[str, Any]]
          ) -> list[Lost]:
    """Every overwrite that no one saw and no conflict log holds. `initial`: the rows the
    server started with (master data), as (entity, id) -> field values; `local_logs`: each
    laptop's conflict list by device."""
    logged: dict[Key, list[tuple[str, str, str]]] = defaultdict(list)
    for entity, row_id, name, mine, theirs, device in s.execute(
            select(ConflictEntry.entity, ConflictEntry.row_id, ConflictEntry.field,
                   ConflictEntry.mine, ConflictEntry.theirs, ConflictEntry.device_id)
            .where(ConflictEntry.user_id.in_(users))):
        logged[(entity, row_id, name)].append((mine, theirs, device))
    lost: list[Lost] = []
    for (entity, row_id), states in _histories(s, users).items():
        if entity not in TRACKED:
            continue
        before = initial.get((entity, row_id))
        for state in states:
            if before is not None:
                for name in TRACKED[entity]:
                    old, new = before.get(name), state.row.get(name)
                    if old == new:
                        continue
                    assert state.writer is not None, (
                        f"{entity} {row_id}.{name} changed at {state.version} by no record")
                    mutation_id, device = state.writer
                    seen = observers[device].typed_over.get((mutation_id, name), frozenset())
                    if old in seen:
                        continue
                    wire = json.dumps(old)
                    in_server_log = [d for mine, theirs, d in logged[(entity, row_id, name)]
                                     if wire in (mine, theirs)]
                    if any((entity, row_id, name, wire) in local_logs.get(d, set())
                           for d in in_server_log):
                        continue
                    lost.append(Lost(entity, row_id, name, old, new, state.version, device))
            before = state.row
    return lost
