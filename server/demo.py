"""Seeding a demo server with a generated territory: `fieldrep-server demo`.

`fieldrep demo` generates the demo territory (app/demo/territory.py) and feeds its rows
here as JSON lines, one batch per line: `{"table": "accounts", "rows": [{...}, ...]}`, with
the contract's fields only (the server imports nothing of the client but the contract).
The rows land as master data and history would from any outside system: each gets the next
change number, so a rep's first pull brings them all. The people among them (`users`) get the
passwords the caller chose, their territory, and the manager as their manager, so the rep,
the MSL and the manager can log in at once.

Everything is one transaction: a server is seeded completely or not at all. A database that
already holds users is refused: the demo never overwrites real data.

One line may instead be `{"integration": [touchpoint, ...]}`: what outside systems report
about the doctors (app/demo/touchpoints.py), in the integration API's JSON. Those are not
loaded as rows: after the seed, a service account of the demo's marketing platform posts
them through the API's own parse and write (`server.integration.touchpoints`), so the demo
shows the real path, scope checks and idempotency included.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from sqlalchemy import Date, DateTime, insert, select, update

from app.contract import ENTITIES, Role
from server.db import Database, next_versions
from server.models import (
    SYNCED_TABLES,
    MslCoverage,
    Product,
    TerritoryAssignment,
    TerritoryProduct,
    User,
)
from server.security import MIN_PASSWORD_LENGTH, hash_password
from server.sync.wire import table_of, wire_columns


class DemoSeedError(ValueError):
    """The demo rows cannot be loaded; nothing was written."""


def _converters(entity: str) -> dict[str, Callable[[str], Any]]:
    """ISO text -> date/datetime for the entity's date and time columns."""
    out: dict[str, Callable[[str], Any]] = {}
    for column in table_of(entity).columns:
        if isinstance(column.type, DateTime):
            out[column.name] = dt.datetime.fromisoformat
        elif isinstance(column.type, Date):
            out[column.name] = dt.date.fromisoformat
    return out


def _rows(entity: str, raw: list[dict[str, Any]], first_version: int,
          passwords: dict[str, str]) -> list[dict[str, Any]]:
    columns = wire_columns(entity)
    convert = _converters(entity)
    rows = []
    for i, item in enumerate(raw):
        row = {name: item.get(name) for name in columns}
        for name, parse in convert.items():
            value = row.get(name)
            if isinstance(value, str):
                row[name] = parse(value)
        row["version"] = first_version + i
        row["deleted"] = bool(row.get("deleted"))
        if entity == "users":
            password = passwords.get(str(row["username"]))
            if password is None:
                raise DemoSeedError(f"no password given for the demo user {row['username']!r}")
            row["password_hash"] = hash_password(password)
        rows.append(row)
    return rows


def seed(db: Database, lines: Iterable[bytes], passwords: dict[str, str],
         progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Load the batches of `lines` in one transaction; returns rows loaded per table."""
    short = [name for name, pw in passwords.items() if len(pw) < MIN_PASSWORD_LENGTH]
    if short:
        raise DemoSeedError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters: "
                            f"{', '.join(short)}")
    counts: dict[str, int] = {}
    reported: list[Any] = []
    with db.writing() as session:
        if session.scalar(select(User.id).limit(1)) is not None:
            raise DemoSeedError("this server already holds users: demo data goes into a new, "
                                "empty server database")
        for line in lines:
            if not line.strip():
                continue
            try:
                batch = orjson.loads(line)
                if isinstance(batch, dict) and isinstance(batch.get("integration"), list):
                    reported.extend(batch["integration"])
                    continue
                entity, raw = batch["table"], batch["rows"]
            except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
                raise DemoSeedError(f"not a batch of demo rows: {line[:80]!r}") from exc
            if entity not in SYNCED_TABLES or entity not in ENTITIES or not isinstance(raw,
                                                                                        list):
                raise DemoSeedError(f"not a synced table: {str(entity)[:64]}")
            if not raw:
                continue
            rows = _rows(entity, raw, next_versions(session, len(raw)), passwords)
            session.execute(insert(table_of(entity)), rows)
            counts[entity] = counts.get(entity, 0) + len(rows)
            if progress is not None:
                progress(sum(counts.values()))
        _people(session)
        _approver(session)
    if reported:
        counts["touchpoints"] = _post_touchpoints(db, reported)
    return counts


#: The demo's marketing platform: the service account the reported touchpoints come from.
DEMO_PLATFORM = "demo-marketing"


def _post_touchpoints(db: Database, items: list[Any]) -> int:
    """Post the reported touchpoints as the demo's marketing platform would: a service
    account (made by the demo's admin), each item read by the API's parser and written by
    its write function. A refused item is a fault of the generator: the seed fails."""
    from server.integration import service_accounts
    from server.integration.touchpoints import LineError, ingest, parse

    with db.writing() as session:
        token = service_accounts.create(session, DEMO_PLATFORM, by=DEMO_APPROVER,
                                        territories=None, kinds=None,
                                        system="Marketing-Plattform")
    with db.reading() as session:
        caller = service_accounts.caller_of(session, token)
    try:
        parsed = [parse(item) for item in items]
    except LineError as exc:
        raise DemoSeedError(f"a demo touchpoint was refused: {exc.reason}") from None
    answers = ingest(db, caller, parsed)
    refused = [a for a in answers if isinstance(a, LineError)]
    if refused:
        raise DemoSeedError(f"a demo touchpoint was refused: {refused[0].reason}")
    return len(answers)


#: The demo's admin, in whose name `fieldrep demo` approves the demo decks (content is a
#: draft until an admin approves it, server/content.py). Nobody logs in as it: its password
#: is random and never shown.
DEMO_APPROVER = "demo-approver"


def _approver(session: Any) -> None:
    session.add(User(username=DEMO_APPROVER, display_name="Demo content approval",
                     role=Role.ADMIN, password_hash=hash_password(secrets.token_urlsafe(24)),
                     version=next_versions(session)))


def _people(session: Any) -> None:
    """Each demo user covers their territory; the manager leads the others; the MSL answers
    the medical questions of every therapeutic area the territory promotes."""
    users = session.execute(select(User.id, User.role, User.territory_id)).all()
    for user in users:
        if user.role != Role.MSL or user.territory_id is None:
            continue
        areas = session.scalars(
            select(Product.therapeutic_area).distinct()
            .join(TerritoryProduct, TerritoryProduct.product_id == Product.id)
            .where(TerritoryProduct.territory_id == user.territory_id)).all()
        session.add_all(MslCoverage(user_id=user.id, territory_id=user.territory_id,
                                    therapeutic_area=area) for area in areas if area)
    manager = next((u.id for u in users if u.role == Role.MANAGER), None)
    for user in users:
        if user.territory_id is not None:
            session.add(TerritoryAssignment(user_id=user.id, territory_id=user.territory_id))
        if manager is not None and user.id != manager:
            session.execute(update(User).where(User.id == user.id).values(manager_id=manager))
    session.flush()
