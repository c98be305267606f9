"""Everything the server holds about one doctor, for a subject-access request (GDPR Art. 15).

The export is built from `server.gdpr_rows.collect`, the same rows an erasure removes, as
plain JSON (the wire format of each row, `app.contract`, plus the names a reader needs:
products, key messages, slides, institutions, the colleagues who visited). The PDF
(`server.gdpr_pdf`) renders this same dict, so both always say the same.

Medical answers pass the firewall between promotion and medical only for a medical
requester: they are included when the caller asks for them and is allowed to (an admin or
an MSL through the API, the operator with `--medical` on the command line); a non-medical
export lists the inquiries (the doctor's own questions) and says that answers were left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.contract import to_wire
from server.gdpr_rows import HcpRows, collect, table_named
from server.models import Erasure, utcnow
from server.sync.wire import row_out

FORMAT = "fieldrep-gdpr-export/1"


def _names(session: Session, table: str, column: str) -> dict[str, str]:
    t = table_named(table)
    return {k: v for k, v in session.execute(select(t.c.id, t.c[column])).tuples()}


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: to_wire(v) for k, v in row.items() if k != "field_versions"}


def _by(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row[key]].append(row)
    return out


def build(session: Session, account_id: str, *, medical: bool, requested_by: str
          ) -> dict[str, Any]:
    """The export of one doctor; `medical` includes the medical answers."""
    rows = collect(session, account_id)
    products = _names(session, "products", "name")
    users = _names(session, "users", "display_name")
    key_messages = _names(session, "key_messages", "title")
    slides = _names(session, "slides", "title")
    presentations = _names(session, "presentations", "title")
    own = {name: [row_out(name, r) for r in found] for name, found in rows.own.items()}
    history = _history(rows)
    erasure = session.get(Erasure, account_id)
    out: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": to_wire(utcnow()),
        "requested_by": requested_by,
        "medical_answers_included": medical,
        "subject": row_out("accounts", rows.account),
        "erasure": None if erasure is None else {
            "erased_at": to_wire(erasure.erased_at), "erased_by": erasure.erased_by,
            "retained": json.loads(erasure.retained)},
        "addresses": own["addresses"],
        "external_ids": own["external_ids"],
        "affiliations": [{**a, "institution": _institution(session, a["hco_id"])}
                         for a in own["affiliations"]],
        "consents": [{**c, "history": history.get(c["id"], [])}
                     for c in own["channel_consents"]],
    }
    children = {name: _by(own[name], "interaction_id")
                for name in ("attendees", "discussed_products", "discussed_key_messages",
                             "samples")}
    out["calls"] = [{
        **call, "owner": users.get(call["owner_id"] or ""),
        "attendees": children["attendees"].get(call["id"], []),
        "products": [{**p, "product": products.get(p["product_id"])}
                     for p in children["discussed_products"].get(call["id"], [])],
        "key_messages": [{**k, "title": key_messages.get(k["key_message_id"])}
                         for k in children["discussed_key_messages"].get(call["id"], [])],
        "samples": [{**s, "product": products.get(s["product_id"])}
                    for s in children["samples"].get(call["id"], [])],
        "history": history.get(call["id"], []),
    } for call in own["interactions"]]
    out["attended_calls"] = [row_out("attendees", r) for r in rows.mentions["attendees"]]
    out["tasks"] = own["tasks"]
    views, clicks = _by(own["slide_views"], "session_id"), _by(own["clickstream_events"],
                                                               "session_id")
    out["presentations"] = [{
        **s, "presentation": presentations.get(s["presentation_id"]),
        "slide_views": [{**v, "slide": slides.get(v["slide_id"])} for v in views[s["id"]]],
        "clickstream": clicks[s["id"]],
    } for s in own["presentation_sessions"]]
    answers = _by(own["medical_answers"], "inquiry_id")
    out["inquiries"] = [{
        **q, "product": products.get(q["product_id"]),
        **({"answers": answers.get(q["id"], [])} if medical else {}),
    } for q in own["medical_inquiries"]]
    out["suggestions"] = own["suggestions"]
    out["touchpoints"] = own["touchpoints"]  # what outside systems reported (integration API)
    out["audit"] = [_plain(a) for a in rows.audit]
    return out


def _institution(session: Session, hco_id: str) -> str | None:
    accounts = table_named("accounts")
    return session.scalar(select(accounts.c.name).where(accounts.c.id == hco_id))


def _history(rows: HcpRows) -> dict[str, list[dict[str, Any]]]:
    """Per row id, what the audit log and the conflict log say happened to it, oldest first:
    the history of a consent (who recorded which state when)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in rows.audit:
        out[entry["row_id"]].append({
            "at": to_wire(entry["at"]), "action": entry["action"], "by": entry["user_id"],
            "details": _parsed(entry["details"])})
    for c in rows.conflicts:
        out[c["row_id"]].append({
            "at": to_wire(c["at"]), "action": "conflict", "by": c["user_id"],
            "details": {"field": c["field"], "pushed": _parsed(c["mine"]),
                        "server": _parsed(c["theirs"]), "kept": c["kept"]}})
    for entries in out.values():
        entries.sort(key=lambda e: str(e["at"]))
    return out


def _parsed(text: str | None) -> Any:
    """Stored JSON as a value; text that is not JSON as it is (an export never fails on it)."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text
