"""A doctor erased on the server leaves this laptop's file at the next pull (docs/gdpr.md).

The server marks an erasure by the account's tombstone: `deleted` and an empty `name`
(server/gdpr_erase.py keeps nothing but the id, kind and territory). When a page brings
one, the doctor's rows are removed before the page is written (`app.sync.revoke` removes
the account with its calls, samples, consents, inquiries ...), and with them what only this
laptop holds about the doctor: suggestions, unsent changes in the outbox, the conflict
list, local audit entries, and the rejected and diverged changes the sync remembers. The
tombstone itself is not stored: nothing of the doctor is left to hide.

On the disk: the connection deletes with `secure_delete` (freed bytes are zeroed), the
search index is merged so the doctor's words leave its segments, and after the commit the
WAL is checkpointed and truncated (`scrub_files`), so no old page image keeps the doctor.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

from app.store.database import Database
from app.store.search import rebuild_search
from app.sync import state
from app.sync.revoke import remove_accounts

log = logging.getLogger(__name__)


def erased_accounts(changes: Iterable[dict[str, Any]]) -> list[str]:
    """The ids of the accounts a page's changes mark as erased."""
    return [c["row"]["id"] for c in changes
            if c["entity"] == "accounts" and c["row"].get("deleted") is True
            and c["row"].get("name") == ""]


#: The ids of the rows of one account (:a) that only this laptop may still mention
#: elsewhere (outbox, conflicts, audit, logs): rows of its own and of its calls.
_ROW_IDS = (
    "SELECT id FROM accounts WHERE id = :a",
    *(f"SELECT id FROM {t} WHERE account_id = :a"
      for t in ("addresses", "external_ids", "touchpoints", "channel_consents", "interactions",
                "tasks", "presentation_sessions", "medical_inquiries", "suggestions", "samples",
                "attendees", "change_requests", "emails")),
    "SELECT id FROM affiliations WHERE hcp_id = :a OR hco_id = :a",
    *(f"SELECT id FROM {t} WHERE interaction_id IN (SELECT id FROM interactions "
      f"WHERE account_id = :a)"
      for t in ("attendees", "discussed_products", "discussed_key_messages", "samples",
                "tasks", "presentation_sessions", "emails")),
    "SELECT id FROM medical_answers WHERE inquiry_id IN (SELECT id FROM medical_inquiries "
    "WHERE account_id = :a)",
    *(f"SELECT id FROM {t} WHERE session_id IN (SELECT id FROM presentation_sessions "
      f"WHERE account_id = :a OR interaction_id IN (SELECT id FROM interactions "
      f"WHERE account_id = :a))" for t in ("slide_views", "clickstream_events")),
)

#: What refers to the account from rows that stay: cut before the account goes.
_UNLINK = (
    "UPDATE interactions SET address_id = NULL WHERE account_id != :a AND address_id IN "
    "(SELECT id FROM addresses WHERE account_id = :a)",
    # The doctor's sales figures follow the territory, not the account (app/store/market.py),
    # so only an erasure removes them with the doctor.
    "DELETE FROM market_sales WHERE account_id = :a",
    "DELETE FROM cycle_plans WHERE account_id = :a",  # a target for the doctor, likewise
    "DELETE FROM suggestions WHERE account_id = :a OR after_call_id IN "
    "(SELECT id FROM interactions WHERE account_id = :a)",
)

#: Personal fields of an account that could only be tombstoned (a row elsewhere still
#: refers to it): emptied all the same.
_BLANK = ("UPDATE accounts SET name = '', title = NULL, first_name = NULL, last_name = NULL, "
          "email = NULL, phone = NULL, notes = NULL, preferred_contact_time = NULL, "
          "preferred_language = NULL, opening_hours = NULL, name_key = '', search_text = '', "
          "deleted = 1 WHERE id = :a")


