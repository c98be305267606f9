"""The local store as the engine sees it: accounts, touchpoints, catalog, feedback.

Read with Core selects in a few bulk queries (a territory has thousands of accounts and
hundreds of thousands of key-message rows); everything else of the engine works on the
plain dataclasses this returns. Nothing here reads the demo's hidden ground truth.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engine import (
    AccountFacts,
    Catalog,
    ContentItem,
    Feedback,
    Reaction,
    Reason,
    Suggestion,
    Touchpoint,
)
from app.store.accounts import Account, ChannelConsent
from app.store.base import CallStatus
from app.store.content import Presentation, PresentationSession, Slide, SlideView
from app.store.interactions import DiscussedKeyMessage, Interaction
from app.store.reference import KeyMessage, Product, Specialty, TerritoryProduct, User
from app.store.suggestions import Suggestion as SuggestionRow
from app.store.suggestions import SuggestionStatus


@dataclass
class History:
    accounts: list[AccountFacts]
    touchpoints: list[Touchpoint]
    catalog: Catalog
    feedback: list[Feedback]
    open: list[Suggestion]


def read_accounts(session: Session) -> list[AccountFacts]:
    rows = session.execute(
        select(Account.id, Account.kind, Account.segment, Specialty.code, Account.potential,
               Account.name)
        .outerjoin(Specialty, Specialty.id == Account.specialty_id)
        .where(Account.deleted.is_(False))).all()
    consents: dict[str, dict[str, str]] = defaultdict(dict)
    ranks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for account_id, channel, consent, preferred, rank in session.execute(
            select(ChannelConsent.account_id, ChannelConsent.channel, ChannelConsent.consent,
                   ChannelConsent.preferred, ChannelConsent.preference_rank)
            .where(ChannelConsent.deleted.is_(False))):
        consents[account_id][channel] = consent
        if preferred or rank is not None:
            ranks[account_id].append((0 if preferred or rank is None else rank, channel))
    return [AccountFacts(r[0], r[1], r[2], r[3], 0.5 if r[4] is None else float(r[4]),
                         consents.get(r[0], {}),
                         tuple(dict.fromkeys(c for _, c in sorted(ranks.get(r[0], [])))),
                         r[5]) for r in rows]


def read_touchpoints(session: Session, account_id: str | None = None,
                     call_id: str | None = None) -> list[Touchpoint]:
    """Submitted calls with their key-message reactions and e-detail slide views; a visit
    the doctor did not receive is a failed visit."""
    where = [Interaction.status == CallStatus.SUBMITTED.value, Interaction.deleted.is_(False)]
    if account_id is not None:
        where.append(Interaction.account_id == account_id)
    if call_id is not None:
        where.append(Interaction.id == call_id)
    reactions: dict[str, list[Reaction]] = defaultdict(list)
    for call, topic, product, reaction in session.execute(
            select(DiscussedKeyMessage.interaction_id, KeyMessage.topic, KeyMessage.product_id,
                   DiscussedKeyMessage.reaction)
            .join(KeyMessage, KeyMessage.id == DiscussedKeyMessage.key_message_id)
            .join(Interaction, Interaction.id == DiscussedKeyMessage.interaction_id)
            .where(DiscussedKeyMessage.deleted.is_(False), *where)):
        reactions[call].append(Reaction(sys.intern(topic), reaction and sys.intern(reaction),
                                        product and sys.intern(product)))
    for session_call, topic, product, reaction, ms, answers in session.execute(
            select(PresentationSession.interaction_id, Slide.topic, Presentation.product_id,
                   SlideView.reaction, SlideView.duration_ms, SlideView.answers)
            .join(PresentationSession, PresentationSession.id == SlideView.session_id)
            .join(Slide, Slide.id == SlideView.slide_id)
            .join(Presentation, Presentation.id == Slide.presentation_id)
            .join(Interaction, Interaction.id == PresentationSession.interaction_id)
            .where(*where)):
        if session_call is None:
            continue
        reactions[session_call].append(Reaction(topic, reaction, product, ms / 1000.0, "slide"))
        if answers and answers not in ("{}", "null"):
            reactions[session_call].append(Reaction(topic, None, product, None, "answer"))
    # The calls are streamed, not fetched whole, and their repeated strings (account ids,
    # channels, roles) shared: a territory's history is a million touchpoints, and one string
    # object per field and touchpoint was most of the engine's memory (docs/memory.md).
    calls = session.execute(
        select(Interaction.id, Interaction.account_id, Interaction.start_at,
               Interaction.channel, Interaction.duration_min, User.role,
               Interaction.not_received)
        .outerjoin(User, User.id == Interaction.owner_id).where(*where))
    out = []
    for call, account, start, channel, minutes, role, not_received in calls:
        said = tuple(reactions.pop(call, ()))
        opened = None
        if channel == "email" and said:
            opened = any(r.reaction in ("positive", "neutral") for r in said)
        out.append(Touchpoint(sys.intern(account), start, sys.intern(channel), minutes, said,
                              opened, owner_role=sys.intern(role or "rep"),
                              kind="email" if channel == "email" else "call",
                              # The doctor did not receive the rep: the engine's access
                              # learning counts an attempt, not a contact.
                              failed_visit=bool(not_received)))
    return out


def read_catalog(session: Session, territory_id: str | None) -> Catalog:
    promotable = frozenset(session.scalars(
        select(TerritoryProduct.product_id).join(Product, Product.id == TerritoryProduct.product_id)
        .where(TerritoryProduct.territory_id == territory_id,
               TerritoryProduct.deleted.is_(False), Product.active.is_(True),
               Product.deleted.is_(False))))
    products = {r[0]: r[1] for r in session.execute(select(Product.id, Product.name))}
    first_topic = {r[0]: r[1] for r in session.execute(
        select(Slide.presentation_id, Slide.topic).where(Slide.position == 1))}
    content = tuple(
        ContentItem(p.id, p.title, p.product_id, first_topic.get(p.id, "efficacy"),
                    "presentation", p.approval_state == "approved", p.valid_from,
                    p.valid_until)
        for p in session.scalars(select(Presentation).where(Presentation.deleted.is_(False))))
    return Catalog(promotable, content, products)


def to_engine(row: SuggestionRow) -> Suggestion:
    return Suggestion(row.id, row.account_id, row.action, row.channel, row.owner_role,
                      row.due_date, row.expires_on, row.priority, reasons_of(row.reasons),
                      row.content_id, row.product_id, row.rule_id, row.plan_id, row.plan_step,
                      row.trigger)


def reasons_of(text: str | None) -> tuple[Reason, ...]:
    try:
        data = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(Reason.from_json(d) for d in data if isinstance(d, dict) and "text" in d)


def read_suggestions(session: Session) -> tuple[list[Feedback], list[Suggestion]]:
    feedback, open_ = [], []
    for row in session.scalars(select(SuggestionRow).where(SuggestionRow.deleted.is_(False))):
        if row.status == SuggestionStatus.OPEN:
            open_.append(to_engine(row))
        else:
            feedback.append(Feedback(row.id, row.account_id, row.channel, row.status,
                                     row.status_at or dt.datetime.min, row.status_reason))
    return feedback, open_


def read_history(session: Session, territory_id: str | None) -> History:
    feedback, open_ = read_suggestions(session)
    return History(read_accounts(session), read_touchpoints(session),
                   read_catalog(session, territory_id), feedback, open_)


