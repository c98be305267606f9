"""The reads behind the screens, in SQL that the indexes answer.

Plain Core SQL returning small frozen rows: the accounts list and the history are read tens
of times per second while the rep types, and the ORM would double their cost (docs/platform.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from app.store.search import fts_query

#: Sortable columns of the accounts list -> SQL expression.
SORT_COLUMNS = {
    "name": "a.name_key",
    "specialty": "coalesce(sp.name_{lang}, '')",
    "city": "a.city_key",
    "postcode": "a.postcode",
    "segment": "a.segment",
    "last_contact": "a.last_contact_at",
    "external_id": "(SELECT min(e.value) FROM external_ids e WHERE e.account_id = a.id)",
}
#: A typed number of at least this many digits is looked up as a LANR or BSNR.
ID_DIGITS = 3


@dataclass(frozen=True)
class AccountFilter:
    text: str = ""
    specialty_id: str | None = None
    segment: str | None = None
    city: str | None = None
    #: A manager's drill-down to one rep's territory (a rep's laptop holds one or two).
    territory_id: str | None = None


@dataclass(frozen=True)
class AccountRow:
    id: str
    kind: str
    name: str
    specialty: str | None
    city: str | None
    postcode: str | None
    segment: str | None
    last_contact_at: dt.datetime | None
    #: The LANR or BSNR the typed number matched (a search by number shows it).
    matched_id: str | None = None


def typed_number(typed: str) -> str | None:
    """The number in the typed text a LANR or BSNR search is about, if any."""
    return next((word for word in typed.split()
                 if word.isdigit() and len(word) >= ID_DIGITS), None)


#: Above this many text matches a search walks the sort index instead of the FTS5 index.
DENSE_MATCHES = 5000
def _where(conn: Connection, flt: AccountFilter) -> tuple[str, dict[str, Any]] | None:
    """The WHERE clause for a filter; None when the typed text can match nothing.

    Two plans for the typed text, chosen by how many accounts its words match (one FTS5
    count, ~1 ms). Few matches: look them up by rowid, then sort them. Many (the first
    letter or two of a name match most of 50,000 accounts): walk the index of the sort
    column and test each row against the set of matches, stopping at the page's end,
    instead of fetching and sorting tens of thousands of rows.
    """
    clauses = ["a.deleted = 0"]
    params: dict[str, Any] = {}
    if flt.text.strip():
        query = fts_query(flt.text)
        if query is None:
            return None
        matches = conn.execute(
            text("SELECT count(*) FROM (SELECT 1 FROM account_search "
                 "WHERE account_search MATCH :q LIMIT :n)"),
            {"q": query, "n": DENSE_MATCHES + 1},
        ).scalar_one()
        # The unary + keeps SQLite from looking the matches up one by one: it walks the
        # sort column's index instead and tests each row against the set of matches.
        membership = "a.rowid IN" if matches <= DENSE_MATCHES else "+a.rowid IN"
        clauses.append(f"{membership} (SELECT rowid FROM account_search "
                       "WHERE account_search MATCH :q)")
        params["q"] = query
    if flt.specialty_id:
        clauses.append("a.specialty_id = :sp")
        params["sp"] = flt.specialty_id
    if flt.segment:
        clauses.append("a.segment = :seg")
        params["seg"] = flt.segment
    if flt.city:
        clauses.append("a.city = :city")
        params["city"] = flt.city
    if flt.territory_id:
        clauses.append("a.territory_id = :territory")
        params["territory"] = flt.territory_id
    return " AND ".join(clauses), params


def sql_datetime(value: dt.datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite, for comparisons in plain SQL."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _to_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


def search_accounts(conn: Connection, flt: AccountFilter, *, sort: str = "name",
                    descending: bool = False, offset: int = 0, limit: int = 200,
                    lang: str = "en") -> list[AccountRow]:
    """One page of the accounts list."""
    where = _where(conn, flt)
    if where is None:
        return []
    clause, params = where
    lang = "de" if lang == "de" else "en"
    order = SORT_COLUMNS[sort].format(lang=lang)
    direction = "DESC" if descending else "ASC"
    nulls = "NULLS LAST" if not descending else "NULLS FIRST"
    # A unique last key, so rows with equal names keep their order from page to page. The
    # rowid: every SQLite index ends with it, so the sort still walks the index.
    tiebreak = (f", a.rowid {direction}" if sort == "name"
                else f", a.name_key {direction}, a.rowid {direction}")
    number = typed_number(flt.text)
    matched = ("(SELECT e.value FROM external_ids e WHERE e.account_id = a.id AND "
               "e.deleted = 0 AND e.value LIKE :number ORDER BY e.value LIMIT 1)"
               if number else "NULL")
    if number:
        params["number"] = f"{number}%"
    sql = (
        f"SELECT a.id, a.kind, a.name, sp.name_{lang} AS specialty, a.city, a.postcode, "
        f"a.segment, a.last_contact_at, {matched} FROM accounts a "
        f"LEFT JOIN specialties sp ON sp.id = a.specialty_id WHERE {clause} "
        f"ORDER BY {order} {direction} {nulls}{tiebreak} LIMIT :limit OFFSET :offset"
    )
    params.update(limit=limit, offset=offset)
    return [
        AccountRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _to_datetime(r[7]), r[8])
        for r in conn.execute(text(sql), params)
    ]


def count_accounts(conn: Connection, flt: AccountFilter) -> int:
    """How many accounts match, all of them: a rep reads "2,000 accounts", not "more than
    1,000" (one indexed count, read with the first page off the GUI thread)."""
    where = _where(conn, flt)
    if where is None:
        return 0
    clause, params = where
    return int(conn.execute(
        text(f"SELECT count(*) FROM accounts a WHERE {clause}"), params).scalar_one())


