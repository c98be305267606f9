"""The local store as the engine sees it: accounts, touchpoints, catalog, feedback.

Read with Core selects in a few bulk queries (a territory has thousands of accounts and
hundreds of thousands of key-message rows); everything else of the engine works on the
plain dataclasses this returns. Nothing here reads the demo's hidden ground truth.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
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
from app.store.touchpoints import Touchpoint as OutsideTouchpoint


@dataclass
class History:
    accounts: list[AccountFacts]
    touchpoints: Iterator[Touchpoint]  # oldest first, streamed from the store
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
    for account_id, named, consent, preferred, rank in session.execute(
            select(ChannelConsent.account_id, ChannelConsent.channel, ChannelConsent.consent,
                   ChannelConsent.preferred, ChannelConsent.preference_rank)
            .where(ChannelConsent.deleted.is_(False))):
        # Channels, consents and codes are a handful of values over 50,000 accounts: one
        # string each, not one per row (they were a tenth of the engine's memory).
        channel = sys.intern(named)
        consents[account_id][channel] = sys.intern(consent)
        if preferred or rank is not None:
            ranks[account_id].append((0 if preferred or rank is None else rank, channel))
    # So are whole consent maps and channel rankings: equal ones are one object (read only).
    same: dict[Any, Any] = {}

    def shared(value: Any, key: Any) -> Any:
        return same.setdefault(key, value)

    def facts(r: Any) -> AccountFacts:
        given = consents.get(r[0], {})
        ranked = tuple(dict.fromkeys(c for _, c in sorted(ranks.get(r[0], []))))
        return AccountFacts(r[0], sys.intern(r[1]), r[2] and sys.intern(r[2]),
                            r[3] and sys.intern(r[3]), 0.5 if r[4] is None else float(r[4]),
                            shared(given, ("consents", *sorted(given.items()))),
                            shared(ranked, ("ranked", *ranked)), r[5])
    return [facts(r) for r in rows]


def read_touchpoints(session: Session, account_id: str | None = None,
                     call_id: str | None = None) -> list[Touchpoint]:
    """Submitted calls with their key-message reactions and e-detail slide views."""
    return list(stream_touchpoints(session, account_id, call_id))


def stream_touchpoints(session: Session, account_id: str | None = None,
                       call_id: str | None = None) -> Iterator[Touchpoint]:
    """The submitted calls and what outside systems reported (the integration API), oldest
    first, one at a time (read while the session is open); `call_id`: that call alone."""
    calls = _stream_calls(session, account_id, call_id)
    if call_id is not None:
        return calls
    return heapq.merge(calls, read_outside_touchpoints(session, account_id),
                       key=lambda touch: touch.at)


def _stream_calls(session: Session, account_id: str | None = None,
                  call_id: str | None = None) -> Iterator[Touchpoint]:
    """The submitted calls as touchpoints, oldest first, one at a time.

    A territory's history is a million calls with a few million reactions: three cursors in
    the same order (start, id) are merged, so neither the calls nor their reactions are ever
    held whole (the engine keeps only the recent ones, app/engine/recent.py). Repeated
    strings (account ids, channels, roles, topics), reactions without a dwell time and
    their tuples are shared: an object per field, reaction and touchpoint was most of the
    engine's memory (docs/memory.md).
    """
    where = [Interaction.status == CallStatus.SUBMITTED.value, Interaction.deleted.is_(False)]
    if account_id is not None:
        where.append(Interaction.account_id == account_id)
    if call_id is not None:
        where.append(Interaction.id == call_id)
    order = (Interaction.start_at, Interaction.id)
    shared = _Reactions()
    rows = session.connection().execute  # Core: rows as the cursor gives them, not fetched whole
    messages = _by_call(rows(
        select(Interaction.id, KeyMessage.topic, KeyMessage.product_id,
               DiscussedKeyMessage.reaction)
        .join(DiscussedKeyMessage, DiscussedKeyMessage.interaction_id == Interaction.id)
        .join(KeyMessage, KeyMessage.id == DiscussedKeyMessage.key_message_id)
        .where(DiscussedKeyMessage.deleted.is_(False), *where)
        .order_by(*order, DiscussedKeyMessage.id)),
        shared.message)
    slides = _by_call(rows(
        select(Interaction.id, Slide.topic, Presentation.product_id, SlideView.reaction,
               SlideView.duration_ms, SlideView.answers)
        .join(PresentationSession, PresentationSession.interaction_id == Interaction.id)
        .join(SlideView, SlideView.session_id == PresentationSession.id)
        .join(Slide, Slide.id == SlideView.slide_id)
        .join(Presentation, Presentation.id == Slide.presentation_id)
        .where(*where)
        .order_by(*order, PresentationSession.id, SlideView.id)), shared.slide)
    calls = rows(
        select(Interaction.id, Interaction.account_id, Interaction.start_at,
               Interaction.channel, Interaction.duration_min, User.role,
               Interaction.not_received)
        .outerjoin(User, User.id == Interaction.owner_id).where(*where).order_by(*order))
    said_of = _Merged(messages, slides)
    for call, account, start, channel, minutes, role, not_received in calls:
        said = shared.of_call(said_of(call))
        opened = None
        if channel == "email" and said:
            opened = any(r.reaction in ("positive", "neutral") for r in said)
        yield Touchpoint(sys.intern(account), start, sys.intern(channel), minutes, said,
                         opened, owner_role=sys.intern(role or "rep"),
                         kind="email" if channel == "email" else "call",
                         # The doctor did not receive the rep: the engine's access learning
                         # counts an attempt, not a contact.
                         failed_visit=bool(not_received))


#: How the engine reads a touchpoint an outside system reported: its channel, whether the
#: doctor answered (a click, an attended webinar), whether an e-mail was opened. A website
#: visit has no channel the engine counts contacts in, so it is left out.
_OUTSIDE = {
    "email_opened": ("email", False, True),
    "email_clicked": ("email", True, True),
    "webinar_attended": ("event", True, None),
    "event_registered": ("event", True, None),
}


#: The source of the touchpoints the server's e-mail tracking records (server/email).
OWN_EMAIL_TRACKING = "fieldrep-email"


def read_outside_touchpoints(session: Session, account_id: str | None = None
                             ) -> list[Touchpoint]:
    """Touchpoints outside systems reported, oldest first, as contacts the doctor had: they
    count in the features (contacts, answers per channel, the persona) like a call of their
    channel. Few beside the calls, so read whole."""
    # The server's own tracking of a rep's e-mail (docs/email.md) reacts to a contact the
    # history holds already as a call of channel e-mail: counted again, one e-mail would
    # be three contacts against the cap. It still sets off the rules (`reported_since`).
    own = OutsideTouchpoint.source != OWN_EMAIL_TRACKING
    if account_id is None:
        return _read_outside(session, own)
    return _read_outside(session, own, OutsideTouchpoint.account_id == account_id)


def reported_since(session: Session, after_version: int, since: dt.datetime
                   ) -> list[Touchpoint]:
    """What outside systems reported that reached this laptop after `after_version` and
    happened from `since` on, oldest first (the news a sync brought, for the rules)."""
    return _read_outside(session, OutsideTouchpoint.version > after_version,
                         OutsideTouchpoint.occurred_at >= since)


def _read_outside(session: Session, *where: ColumnElement[bool]) -> list[Touchpoint]:
    """The live outside touchpoints the engine counts, narrowed by `where`, oldest first."""
    rows = session.execute(
        select(OutsideTouchpoint.account_id, OutsideTouchpoint.occurred_at,
               OutsideTouchpoint.kind)
        .where(OutsideTouchpoint.deleted.is_(False),
               OutsideTouchpoint.kind.in_(list(_OUTSIDE)), *where)
        .order_by(OutsideTouchpoint.occurred_at, OutsideTouchpoint.id))
    return [_outside_touch(account, at, kind) for account, at, kind in rows]


def newest_reported_version(session: Session) -> int:
    """The newest version of a reported touchpoint this laptop holds (0: none)."""
    return int(session.scalar(select(func.max(OutsideTouchpoint.version))) or 0)


def _outside_touch(account: str, at: dt.datetime, kind: str) -> Touchpoint:
    channel, answered, opened = _OUTSIDE[kind]
    said = (Reaction("", "positive", source=kind),) if answered else ()
    return Touchpoint(sys.intern(account), at, channel, None, said, opened,
                      kind="email" if channel == "email" else "event")


class _Reactions:
    """One Reaction object per distinct reaction without a dwell time (a few hundred topic,
    product and answer combinations), shared by every touchpoint that has it: a million
    calls carry some three million, and an object each was a third of the kept history."""

    def __init__(self) -> None:
        self.shared: dict[tuple[str, str | None, str | None, str], Reaction] = {}
        self.together: dict[tuple[int, ...], tuple[Reaction, ...]] = {}

    def of_call(self, said: list[Reaction]) -> tuple[Reaction, ...]:
        """A call's reactions as one tuple, shared by the calls with the same shared ones."""
        if any(r.dwell_s is not None for r in said):
            return tuple(said)
        key = tuple(map(id, said))
        made = self.together.get(key)
        if made is None:
            made = self.together[key] = tuple(said)
        return made

    def _one(self, topic: str, reaction: str | None, product: str | None,
             source: str) -> Reaction:
        key = (topic, reaction, product, source)
        made = self.shared.get(key)
        if made is None:
            made = self.shared[key] = Reaction(
                sys.intern(topic), reaction and sys.intern(reaction),
                product and sys.intern(product), None, source)
        return made

    def message(self, topic: str, product: str | None, reaction: str | None,
                ) -> list[Reaction]:
        return [self._one(topic, reaction, product, "call")]

    def slide(self, topic: str, product: str | None, reaction: str | None, ms: int,
              answers: str | None) -> list[Reaction]:
        topic, product = sys.intern(topic), product and sys.intern(product)
        seen = [Reaction(topic, reaction and sys.intern(reaction), product, ms / 1000.0,
                         "slide")]
        if answers and answers not in ("{}", "null"):
            seen.append(self._one(topic, None, product, "answer"))
        return seen