def erase_accounts(conn: Connection, account_ids: list[str], *,
                   revoked: list[str] | None = None) -> bool:
    """Within the page's transaction (immediate foreign keys, server data being applied):
    remove each erased account and every trace of it. Accounts `revoked` by the same page
    were removed already (`app.sync.revoke`); their words leave the search index here too.
    A laptop whose scope held an erased doctor only through an inquiry or an affiliation
    (an MSL's) is not sent the tombstone: the doctor leaves its scope, so it is revoked.

    True when something left the file (then `scrub_files` after the commit): a laptop that
    never held the doctor (a first sync meets every tombstone) has nothing to scrub."""
    gone: set[str] = set()
    for account_id in account_ids:
        for sql in _ROW_IDS:
            gone.update(conn.execute(text(sql), {"a": account_id}).scalars())
    if not gone and not revoked:
        return False
    conn.exec_driver_sql("PRAGMA secure_delete = ON")
    for account_id in account_ids:
        for sql in _UNLINK:
            conn.execute(text(sql), {"a": account_id})
    _forget(conn, gone)
    for account_id in remove_accounts(conn, account_ids):
        conn.execute(text(_BLANK), {"a": account_id})
    # Rebuilt, not merged: the index's segments still hold the words of a deleted row until
    # a merge reaches them, and an index that ever missed an update keeps them for good.
    rebuild_search(conn)
    if gone:
        log.info("erased %d account(s) on request of the server", len(account_ids))
    return True


#: The trigger that keeps the laptop's audit log append-only (migration 0001).
_AUDIT_GUARD = "audit_log_no_delete"


def _forget(conn: Connection, ids: set[str]) -> None:
    """Drop what only this laptop keeps about these rows."""
    # The audit log is append-only on the laptop (a trigger refuses deletes); an erasure is
    # the one lawful exception, so the trigger stands aside within this transaction. The
    # server keeps the entries, pseudonymised, and the author's laptop pulls them again so.
    guard = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                              "AND name = :n"), {"n": _AUDIT_GUARD}).scalar()
    if guard:
        conn.exec_driver_sql(f"DROP TRIGGER {_AUDIT_GUARD}")
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params = {f"i{n}": row_id for n, row_id in enumerate(chunk)}
        for table in ("outbox", "sync_conflicts", "audit_log", "sync_refusals"):
            conn.execute(text(f"DELETE FROM {table} WHERE row_id IN ({marks})"), params)
        # A refused change names the record it was about (its label), also for a row of
        # the doctor's that this laptop never held.
        conn.execute(text(f"DELETE FROM sync_refusals WHERE account_id IN ({marks})"), params)
    if guard:
        conn.exec_driver_sql(guard)
    for key in (state.REJECTIONS, state.DIVERGED):
        entries = state.get_json(conn, key, None)
        if isinstance(entries, list):
            kept = [e for e in entries if not (isinstance(e, dict) and e.get("row_id") in ids)]
            if len(kept) != len(entries):
                state.put(conn, key, json.dumps(kept, default=str))


def scrub_files(db: Database) -> None:
    """After the commit: no old copy of the erased rows may stay on the disk.

    When the store's connections run without `secure_delete` (SQLite builds without it, a
    store opened before it was switched on), rows deleted or rewritten earlier left their
    bytes in free space: then the file is rebuilt (VACUUM, after which the search index is
    rebuilt too, as VACUUM may renumber rowids). Either way the WAL's pages go into the
    database file and the WAL is truncated, so no old page image keeps the doctor."""
    with db.reader.connect() as conn:
        secure = _raw(conn).execute("PRAGMA secure_delete").fetchone()[0]
    if not secure:
        with db.writer.connect() as conn:
            _raw(conn).execute("VACUUM")
        with db.write() as session:
            session.info["from_server"] = True
            rebuild_search(session.connection())
    with db.writer.connect() as conn:
        _raw(conn).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _raw(conn: Any) -> Any:
    """The DBAPI connection: the engines wrap every statement in BEGIN, and SQLite neither
    vacuums nor checkpoints inside a transaction."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw
