"""Write validated records: upsert accounts by external id, then resolve links.

Batches of rows share one transaction (and one change `version`: the number of the
transaction that last wrote a row); every row runs in its own SAVEPOINT, so a row the database
refuses is rolled back alone and reported, and never leaves half an account behind. Writes
use SQLAlchemy Core: the ORM's unit of work costs 3-4x at 100k rows (docs/platform.md).

Links (affiliations, parents) are written after the accounts of every payload of one command
(`run` per payload, then `link`), so a file of roles may come before the file of the
practitioners it names. What a loaded record lacks (its flags: an address without a city, a
rejected identifier) is written to the account's audit (`audit_log`, action `import.flagged`,
synced with the account). A refused row is one warning line in the log.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, insert, or_, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from app.ids import uuid7
from server.db import Database, next_versions
from server.importing.records import (
    AccountIn,
    ImportFormatError,
    ImportReport,
    Item,
    Key,
    LinkIn,
    RowError,
    RowResult,
    SpecialtyIn,
    key_text,
)
from server.models import (
    Account,
    Address,
    Affiliation,
    AuditEntry,
    ExternalId,
    Specialty,
    Territory,
    utcnow,
)

Progress = Callable[[int, int | None], None]

log = logging.getLogger(__name__)

ACCOUNTS = cast(Table, Account.__table__)
ADDRESSES = cast(Table, Address.__table__)
EXTERNAL_IDS = cast(Table, ExternalId.__table__)
AFFILIATIONS = cast(Table, Affiliation.__table__)
SPECIALTIES = cast(Table, Specialty.__table__)
AUDIT = cast(Table, AuditEntry.__table__)
FLAGGED = "import.flagged"  # the audit action of an account imported with flags

_ACCOUNT_FIELDS = ("kind", "name", "title", "first_name", "last_name", "segment", "potential",
                   "email", "phone", "opening_hours")
_ADDRESS_FIELDS = ("line1", "line2", "postcode", "city", "country", "latitude", "longitude",
                   "region")


CODE_MAX = 32  # specialties.code


@lru_cache(maxsize=4096)  # a file names a few hundred specialties on thousands of rows
def specialty_code(text: str) -> str:
    """A stable short code for a specialty known only by its name: its slug, and for a slug
    longer than the column its first 23 characters and 8 hex digits of the slug's SHA-256.
    Names that differ only in case, accents or punctuation share a code; distinct names never
    do (cutting the slug made "Allopathic & Osteopathic Physicians|Internal Medicine|..." one
    code for every such specialty). Server migration 0010 re-codes rows cut before."""
    text = re.sub(r"^(fach(ä|ae)rzt(in)?\s+(f(ü|ue)r|der)\s+)", "", text.strip(), flags=re.I)
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "unknown"
    if len(slug) <= CODE_MAX:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[:CODE_MAX - 9].rstrip('-')}-{digest}"


class _Queue:
    """Inserts of new accounts, collected per table for one executemany each."""

    def __init__(self) -> None:
        self.rows: dict[Table, list[dict[str, Any]]] = {}
        self.pending: set[str] = set()

    def add(self, conn: Connection, table: Table, row: dict[str, Any], fast: bool) -> None:
        if fast:
            self.rows.setdefault(table, []).append(row)
        else:
            conn.execute(insert(table), [row])

    def flush(self, conn: Connection) -> None:
        for table in (ACCOUNTS, ADDRESSES, EXTERNAL_IDS, AUDIT):  # parents before children
            rows = self.rows.pop(table, None)
            if rows:
                conn.execute(insert(table), rows)
        self.pending.clear()


def _key_filter(keys: Iterable[Key]) -> Any:
    """(system, value) pairs as one IN list per system: building an OR of pairs costs more
    than the query itself at 100k rows."""
    by_system: dict[str, set[str]] = {}
    for system, value in keys:
        by_system.setdefault(system, set()).add(value)
    return or_(*(and_(ExternalId.system == s, ExternalId.value.in_(sorted(v)))
                 for s, v in by_system.items()))


class Upserter:
    """Applies a stream of `Item`s to the database and fills an `ImportReport`."""

    def __init__(self, db: Database, default_territory: str | None = None,
                 batch_size: int = 500) -> None:
        self.db = db
        self.default_territory = default_territory
        self.batch_size = batch_size
        self.report = ImportReport()
        self.source = "import"
        self._territories: dict[str, str] = {}
        self._specialties: dict[str, str] = {}
        self._links: list[tuple[LinkIn, ImportReport, str]] = []  # with its report, source
        # Identifiers rejected by their check, to the account that carried them: a reference
        # naming one (a role by the practitioner's NPI) still finds it within this command.
        self._aliases: dict[Key, tuple[str, str]] = {}
        self._new_specialties: list[str] = []  # made in the current batch
        self._queue = _Queue()

    # -- public -----------------------------------------------------------------------------

    def run(self, items: Iterable[Item], total: int | None = None,
            progress: Progress | None = None, source: str = "import") -> ImportReport:
        """Write the accounts of one payload (named `source` in the log) and queue its links
        for `link`; the report is this payload's."""
        self.report, self.source = ImportReport(), source
        with self.db.reading() as session:
            conn = session.connection()
            self._territories = dict(conn.execute(select(Territory.code, Territory.id)).all())
            self._specialties = dict(conn.execute(select(Specialty.code, Specialty.id)).all())
        if self.default_territory and self.default_territory not in self._territories:
            raise ImportFormatError(f"unknown territory {self.default_territory!r}")
        done = 0
        batch: list[Item] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.batch_size:
                self._write_batch(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
                if done % (self.batch_size * 20) == 0:
                    self._analyze()
        if batch:
            self._write_batch(batch)
            done += len(batch)
        if done >= self.batch_size * 20:
            self._analyze()
        if progress:
            progress(done, total)
        for result in self.report.results:
            if result.status == "skipped":
                _log_refused(source, result)
        return self.report

    def link(self) -> None:
        """Write the links of every payload run so far (all their accounts exist now)."""
        if self._links:
            self._write_links()
        self._links.clear()

    def _analyze(self) -> None:
        """Refresh PostgreSQL's statistics while a big import grows the tables: planned on
        the stats of an empty table, the external id lookup turns into a sequential scan per
        batch (measured: 3,000 -> 500 rows/s between 20k and 100k rows)."""
        if self.db.engine.dialect.name != "postgresql":
            return
        with self.db.engine.connect() as conn:
            conn.execute(text("ANALYZE accounts, external_ids, addresses"))
            conn.commit()

    # -- accounts -----------------------------------------------------------------------------

    def _write_batch(self, batch: list[Item]) -> None:
        """Fast path first: new accounts are inserted with one executemany per table. If the
        database refuses anything in it, the batch is rolled back and redone row by row,
        each row in a SAVEPOINT, so only the offending row is skipped."""
        marks = len(self.report.results), len(self._links), len(self._aliases)
        try:
            self._apply(batch, fast=True)
        except SQLAlchemyError:
            del self.report.results[marks[0]:]
            del self._links[marks[1]:]
            for key in list(self._aliases)[marks[2]:]:
                del self._aliases[key]
            self._forget_new_specialties()
            self._apply(batch, fast=False)

    def _apply(self, batch: list[Item], fast: bool) -> None:
        with self.db.writing() as session:
            conn = session.connection()
            version = next_versions(session)
            keys = [k for it in batch if it.account for k in it.account.keys]
            known: dict[Key, str] = {}
            for start in range(0, len(keys), 1000):
                chunk = keys[start:start + 1000]
                rows = conn.execute(
                    select(ExternalId.system, ExternalId.value, ExternalId.account_id)
                    .where(_key_filter(chunk))
                ).all()
                known.update({(s, v): a for s, v, a in rows})
            self._queue = _Queue()
            self._new_specialties.clear()
            for item in batch:
                result = RowResult(ref=item.ref)
                self.report.results.append(result)
                if item.error is not None:
                    result.reason = item.error
                    continue
                if item.ignored is not None:
                    result.status, result.reason = "ignored", item.ignored
                    continue
                if item.link is not None:
                    self._links.append((item.link, self.report, self.source))
                    self.report.results.pop()  # the link reports itself after the accounts
                    continue
                record = item.account
                assert record is not None
                result.key = key_text(record.keys[0]) if record.keys else None
                result.warnings.extend(record.warnings)
                result.flags.extend(record.flags)
                try:
                    if fast:
                        # _upsert raises RowError before its first write, so a refused
                        # row leaves nothing behind even without a savepoint.
                        new_keys = self._upsert(conn, record, known, version, result, fast)
                    else:
                        with conn.begin_nested():
                            mark = len(self._new_specialties)
                            try:
                                new_keys = self._upsert(conn, record, known, version, result,
                                                        fast)
                            except BaseException:
                                for code in self._new_specialties[mark:]:
                                    self._specialties.pop(code, None)
                                del self._new_specialties[mark:]
                                raise
                except (RowError, SQLAlchemyError) as exc:
                    if fast and isinstance(exc, SQLAlchemyError):
                        raise
                    result.status, result.account_id = "skipped", None
                    result.flags.clear()
                    result.reason = str(exc).splitlines()[0] if isinstance(exc, RowError) \
                        else f"database refused the row: {type(exc.__cause__ or exc).__name__}"
                    continue
                known.update(new_keys)
                assert result.account_id is not None
                for rejected in record.rejected:
                    self._aliases.setdefault(rejected.key, (result.account_id, record.kind))
                for link in record.links:
                    link.result = result
                    self._links.append((link, self.report, self.source))
            self._queue.flush(conn)

    def _upsert(self, conn: Connection, record: AccountIn, known: dict[Key, str],
                version: int, result: RowResult, fast: bool) -> dict[Key, str]:
        # Every check first: nothing is written for a row that is refused.
        if not record.keys:
            raise RowError("no external id: an account needs one to be matched later")
        ids = {known[k] for k in record.keys if k in known}
        if len(ids) > 1:
            raise RowError("its external ids belong to different accounts: "
                           + ", ".join(key_text(k) for k in record.keys if k in known))
        territory_code = record.territory or self.default_territory
        territory_id = None
        if territory_code:
            territory_id = self._territories.get(territory_code)
            if territory_id is None:
                raise RowError(f"unknown territory {territory_code!r}")
        account_id = ids.pop() if ids else None
        current: dict[str, Any] = {}
        if account_id is not None:
            if account_id in self._queue.pending:
                self._queue.flush(conn)  # the same account twice in one batch
            current = conn.execute(
                select(*(ACCOUNTS.c[k] for k in (*_ACCOUNT_FIELDS, "specialty_id",
                                                 "territory_id")))
                .where(ACCOUNTS.c.id == account_id)
            ).one()._asdict()
            if record.kind != current["kind"]:
                raise RowError(f"is a {record.kind} but {key_text(record.keys[0])} "
                               f"belongs to an existing {current['kind']}")
        values: dict[str, Any] = {f: getattr(record, f) for f in _ACCOUNT_FIELDS}
        values["territory_id"] = territory_id
        values["specialty_id"] = (self._specialty_id(conn, record.specialty, version)
                                  if record.specialty is not None else None)
        now = utcnow()
        new_keys: dict[Key, str] = {}
        if account_id is None:
            account_id = uuid7()
            row = {"id": account_id, "version": version, "updated_at": now, "deleted": False,
                   "parent_id": None, "preferred_contact_time": None,
                   "preferred_language": None, "notes": None, **values}
            self._queue.add(conn, ACCOUNTS, row, fast)
            self._queue.pending.add(account_id)
            if record.address is not None:
                self._queue.add(conn, ADDRESSES, {
                    "id": uuid7(), "version": version, "updated_at": now, "deleted": False,
                    "account_id": account_id, "is_primary": True, **dict(vars(record.address))},
                    fast)
            for key in record.keys:
                self._queue.add(conn, EXTERNAL_IDS, {
                    "id": uuid7(), "version": version, "updated_at": now, "deleted": False,
                    "account_id": account_id, "system": key[0], "value": key[1]}, fast)
                new_keys[key] = account_id
            if record.flags:
                self._queue.add(conn, AUDIT, self._flag_entry(record, account_id, version),
                                fast)
            result.status, result.account_id = "created", account_id
            return new_keys
        # An existing account: what master data does not say (None) is kept.
        changed = {k: v for k, v in values.items() if v is not None and current.get(k) != v}
        if changed:
            conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.id == account_id)
                         .values(**changed, version=version, updated_at=now))
        result.status = "updated" if changed else "unchanged"
        result.account_id = account_id
        if record.address is not None and self._upsert_address(
            conn, account_id, dict(vars(record.address)), version
        ):
            result.status = "updated"
        for key in record.keys:
            if key not in known:
                conn.execute(insert(EXTERNAL_IDS).values(
                    id=uuid7(), version=version, updated_at=now, deleted=False,
                    account_id=account_id, system=key[0], value=key[1]))
                new_keys[key] = account_id
                result.status = "updated"
        if record.flags and result.status == "updated":
            conn.execute(insert(AUDIT), [self._flag_entry(record, account_id, version)])
        return new_keys

    def _flag_entry(self, record: AccountIn, account_id: str, version: int
                    ) -> dict[str, Any]:
        """The account's audit entry of what the import found missing or rejected: written
        when the account is created or changed, so an unchanged re-import adds nothing."""
        details = {"source": self.source, "flags": record.flags,
                   "rejected": [{"identifier": key_text(r.key), "reason": r.reason}
                                for r in record.rejected]}
        return {"id": uuid7(), "version": version, "updated_at": utcnow(), "deleted": False,
                "at": utcnow(), "user_id": None, "action": FLAGGED, "entity": "accounts",
                "row_id": account_id, "details": json.dumps(details, ensure_ascii=False)}

    def _upsert_address(self, conn: Connection, account_id: str, address: dict[str, Any],
                        version: int) -> bool:
        """The account's primary address, created or brought up to date; True if changed."""
        row = conn.execute(
            select(ADDRESSES.c.id, *(ADDRESSES.c[f] for f in _ADDRESS_FIELDS)).where(
                ADDRESSES.c.account_id == account_id, ADDRESSES.c.is_primary.is_(True),
                ADDRESSES.c.deleted.is_(False))
        ).first()
        now = utcnow()
        if row is None:
            conn.execute(insert(ADDRESSES).values(
                id=uuid7(), version=version, updated_at=now, deleted=False,
                account_id=account_id, is_primary=True, **address))
            return True
        current = row._asdict()
        # Empty street or city: the source does not say (the columns are NOT NULL).
        changed = {k: v for k, v in address.items()
                   if v is not None and v != "" and current.get(k) != v}
        if changed:
            conn.execute(update(ADDRESSES).where(ADDRESSES.c.id == row.id)
                         .values(**changed, version=version, updated_at=now))
        return bool(changed)

    def _specialty_id(self, conn: Connection, specialty: SpecialtyIn, version: int) -> str:
        found = self._specialties.get(specialty.code)
        if found:
            return found
        new_id = uuid7()
        conn.execute(insert(SPECIALTIES).values(
            id=new_id, version=version, updated_at=utcnow(), deleted=False,
            code=specialty.code, name_en=specialty.name[:200], name_de=specialty.name[:200]))
        # Cached at once; if the row's savepoint rolls back, so does the specialty, and
        # _forget_new_specialties drops it from the cache again.
        self._specialties[specialty.code] = new_id
        self._new_specialties.append(specialty.code)
        return new_id

    def _forget_new_specialties(self) -> None:
        for code in self._new_specialties:
            self._specialties.pop(code, None)
        self._new_specialties.clear()

    # -- links ------------------------------------------------------------------------------

    def _write_links(self) -> None:
        with self.db.writing() as session:
            conn = session.connection()
            version = next_versions(session)
            for link, report, source in self._links:
                if link.own_result:
                    report.results.append(link.result)
                nested = conn.begin_nested()
                self._new_specialties.clear()
                try:
                    self._write_link(conn, link, version)
                except (RowError, SQLAlchemyError) as exc:
                    nested.rollback()
                    self._forget_new_specialties()
                    reason = str(exc) if isinstance(exc, RowError) else "database refused it"
                    if link.own_result:
                        link.result.status, link.result.reason = "skipped", reason
                        _log_refused(source, link.result)
                    else:
                        link.result.warnings.append(reason)
                    continue
                nested.commit()
                if link.own_result:
                    link.result.status = "linked"

    def _resolve(self, conn: Connection, keys: list[Key], what: str) -> tuple[str, str]:
        if not keys:
            raise RowError(f"{what} has no identifier to find it by")
        rows = conn.execute(
            select(ExternalId.account_id, Account.kind)
            .join(Account, Account.id == ExternalId.account_id)
            .where(_key_filter(keys))
        ).all()
        found = {(a, k) for a, k in rows}
        found |= {self._aliases[k] for k in keys if k in self._aliases}
        if not found:
            raise RowError(f"{what} not found")
        if len(found) > 1:
            raise RowError(f"{what} matches several accounts")
        return found.pop()

    def _write_link(self, conn: Connection, link: LinkIn, version: int) -> None:
        source_id, source_kind = self._resolve(conn, link.source, link.describe_source)
        target_id, target_kind = self._resolve(conn, link.target, link.describe_target)
        now = utcnow()
        if link.kind == "parent":
            if source_id == target_id:
                raise RowError("an organisation cannot be part of itself")
            conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.id == source_id)
                         .values(parent_id=target_id, version=version, updated_at=now))
            return
        if source_kind != "hcp" or target_kind != "hco":
            raise RowError(f"affiliation needs a doctor and an institution, "
                           f"got {source_kind} and {target_kind}")
        existing = conn.execute(select(AFFILIATIONS.c.id, AFFILIATIONS.c.role).where(
            AFFILIATIONS.c.hcp_id == source_id, AFFILIATIONS.c.hco_id == target_id)).first()
        if existing is None:
            conn.execute(insert(AFFILIATIONS).values(
                id=uuid7(), version=version, updated_at=now, deleted=False,
                hcp_id=source_id, hco_id=target_id, role=link.role, is_primary=False))
        elif link.role and existing.role != link.role:
            conn.execute(update(AFFILIATIONS).where(AFFILIATIONS.c.id == existing.id)
                         .values(role=link.role, version=version, updated_at=now,
                                 deleted=False))
        if link.specialty is not None:
            has = conn.execute(select(ACCOUNTS.c.specialty_id)
                               .where(ACCOUNTS.c.id == source_id)).scalar()
            if has is None:
                spec_id = self._specialty_id(conn, link.specialty, version)
                conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.id == source_id)
                             .values(specialty_id=spec_id, version=version, updated_at=now))
        link.result.account_id = link.result.account_id or source_id


def _log_refused(source: str, result: RowResult) -> None:
    """One line per refused row: the reason is the message, a traceback would be noise."""
    log.warning("%s, %s refused: %s", source, result.ref, result.reason)
