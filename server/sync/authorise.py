"""May this caller apply this mutation? The push asks here, and here reads `app.access`.

Nothing the laptop sends is taken on trust: every account the row references, before and
after the change, must be in the caller's write scope (`server.scope.writable_among`);
references through a parent row (a sample's call, a slide view's session) count as the
row's own; the owner, the author and fixed columns are checked against the stored row; an
audit entry must be the caller's own, about a row they may write. A refusal is a `Rejected`
with a sentence the laptop shows beside the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.access import ACCESS, Access, Right, may
from app.contract import ENTITIES, Merge, Role
from server.models import Account
from server.scope import Principal, writable_among
from server.sync.wire import Rejected

#: How a reason names the caller's role.
_ROLE: dict[str, str] = {Role.REP: "a rep", Role.MSL: "an MSL", Role.MANAGER: "a manager",
                         Role.ADMIN: "an administrator"}
#: How a reason names a row of an entity.
_THING = {"interactions": "call", "presentation_sessions": "presentation session",
          "medical_inquiries": "medical inquiry", "medical_answers": "medical answer",
          "addresses": "address", "tasks": "task", "accounts": "account",
          "audit_log": "audit entry"}
#: Nesting of references through parent rows: a slide view -> its session -> its call.
_MAX_DEPTH = 4


def _thing(entity: str) -> str:
    return _THING.get(entity, entity.replace("_", " "))


def _a(entity: str) -> str:
    thing = _thing(entity)
    return f"{'an' if thing[0] in 'aeiou' else 'a'} {thing}"


class WriteScope:
    """What one push request knows of its caller's write scope, asked once per account."""

    def __init__(self, session: Session, principal: Principal, territories: set[str],
                 current: Callable[[str, Any], Row[Any] | None]) -> None:
        self.session, self.principal, self.territories = session, principal, territories
        self.current = current  # the server's row of an entity by id, as it stands now
        self._writable: dict[str, bool] = {}
        self._kinds: dict[str, str | None] = {}

    def outside(self, accounts: Iterable[str]) -> set[str]:
        """The accounts out of the caller's write scope."""
        wanted = set(accounts)
        unknown = sorted(wanted - self._writable.keys())
        for chunk in range(0, len(unknown), 500):
            ids = unknown[chunk:chunk + 500]
            inside = set(self.session.scalars(writable_among(self.principal, ids)))
            self._writable.update((a, a in inside) for a in ids)
        return {a for a in wanted if not self._writable[a]}

    def grant(self, account_id: str) -> None:
        """An account this push created (in one of the caller's territories)."""
        self._writable[account_id] = True
        self._kinds.pop(account_id, None)

    def kind(self, account_id: str) -> str | None:
        if account_id not in self._kinds:
            self._kinds[account_id] = self.session.scalar(
                select(Account.kind).where(Account.id == account_id))
        return self._kinds[account_id]


def check(scope: WriteScope, entity: str, op: str, row_id: str, row: Row[Any] | None,
          values: dict[str, Any]) -> dict[str, Any]:
    """The values to write (the owner or author filled in from the token when the laptop
    left it out); Rejected with the reason when the caller may not apply the mutation."""
    access = ACCESS[entity]
    _check_right(scope.principal.role, entity, Right.CREATE if row is None else Right.WRITE)
    stored = dict(row._mapping) if row is not None else None
    after = {**(stored or {}), **values, "id": row_id}
    states = [s for s in (stored, after if op == "upsert" else None) if s is not None]
    if access.territory is not None and stored is None:
        states = []  # a new account: its territory is checked below
    accounts: set[str] = set()
    others: set[str] = set()  # parents (calls, sessions) owned by another user
    for state in states:
        accounts |= _accounts(scope, entity, state, 0, others)
    if scope.outside(accounts):
        raise Rejected("this account is not in your territories")
    if access.territory is not None:
        _check_territory(scope, access.territory, stored, values)
    values = _authorship(access, entity, scope.principal.user_id, stored, values)
    if others:
        raise Rejected(f"this {_thing(min(others))} belongs to another user: only they can "
                       "change it")
    _check_fixed(access, entity, stored, values)
    if op == "upsert":
        _check_kinds(scope, entity, stored, values, after)
    if access.about is not None and scope.outside(_about(scope, after)):
        raise Rejected("audit entries are about rows in your territories")
    if scope.principal.role == Role.MSL and entity == "interactions" and op == "upsert" \
            and after.get("status") != "submitted":
        raise Rejected("an MSL records a medical contact once it has happened: planned "
                       "visits and drafts are promotional calls, which belong to reps")
    return values


def _check_right(role: str, entity: str, right: Right) -> None:
    if may(role, entity, right):
        return
    who, what = _ROLE.get(role, role), entity.replace("_", " ")
    if not any(may(role, entity, r) for r in (Right.WRITE, Right.CREATE)):
        raise Rejected(f"{who} cannot change {what}: this change was not applied")
    if ENTITIES[entity].merge is Merge.APPEND_ONLY:
        raise Rejected(f"{entity} rows are written once and never changed")
    raise Rejected(f"{who} cannot {'create' if right is Right.CREATE else 'change'} {what}")