def _by_call(rows: Iterable[Row[Any]],
             make: Callable[..., list[Reaction]]) -> Iterator[tuple[str, list[Reaction]]]:
    """Rows ordered by call, grouped: (call id, its reactions) per call that has any."""
    call: str | None = None
    reactions: list[Reaction] = []
    for row in rows:
        if row[0] != call:
            if call is not None:
                yield call, reactions
            call, reactions = row[0], []
        reactions.extend(make(*row[1:]))
    if call is not None:
        yield call, reactions


class _Merged:
    """The reactions of each call, from streams in the calls' own order: asked for the calls
    in that order, each stream moves forward only (a call without reactions has none in it)."""

    def __init__(self, *streams: Iterator[tuple[str, list[Reaction]]]) -> None:
        self.streams = streams
        self.heads: list[tuple[str, list[Reaction]] | None] = [next(s, None) for s in streams]

    def __call__(self, call: str) -> list[Reaction]:
        said: list[Reaction] = []
        for k, head in enumerate(self.heads):
            if head is not None and head[0] == call:
                said += head[1]
                self.heads[k] = next(self.streams[k], None)
        return said


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
    """What the engine loads; its touchpoints are a stream, to be read while `session` is
    open (Engine.load counts them without holding them all)."""
    feedback, open_ = read_suggestions(session)
    return History(read_accounts(session), stream_touchpoints(session),
                   read_catalog(session, territory_id), feedback, open_)


