"""Cycle plans: the calls a territory's accounts should get in a period, published by a
manager for the territories of the team (or by an admin for any), pulled by those
territories' reps and their managers (server/sync/scoping.py, "cycle_plans").

A plan line names a territory (by code), a period ("2026-Q4", or "2026-10-01..2026-12-31"),
either one account (by id, or by an external id of `account_system`) or a segment (A, B or
C: every account of it), optionally a channel (in_person, phone, video, email, event; empty:
any), and the number of calls. The same lines come from a CSV file (`fieldrep-server
cycle-plan publish plan.csv`), from the command line's `--target` arguments, or from the API
(POST /api/v1/cycle-plans): one function checks them all, so the words are the same.

Publishing is whole or nothing: every line is checked first, and one bad line (or one
territory outside the publisher's team) refuses them all, each bad line named. What is
published for a territory and a period *is* its plan: a stored target of that territory and
period the new lines no longer name is withdrawn (a tombstone the laptops pull), an
unchanged one keeps its version (publishing the same plan again sends nothing). Periods of
one territory never overlap, so a day has one plan: a plan for an overlapping period is
refused, naming the stored one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.contract import Channel, Role
from server.db import next_versions
from server.importing.csvfile import decode
from server.importing.records import ImportFormatError
from server.models import Account, CyclePlan, ExternalId, Territory, User, utcnow
from server.scope import Principal, territories_of

COLUMNS = ("territory", "period", "account", "segment", "channel", "calls")
SEGMENTS = ("A", "B", "C")
PUBLISHERS = (Role.MANAGER.value, Role.ADMIN.value)
#: More calls than days in a year is no plan for one account.
MAX_CALLS = 366
#: The longest period a plan may cover.
MAX_DAYS = 366
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


class PublishRefusedError(Exception):
    """The publisher may not publish at all (not a manager or admin, unknown, disabled)."""


@dataclass
class PublishReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        if self.errors:
            return {"refused": True, "written": 0,
                    "errors": [{"line": line, "reason": reason} for line, reason in self.errors]}
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "withdrawn": self.withdrawn}


@dataclass(frozen=True)
class _Target:
    territory_id: str
    start: dt.date
    end: dt.date
    account_id: str | None
    segment: str | None
    channel: str | None
    calls: int

    @property
    def key(self) -> tuple[str, dt.date, dt.date, str | None, str | None, str | None]:
        return (self.territory_id, self.start, self.end, self.account_id, self.segment,
                self.channel)


class _BadLineError(Exception):
    pass


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """"2026-Q4" or "2026-10-01..2026-12-31" as (first day, last day); ValueError with the
    reason otherwise."""
    text = text.strip()
    quarter = _QUARTER.match(text)
    if quarter:
        year, q = int(quarter.group(1)), int(quarter.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        after = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
        return start, after - dt.timedelta(days=1)
    span = _RANGE.match(text)
    if not span:
        raise ValueError(f"period {text!r} is no period (2026-Q4, or 2026-10-01..2026-12-31)"
                         if text else "the period is empty")
    try:
        start, end = (dt.date.fromisoformat(span.group(i)) for i in (1, 2))
    except ValueError:
        raise ValueError(f"period {text!r} names a day that does not exist") from None
    if end < start:
        raise ValueError(f"period {text!r} ends before it starts")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(f"period {text!r} is longer than a year")
    return start, end


def read_csv(data: bytes, encoding: str = "utf-8") -> list[tuple[int, dict[str, str]]]:
    """(line number, cells by column) of a plan CSV (comma or semicolon separated, the
    header naming the columns); ImportFormatError when the file as a whole is unusable."""
    text = decode(data, encoding)
    if "\x00" in text:
        raise ImportFormatError("the file contains NUL bytes: it is not a text CSV file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        rows = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    except StopIteration:
        raise ImportFormatError("the file is empty: a header line is needed") from None
    except csv.Error as exc:
        raise ImportFormatError(f"CSV error on line {reader.line_num}: {exc}") from exc
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ImportFormatError(f"unknown column(s) {', '.join(unknown)}: a plan has "
                                f"{', '.join(COLUMNS)}")
    lacking = [c for c in ("territory", "period", "calls") if c not in header]
    if "account" not in header and "segment" not in header:
        lacking.append("account or segment")
    if lacking:
        raise ImportFormatError(f"the file has no column for {', '.join(lacking)}")
    return [(number, {name: cells[i].strip() if i < len(cells) else ""
                      for i, name in enumerate(header)}) for number, cells in rows]


def publisher(session: Session, username: str) -> Principal:
    """The publishing user as a principal (the CLI names them; the API has the token's)."""
    user = session.scalar(select(User).where(User.username == username,
                                             User.deleted == false()))
    if user is None or user.disabled:
        raise PublishRefusedError(f"no active user {username!r}")
    return Principal(user_id=user.id, username=user.username, role=user.role, device_id="",
                     token_id="")


def publish(session: Session, who: Principal, lines: Iterable[tuple[int, Mapping[str, str]]],
            account_system: str | None = None) -> PublishReport:
    """Check every line, then publish all of them in `session` or none (see the module)."""
    if who.role not in PUBLISHERS:
        raise PublishRefusedError("only managers and admins publish cycle plans")
    codes = {tid: code for code, tid in session.execute(
        select(Territory.code, Territory.id).where(Territory.deleted == false()))}
    territories = {code.upper(): tid for tid, code in codes.items()}
    allowed = None if who.role == Role.ADMIN else set(session.scalars(territories_of(who)))
    report = PublishReport()
    targets: list[_Target] = []
    seen: dict[tuple[Any, ...], int] = {}
    accounts: dict[str, tuple[str, str | None] | None] = {}
    for number, cells in lines:
        try:
            target = _read(session, cells, territories, codes, allowed, account_system,
                           accounts)
        except _BadLineError as exc:
            report.errors.append((number, str(exc)))
            continue
        if target.key in seen:
            report.errors.append((number, f"repeats line {seen[target.key]} (same territory, "
                                          "period, account or segment and channel)"))
            continue
        seen[target.key] = number
        targets.append(target)
    if not targets and not report.errors:
        report.errors.append((0, "no plan lines: nothing to publish"))
    for number, reason in _overlaps(session, targets, seen, codes):
        report.errors.append((number, reason))
    if report.errors:
        report.errors.sort()
        return report  # nothing was written: every check before it only read
    _write(session, who, targets, report)
    return report


def _read(session: Session, cells: Mapping[str, str], territories: dict[str, str],
          codes: dict[str, str], allowed: set[str] | None, system: str | None,
          accounts: dict[str, tuple[str, str | None] | None]) -> _Target:
    def cell(name: str) -> str:
        return str(cells.get(name) or "").strip()

    if any("\x00" in str(v or "") for v in (*cells.values(), system)):
        raise _BadLineError("the line holds a NUL character: remove it")
    code = cell("territory")
    territory_id = territories.get(code.upper())
    if territory_id is None:
        raise _BadLineError(f"unknown territory {code!r}" if code else "the territory is empty")
    if allowed is not None and territory_id not in allowed:
        raise _BadLineError(f"territory {codes[territory_id]} is not one of your team's "
                       "territories: only its reps' manager publishes its plan")
    try:
        start, end = parse_period(cell("period"))
    except ValueError as exc:
        raise _BadLineError(str(exc)) from None
    account, segment = cell("account"), cell("segment").upper()
    if bool(account) == bool(segment):
        raise _BadLineError("name either an account or a segment (A, B or C), not both or none")
    account_id = None
    if segment and segment not in SEGMENTS:
        raise _BadLineError(f"segment {segment!r} is none of A, B or C")
    if account:
        if account not in accounts:
            query = select(Account.id, Account.territory_id).where(Account.deleted == false())
            query = (query.where(Account.id == account) if system is None else
                     query.join(ExternalId, ExternalId.account_id == Account.id).where(
                         ExternalId.system == system, ExternalId.value == account,
                         ExternalId.deleted == false()))
            row = session.execute(query).first()
            accounts[account] = None if row is None else (row[0], row[1])
        found = accounts[account]
        if found is None:
            raise _BadLineError(f"no account with {system} {account}" if system
                           else f"no account with id {account}")
        if found[1] != territory_id:
            raise _BadLineError(f"account {account} is not in territory {codes[territory_id]}")
        account_id = found[0]
    channel = cell("channel").lower() or None
    if channel is not None and channel not in {c.value for c in Channel}:
        raise _BadLineError(f"unknown channel {channel!r} ({', '.join(c.value for c in Channel)}, "
                       "or empty for any)")
    calls_text = cell("calls")
    if not re.fullmatch(r"\d{1,4}", calls_text) or int(calls_text) > MAX_CALLS:
        raise _BadLineError(f"calls {calls_text!r} must be a whole number from 0 to {MAX_CALLS}"
                       if calls_text else "the number of calls is empty")
    return _Target(territory_id, start, end, account_id, segment or None, channel,
                   int(calls_text))


def _overlaps(session: Session, targets: list[_Target], seen: dict[tuple[Any, ...], int],
              codes: dict[str, str]) -> list[tuple[int, str]]:
    """A line whose period overlaps another period of its territory, in the file or stored."""
    periods: dict[str, dict[tuple[dt.date, dt.date], int]] = {}
    for target in targets:
        periods.setdefault(target.territory_id, {}).setdefault(
            (target.start, target.end), seen[target.key])
    if not periods:
        return []
    stored: dict[str, set[tuple[dt.date, dt.date]]] = {}
    for tid, start, end in session.execute(
            select(CyclePlan.territory_id, CyclePlan.period_start, CyclePlan.period_end)
            .where(CyclePlan.territory_id.in_(list(periods)), CyclePlan.deleted == false())
            .distinct()):
        stored.setdefault(tid, set()).add((start, end))
    found = []
    for tid, spans in periods.items():
        ordered = sorted(spans)
        for a, b in pairwise(ordered):
            if b[0] <= a[1]:
                found.append((spans[b], f"period {b[0]}..{b[1]} overlaps {a[0]}..{a[1]} "
                                        f"(line {spans[a]}) in {codes[tid]}"))
        for span, line in spans.items():
            for old in sorted(stored.get(tid, ())):
                if old != span and old[0] <= span[1] and span[0] <= old[1]:
                    found.append((line, f"period {span[0]}..{span[1]} overlaps the plan "
                                        f"published for {old[0]}..{old[1]} in {codes[tid]}: "
                                        "publish that period again to change it"))
    return found


def _write(session: Session, who: Principal, targets: list[_Target],
           report: PublishReport) -> None:
    periods = {(t.territory_id, t.start, t.end) for t in targets}
    stored: dict[tuple[Any, ...], CyclePlan] = {}
    for territory_id, start, end in periods:
        for row in session.scalars(select(CyclePlan).where(
                CyclePlan.territory_id == territory_id, CyclePlan.period_start == start,
                CyclePlan.period_end == end, CyclePlan.deleted == false())):
            stored[(row.territory_id, row.period_start, row.period_end, row.account_id,
                    row.segment, row.channel)] = row
    wanted = {t.key: t for t in targets}
    changed = [t for t in targets if t.key not in stored or stored[t.key].calls != t.calls]
    gone = [row for key, row in stored.items() if key not in wanted]
    report.unchanged = len(targets) - len(changed)
    if not changed and not gone:
        return
    version = next_versions(session, len(changed) + len(gone))
    now = utcnow()
    for offset, target in enumerate(changed):
        old = stored.get(target.key)
        if old is None:
            session.add(CyclePlan(
                territory_id=target.territory_id, account_id=target.account_id,
                segment=target.segment, channel=target.channel, period_start=target.start,
                period_end=target.end, calls=target.calls, published_by=who.user_id,
                published_at=now, version=version + offset))
            report.created += 1
        else:
            old.calls, old.published_by, old.published_at = target.calls, who.user_id, now
            old.version = version + offset
            report.updated += 1
    for offset, row in enumerate(gone, start=len(changed)):
        row.deleted, row.version = True, version + offset
        report.withdrawn += 1


def targets_from_arguments(territory: str, period: str, targets: list[str]
                           ) -> list[tuple[int, dict[str, str]]]:
    """`--target A=6`, `--target B=4/in_person`, `--target ACCOUNT-ID=8` as plan lines
    (numbered from 1 in the order given); a key of one letter is a segment."""
    lines = []
    for number, text in enumerate(targets, 1):
        key, _, rest = text.partition("=")
        calls, _, channel = rest.partition("/")
        key = key.strip()
        which = "segment" if len(key) == 1 else "account"
        lines.append((number, {"territory": territory, "period": period, which: key,
                               "channel": channel.strip(), "calls": calls.strip()}))
    return lines
