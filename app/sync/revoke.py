"""Removing accounts that left the rep's scope, with the rows that depend on them.

The store's lock triggers refuse to delete a submitted call or its child rows, except inside
a transaction that applies server data (the `sync.applying` flag, migration 0005), where the
removal runs. Should the database still refuse a removal (a row another account's call refers
to), that account is kept as a local tombstone (`deleted = 1`, hidden from every list)
instead of failing the whole page forever.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import DBAPIError

from app.sync import state

log = logging.getLogger(__name__)

#: Child-first deletes for one account (:a); each names the rows that depend on it. Audit
#: entries of other users about the account or its calls go too (the server sends them only
#: while the account is in scope); the rep's own (:me) stay, as they do on the server.
_DELETES = (
    "DELETE FROM audit_log WHERE :me IS NOT NULL AND user_id IS NOT :me"
    " AND ((entity = 'accounts' AND row_id = :a) OR (entity = 'interactions'"
    " AND row_id IN (SELECT id FROM interactions WHERE account_id = :a)))",
    "DELETE FROM slide_views WHERE session_id IN (SELECT id FROM presentation_sessions "
    " WHERE account_id = :a OR interaction_id IN (SELECT id FROM interactions "
    " WHERE account_id = :a))",
    "DELETE FROM clickstream_events WHERE session_id IN (SELECT id FROM presentation_sessions "
    " WHERE account_id = :a OR interaction_id IN (SELECT id FROM interactions "
    " WHERE account_id = :a))",
    "DELETE FROM presentation_sessions WHERE account_id = :a OR interaction_id IN "
    " (SELECT id FROM interactions WHERE account_id = :a)",
    "DELETE FROM tasks WHERE account_id = :a OR interaction_id IN "
    " (SELECT id FROM interactions WHERE account_id = :a)",
    *(f"DELETE FROM {child} WHERE interaction_id IN (SELECT id FROM interactions "
      f" WHERE account_id = :a)"
      for child in ("attendees", "discussed_products", "discussed_key_messages", "samples",
                    "emails")),
    # Medical inquiries of the account and their answers (an MSL's laptop holds those).
    "DELETE FROM medical_answers WHERE inquiry_id IN (SELECT id FROM medical_inquiries "
    " WHERE account_id = :a)",
    "DELETE FROM medical_inquiries WHERE account_id = :a",
    "DELETE FROM attendees WHERE account_id = :a",
    "DELETE FROM samples WHERE account_id = :a",
    "DELETE FROM emails WHERE account_id = :a",
    "DELETE FROM interactions WHERE account_id = :a",
    "DELETE FROM addresses WHERE account_id = :a",
    "DELETE FROM external_ids WHERE account_id = :a",
    "DELETE FROM touchpoints WHERE account_id = :a",
    "DELETE FROM change_requests WHERE account_id = :a",
    "DELETE FROM channel_consents WHERE account_id = :a",
    "DELETE FROM affiliations WHERE hcp_id = :a OR hco_id = :a",
    "DELETE FROM demo_truth WHERE account_id = :a",
    "DELETE FROM accounts WHERE id = :a",
)


def remove_accounts(conn: Connection, account_ids: Iterable[str]) -> list[str]:
    """Remove each account with its rows; the ids that could only be tombstoned.

    Runs with immediate foreign-key checks (call it before deferring them), each account in
    a savepoint, so a refused delete undoes only that account's removal.
    """
    kept: list[str] = []
    me = state.get(conn, state.USER_ID)
    for account_id in dict.fromkeys(account_ids):
        nested = conn.begin_nested()
        try:
            for sql in _DELETES:
                conn.execute(text(sql), {"a": account_id, "me": me})
            nested.commit()
        except DBAPIError as exc:
            nested.rollback()
            log.warning("account %s left the scope but has locked rows; hidden: %s",
                        account_id, exc.orig)
            conn.execute(text("UPDATE accounts SET deleted = 1 WHERE id = :a"),
                         {"a": account_id})
            kept.append(account_id)
    return kept


def remove_rows(conn: Connection, table: str, ids: Iterable[str]) -> int:
    """Hard-delete rows the server no longer holds for us; a refused one is left. Count."""
    removed = 0
    for row_id in ids:
        nested = conn.begin_nested()
        try:
            conn.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})
            nested.commit()
            removed += 1
        except DBAPIError:
            nested.rollback()
    return removed


def ids_in(conn: Connection, table: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    return set(conn.execute(text(f"SELECT id FROM {table} WHERE id IN :ids")
                            .bindparams(bindparam("ids", expanding=True)), {"ids": ids})
               .scalars())
