"""The change feed: pages of what changed in a service account's scope, for a data warehouse
or any other downstream system (docs/integration.md, "The change feed").

It is the pull's page read with another scope (`server.sync.pull.snapshot_page`), not a
mechanism of its own: the same opaque `(version, entity, id)` cursor, the same one snapshot
per page, the same ceiling at the change counter that snapshot saw. So it never skips a row
a concurrent writer commits late, for the reason the pull never does (`server/sync/pull.py`):
every writer holds the counter's row lock until it commits, so no version below the ceiling
can still appear. The scope is the service account's territories (`server.sync.scoping.
feed_filter`), and only the entities of `FEED_ENTITIES` leave the server. A row comes as it
is now: a row changed twice between two reads comes once, at its newest version.

A GDPR erasure deletes the doctor's rows on the server, so they can never be served after
it; the account itself stays as a tombstone whose personal fields are empty (`name` ""),
and the feed serves that tombstone: the downstream system's sign to erase what it holds of
the doctor (`erased: true` on the change says so plainly).
"""

from __future__ import annotations

from typing import Any

from server.db import Database
from server.integration.service_accounts import Caller
from server.sync.pull import snapshot_page
from server.sync.scoping import FEED_ENTITIES, feed_filter
from server.sync.wire import row_out

DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000
#: Columns that stay on the server although their entity is exported: the strokes of a
#: doctor's signature on a sample receipt are evidence for the authority, not data.
OMITTED: dict[str, tuple[str, ...]] = {"interactions": ("signature",)}

__all__ = ["DEFAULT_LIMIT", "FEED_ENTITIES", "MAX_LIMIT", "changes"]


def _change(name: str, row: Any) -> dict[str, Any]:
    out = row_out(name, row)
    for column in OMITTED.get(name, ()):
        out.pop(column, None)
    change: dict[str, Any] = {"entity": name, "row": out}
    if name == "accounts" and out.get("deleted") and out.get("name") == "":
        change["erased"] = True
    return change


def changes(db: Database, caller: Caller, cursor: str | None, limit: int) -> dict[str, Any]:
    """One page of the feed after `cursor` (none: from the beginning). Raises wire.Rejected
    for a cursor this server did not write."""
    def where(name: str, _per_row: bool) -> Any:
        return feed_filter(name, caller.territories)

    rows, next_cursor, more = snapshot_page(db, cursor, limit, where)
    return {"changes": [_change(name, row) for name, row in rows], "cursor": next_cursor,
            "more": more}
