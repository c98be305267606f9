"""Which synced rows a user may pull and push, built on `server.scope` (the one place that
decides which accounts a user sees): every other entity follows its account, through its
parent where it has one (an attendee -> its call -> the call's account), by the columns the
contract declares (`app.contract.Entity.scope_columns`). Only rules the references cannot
say are written here by name: reference data, users, audit entries, the rows a user owns
without an account, the medical firewall.

Medical inquiries follow their account; their answers (`app.contract.MEDICAL_ONLY`) reach
MSLs only, whatever else changes here: the firewall between promotion and medical. An MSL,
whose scope is the few escalated accounts, pulls the reference data whole (territories,
products, key messages, the user directory), so the history of any account routed to them
later refers to rows the laptop already holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FunctionElement, Select, and_, false, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute

from app.contract import ENTITIES, MEDICAL_ONLY, Role
from server.models import (
    Account,
    AuditEntry,
    Base,
    Interaction,
    MedicalInquiry,
    Presentation,
    PresentationSession,
    Product,
    Task,
    TerritoryAssignment,
    TerritoryProduct,
)
from server.scope import Principal, accounts_visible_to, is_visible, territories_of
from server.sync.wire import table_of


def scoped_account_ids(principal: Principal) -> Select[Any]:
    return accounts_visible_to(principal).with_only_columns(Account.id)


def _bound(entity: str) -> bool:
    """Whether rows of `entity` hang off an account, directly or through their parents."""
    spec = ENTITIES[entity]
    if spec.parent is not None and spec.parent != "accounts":
        return bool(spec.scope_columns) and _bound(spec.parent)
    return bool(spec.scope_columns)


#: Entities whose rows an account brings along when it enters a user's scope: those that
#: hang off it (and the audit entries about them), except the inquiries, their answers and
#: the suggestions, which reach a user only as they change.
ACCOUNT_BOUND = frozenset(
    {name for name in ENTITIES if _bound(name)} - {
        "medical_inquiries", "medical_answers", "suggestions"} | {"audit_log"})

Condition = ColumnElement[bool]
#: A column to test: of a table, an alias or a mapped class.
Column = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class Shape:
    """How a filter asks "is this account in the set" and "is this row's parent one of
    those": by sets (`IN (SELECT ...)`: the set is built once per query, best when most of
    the scope is read, as on a first sync) or by probes (correlated `EXISTS` through the
    indexes, per row: best for the few rows changed since a cursor, whose cost must not
    follow the size of the scope). Both shapes state the same rules."""

    member: Callable[[Column], Condition]
    per_row: bool

    def within(self, column: Column, target: Column,
               *where: Condition) -> Condition:
        """`column` is the id (`target`) of a row that meets `where`. The two must be of
        different tables: probing a table from itself would test the subquery's own row."""
        if column.table is target.table:
            raise ValueError(f"{target} is tested directly, not within its own table")
        if self.per_row:
            return select(target).where(target == column, *where).exists()
        return column.in_(select(target).where(*where))


