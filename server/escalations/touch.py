"""Bring an account with its whole history into a pull again, for a user whose scope grows.

An incremental pull serves rows above the user's cursor. An account that enters an MSL's
scope because an inquiry was routed there has rows of old versions, and the inquiry (new)
refers to them; so the routing gives the account and every row that hangs from it the
routing's version. Everyone else who sees the account gets the same rows again, unchanged.
`field_versions` is carried over to the new version, so no field looks freshly edited to the
field merge (server/sync/merge.py) and a rep's concurrent edit is not taken for a conflict.
"""

from __future__ import annotations

from sqlalchemy import CursorResult, bindparam, select, text, update
from sqlalchemy.orm import Session

from server.sync import merge
from server.sync.wire import table_of

_CALLS = "SELECT id FROM interactions WHERE account_id = :a"
_SESSIONS = (f"SELECT id FROM presentation_sessions WHERE account_id = :a "
             f"OR interaction_id IN ({_CALLS})")
_INQUIRIES = "SELECT id FROM medical_inquiries WHERE account_id = :a"

#: Entity -> the ids of its rows that belong to account :a (the pull's scope rules).
ROWS_OF_ACCOUNT = {
    "accounts": "SELECT id FROM accounts WHERE id = :a",
    "addresses": "SELECT id FROM addresses WHERE account_id = :a",
    "external_ids": "SELECT id FROM external_ids WHERE account_id = :a",
    "touchpoints": "SELECT id FROM touchpoints WHERE account_id = :a",
    "channel_consents": "SELECT id FROM channel_consents WHERE account_id = :a",
    "interactions": _CALLS,
    **{child: f"SELECT id FROM {child} WHERE interaction_id IN ({_CALLS})"
       for child in ("attendees", "discussed_products", "discussed_key_messages", "samples")},
    "tasks": "SELECT id FROM tasks WHERE account_id = :a",
    "audit_log": ("SELECT id FROM audit_log WHERE (entity = 'accounts' AND row_id = :a) "
                  f"OR (entity = 'interactions' AND row_id IN ({_CALLS})) "
                  f"OR (entity = 'medical_inquiries' AND row_id IN ({_INQUIRIES}))"),
    "presentation_sessions": _SESSIONS,
    "slide_views": f"SELECT id FROM slide_views WHERE session_id IN ({_SESSIONS})",
    "clickstream_events": f"SELECT id FROM clickstream_events WHERE session_id IN ({_SESSIONS})",
    "medical_inquiries": _INQUIRIES,
    "medical_answers": f"SELECT id FROM medical_answers WHERE inquiry_id IN ({_INQUIRIES})",
}


def touch_account(session: Session, account_id: str, version: int) -> int:
    """Give the account and its rows `version`; how many rows were touched."""
    touched = 0
    for entity, ids_sql in ROWS_OF_ACCOUNT.items():
        table = table_of(entity)
        if "field_versions" not in table.c:  # written by the server only: nothing to merge
            result = session.execute(
                update(table).where(table.c.id.in_(
                    text(ids_sql).bindparams(a=account_id).columns(table.c.id)),
                    table.c.version < version).values(version=version))
            touched += int(result.rowcount) if isinstance(result, CursorResult) else 0
            continue
        rows = session.execute(
            select(table.c.id, table.c.version, table.c.field_versions)
            .where(table.c.id.in_(text(ids_sql).bindparams(a=account_id).columns(table.c.id))
                   , table.c.version < version)).all()
        if not rows:
            continue
        session.execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values(version=version, field_versions=bindparam("b_fv")),
            [{"b_id": r.id, "b_fv": merge.stamp(entity, r.field_versions, r.version, [],
                                                 version, "server")} for r in rows])
        touched += len(rows)
    return touched
