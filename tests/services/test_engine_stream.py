"""The store's history as the engine reads it: a stream in time order whose calls carry the
same reactions as the store holds, and the compact set of calls counted at load."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from itertools import pairwise
from types import GeneratorType

import pytest
from sqlalchemy import func, select

from app.demo.territory import DemoSummary, generate
from app.ids import uuid7
from app.services.counted_calls import CountedCalls, packed
from app.services.engine_data import read_accounts, read_history, stream_touchpoints
from app.store.base import CallStatus
from app.store.content import PresentationSession, SlideView
from app.store.database import Database
from app.store.interactions import DiscussedKeyMessage, Interaction

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db: Database) -> DemoSummary:
    return generate(db, accounts=120, seed=5, years=1, today=TODAY)


def test_the_history_streams_in_time_order_with_each_calls_reactions(
        db: Database, demo: DemoSummary) -> None:
    with db.read() as session:
        history = read_history(session, demo.territory_id)
        assert isinstance(history.touchpoints, GeneratorType)  # read as it is counted
        touches = list(history.touchpoints)
        submitted = (Interaction.status == CallStatus.SUBMITTED.value,
                     Interaction.deleted.is_(False))
        calls = session.scalar(select(func.count()).select_from(Interaction).where(*submitted))
        messages = session.scalar(
            select(func.count()).select_from(DiscussedKeyMessage)
            .join(Interaction, Interaction.id == DiscussedKeyMessage.interaction_id)
            .where(DiscussedKeyMessage.deleted.is_(False), *submitted))
        slides = session.scalar(
            select(func.count()).select_from(SlideView)
            .join(PresentationSession, PresentationSession.id == SlideView.session_id)
            .join(Interaction, Interaction.id == PresentationSession.interaction_id)
            .where(*submitted))
        per_account = Counter(session.scalars(select(Interaction.account_id).where(*submitted)))
    assert len(touches) == calls > 500
    assert all(a.at <= b.at for a, b in pairwise(touches))
    sources = Counter(r.source for t in touches for r in t.reactions)
    assert sources["call"] == messages > 0
    assert sources["slide"] == slides
    assert Counter(t.account_id for t in touches) == per_account
    # the reactions without a dwell time, and their tuples, are shared objects
    said = [r for t in touches for r in t.reactions if r.dwell_s is None]
    assert len({id(r) for r in said}) == len(set(said)) < len(said) / 20
    plain = [t.reactions for t in touches
             if t.reactions and all(r.dwell_s is None for r in t.reactions)]
    assert len({id(r) for r in plain}) == len(set(plain)) < len(plain) / 2


def test_one_accounts_stream_is_its_calls_in_the_whole_stream(db: Database,
                                                             demo: DemoSummary) -> None:
    with db.read() as session:
        every = list(stream_touchpoints(session))
        account = every[len(every) // 2].account_id
        own = list(stream_touchpoints(session, account_id=account))
    assert own == [t for t in every if t.account_id == account]


def test_counted_calls_hold_uuids_as_keys_and_any_other_id_as_it_is() -> None:
    ids = [uuid7() for _ in range(500)] + [str(uuid.uuid4()) for _ in range(500)]
    odd = ["call-1", ids[0].upper(), ids[1].replace("-", ""), " " + ids[2][1:]]
    counted = CountedCalls(iter(ids + odd))
    assert len(counted.keys) == 1000 and counted.others == set(odd)
    assert all(i in counted for i in ids + odd)
    assert uuid7() not in counted and ids[3].upper() not in counted
    assert str(uuid.UUID(int=0)) not in counted
    later = uuid7()
    counted.add(later)
    assert later in counted and len(counted) == 1005


def test_a_key_is_a_canonical_uuid_only() -> None:
    one = uuid7()
    assert packed(one) == uuid.UUID(one).bytes
    assert packed(one.upper()) is None and packed(one[:-1] + "g") is None
    assert packed(one.replace("-", "") + "----") is None
    assert packed("0" * 8 + "-" + " " * 4 + "-0000-0000-" + "0" * 12) is None


def test_accounts_share_their_consent_maps_and_strings(db: Database, demo: DemoSummary) -> None:
    with db.read() as session:
        accounts = read_accounts(session)
    assert len(accounts) == 120
    maps = [a.consents for a in accounts]
    assert len({id(m) for m in maps}) == len({tuple(sorted(m.items())) for m in maps}) < 60
    values = [v for m in maps for v in m.values()] + [a.kind for a in accounts]
    assert len({id(v) for v in values}) == len(set(values))