class unindexed(FunctionElement[Any]):  # noqa: N801 - reads as SQL, like func.*
    """A column as it is, which SQLite must not look up through an index ("+column").

    A page's rows are those past the cursor, found through the `(version, id)` index in the
    page's order. SQLite plans without statistics: offered `user_id = ? OR entity = ?` or
    `account_id IN (the scope)`, it would take those indexes for selective and read every
    audit entry of an entity, or every call of the scope, sorting them all for each page of
    a first sync. The filter's own columns are therefore wrapped; PostgreSQL, which keeps
    statistics, gets the bare column."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type
        self.table = column.table


@compiles(unindexed)
def _bare(element: unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _plus(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


class _Columns:
    """The columns of the filtered table, `unindexed` for a page (see there)."""

    def __init__(self, entity: str, per_row: bool) -> None:
        self._columns = table_of(entity).c
        self._per_row = per_row

    def __contains__(self, name: str) -> bool:
        return name in self._columns

    def __getattr__(self, name: str) -> Any:
        column = self._columns[name]
        return unindexed(column) if self._per_row else column


def set_shape(accounts: Select[Any]) -> Shape:
    """Members of `accounts` (a SELECT of account ids), tested as a set."""
    return Shape(lambda column: column.in_(accounts), per_row=False)


def probe_shape(principal: Principal) -> Shape:
    """Accounts the caller may read, probed row by row (`server.scope.is_visible`)."""
    return Shape(lambda column: is_visible(principal, column), per_row=True)


def _authors(shape: Shape) -> Condition:
    """Users who wrote rows of these accounts (calls, tasks, sessions, audit entries): a
    replica needs them, or those rows would point at a user it does not hold (after an
    account moved in from another territory)."""
    users = Base.metadata.tables["users"].c
    return or_(
        shape.within(users.id, Interaction.owner_id, shape.member(Interaction.account_id)),
        shape.within(users.id, Task.owner_id, shape.member(Task.account_id)),
        shape.within(users.id, PresentationSession.user_id,
                     shape.member(PresentationSession.account_id)),
        shape.within(users.id, AuditEntry.user_id, AuditEntry.entity == "accounts",
                     shape.member(AuditEntry.row_id)),
        shape.within(users.id, AuditEntry.user_id, AuditEntry.entity == "interactions",
                     shape.within(AuditEntry.row_id, Interaction.id,
                                  shape.member(Interaction.account_id))),
    )


def pull_filter(entity: str, principal: Principal, accounts: Select[Any] | None = None, *,
                per_row: bool = False, page: bool = False) -> Condition:
    """The WHERE clause of the rows of `entity` the caller pulls; with `accounts` (a SELECT of
    account ids), only the rows of those accounts (an entity outside ACCOUNT_BOUND: none).
    `per_row`: the probing shape (see `Shape`), for a query over a few rows. `page`: the
    filter of a page, walked in `(version, id)` order from the cursor (see `unindexed`)."""
    if accounts is not None:
        return _of_accounts(entity, principal, accounts)
    return _in_scope(entity, principal,
                     probe_shape(principal) if per_row else set_shape(
                         scoped_account_ids(principal)), page=page or per_row)


def _of_accounts(entity: str, principal: Principal, accounts: Select[Any]) -> Condition:
    """The rows of `entity` that belong to these accounts and that the caller may pull."""
    t = table_of(entity).c
    if entity == "users":
        return and_(_authors(set_shape(accounts)), pull_filter(entity, principal))
    if entity not in ACCOUNT_BOUND:
        return false()
    if entity == "audit_log":
        own = select(Interaction.id).where(Interaction.account_id.in_(accounts))
        return and_(or_(and_(t.entity == "accounts", t.row_id.in_(accounts)),
                        and_(t.entity == "interactions", t.row_id.in_(own))),
                    pull_filter(entity, principal))
    return and_(_of(entity, accounts), pull_filter(entity, principal))


def _of(entity: str, accounts: Select[Any]) -> Condition:
    """Rows of `entity` hanging off one of `accounts`: by its scope columns, through the
    parent's rows where the parent is not the account itself."""
    spec, t = ENTITIES[entity], table_of(entity).c
    if spec.parent is not None and spec.parent != "accounts":
        [column] = spec.scope_columns
        parent = table_of(spec.parent).c
        return t[column].in_(select(parent.id).where(_of(spec.parent, accounts)))
    return or_(*(t[column].in_(accounts) for column in spec.scope_columns))


