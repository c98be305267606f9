"""Applying pushed mutations: idempotent, in order, each in its own SAVEPOINT.

One push request is one transaction. It first takes the change counter (`next_versions`
reserves one version per mutation): its row lock serialises pushes, so a mutation id sent
twice at once is seen by the second push only after the first committed (the idempotency
record is there), and versions commit in order (what the pull's cursor relies on). Each
mutation runs in a SAVEPOINT: a rejection, business or database (a missing parent row),
rolls back that mutation alone and never blocks the ones after it.

Per request, not per mutation: the idempotency records of the whole batch are looked up in one
query (under the counter's lock, so a concurrent push of the same ids has committed), and the
new records, conflict log entries and audit trail entries are written together at the end,
in the same transaction (one executemany each). Write scope is asked per account, through
the indexes, and remembered for the request; what a caller may write is decided in
`server.sync.authorise`, from the declaration in `app.access`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from sqlalchemy import Row, Select, bindparam, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.access import ACCESS
from app.contract import ENTITIES, PROTOCOL_VERSION, Merge, Role, lock_of, to_wire
from app.ids import uuid7
from app.wire_schema import MUTATION_KEYS
from server import change_requests
from server.db import next_versions
from server.escalations import rules as escalation_rules
from server.gdpr_guard import refuse_erased
from server.models import (
    AuditTrail,
    ConflictEntry,
    IdempotencyRecord,
    TerritoryAssignment,
    utcnow,
)
from server.scope import Principal
from server.sync import authorise, compliance, merge
from server.sync.wire import (
    INT64,
    Rejected,
    coerce,
    is_uuid,
    json_text,
    printable,
    row_out,
    table_of,
    whole_number,
)

OPS = ("upsert", "delete")

assert PROTOCOL_VERSION == 1  # this module implements protocol 1


@dataclass
class Mutation:
    mutation_id: str
    entity: str
    row_id: str
    op: str
    fields: dict[str, Any]
    base_version: int


@dataclass
class Context:
    """What one push request knows about its caller, computed once."""

    principal: Principal
    session: Session
    device: str  # "user/device": whose edits are not concurrent with each other
    scope: authorise.WriteScope
    #: The first answer per mutation id: stored before this request, or given in it.
    answered: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    #: Idempotency records and conflict log entries to write at the end of the request.
    records: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    #: The server's audit trail of the mutations applied, written at the end.
    trail: list[dict[str, Any]] = field(default_factory=list)
    # Calls and sessions locked by this very request: their children written in the same
    # push (the client writes the call before its parts) are still accepted.
    locked_here: set[str] = field(default_factory=set)
    #: (entity, id) -> id: new rows merged into a natural-key twin in this request; the audit
    #: entries about them that follow in the request name the surviving row.
    merged: dict[tuple[str, str], str] = field(default_factory=dict)


def result(mutation_id: Any, status: str, *, version: int | None = None,
           row: dict[str, Any] | None = None, conflicts: list[dict[str, Any]] | None = None,
           reason: str | None = None) -> dict[str, Any]:
    # What the client sent is echoed (an id, a field's name in a reason): made printable, so
    # the answer can always be encoded.
    return {"mutation_id": printable(mutation_id) if isinstance(mutation_id, str) else None,
            "status": status, "version": version, "row": row, "conflicts": conflicts or [],
            "reason": printable(reason) if reason is not None else None}


def parse(raw: Any) -> Mutation:
    """The envelope of one mutation, checked; Rejected with what is wrong."""
    if not isinstance(raw, dict):
        raise Rejected("a mutation must be a JSON object")
    unknown = set(raw) - MUTATION_KEYS
    if unknown:
        raise Rejected(f"unknown mutation keys: {', '.join(sorted(unknown))}")
    entity, op, fields, base = (raw.get("entity"), raw.get("op"), raw.get("fields", {}),
                                raw.get("base_version", 0))
    if not isinstance(entity, str) or entity not in ENTITIES:
        raise Rejected(f"unknown entity: {str(entity)[:64]}")
    if not is_uuid(raw.get("row_id")):
        raise Rejected("row_id must be a UUID")
    if op not in OPS:
        raise Rejected("op must be upsert or delete")
    if not isinstance(fields, dict):
        raise Rejected("fields must be an object")
    if not whole_number(base, (0, INT64[1])):
        raise Rejected("base_version must be a whole number >= 0 (a version the server sent)")
    return Mutation(raw["mutation_id"], entity, raw["row_id"], op, fields, base)


def checked_fields(m: Mutation) -> dict[str, Any]:
    allowed = set(ENTITIES[m.entity].fields)
    unknown = sorted(set(m.fields) - allowed - {"id", "version", "updated_at", "deleted"})
    if unknown:
        raise Rejected(f"unknown field(s) of {m.entity}: {', '.join(unknown)[:200]}")
    return {name: coerce(m.entity, name, value) for name, value in m.fields.items()
            if name in allowed}


def push(session: Session, principal: Principal, mutations: list[Any]) -> list[dict[str, Any]]:
    """Answer every mutation, in order (the caller commits)."""
    first = next_versions(session, max(len(mutations), 1))
    territories = set(session.scalars(select(TerritoryAssignment.territory_id).where(
        TerritoryAssignment.user_id == principal.user_id)))
    ctx = Context(principal, session, f"{principal.user_id}/{principal.device_id}",
                  authorise.WriteScope(session, principal, territories, lambda entity, row_id:
                                       _current(ctx, entity, row_id)))
    ids = sorted({m["mutation_id"] for m in mutations
                  if isinstance(m, dict) and is_uuid(m.get("mutation_id"))})
    for chunk in range(0, len(ids), 500):
        ctx.answered.update(
            (mutation_id, (user_id, orjson.loads(response)))
            for mutation_id, user_id, response in session.execute(
                select(IdempotencyRecord.mutation_id, IdempotencyRecord.user_id,
                       IdempotencyRecord.response)
                .where(IdempotencyRecord.mutation_id.in_(ids[chunk:chunk + 500]))))
    ctx.scope.outside(_accounts_named(mutations))  # one query for the accounts named outright
    answers = [_one(ctx, raw, first + i) for i, raw in enumerate(mutations)]
    if ctx.conflicts:
        session.execute(insert(ConflictEntry), ctx.conflicts)
    if ctx.records:
        session.execute(insert(IdempotencyRecord), ctx.records)
    if ctx.trail:
        session.execute(insert(AuditTrail), ctx.trail)
    return answers


def _accounts_named(mutations: list[Any]) -> set[str]:
    """The accounts mutations name outright (an account's id, a row's account): their scope
    is asked in one query; accounts reached through a parent row are asked as they come."""
    named: set[str] = set()
    for raw in mutations:
        if not isinstance(raw, dict) or not isinstance(raw.get("fields", {}), dict):
            continue
        spec = ENTITIES.get(str(raw.get("entity")))
        if spec is None:
            continue
        fields = {**raw.get("fields", {}), "id": raw.get("row_id")}
        for ref in spec.refs:
            account = fields.get(ref.column)
            if ref.entity == "accounts" and is_uuid(account):
                named.add(account)
    return named


def _one(ctx: Context, raw: Any, version: int) -> dict[str, Any]:
    mutation_id = raw.get("mutation_id") if isinstance(raw, dict) else None
    if not is_uuid(mutation_id):
        return result(mutation_id if isinstance(mutation_id, str) else None, "rejected",
                      reason="mutation_id must be a UUID")
    seen = ctx.answered.get(mutation_id)
    if seen is not None:
        if seen[0] != ctx.principal.user_id:
            return result(mutation_id, "rejected", reason="this mutation id was already used")
        first = dict(seen[1])
        if first["status"] != "rejected":
            first["status"] = "duplicate"
        _note_merge(ctx, raw, first.get("row"))
        return first
    conflicts: list[dict[str, Any]] = []
    try:
        with ctx.session.begin_nested():
            answer = _apply(ctx, parse(raw), version, conflicts)
        ctx.conflicts.extend(conflicts)
    except Rejected as exc:
        answer = result(mutation_id, "rejected", reason=str(exc))
    except (IntegrityError, DataError) as exc:
        # A missing parent, a duplicate unique value ...: the database's own check.
        first_line = str(exc.orig).strip().splitlines()[0][:200] if exc.orig else "refused"
        answer = result(mutation_id, "rejected",
                        reason=f"the server could not store this row ({first_line})")
    if answer["status"] in ("applied", "conflict"):
        ctx.trail.append(_trail(ctx, raw, answer))
    response = orjson.dumps(answer)
    ctx.answered[mutation_id] = (ctx.principal.user_id, orjson.loads(response))
    ctx.records.append({"mutation_id": mutation_id, "user_id": ctx.principal.user_id,
                        "device_id": ctx.principal.device_id, "status": answer["status"],
                        "response": response.decode(),
                        # It wrote only if the row now stands at the version it was given.
                        "applied_version": version if answer["version"] == version else None})
    return answer


def _trail(ctx: Context, raw: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The server's audit trail entry for an applied mutation: who and from which device
    come from the token, never from the pushed row."""
    return {"id": uuid7(), "at": utcnow(), "user_id": ctx.principal.user_id,
            "device_id": ctx.principal.device_id, "mutation_id": raw["mutation_id"],
            "entity": raw["entity"], "row_id": answer["row"]["id"], "op": raw["op"],
            "fields": ",".join(sorted(raw.get("fields") or {}))[:4000],
            "version": answer["version"]}