def _check_fixed(access: Access, entity: str, stored: dict[str, Any] | None,
                 values: dict[str, Any]) -> None:
    if stored is None:
        return
    for column in access.fixed:
        if column in values and values[column] != stored[column]:
            raise Rejected(f"the {column.removesuffix('_id')} of {_a(entity)} cannot be "
                           "changed")


def _check_kinds(scope: WriteScope, entity: str,
                 stored: dict[str, Any] | None, values: dict[str, Any],
                 after: dict[str, Any]) -> None:
    """Columns that must name an account of one kind (an affiliation's doctor and
    institution), where the mutation sets them."""
    for ref in ENTITIES[entity].refs:
        if ref.kind is None or (stored is not None and ref.column not in values):
            continue
        account = after.get(ref.column)
        if isinstance(account, str) and scope.kind(account) not in (None, ref.kind):
            raise Rejected(_kind_reason(entity, ref.column, ref.kind))


def _authorship(access: Access, entity: str, me: str, stored: dict[str, Any] | None,
                values: dict[str, Any]) -> dict[str, Any]:
    """Owner and author come from the token: checked where the laptop sent them, filled in
    on a new row where it did not."""
    if access.owner is not None:
        if stored is not None and stored[access.owner] not in (None, me):
            raise Rejected(f"this {_thing(entity)} belongs to another user: only they can "
                           "change it")
        if values.get(access.owner, me) != me:
            raise Rejected(f"{entity.replace('_', ' ')} rows of other users cannot be "
                           f"written: {_a(entity)} is written in your own name")
        if stored is None:
            values = {**values, access.owner: me}
    if access.author is not None and stored is None:
        if values.get(access.author, me) != me:
            raise Rejected(f"{_a(entity)} is written in your own name")
        values = {**values, access.author: me}
    return values


def _check_territory(scope: WriteScope, column: str, stored: dict[str, Any] | None,
                     values: dict[str, Any]) -> None:
    if stored is None:
        if values.get(column) not in scope.territories:
            raise Rejected("accounts can only be placed in your own territories")
    elif column in values and values[column] != stored[column]:
        raise Rejected("moving an account to another territory is done by an administrator "
                       "on the server: this change was not applied")


def _kind_reason(entity: str, column: str, kind: str) -> str:
    if entity == "affiliations":
        return ("an affiliation links a doctor (hcp_id) with an institution (hco_id): "
                f"{column} names the wrong kind of account")
    return f"{entity}.{column} must name an account of kind {kind}"


def _accounts(scope: WriteScope, entity: str, state: dict[str, Any], depth: int,
              others: set[str]) -> set[str]:
    """The accounts a row (as column -> value) references, through its parents too; the
    parent entities whose row belongs to another user are added to `others`."""
    found: set[str] = set()
    spec = ENTITIES[entity]
    for ref in spec.refs:
        value = state.get(ref.column)
        if value is None:
            continue
        if ref.entity == "accounts":
            found.add(value)
            continue
        target = scope.current(ref.entity, value)
        if target is None:
            raise Rejected(f"unknown {_thing(ref.entity)}: the server has not received it")
        owner = ACCESS[ref.entity].owner
        if ref.entity == spec.parent and owner is not None \
                and getattr(target, owner) not in (None, scope.principal.user_id):
            others.add(ref.entity)
        if depth >= _MAX_DEPTH:
            raise Rejected("this row references too deep a chain of rows")
        found |= _accounts(scope, ref.entity, dict(target._mapping), depth + 1, others)
    return found


def _about(scope: WriteScope, entry: dict[str, Any]) -> set[str]:
    """The accounts of the row an audit entry is about; Rejected unless it is a row the
    caller may write (the entry's author is checked as its owner) or one the server does
    not hold."""
    entity, row_id = entry.get("entity"), entry.get("row_id")
    if entity not in ACCESS or not any(
            may(scope.principal.role, entity, r) for r in (Right.WRITE, Right.CREATE)):
        raise Rejected("audit entries are about rows you may change")
    target = scope.current(entity, row_id)
    if target is None:
        # Not (or not under this id) on the server: a row the server merged into its twin
        # (server/sync/push.py, NATURAL_KEYS), or one still to come. Such an entry reaches
        # nobody but its author (server/sync/scoping.py); the row, when it comes, is checked.
        return set()
    state = dict(target._mapping)
    owner = ACCESS[entity].owner
    if owner is not None and state[owner] not in (None, scope.principal.user_id):
        raise Rejected("audit entries are about your own actions on your own rows")
    others: set[str] = set()
    accounts = _accounts(scope, entity, state, 0, others)
    if others or (not accounts and owner is None):
        raise Rejected("audit entries are about rows you may change")
    return accounts
