"""Which synced rows a user may pull and push, built on `server.scope` (the one place that
decides which accounts a user sees): every other entity follows its account, through its
parent where it has one (an attendee -> its call -> the call's account).

Medical inquiries follow their account; their answers (`app.contract.MEDICAL_ONLY`) reach
MSLs only, whatever else changes here: the firewall between promotion and medical. An MSL,
whose scope is the few escalated accounts, pulls the reference data whole (territories,
products, key messages, the user directory), so the history of any account routed to them
later refers to rows the laptop already holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true

from app.contract import MEDICAL_ONLY
from server.models import (
    Account,
    AuditEntry,
    Base,
    Interaction,
    MedicalInquiry,
    Presentation,
    PresentationSession,
    Product,
    Role,
    Task,
    TerritoryAssignment,
    TerritoryProduct,
)
from server.scope import Principal, accounts_visible_to, territories_of
from server.sync.wire import table_of


def scoped_account_ids(principal: Principal) -> Select[Any]:
    return accounts_visible_to(principal).with_only_columns(Account.id)


#: Entities whose rows hang off an account (directly or through their parent): the rows an
#: account brings along when it enters a user's scope.
ACCOUNT_BOUND = frozenset({
    "accounts", "addresses", "external_ids", "channel_consents", "affiliations",
    "interactions", "attendees", "discussed_products", "discussed_key_messages", "samples",
    "tasks", "presentation_sessions", "slide_views", "clickstream_events", "audit_log",
})


def _authors(accounts: Select[Any]) -> ColumnElement[bool]:
    """Users who wrote rows of these accounts (calls, tasks, sessions, audit entries): a
    replica needs them, or those rows would point at a user it does not hold (after an
    account moved in from another territory)."""
    users = Base.metadata.tables["users"].c
    return or_(
        users.id.in_(select(Interaction.owner_id).where(Interaction.account_id.in_(accounts))),
        users.id.in_(select(Task.owner_id).where(Task.account_id.in_(accounts))),
        users.id.in_(select(PresentationSession.user_id)
                     .where(PresentationSession.account_id.in_(accounts))),
        users.id.in_(select(AuditEntry.user_id).where(AuditEntry.entity == "accounts",
                                                      AuditEntry.row_id.in_(accounts))),
        users.id.in_(select(AuditEntry.user_id).where(
            AuditEntry.entity == "interactions",
            AuditEntry.row_id.in_(select(Interaction.id)
                                  .where(Interaction.account_id.in_(accounts))))),
    )


def pull_filter(entity: str, principal: Principal, accounts: Select[Any] | None = None
                ) -> ColumnElement[bool]:
    """The WHERE clause of the rows of `entity` the caller pulls; with `accounts` (a SELECT of
    account ids), only the rows of those accounts (an entity outside ACCOUNT_BOUND: none)."""
    if accounts is not None:
        return _of_accounts(entity, principal, accounts)
    return _in_scope(entity, principal)


def _of_accounts(entity: str, principal: Principal, accounts: Select[Any]
                 ) -> ColumnElement[bool]:
    """The rows of `entity` that belong to these accounts and that the caller may pull."""
    t = table_of(entity).c
    if entity == "users":
        return and_(_authors(accounts), pull_filter(entity, principal))
    if entity not in ACCOUNT_BOUND:
        return false()
    own = select(Interaction.id).where(Interaction.account_id.in_(accounts))
    bound: dict[str, Callable[[], ColumnElement[bool]]] = {
        "accounts": lambda: t.id.in_(accounts),
        "affiliations": lambda: or_(t.hcp_id.in_(accounts), t.hco_id.in_(accounts)),
        "tasks": lambda: t.account_id.in_(accounts),
        "presentation_sessions": lambda: t.account_id.in_(accounts),
        "audit_log": lambda: or_(and_(t.entity == "accounts", t.row_id.in_(accounts)),
                                 and_(t.entity == "interactions", t.row_id.in_(own))),
    }
    if entity in bound:
        return and_(bound[entity](), pull_filter(entity, principal))
    if "interaction_id" in t:
        return and_(t.interaction_id.in_(own), pull_filter(entity, principal))
    if "session_id" in t:
        sessions = select(PresentationSession.id).where(
            PresentationSession.account_id.in_(accounts))
        return and_(t.session_id.in_(sessions), pull_filter(entity, principal))
    return and_(t.account_id.in_(accounts), pull_filter(entity, principal))


def _in_scope(entity: str, principal: Principal) -> ColumnElement[bool]:
    t = table_of(entity).c
    accounts = scoped_account_ids(principal)
    territories = territories_of(principal)
    me = principal.user_id
    msl = principal.role == Role.MSL
    products = select(Product.id) if msl else select(TerritoryProduct.product_id).where(
        TerritoryProduct.territory_id.in_(territories), TerritoryProduct.deleted == false())
    interactions = select(Interaction.id).where(Interaction.account_id.in_(accounts))
    sessions = select(PresentationSession.id).where(
        or_(PresentationSession.account_id.in_(accounts), PresentationSession.user_id == me))
    colleagues = select(TerritoryAssignment.user_id).where(
        TerritoryAssignment.territory_id.in_(territories))
    inquiries = select(MedicalInquiry.id).where(
        MedicalInquiry.account_id.in_(accounts),
        or_(MedicalInquiry.assigned_to == me, MedicalInquiry.status == "queued") if msl
        else true())
    filters: dict[str, Callable[[], ColumnElement[bool]]] = {  # lazy: columns differ
        "territories": lambda: true() if msl else t.id.in_(territories),
        "users": lambda: true() if msl else or_(t.id == me, t.id.in_(colleagues),
                                                _authors(accounts), t.role == Role.MSL),
        "specialties": true,
        "products": lambda: t.id.in_(products),
        "key_messages": lambda: t.product_id.in_(products),
        "territory_products": lambda: t.territory_id.in_(territories),
        "accounts": lambda: t.id.in_(accounts),
        "affiliations": lambda: and_(t.hcp_id.in_(accounts), t.hco_id.in_(accounts)),
        "interactions": lambda: t.account_id.in_(accounts),
        "tasks": lambda: or_(t.account_id.in_(accounts),
                             and_(t.account_id.is_(None), t.owner_id == me)),
        "audit_log": lambda: or_(t.user_id == me,
                                 and_(t.entity == "accounts", t.row_id.in_(accounts)),
                                 and_(t.entity == "interactions",
                                      t.row_id.in_(interactions)),
                                 and_(t.entity == "medical_inquiries",
                                      t.row_id.in_(inquiries))),
        "presentations": lambda: t.product_id.in_(products),
        "slides": lambda: t.presentation_id.in_(
            select(Presentation.id).where(Presentation.product_id.in_(products))),
        "presentation_sessions": lambda: or_(t.account_id.in_(accounts), t.user_id == me),
        "medical_inquiries": lambda: t.id.in_(inquiries),
        "medical_answers": lambda: t.inquiry_id.in_(select(MedicalInquiry.id).where(
            MedicalInquiry.id.in_(inquiries), MedicalInquiry.assigned_to == me)),
        "rule_sets": true,
    }
    if entity in MEDICAL_ONLY and not msl:
        return false()
    if entity in filters:
        return filters[entity]()
    if "interaction_id" in t and entity != "tasks":  # attendees, discussed_*, samples
        return t.interaction_id.in_(interactions)
    if "session_id" in t:  # slide_views, clickstream_events
        return t.session_id.in_(sessions)
    return t.account_id.in_(accounts)  # addresses, external_ids, channel_consents