#: Per entity, the statement that reads one row by id (built once: a push reads rows twice
#: per mutation, and building the statement cost more than running it).
_BY_ID: dict[str, Select[Any]] = {}


def _current(ctx: Context, entity: str, row_id: Any) -> Row[Any] | None:
    """The server's row as it stands now (Core, never the ORM's identity map: rows are
    updated with Core statements in this same transaction). Read on the session's
    connection, past the ORM's execute; what the ORM still holds (a routed inquiry and its
    audit entry) is written first, as its autoflush would."""
    if not isinstance(row_id, str):
        return None
    statement = _BY_ID.get(entity)
    if statement is None:
        table = table_of(entity)
        statement = _BY_ID[entity] = select(table).where(table.c.id == bindparam("row_id"))
    if ctx.session.new or ctx.session.dirty or ctx.session.deleted:
        ctx.session.flush()
    return ctx.session.connection().execute(statement, {"row_id": row_id}).first()


def _apply(ctx: Context, m: Mutation, version: int, conflict_log: list[dict[str, Any]]
           ) -> dict[str, Any]:
    """The answer to one mutation; the conflict log entries it makes go to `conflict_log`."""
    spec = ENTITIES[m.entity]
    if spec.merge is Merge.SERVER_OWNED:
        raise Rejected(f"{m.entity} is master data: it is changed on the server only")
    if ctx.principal.role not in (Role.REP, Role.MSL):
        raise Rejected("your role has read-only access")
    values = checked_fields(m)
    row = _current(ctx, m.entity, m.row_id)
    if row is None and m.op == "upsert" and spec.natural_key:
        twin = _twin(ctx, m.entity, values)
        if twin is not None:  # the same consent made on two devices: one row, merged
            ctx.merged[(m.entity, m.row_id)] = twin.id
            m = replace(m, row_id=twin.id)
            row = twin
    if ACCESS[m.entity].about is not None:
        values = _follow_merge(ctx, m.entity, values)
    values = authorise.check(ctx.scope, m.entity, m.op, m.row_id, row, values)
    refuse_erased(ctx.session, m.entity, m.row_id, row, values)
    # The laptop's compliance rules on a submitted call (before the lock marks it submitted).
    compliance.check(ctx.session, ctx.scope.outside, ctx.locked_here, m.entity, m.op,
                     m.row_id, row, values)
    _check_lock(ctx, m, row, values)
    escalation_rules.check(ctx.session, ctx.principal, m.entity, m.op, row, values)
    change_requests.check(ctx.session, ctx.principal, ctx.scope.territories, m.entity, m.op,
                          row, values)
    if spec.merge is Merge.APPEND_ONLY and (row is not None or m.op == "delete"):
        raise Rejected(f"{m.entity} rows are written once and never changed")
    table = table_of(m.entity)
    now = utcnow()
    if m.op == "delete":
        if row is None:
            raise Rejected("nothing to delete: the server has no such row")
        if row.deleted:
            return result(m.mutation_id, "applied", version=row.version,
                          row=row_out(m.entity, row._mapping))
        ctx.session.execute(update(table).where(table.c.id == m.row_id).values(
            deleted=True, version=version, updated_at=now,
            field_versions=merge.stamp(m.entity, row.field_versions, row.version, ["deleted"],
                                       version, ctx.device)))
        return _answer(ctx, m, "applied", [])
    if row is None:
        _insert(ctx, m, values, version, now)
        escalation_rules.after_insert(ctx.session, m.entity, m.row_id, version)
        return _answer(ctx, m, "applied", [])
    merged = merge.merge(m.entity, row, values, m.base_version, ctx.device)
    if row.deleted:
        last = merge.field_versions(row.field_versions, row.version).get(
            "deleted", (row.version, None))
        if last[0] > m.base_version and last[1] != ctx.device:
            raise Rejected("this row was deleted on the server meanwhile")
        merged.changes["deleted"] = False
    if merged.changes:
        ctx.session.execute(update(table).where(table.c.id == m.row_id).values(
            **merged.changes, version=version, updated_at=now,
            field_versions=merge.stamp(m.entity, row.field_versions, row.version,
                                       list(merged.changes), version, ctx.device)))
    after = _current(ctx, m.entity, m.row_id)
    assert after is not None
    conflict_log.extend(
        {"user_id": ctx.principal.user_id, "device_id": ctx.principal.device_id,
         "mutation_id": m.mutation_id, "entity": m.entity, "row_id": m.row_id,
         "field": c["field"], "mine": json_text(c["mine"]), "theirs": json_text(c["theirs"]),
         "kept": c["kept"], "version": after.version}
        for c in merged.conflicts)
    conflicts = [{**c, "mine": to_wire(c["mine"]), "theirs": to_wire(c["theirs"])}
                 for c in merged.conflicts]
    return _answer(ctx, m, "conflict" if conflicts else "applied", conflicts, after)


