"""Touchpoints posted by outside systems: each checked, placed on its account, kept once.

One line of a bulk post (or the body of a single one) is read by `parse` into a
`TouchpointIn`, or refused with a `LineError` naming the reason in words; `ingest` then
resolves the account (by its id or by an external id: LANR, BSNR, NPI, or a system of the
caller, as the imports store them), checks the token's scope, and writes every good line in
one transaction with one version, so the laptops pull them as one change. A bad line never
stops the good ones.

Idempotency: the caller's `event_id` is unique per source system (the service account's
`system`). Sending an event again answers what the first answered (`duplicate`, the same
touchpoint id) and writes nothing; the same event id with other content is refused, since
the caller has two different events under one id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.contract import YEARS, TouchpointKind
from app.ids import uuid7
from server.db import Database, next_versions
from server.importing.identifiers import FHIR_SYSTEMS, make_key
from server.importing.records import RowError
from server.integration.service_accounts import Caller
from server.models import Account, ExternalId, Touchpoint, utcnow
from server.sync.wire import is_text

KINDS = tuple(k.value for k in TouchpointKind)
EVENT_ID_MAX = 100
TITLE_MAX = 300
DETAIL_MAX = 4000
#: A bulk line longer than this is refused unread (a touchpoint is a few hundred bytes).
LINE_MAX = 16 * 1024
#: Lines of one bulk post: the answer names each, so a body of millions of tiny bad lines
#: would make an answer of hundreds of megabytes.
LINES_MAX = 50_000
#: How far ahead of the server's clock an event may be dated (clocks of other systems drift).
FUTURE_SLACK = dt.timedelta(days=1)
_FIELDS = ("event_id", "kind", "occurred_at", "account_id", "external_id", "title", "detail")
#: Short system names compared without regard to case ("lanr" is LANR).
_KNOWN_SYSTEMS = {s.upper(): s for s in FHIR_SYSTEMS.values()}
_CHUNK = 500


class LineError(Exception):
    """One touchpoint refused: `status` is what a single post answers with."""

    def __init__(self, reason: str, status: int = 422, event_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.status, self.event_id = reason, status, event_id


@dataclass(frozen=True)
class TouchpointIn:
    event_id: str
    kind: str
    occurred_at: dt.datetime  # naive UTC
    account_id: str | None
    external_id: tuple[str, str] | None
    title: str | None
    detail: str | None


@dataclass(frozen=True)
class Answer:
    """What one touchpoint came to: written now (`created`) or before (`duplicate`)."""

    event_id: str
    status: str
    id: str
    account_id: str

    def to_dict(self) -> dict[str, str]:
        return {"event_id": self.event_id, "status": self.status, "id": self.id,
                "account_id": self.account_id}


def _text(data: dict[str, Any], name: str, limit: int, *, required: bool = False
          ) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise LineError(f"{name} is missing")
        return None
    if not isinstance(value, str):
        raise LineError(f"{name} must be a string")
    if not is_text(value):
        raise LineError(f"{name} holds a character that cannot be stored (a NUL)")
    value = value.strip()
    if required and not value:
        raise LineError(f"{name} is empty")
    if len(value) > limit:
        raise LineError(f"{name} is too long: {len(value)} characters, at most {limit}")
    return value or None


def _when(value: object, now: dt.datetime) -> dt.datetime:
    if value is None:
        raise LineError("occurred_at is missing")
    if not isinstance(value, str):
        raise LineError("occurred_at must be a date and time as a string (ISO 8601)")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise LineError(f"occurred_at {value[:40]!r} is no date and time: write ISO 8601, "
                        "e.g. 2026-03-05T14:30:00+01:00") from None
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise LineError(f"occurred_at must fall between the years {YEARS[0]} and {YEARS[1]}")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    if parsed > now + FUTURE_SLACK:
        raise LineError("occurred_at lies in the future")
    return parsed


def _external(value: object) -> tuple[str, str]:
    if not isinstance(value, dict) or set(value) != {"system", "value"} or not all(
            isinstance(v, str) for v in value.values()):
        raise LineError('external_id must be {"system": "...", "value": "..."}')
    if not all(is_text(v) for v in value.values()):
        raise LineError("external_id holds a character that cannot be stored (a NUL)")
    system = value["system"].strip()
    system = FHIR_SYSTEMS.get(system, _KNOWN_SYSTEMS.get(system.upper(), system))
    try:
        return make_key(system, value["value"])
    except RowError as exc:
        raise LineError(str(exc)) from None


def parse(data: object, now: dt.datetime | None = None) -> TouchpointIn:
    """One touchpoint as the caller sent it (a JSON object), checked field by field."""
    if not isinstance(data, dict):
        raise LineError("a touchpoint is a JSON object")
    event_id = data.get("event_id")
    known = event_id if isinstance(event_id, str) else None
    try:
        unknown = sorted(set(data) - set(_FIELDS))
        if unknown:
            raise LineError(f"unknown field {', '.join(unknown)}")
        event = _text(data, "event_id", EVENT_ID_MAX, required=True)
        kind = data.get("kind")
        if kind is None:
            raise LineError("kind is missing")
        if kind not in KINDS:
            raise LineError(f"unknown kind {str(kind)[:40]!r}: one of {', '.join(KINDS)}")
        occurred = _when(data.get("occurred_at"), now or utcnow())
        account_id = _text(data, "account_id", 36)
        external = data.get("external_id")
        if (account_id is None) == (external is None):
            raise LineError("name the account by account_id or by external_id (one of them)")
        return TouchpointIn(str(event), str(kind), occurred, account_id,
                            None if external is None else _external(external),
                            _text(data, "title", TITLE_MAX), _text(data, "detail", DETAIL_MAX))
    except LineError as exc:
        exc.event_id = known
        raise


def parse_ndjson(body: bytes) -> Iterator[tuple[int, TouchpointIn | LineError]]:
    """Each non-blank line of an NDJSON body, by its line number (from 1), read or refused."""
    now = utcnow()
    for number, raw in enumerate(body.split(b"\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if len(line) > LINE_MAX:
            yield number, LineError(f"the line is too long: {len(line)} bytes, at most "
                                    f"{LINE_MAX}")
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            yield number, LineError("not JSON (one JSON object per line)")
            continue
        try:
            yield number, parse(data, now)
        except LineError as exc:
            yield number, exc


def ingest(db: Database, caller: Caller, items: Iterable[TouchpointIn]
           ) -> list[Answer | LineError]:
    """Write the touchpoints the caller may post; an answer or a refusal for each, in
    order. Two posts of one new event at once: the loser's transaction hits the unique
    key and is run again, and then finds the winner's row (a duplicate)."""
    wanted = list(items)
    try:
        return _ingest(db, caller, wanted)
    except IntegrityError:
        return _ingest(db, caller, wanted)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _ingest(db: Database, caller: Caller, items: list[TouchpointIn]
            ) -> list[Answer | LineError]:
    out: list[Answer | LineError] = []
    with db.writing() as session:
        # The counter's row lock first: concurrent posts of one event then run one after
        # the other, and the second sees the first's row.
        version = next_versions(session)
        # By system, then values: `(system, value) IN (pairs)` made PostgreSQL read the whole
        # table (1.3 s for 5,000 lines); `system = ? AND value IN (...)` walks the unique index.
        values: dict[str, set[str]] = {}
        for t in items:
            if t.external_id is not None:
                values.setdefault(t.external_id[0], set()).add(t.external_id[1])
        by_key: dict[tuple[str, str], str] = {}
        for system, wanted in values.items():
            for chunk in _chunks(sorted(wanted)):
                by_key.update(((system, v), a) for v, a in session.execute(
                    select(ExternalId.value, ExternalId.account_id).where(
                        ExternalId.system == system, ExternalId.value.in_(chunk),
                        ExternalId.deleted.is_(False))))
        account_ids = list({t.account_id for t in items if t.account_id is not None}
                           | set(by_key.values()))
        territory: dict[str, str | None] = {}
        for chunk in _chunks(account_ids):
            territory.update(session.execute(
                select(Account.id, Account.territory_id)
                .where(Account.id.in_(chunk), Account.deleted.is_(False))).all())
        events = list({t.event_id for t in items})
        stored: dict[str, tuple[str, str, str, dt.datetime, str | None, str | None]] = {}
        for chunk in _chunks(events):
            stored.update((r[0], r[1:]) for r in session.execute(
                select(Touchpoint.event_id, Touchpoint.id, Touchpoint.account_id,
                       Touchpoint.kind, Touchpoint.occurred_at, Touchpoint.title,
                       Touchpoint.detail)
                .where(Touchpoint.source == caller.system,
                       Touchpoint.event_id.in_(chunk))))
        rows: list[dict[str, Any]] = []
        now = utcnow()
        for t in items:
            try:
                account = _account(caller, t, by_key, territory)
            except LineError as exc:
                exc.event_id = t.event_id
                out.append(exc)
                continue
            content = (account, t.kind, t.occurred_at, t.title, t.detail)
            before = stored.get(t.event_id)
            if before is not None:
                if before[1:] != content:
                    out.append(LineError(
                        f"event id {t.event_id!r} was sent before with another account, "
                        "kind, time, title or detail: a new event needs a new event id",
                        409, t.event_id))
                else:
                    out.append(Answer(t.event_id, "duplicate", before[0], account))
                continue
            row_id = uuid7()
            stored[t.event_id] = (row_id, *content)
            rows.append({"id": row_id, "version": version, "updated_at": now,
                         "deleted": False, "account_id": account, "kind": t.kind,
                         "occurred_at": t.occurred_at, "source": caller.system,
                         "event_id": t.event_id, "title": t.title, "detail": t.detail,
                         "service_account_id": caller.id})
            out.append(Answer(t.event_id, "created", row_id, account))
        if rows:
            session.execute(insert(Touchpoint), rows)
    return out


def _account(caller: Caller, t: TouchpointIn, by_key: dict[tuple[str, str], str],
             territory: dict[str, str | None]) -> str:
    """The account the touchpoint is for, if the caller may post this kind onto it."""
    if t.kind not in caller.kinds:
        raise LineError(f"this token may not post {t.kind} touchpoints", 403)
    if t.external_id is not None:
        account = by_key.get(t.external_id)
        if account is None:
            raise LineError(f"unknown external id {t.external_id[0]} {t.external_id[1]}", 404)
    else:
        assert t.account_id is not None
        account = t.account_id
    if account not in territory:
        raise LineError(f"unknown account {account}", 404)
    if caller.territories is not None and territory[account] not in caller.territories:
        raise LineError("this account is outside the territories of this token", 403)
    return account
