"""Which synced rows a user may pull and push, built on `server.scope` (the one place that
decides which accounts a user sees): every other entity follows its account, through its
parent where it has one (an attendee -> its call -> the call's account)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true

from server.models import (
    Account,
    Interaction,
    Presentation,
    PresentationSession,
    TerritoryAssignment,
    TerritoryProduct,
)
from server.scope import Principal, accounts_visible_to, territories_of
from server.sync.wire import table_of


def scoped_account_ids(principal: Principal) -> Select[Any]:
    return accounts_visible_to(principal).with_only_columns(Account.id)


def pull_filter(entity: str, principal: Principal) -> ColumnElement[bool]:
    """The WHERE clause of the rows of `entity` the caller pulls."""
    t = table_of(entity).c
    accounts = scoped_account_ids(principal)
    territories = territories_of(principal)
    me = principal.user_id
    products = select(TerritoryProduct.product_id).where(
        TerritoryProduct.territory_id.in_(territories), TerritoryProduct.deleted == false())
    interactions = select(Interaction.id).where(Interaction.account_id.in_(accounts))
    sessions = select(PresentationSession.id).where(
        or_(PresentationSession.account_id.in_(accounts), PresentationSession.user_id == me))
    colleagues = select(TerritoryAssignment.user_id).where(
        TerritoryAssignment.territory_id.in_(territories))
    filters: dict[str, Callable[[], ColumnElement[bool]]] = {  # lazy: columns differ
        "territories": lambda: t.id.in_(territories),
        "users": lambda: or_(t.id == me, t.id.in_(colleagues)),
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
                                      t.row_id.in_(interactions))),
        "presentations": lambda: t.product_id.in_(products),
        "slides": lambda: t.presentation_id.in_(
            select(Presentation.id).where(Presentation.product_id.in_(products))),
        "presentation_sessions": lambda: or_(t.account_id.in_(accounts), t.user_id == me),
        "rule_sets": true,
    }
    if entity in filters:
        return filters[entity]()
    if "interaction_id" in t and entity != "tasks":  # attendees, discussed_*, samples
        return t.interaction_id.in_(interactions)
    if "session_id" in t:  # slide_views, clickstream_events
        return t.session_id.in_(sessions)
    return t.account_id.in_(accounts)  # addresses, external_ids, channel_consents