def _in_scope(entity: str, principal: Principal, shape: Shape, columns: Any = None, *,
              page: bool = False) -> Condition:
    """The rule for `entity`, on the filtered table's `columns` (by default its own, as
    `_Columns` gives them, `unindexed` for a page) or on those of a parent the filtered
    rows point to."""
    t: Any = _Columns(entity, page or shape.per_row) if columns is None else columns
    member, within = shape.member, shape.within
    territories = territories_of(principal)
    me = principal.user_id
    msl = principal.role == Role.MSL
    products = select(Product.id) if msl else select(TerritoryProduct.product_id).where(
        TerritoryProduct.territory_id.in_(territories), TerritoryProduct.deleted == false())
    colleagues = select(TerritoryAssignment.user_id).where(
        TerritoryAssignment.territory_id.in_(territories))

    def inquiry(c: Any) -> tuple[Condition, Condition]:
        """The inquiries (columns `c`) the caller pulls."""
        return (member(c.account_id),
                or_(c.assigned_to == me, c.status == "queued") if msl else true())

    filters: dict[str, Callable[[], Condition]] = {  # lazy: columns differ
        "territories": lambda: true() if msl else t.id.in_(territories),
        "users": lambda: true() if msl else or_(t.id == me, t.id.in_(colleagues),
                                                _authors(shape),
                                                t.role.in_((Role.MSL, Role.STEWARD))),
        "specialties": true,
        "products": lambda: t.id.in_(products),
        "key_messages": lambda: t.product_id.in_(products),
        "territory_products": lambda: t.territory_id.in_(territories),
        "accounts": lambda: member(t.id),
        "affiliations": lambda: and_(member(t.hcp_id), member(t.hco_id)),
        "interactions": lambda: member(t.account_id),
        "tasks": lambda: or_(member(t.account_id),
                             and_(t.account_id.is_(None), t.owner_id == me)),
        "audit_log": lambda: or_(
            t.user_id == me,
            and_(t.entity == "accounts", member(t.row_id)),
            and_(t.entity == "interactions",
                 within(t.row_id, Interaction.id, member(Interaction.account_id))),
            and_(t.entity == "medical_inquiries",
                 within(t.row_id, MedicalInquiry.id, *inquiry(MedicalInquiry)))),
        # Drafts stay on the server until approved (server/content.py).
        "presentations": lambda: and_(t.product_id.in_(products), t.approval_state != "draft"),
        "slides": lambda: t.presentation_id.in_(
            select(Presentation.id).where(Presentation.product_id.in_(products),
                                          Presentation.approval_state != "draft")),
        "presentation_sessions": lambda: or_(member(t.account_id), t.user_id == me),
        "medical_inquiries": lambda: and_(*inquiry(t)),
        "medical_answers": lambda: within(t.inquiry_id, MedicalInquiry.id,
                                          *inquiry(MedicalInquiry),
                                          MedicalInquiry.assigned_to == me),
        "rule_sets": true,
        "email_templates": lambda: and_(t.product_id.in_(products),
                                        t.approval_state != "draft"),
        "market_sales": lambda: false() if msl else t.territory_id.in_(territories),
        # A new doctor's request names no account until accepted: its requester has it.
        "change_requests": lambda: or_(member(t.account_id), t.requested_by == me),
        "cycle_plans": lambda: false() if msl else t.territory_id.in_(territories),
    }
    if entity in MEDICAL_ONLY and not msl:
        return false()
    if entity in filters:
        return filters[entity]()
    spec = ENTITIES[entity]
    if spec.parent is not None and spec.parent != "accounts":
        # A child follows its parent: the parent's own rule, on the parent's table.
        [column] = spec.scope_columns
        parent = table_of(spec.parent).c
        return within(getattr(t, column), parent.id,
                      _in_scope(spec.parent, principal, shape, parent))
    if not spec.scope_columns:
        raise LookupError(f"{entity}: no pull scope (no references to accounts in "
                          "app/contract.py and no rule in server/sync/scoping.py)")
    return and_(*(member(getattr(t, column)) for column in spec.scope_columns))


#: What the integration feed exports (docs/integration.md, "The change feed", says why each
#: other entity stays in): master data and what happened with the doctors of the token's
#: territories, and the reference data those rows name. Not the people who work here
#: (users, their tasks, the engine's suggestions to them, the audit trail), not the medical
#: side of the firewall (inquiries and answers), not licensed sales figures, not rule sets.
FEED_ENTITIES = frozenset({
    "territories", "specialties", "products", "key_messages", "territory_products",
    "accounts", "addresses", "external_ids", "affiliations", "channel_consents",
    "interactions", "attendees", "discussed_products", "discussed_key_messages", "samples",
    "presentations", "slides", "presentation_sessions", "slide_views", "clickstream_events",
    "touchpoints",
})


def _hanging_off(entity: str, accounts: Select[Any], columns: Any) -> Condition:
    """Rows of `entity` (on `columns`) hanging off one of `accounts`, through their parents
    (`_of`, on the columns given, so a page's own columns can be `unindexed`)."""
    spec = ENTITIES[entity]
    if spec.parent is not None and spec.parent != "accounts":
        [column] = spec.scope_columns
        parent = table_of(spec.parent)
        return getattr(columns, column).in_(
            select(parent.c.id).where(_hanging_off(spec.parent, accounts, parent.c)))
    return or_(*(getattr(columns, column).in_(accounts) for column in spec.scope_columns))


def feed_filter(entity: str, territories: frozenset[str] | None) -> Condition | None:
    """The WHERE clause of the rows of `entity` a service account's feed serves (None: the
    entity is never exported). `territories`: territory ids, None for all. An account is
    in the feed's scope by its own territory; a row hanging off accounts when one of them
    is (an affiliation of a doctor here with a hospital elsewhere comes along)."""
    if entity not in FEED_ENTITIES:
        return None
    t: Any = _Columns(entity, per_row=True)
    approved = select(Presentation.id).where(Presentation.approval_state != "draft")
    if entity == "presentations":
        return t.approval_state != "draft"
    if entity == "slides":
        return t.presentation_id.in_(approved)
    if territories is None:
        return true()
    ids = sorted(territories)
    if entity == "territories":
        return t.id.in_(ids)
    if entity == "territory_products":
        return t.territory_id.in_(ids)
    if entity in ("specialties", "products", "key_messages"):
        return true()
    return _hanging_off(entity, select(Account.id).where(Account.territory_id.in_(ids)), t)
