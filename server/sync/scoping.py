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
    Interaction,
    MedicalInquiry,
    Presentation,
    PresentationSession,
    Product,
    Role,
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
                                                t.role == Role.MSL),
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
