"""What this laptop holds about one doctor, for a subject-access request (GDPR Art. 15).

A rep asked by a doctor "what do you have about me" answers from the laptop, even offline:
every row of the local store that belongs to the doctor or names them, plus what only the
laptop holds (changes not sent yet, conflicts, the sync's list of refused changes). The
company's complete answer comes from the server's export (`fieldrep-server gdpr export`,
docs/gdpr.md); this one shows what the laptop carries, which may include unsent edits.

Medical answers are exported when the laptop holds them: only an MSL's laptop does, and
the MSL is a medical requester.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.i18n import tr
from app.services.errors import NotFoundError, ServiceError

FORMAT = "fieldrep-laptop-export/1"

_CALLS = "SELECT id FROM interactions WHERE account_id = :a"
_SESSIONS = (f"SELECT id FROM presentation_sessions WHERE account_id = :a "
             f"OR interaction_id IN ({_CALLS})")
_INQUIRIES = "SELECT id FROM medical_inquiries WHERE account_id = :a"

#: Per section of the export, the local rows of the doctor (:a).
SECTIONS: dict[str, str] = {
    "addresses": "SELECT * FROM addresses WHERE account_id = :a",
    "external_ids": "SELECT * FROM external_ids WHERE account_id = :a",
    "affiliations": "SELECT * FROM affiliations WHERE hcp_id = :a OR hco_id = :a",
    "consents": "SELECT * FROM channel_consents WHERE account_id = :a",
    "calls": f"SELECT * FROM interactions WHERE id IN ({_CALLS})",
    "attendees": f"SELECT * FROM attendees WHERE interaction_id IN ({_CALLS}) "
                 f"OR account_id = :a",
    "discussed_products": f"SELECT * FROM discussed_products WHERE interaction_id IN ({_CALLS})",
    "discussed_key_messages":
        f"SELECT * FROM discussed_key_messages WHERE interaction_id IN ({_CALLS})",
    "samples": f"SELECT * FROM samples WHERE account_id = :a "
               f"OR interaction_id IN ({_CALLS})",
    "tasks": f"SELECT * FROM tasks WHERE account_id = :a OR interaction_id IN ({_CALLS})",
    "presentations": f"SELECT * FROM presentation_sessions WHERE id IN ({_SESSIONS})",
    "slide_views": f"SELECT * FROM slide_views WHERE session_id IN ({_SESSIONS})",
    "clickstream": f"SELECT * FROM clickstream_events WHERE session_id IN ({_SESSIONS})",
    "inquiries": f"SELECT * FROM medical_inquiries WHERE id IN ({_INQUIRIES})",
    "medical_answers": f"SELECT * FROM medical_answers WHERE inquiry_id IN ({_INQUIRIES})",
    "suggestions": f"SELECT * FROM suggestions WHERE account_id = :a "
                   f"OR after_call_id IN ({_CALLS})",
}

#: What only this laptop holds about rows (by row id): unsent changes, conflicts, audit.
_BY_ROW_ID = {"audit": "audit_log", "unsent_changes": "outbox", "conflicts": "sync_conflicts"}

#: Derived local columns that repeat the master data (search text, sort key) are left out.
_DERIVED = frozenset({"search_text", "name_key"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _rows(session: Session, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row._mapping.items() if k not in _DERIVED}
            for row in session.execute(text(sql), params)]


def export_doctor(session: Session, account_id: str) -> dict[str, Any]:
    """Everything this laptop's store holds about one doctor, as JSON-ready values."""
    account_id = (account_id or "").strip()
    found = _rows(session, "SELECT * FROM accounts WHERE id = :a", {"a": account_id})
    if not found:
        raise NotFoundError(tr("This laptop holds no account with the id {id}.",
                               id=account_id))
    account = found[0]
    if account["kind"] != "hcp":
        raise ServiceError(tr("{name} is an institution: a data-protection export is made "
                              "for a person. Choose the doctor's account.",
                              name=account["name"]))
    out: dict[str, Any] = {"format": FORMAT, "generated_at": _plain(dt.datetime.now(dt.UTC)),
                           "subject": account}
    for section, sql in SECTIONS.items():
        out[section] = _rows(session, sql, {"a": account_id})
    ids = {account_id} | {r["id"] for rows in list(out.values()) if isinstance(rows, list)
                          for r in rows}
    ordered = sorted(ids)
    for section, table in _BY_ROW_ID.items():
        found = []
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            marks = ", ".join(f":i{n}" for n in range(len(chunk)))
            found += _rows(session, f"SELECT * FROM {table} WHERE row_id IN ({marks})",
                           {f"i{n}": i for n, i in enumerate(chunk)})
        out[section] = found
    return out


def write_export(session: Session, account_id: str, path: Path) -> dict[str, int]:
    """Write the export of one doctor to `path` (JSON, UTF-8); rows per section."""
    data = export_doctor(session, account_id)
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise ServiceError(tr("The export could not be written to {path}: {reason}. Choose "
                              "another file.", path=str(path),
                              reason=exc.strerror or str(exc))) from exc
    return {k: len(v) for k, v in data.items() if isinstance(v, list)}
