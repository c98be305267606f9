"""The rows one doctor (an HCP account) is in, on the server: what a GDPR export shows and
what an erasure removes. One list for both, so an export never promises less than an
erasure removes, nor the other way round.

`OWN` are the doctor's rows: the account's master data, calls and what hangs on them,
presentations shown to the doctor, inquiries, tasks and suggestions about the doctor. Rows
of other accounts only *mention* the doctor: an attendee line on another account's call
(a hospital's round table), another account's parent or a call held at the doctor's
address. `REFERENCES` lists every foreign key that can point at a row of the doctor; a
test walks the schema and fails when a new one is not listed, so a new table cannot keep a
doctor's data past an erasure unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, or_, select
from sqlalchemy.orm import Session

from server.models import AuditEntry, Base, ConflictEntry


class GdprError(Exception):
    """A request the server cannot carry out as asked (an institution, ...): the message
    says why, for the operator or the API caller; nothing was changed."""


class UnknownAccountError(GdprError):
    """No account has this id."""


def table_named(name: str) -> Table:
    return Base.metadata.tables[name]


@dataclass(frozen=True)
class Ids:
    """The ids the predicates below build on: the account, its calls, its presentation
    sessions and its medical inquiries (each a subquery, evaluated by the database)."""

    account: str

    def calls(self) -> Select[Any]:
        t = table_named("interactions")
        return select(t.c.id).where(t.c.account_id == self.account)

    def sessions(self) -> Select[Any]:
        t = table_named("presentation_sessions")
        return select(t.c.id).where(or_(t.c.account_id == self.account,
                                        t.c.interaction_id.in_(self.calls())))

    def inquiries(self) -> Select[Any]:
        t = table_named("medical_inquiries")
        return select(t.c.id).where(or_(t.c.account_id == self.account,
                                        t.c.call_id.in_(self.calls())))


Predicate = Callable[[Table, Ids], ColumnElement[bool]]

#: The doctor's own rows per table, children before parents (the order an erasure deletes
#: them in).
OWN: dict[str, Predicate] = {
    "slide_views": lambda t, i: t.c.session_id.in_(i.sessions()),
    "clickstream_events": lambda t, i: t.c.session_id.in_(i.sessions()),
    "medical_answers": lambda t, i: t.c.inquiry_id.in_(i.inquiries()),
    "suggestions": lambda t, i: or_(t.c.account_id == i.account,
                                    t.c.after_call_id.in_(i.calls())),
    "tasks": lambda t, i: or_(t.c.account_id == i.account, t.c.interaction_id.in_(i.calls())),
    "attendees": lambda t, i: t.c.interaction_id.in_(i.calls()),
    "discussed_products": lambda t, i: t.c.interaction_id.in_(i.calls()),
    "discussed_key_messages": lambda t, i: t.c.interaction_id.in_(i.calls()),
    "samples": lambda t, i: or_(t.c.account_id == i.account, t.c.interaction_id.in_(i.calls())),
    "medical_inquiries": lambda t, i: t.c.id.in_(i.inquiries()),
    "presentation_sessions": lambda t, i: t.c.id.in_(i.sessions()),
    # Approved e-mail (docs/email.md): the send record holds the address and the text.
    "email_sends": lambda t, i: t.c.account_id == i.account,
    "emails": lambda t, i: or_(t.c.account_id == i.account, t.c.interaction_id.in_(i.calls())),
    "interactions": lambda t, i: t.c.account_id == i.account,
    # What the doctor prescribed, as sales exports tell it: personal data of the doctor.
    "market_sales": lambda t, i: t.c.account_id == i.account,
    # A cycle plan's target for the doctor names them: it goes with them.
    "cycle_plans": lambda t, i: t.c.account_id == i.account,
    "addresses": lambda t, i: t.c.account_id == i.account,
    "external_ids": lambda t, i: t.c.account_id == i.account,
    # What outside systems reported of the doctor (webinars, e-mails opened ...).
    "touchpoints": lambda t, i: t.c.account_id == i.account,
    # What a rep asked the data steward to correct: the doctor's name, address ...
    "change_requests": lambda t, i: t.c.account_id == i.account,
    "channel_consents": lambda t, i: t.c.account_id == i.account,
    "affiliations": lambda t, i: or_(t.c.hcp_id == i.account, t.c.hco_id == i.account),
}

#: Rows of other accounts that mention the doctor: an attendee line on another account's
#: call carries the doctor's name. An erasure blanks and tombstones them (their call stays).
MENTIONS: dict[str, Predicate] = {
    "attendees": lambda t, i: (t.c.account_id == i.account)
    & t.c.interaction_id.not_in(i.calls()),
}

#: Every foreign key that may point at a row of the doctor, as (table, column), and what an
#: erasure does with it: "own" (the row is the doctor's and goes), "mention" (blanked),
#: "unlink" (the other account's row stays, the reference is set to NULL).
REFERENCES: dict[tuple[str, str], str] = {
    ("accounts", "parent_id"): "unlink",
    ("addresses", "account_id"): "own",
    ("external_ids", "account_id"): "own",
    ("touchpoints", "account_id"): "own",
    ("change_requests", "account_id"): "own",
    ("affiliations", "hcp_id"): "own",
    ("affiliations", "hco_id"): "own",
    ("channel_consents", "account_id"): "own",
    ("interactions", "account_id"): "own",
    ("emails", "account_id"): "own",
    ("emails", "interaction_id"): "own",
    ("email_sends", "account_id"): "own",
    ("interactions", "address_id"): "unlink",
    ("attendees", "interaction_id"): "own",
    ("attendees", "account_id"): "mention",
    ("discussed_products", "interaction_id"): "own",
    ("discussed_key_messages", "interaction_id"): "own",
    ("samples", "interaction_id"): "own",
    ("samples", "account_id"): "own",
    ("tasks", "account_id"): "own",
    ("tasks", "interaction_id"): "own",
    ("presentation_sessions", "account_id"): "own",
    ("presentation_sessions", "interaction_id"): "own",
    ("slide_views", "session_id"): "own",
    ("clickstream_events", "session_id"): "own",
    ("medical_inquiries", "account_id"): "own",
    ("medical_inquiries", "call_id"): "own",
    ("medical_answers", "inquiry_id"): "own",
    ("suggestions", "account_id"): "own",
    ("suggestions", "after_call_id"): "own",
    ("market_sales", "account_id"): "own",
    ("cycle_plans", "account_id"): "own",
}

#: The tables whose rows an erasure removes: a foreign key into one of them must be listed
#: in REFERENCES (checked by tests/server/test_gdpr_rows.py).
REMOVED_TABLES = frozenset({"accounts", "addresses", "interactions", "presentation_sessions",
                            "medical_inquiries"})


@dataclass
class HcpRows:
    """Everything the server holds about one doctor, as plain column -> value dicts."""

    account: dict[str, Any]
    own: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def row_ids(self) -> set[str]:
        """The ids of the account and of every row of it or mentioning it."""
        ids = {self.account["id"]}
        for rows in (*self.own.values(), *self.mentions.values()):
            ids.update(r["id"] for r in rows)
        return ids


def find_account(session: Session, account_id: str) -> dict[str, Any]:
    """The account row; GdprError when there is none or it is an institution."""
    accounts = table_named("accounts")
    row = session.execute(select(accounts).where(accounts.c.id == account_id)).first()
    if row is None:
        raise UnknownAccountError(f"there is no account with the id {account_id!r}: check the id "
                        "(the account view and `GET /api/v1/accounts` show it)")
    if row.kind != "hcp":
        raise GdprError(f"{account_id} is an institution (hco), not a doctor: data-protection "
                        "requests concern people; name the doctor's account")
    return dict(row._mapping)


def collect(session: Session, account_id: str) -> HcpRows:
    """Every row of the doctor, every row mentioning them, the audit entries and conflict
    log entries of any of those rows."""
    out = HcpRows(find_account(session, account_id))
    ids = Ids(account_id)
    for tables, target in ((OWN, out.own), (MENTIONS, out.mentions)):
        for name, predicate in tables.items():
            t = table_named(name)
            target[name] = [dict(r._mapping) for r in session.execute(
                select(t).where(predicate(t, ids)).order_by(t.c.id))]
    every = sorted(out.row_ids())
    audit = table_named(AuditEntry.__tablename__)
    conflicts = table_named(ConflictEntry.__tablename__)
    for start in range(0, len(every), 500):
        chunk = every[start:start + 500]
        out.audit += [dict(r._mapping) for r in session.execute(
            select(audit).where(audit.c.row_id.in_(chunk)))]
        out.conflicts += [dict(r._mapping) for r in session.execute(
            select(conflicts).where(conflicts.c.row_id.in_(chunk)))]
    out.audit.sort(key=lambda r: (r["at"], r["id"]))
    out.conflicts.sort(key=lambda r: (r["at"], r["id"]))
    return out
