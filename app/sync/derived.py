"""Which accounts a synced row touches, so their derived local columns can be refreshed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from app.store.search import refresh_accounts
from app.sync.rows import advance_last_contact

#: Entities whose rows feed an account's search text / city (app/store/search.py).
SEARCH_SOURCES = {"accounts", "addresses", "external_ids"}


class Touched:
    """Accounts whose derived columns need recomputing at the end of a transaction.

    `last_contact_at` only ever moves forward here: a submitted call is never changed or
    removed (lock triggers, server rules), so the latest start among the page's submitted
    calls is compared with the stored value, at a cost that follows the page, not the
    account's whole history (a full recount per page made an initial sync 15x slower).
    A visit the doctor did not receive is an attempt, not a contact: it moves nothing.
    """

    def __init__(self) -> None:
        self.search: set[str] = set()
        self.contact: dict[str, dt.datetime] = {}

    def add(self, entity: str, values: Mapping[str, Any]) -> None:
        """`values`: the row as stored locally (converted from the wire)."""
        if entity == "accounts" and isinstance(values.get("id"), str):
            self.search.add(values["id"])
        elif entity in SEARCH_SOURCES and isinstance(values.get("account_id"), str):
            self.search.add(values["account_id"])
        elif (entity == "interactions" and values.get("status") == "submitted"
              and not values.get("deleted") and not values.get("not_received")
              and isinstance(values.get("start_at"), dt.datetime)
              and isinstance(values.get("account_id"), str)):
            account, start = values["account_id"], values["start_at"]
            if account not in self.contact or self.contact[account] < start:
                self.contact[account] = start

    def add_accounts(self, ids: Iterable[str]) -> None:
        self.search.update(ids)

    def refresh(self, conn: Connection) -> None:
        refresh_accounts(conn, self.search)
        advance_last_contact(conn, self.contact)
