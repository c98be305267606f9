"""Field-level merge against a base version, and the rule per field that decides a conflict.

A field is in conflict when it changed on the server after the mutation's `base_version`
(from another device: a device's own earlier edit is not concurrent with its later one) and
the pushed value differs from the server's. Who wins is declared per entity and field in the
contract (`app.contract.Entity.winner`, docs/sync-protocol.md): the server for master data,
the rep for what the rep authors and their own notes and preferences, the newest date for
consent.

Device clocks never decide: versions order changes, `consent_date` is the date the person
gave consent, a fact of the world and not of a clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import orjson

from app.contract import ENTITIES, Wins

MINE, THEIRS = "mine", "theirs"


def winner(entity: str, name: str, pushed: dict[str, Any], server_row: Any) -> str:
    """"mine" or "theirs" for a conflicting field."""
    spec = ENTITIES[entity]
    wins = spec.winner(name)
    if wins is Wins.NEWEST and spec.newest_by is not None:
        mine: dt.date | None = pushed.get(spec.newest_by)
        theirs: dt.date | None = getattr(server_row, spec.newest_by)
        return MINE if theirs is None or (mine is not None and mine >= theirs) else THEIRS
    return MINE if wins is Wins.REP else THEIRS


@dataclass
class Merged:
    """What a pushed upsert does to an existing row."""

    changes: dict[str, Any] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def field_versions(raw: str | None, row_version: int) -> dict[str, Any]:
    """`{field: [version, device]}` of a row, or {} when a writer that keeps no record (the
    master data import, the admin CLI) wrote the row since: then any field may have changed
    at the row's version, and the merge must assume so."""
    versions: dict[str, Any] = orjson.loads(raw) if raw else {}
    return versions if versions.get("_v") == row_version else {}


def merge(entity: str, row: Any, pushed: dict[str, Any], base_version: int, device: str
          ) -> Merged:
    """Merge `pushed` (checked values) into the server's `row` field by field."""
    versions = field_versions(row.field_versions, row.version)
    out = Merged()
    for name, mine in pushed.items():
        theirs = getattr(row, name)
        if mine == theirs:
            continue
        # A field without a record was last written with the row (import, admin): its
        # version is the row's, and no device wrote it.
        last_version, last_device = versions.get(name, (row.version, None))
        if last_version <= base_version or last_device == device:
            out.changes[name] = mine
            continue
        kept = winner(entity, name, pushed, row)
        out.conflicts.append({"field": name, "mine": mine, "theirs": theirs, "kept": kept})
        if kept == MINE:
            out.changes[name] = mine
    return out


def stamp(entity: str, raw: str | None, row_version: int, names: list[str] | tuple[str, ...],
          version: int, device: str) -> str:
    """`field_versions` after `names` were written at `version` by `device`. Fields without
    a trustworthy record were last changed at the row's version before this write, at the
    latest; `_v` is the version this record belongs to."""
    versions = field_versions(raw, row_version)
    for name in ENTITIES[entity].fields:
        versions.setdefault(name, [row_version, None])
    for name in names:
        versions[name] = [version, device]
    versions["_v"] = version
    return orjson.dumps(versions).decode()