def _note_merge(ctx: Context, raw: Any, row: Any) -> None:
    """A repeated mutation whose first answer merged its row into a twin (the answer names
    the twin's id): later audit entries of the request follow it too."""
    spec = ENTITIES.get(str(raw.get("entity"))) if isinstance(raw, dict) else None
    if isinstance(row, dict) and spec is not None and spec.natural_key \
            and is_uuid(raw.get("row_id")) and row.get("id") != raw["row_id"]:
        ctx.merged[(raw["entity"], raw["row_id"])] = row["id"]


def _follow_merge(ctx: Context, entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """An audit entry about a row merged into its twin names the surviving row: no entry
    points at an id the server never kept (docs/sync-protocol.md, "Merging on the server").
    The laptop re-points the entries it has not sent yet once it learns of the merge
    (app/sync/rows.py `repoint`); this covers those sent in the same request."""
    about = ACCESS[entity].about
    assert about is not None
    kind, row_id = about
    target = ctx.merged.get((str(values.get(kind)), str(values.get(row_id))))
    return {**values, row_id: target} if target is not None else values


def _twin(ctx: Context, entity: str, values: dict[str, Any]) -> Row[Any] | None:
    table = table_of(entity)
    key = ENTITIES[entity].natural_key
    if any(values.get(name) is None for name in key):
        return None
    return ctx.session.execute(
        select(table).where(*(table.c[name] == values[name] for name in key),
                            table.c.deleted.is_(False))
        .order_by(table.c.version).limit(1)).first()


def _insert(ctx: Context, m: Mutation, values: dict[str, Any], version: int, now: Any) -> None:
    table = table_of(m.entity)
    missing = [c.name for c in table.columns
               if c.name in ENTITIES[m.entity].fields and c.name not in values
               and not c.nullable and c.default is None]
    if missing:
        raise Rejected(f"a new {m.entity} row needs: {', '.join(missing)}")
    ctx.session.execute(insert(table).values(
        id=m.row_id, **values, version=version, updated_at=now, deleted=False,
        field_versions=merge.stamp(m.entity, None, version, ENTITIES[m.entity].fields, version,
                                   ctx.device)))
    if any(r.column == "id" for r in ENTITIES[m.entity].refs):  # the row is an account
        ctx.scope.grant(m.row_id)


def _answer(ctx: Context, m: Mutation, status: str, conflicts: list[dict[str, Any]],
            after: Row[Any] | None = None) -> dict[str, Any]:
    """The answer with the row as it stands now (`after`, when the caller just read it)."""
    after = after if after is not None else _current(ctx, m.entity, m.row_id)
    assert after is not None
    return result(m.mutation_id, status, version=after.version,
                  row=row_out(m.entity, after._mapping), conflicts=conflicts)


def _check_lock(ctx: Context, m: Mutation, row: Row[Any] | None,
                values: dict[str, Any]) -> None:
    """LOCK_ON_SUBMIT: a row whose lock holds (a submitted call, an ended presentation
    session: `app.contract.Lock`) and its children are immutable, except for children that
    arrive in the same push as the locking change."""
    found = lock_of(m.entity)
    if ENTITIES[m.entity].merge is not Merge.LOCK_ON_SUBMIT or found is None:
        return
    owner, lock = found
    if owner.name == m.entity:
        if row is not None and lock.holds(getattr(row, lock.field)):
            raise Rejected(lock.refusal)
        if lock.holds(values.get(lock.field)):
            ctx.locked_here.add(m.row_id)
        return
    ref = ENTITIES[m.entity].parent_ref
    assert ref is not None  # app.contract.missing() names a child without one
    parent_id = getattr(row, ref.column) if row is not None else values.get(ref.column)
    parent = _current(ctx, owner.name, parent_id)
    if parent is not None and lock.holds(getattr(parent, lock.field)) \
            and parent_id not in ctx.locked_here:
        raise Rejected(lock.refusal)