@dataclass(frozen=True)
class FilterOptions:
    specialties: list[tuple[str, str]]  # (id, name)
    segments: list[str]
    cities: list[str]
    territories: list[tuple[str, str]] = field(default_factory=list)  # (id, name)


def filter_options(conn: Connection, lang: str = "en") -> FilterOptions:
    lang = "de" if lang == "de" else "en"
    specialties = [(r[0], r[1]) for r in conn.execute(
        text(f"SELECT id, name_{lang} FROM specialties WHERE deleted = 0 ORDER BY name_{lang}"))]
    segments = [r[0] for r in conn.execute(text(
        "SELECT DISTINCT segment FROM accounts WHERE segment IS NOT NULL ORDER BY segment"))]
    cities = [r[0] for r in conn.execute(text(
        "SELECT DISTINCT city FROM accounts WHERE city IS NOT NULL ORDER BY city_key"))]
    territories = [(r[0], r[1]) for r in conn.execute(
        text("SELECT id, name FROM territories WHERE deleted = 0 ORDER BY name"))]
    return FilterOptions(specialties, segments, cities, territories)


@dataclass(frozen=True)
class TimelineEntry:
    """One touchpoint in an account's history."""

    id: str
    start_at: dt.datetime
    channel: str
    status: str
    subject: str | None
    notes: str | None
    products: str | None  # product names in priority order, comma separated
    samples: int
    owner: str | None
    #: A touchpoint an outside system reported (app.contract.TouchpointKind), not a call:
    #: `owner` is then the system that reported it (app/store/touchpoint_queries.py).
    touchpoint_kind: str | None = None
    #: An in-person visit where the doctor did not receive the rep.
    not_received: bool = False


def account_history(conn: Connection, account_id: str) -> list[TimelineEntry]:
    """Every touchpoint of the account across channels, newest first."""
    rows = conn.execute(
        text(
            """
            SELECT i.id, i.start_at, i.channel, i.status, i.subject, i.notes,
              (SELECT group_concat(name, ', ') FROM (
                 SELECT p.name AS name FROM discussed_products dp
                 JOIN products p ON p.id = dp.product_id
                 WHERE dp.interaction_id = i.id AND dp.deleted = 0 ORDER BY dp.position)),
              (SELECT coalesce(sum(s.quantity), 0) FROM samples s
                 WHERE s.interaction_id = i.id AND s.deleted = 0),
              u.display_name, i.not_received
            FROM interactions i LEFT JOIN users u ON u.id = i.owner_id
            WHERE i.account_id = :id AND i.deleted = 0
            ORDER BY i.start_at DESC
            """
        ),
        {"id": account_id},
    )
    return [
        TimelineEntry(r[0], _to_datetime(r[1]) or dt.datetime.min, r[2], r[3], r[4], r[5],
                      r[6], int(r[7]), r[8], not_received=bool(r[9]))
        for r in rows
    ]


@dataclass(frozen=True)
class AgendaEntry:
    call_id: str
    account_id: str
    account_name: str
    city: str | None
    start_at: dt.datetime
    channel: str
    status: str
    subject: str | None


def agenda(conn: Connection, *, until: dt.datetime, owner_id: str | None,
           limit: int = 200) -> list[AgendaEntry]:
    """Open work of `owner_id`: drafts not yet submitted and planned calls up to `until`,
    oldest first. Only the user's own: an MSL's or a manager's laptop holds the reps' calls
    of the territory too, which are theirs to finish, not the reader's."""
    rows = conn.execute(
        text(
            """
            SELECT i.id, a.id, a.name, a.city, i.start_at, i.channel, i.status, i.subject
            FROM interactions i JOIN accounts a ON a.id = i.account_id
            WHERE i.status IN ('planned', 'draft') AND i.deleted = 0 AND i.start_at < :until
              AND i.owner_id IS :owner
            ORDER BY i.status = 'planned', i.start_at LIMIT :limit
            """
        ),
        {"until": sql_datetime(until), "limit": limit, "owner": owner_id},
    )
    return [AgendaEntry(r[0], r[1], r[2], r[3], _to_datetime(r[4]) or dt.datetime.min, r[5],
                        r[6], r[7]) for r in rows]


@dataclass(frozen=True)
class CurrentUser:
    id: str
    display_name: str
    role: str


def current_user(conn: Connection) -> CurrentUser | None:
    """The user signed in on this laptop (local_state 'current_user_id')."""
    row = conn.execute(
        text("SELECT u.id, u.display_name, u.role FROM local_state s "
             "JOIN users u ON u.id = s.value WHERE s.key = 'current_user_id'")
    ).first()
    return CurrentUser(row[0], row[1], row[2]) if row else None


@dataclass(frozen=True)
class Pending:
    count: int
    oldest: dt.datetime | None


def pending_changes(conn: Connection) -> Pending:
    """How many changes wait in the outbox for the server, and since when."""
    row = conn.execute(text("SELECT count(*), min(created_at) FROM outbox")).one()
    return Pending(int(row[0]), _to_datetime(row[1]))
