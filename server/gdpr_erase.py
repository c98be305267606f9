"""Erasing one doctor (GDPR Art. 17) on the server, and keeping only what the law requires.

What goes, in one transaction (docs/gdpr.md says why for each):

- the doctor's rows (`server.gdpr_rows.OWN`): addresses, external ids, affiliations,
  consents, calls with their attendees, products, key messages and samples, tasks,
  presentations shown with their slide feedback and click streams, medical inquiries and
  answers, suggestions, sales figures;
- mentions in other accounts' rows: an attendee line on another account's call is blanked
  and tombstoned; another account's `parent_id` and a call held at the doctor's address
  lose the reference;
- the side copies: conflict-log entries of those rows, and the row copies in idempotency
  records (their answer is cut to mutation id and status, so a repeated push still gets its
  first answer's status);
- audit entries of those rows keep who did what and when, but their row id becomes one
  random pseudonym per erasure (stored nowhere) and their details are dropped;
- the account itself stays as a tombstone holding only its id, kind and territory (so every
  laptop holding the doctor is sent the tombstone and removes the doctor's rows,
  app/sync/erasure.py): every personal field is emptied, `name` becomes "" (the mark of an
  erased account on the wire).

What stays, in `erasures` (server only, never synced), keyed by the account id, no name:
samples handed out (product, lot, quantity, date, the recipient's signature strokes and
professional ids: AMG §47(4) requires proof of each sample's recipient, kind, quantity and
date, and of the written request), and withdrawn consents (channel, date, source: proof
that an objection was honoured, Art. 7(1), 17(3)(e) GDPR and §7 UWG).

On SQLite the erasing connection runs with `secure_delete` (freed bytes are overwritten)
and the WAL is truncated after the commit (`scrub_sqlite`), so no copy of the old pages
stays on the disk. On PostgreSQL dead tuples stay in the data files until VACUUM reuses
them (docs/gdpr.md: VACUUM FULL the tables listed there to force it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from app.ids import uuid7
from server.db import Database, next_versions
from server.gdpr_rows import OWN, HcpRows, collect, table_named
from server.models import Erasure, utcnow

#: Account columns an erasure empties: everything but id, kind, territory and the common
#: sync columns. `name` is NOT NULL, so it becomes "" (the mark of an erased account).
_PERSONAL = ("title", "first_name", "last_name", "specialty_id", "segment", "potential",
             "email", "phone", "preferred_contact_time", "preferred_language", "notes",
             "opening_hours", "parent_id", "field_versions")

#: Professional ids kept with the sample evidence: they identify the recipient to the
#: authority (the KV register resolves a LANR) without the CRM keeping the name.
EVIDENCE_ID_SYSTEMS = ("LANR", "BSNR")

#: The answer an idempotency record keeps once the row it copied is erased.
ERASED_REASON = "the row was erased on a data-protection request"


@dataclass
class ErasureReport:
    account_id: str
    already_erased: bool
    removed: dict[str, int] = field(default_factory=dict)
    blanked: dict[str, int] = field(default_factory=dict)
    retained: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "already_erased": self.already_erased,
                "removed": self.removed, "blanked": self.blanked,
                "retained": {k: len(v) for k, v in self.retained.items()}}


def _retained(session: Session, rows: HcpRows) -> dict[str, Any]:
    """The evidence the law requires to keep (see the module docstring), nothing more."""
    calls = {c["id"]: c for c in rows.own["interactions"]}
    products = table_named("products")
    names = {pid: name for pid, name in session.execute(select(products.c.id, products.c.name))}
    samples = []
    for s in rows.own["samples"]:
        if s["deleted"]:
            continue
        call = calls.get(s["interaction_id"], {})
        samples.append({
            "sample_id": s["id"], "call_id": s["interaction_id"], "product_id": s["product_id"],
            "product": names.get(s["product_id"]), "lot": s["lot"], "quantity": s["quantity"],
            "delivered_at": _iso(call.get("start_at")), "signed_at": _iso(call.get("signed_at")),
            "signature": call.get("signature")})
    withdrawn = [{"channel": c["channel"], "consent": c["consent"],
                  "consent_date": _iso(c["consent_date"]), "source": c["source"],
                  "recorded_at": _iso(c["updated_at"])}
                 for c in rows.own["channel_consents"] if c["consent"] == "withdrawn"]
    out: dict[str, Any] = {}
    if samples:
        out["samples"] = samples
        out["recipient_ids"] = [{"system": e["system"], "value": e["value"]}
                                for e in rows.own["external_ids"]
                                if e["system"].upper() in EVIDENCE_ID_SYSTEMS]
    if withdrawn:
        out["withdrawn_consents"] = withdrawn
    return out


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _chunks(ids: list[str], size: int = 200) -> list[list[str]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _purge_idempotency(session: Session, ids: set[str]) -> int:
    """Cut the stored answers that copy one of these rows down to mutation id and status."""
    records = table_named("idempotency_records")
    hit: dict[str, str] = {}
    for chunk in _chunks(sorted(ids), 100):
        for mutation_id, status in session.execute(
                select(records.c.mutation_id, records.c.status)
                .where(or_(*(records.c.response.contains(i) for i in chunk)))):
            hit[mutation_id] = status
    for mutation_id, status in hit.items():
        answer: dict[str, Any] = {"mutation_id": mutation_id, "status": status}
        if status == "rejected":
            answer["reason"] = ERASED_REASON
        session.execute(update(records).where(records.c.mutation_id == mutation_id)
                        .values(response=orjson.dumps(answer).decode()))
    return len(hit)


def _delete(session: Session, table: Table, ids: list[str]) -> None:
    for chunk in _chunks(ids):
        session.execute(delete(table).where(table.c.id.in_(chunk)))


def erase(session: Session, account_id: str, by: str) -> ErasureReport:
    """Erase one doctor (see the module docstring); GdprError for an unknown id or an
    institution, nothing changed then. Erasing again finds nothing left and says so."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
    rows = collect(session, account_id)
    record = session.get(Erasure, account_id)
    report = ErasureReport(account_id, already_erased=record is not None)
    version = next_versions(session)
    now = utcnow()
    retained = _retained(session, rows)
    pseudonym = uuid7()
    # References from other accounts' rows first, then the doctor's rows, children first.
    accounts, calls = table_named("accounts"), table_named("interactions")
    addresses = table_named("addresses")
    own_addresses = select(addresses.c.id).where(addresses.c.account_id == account_id)
    children = select(accounts.c.id).where(accounts.c.parent_id == account_id)
    at_address = select(calls.c.id).where(calls.c.address_id.in_(own_addresses),
                                          calls.c.account_id != account_id)
    unlinked = 0
    for t, column, which in ((accounts, "parent_id", children),
                             (calls, "address_id", at_address)):
        found = list(session.scalars(which))
        unlinked += len(found)
        for chunk in _chunks(found):
            session.execute(update(t).where(t.c.id.in_(chunk)).values(
                {column: None, "version": version, "updated_at": now, "field_versions": None}))
    attendees = table_named("attendees")
    mentioned = [r["id"] for r in rows.mentions["attendees"]]
    for chunk in _chunks(mentioned):
        session.execute(update(attendees).where(attendees.c.id.in_(chunk)).values(
            name="", account_id=None, deleted=True, version=version, updated_at=now,
            field_versions=None))
    for name in OWN:
        gone = [r["id"] for r in rows.own[name]]
        _delete(session, table_named(name), gone)
        if gone:
            report.removed[name] = len(gone)
    audit = table_named("audit_log")
    for chunk in _chunks([a["id"] for a in rows.audit]):
        # The version stays: laptops keep their audit log append-only, so a changed entry
        # would be refused there; a laptop drops its own copies of an erased doctor's
        # entries (app/sync/erasure.py) and a later full check pulls these again.
        session.execute(update(audit).where(audit.c.id.in_(chunk)).values(
            row_id=pseudonym, details=None, field_versions=None))
    _delete(session, table_named("conflict_log"), [c["id"] for c in rows.conflicts])
    copies = _purge_idempotency(session, rows.row_ids())
    session.execute(update(accounts).where(accounts.c.id == account_id).values(
        {**dict.fromkeys(_PERSONAL), "name": "", "deleted": True, "version": version,
         "updated_at": now}))
    report.blanked = {k: v for k, v in (("attendees", len(mentioned)),
                                        ("references", unlinked),
                                        ("audit_log", len(rows.audit)),
                                        ("idempotency_records", copies)) if v}
    if rows.conflicts:
        report.removed["conflict_log"] = len(rows.conflicts)
    if record is None:
        session.execute(insert(Erasure).values(
            account_id=account_id, erased_at=now, erased_by=by,
            removed=json.dumps(report.removed), retained=json.dumps(retained)))
        report.retained = retained
    else:
        report.retained = json.loads(record.retained)
    return report


def scrub_sqlite(db: Database) -> None:
    """After an erasure on SQLite: copy the WAL into the database file and truncate it, so
    the old page images holding the erased rows leave the disk. A no-op on PostgreSQL."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_and_scrub(db: Database, account_id: str, by: str) -> ErasureReport:
    """`erase` in its own transaction, then `scrub_sqlite`."""
    with db.writing() as session:
        report = erase(session, account_id, by)
    scrub_sqlite(db)
    return report
