"""What the engine learns about the territory itself: whether some doctors barely answer
anything (a group only where the data shows one), and what a failed visit teaches."""

from __future__ import annotations

import datetime as dt

import numpy as np

from app.engine import (
    AccountFacts,
    Catalog,
    Engine,
    EngineSettings,
    Reaction,
    Touchpoint,
    default_rules,
    triggers_of,
)
from app.engine.learn import BARELY, responsiveness_groups
from tests.engine.planted import TODAY, Territory, territory

ALL_GRANTED = {c: "granted" for c in ("in_person", "phone", "video", "email", "event")}


def test_two_groups_only_where_some_doctors_barely_answer() -> None:
    rng = np.random.default_rng(3)
    contacts = rng.integers(6, 20, size=400).astype(float)
    rates = rng.uniform(0.3, 0.9, size=400)  # doctors differ, but all of them answer
    answers = rng.binomial(contacts.astype(int), rates).astype(float)
    assert responsiveness_groups(answers, contacts) is None
    rates[:100] = rng.uniform(0.0, 0.06, size=100)  # a quarter barely answers
    answers = rng.binomial(contacts.astype(int), rates).astype(float)
    groups = responsiveness_groups(answers, contacts)
    assert groups is not None
    low, high, share = groups
    assert low < 0.15 and high > 0.5 and 0.18 < share < 0.4


def barely_territory(planted: Territory) -> tuple[list[AccountFacts], list[Touchpoint],
                                                  set[str]]:
    """The planted territory where every fifth doctor never answered anything."""
    silent = {a.account_id for a in planted.accounts[::5]}
    touches = [t if t.account_id not in silent else Touchpoint(
        t.account_id, t.at, t.channel, t.duration_min,
        tuple(Reaction(r.topic, "negative" if r.reaction else None, r.product_id, r.dwell_s,
                       r.source) for r in t.reactions), False if t.opened else t.opened,
        kind=t.kind) for t in planted.touchpoints]
    return planted.accounts, touches, silent


def test_barely_responsive_doctors_are_named_so_with_the_evidence() -> None:
    planted = territory(200, seed=8)
    accounts, touches, silent = barely_territory(planted)
    engine = Engine(default_rules(), EngineSettings(control_share=0.0))
    engine.load(accounts, touches, planted.catalog)
    engine.train()
    assert engine.model.responders is not None
    named = {a.account_id for a in accounts if engine.persona_of(a.account_id).name == BARELY}
    assert len(named & silent) >= 0.9 * len(silent)
    assert len(named - silent) <= 0.05 * len(accounts)
    one = engine.persona_of(next(iter(named & silent)))
    assert one.confidence >= 0.8
    assert one.evidence[0].text == "Answered {count} of {total} contacts"
    assert one.evidence[0].values["count"] == 0
    # The rules know only the three personas: for them he has none.
    view = engine.view(next(iter(named & silent)), TODAY)
    assert view is not None and view.persona is None


def test_a_territory_where_everyone_answers_has_no_barely_responsive_group() -> None:
    planted = territory(200, seed=8)
    engine = Engine(default_rules(), EngineSettings(control_share=0.0))
    engine.load(planted.accounts, planted.touchpoints, planted.catalog)
    engine.train()
    assert not any(engine.persona_of(a.account_id).name == BARELY for a in planted.accounts)


def test_failed_visits_move_a_doctor_to_the_channels_that_reach_him() -> None:
    at = dt.datetime(2026, 3, 2, 10)
    answered = (Reaction("study", "positive"),)
    accounts = [AccountFacts("closed", consents=ALL_GRANTED),
                AccountFacts("open", consents=ALL_GRANTED)]
    touches = []
    for account in ("closed", "open"):
        touches += [Touchpoint(account, at + dt.timedelta(days=9 * k), "in_person", 15, answered)
                    for k in range(2)]
        touches += [Touchpoint(account, at + dt.timedelta(days=9 * k + 3), "phone", 5,
                               answered if k else ()) for k in range(3)]
    failed = [Touchpoint("closed", at + dt.timedelta(days=30 + 7 * k), "in_person", None, (),
                         failed_visit=True) for k in range(5)]
    engine = Engine(default_rules(), EngineSettings(control_share=0.0))
    engine.load(accounts, [*touches, *failed], Catalog())
    assert engine.features.failed.tolist() == [5.0, 0.0]
    assert engine.features.contacts[0].tolist() == engine.features.contacts[1].tolist()
    scores = {s.account_id: s for s in engine.rescore(TODAY)}
    assert scores["open"].best_channel == "in_person"
    assert scores["closed"].best_channel == "phone"
    assert scores["closed"].channel_propensity["in_person"] \
        < 0.5 * scores["open"].channel_propensity["in_person"]
    # Five in a row since the last visit he received: the rep is told first, with the
    # channel that reaches him.
    assert scores["closed"].reasons[0].text == \
        "Did not receive the last {count} visits: try {channel}"
    assert scores["closed"].reasons[0].values == {"count": 5, "channel": "phone"}
    assert triggers_of(failed[0]) == []


def test_the_visits_turned_away_lately_count_more_than_those_long_ago() -> None:
    """Two doctors with the same visits, two of them turned away: one long ago between
    received visits (bad luck), the other the last two (his door is closed now)."""
    at = dt.datetime(2026, 1, 5, 10)
    answered = (Reaction("study", "positive"),)
    accounts = [AccountFacts("lately", consents=ALL_GRANTED),
                AccountFacts("long_ago", consents=ALL_GRANTED)]
    touches = []
    for account in ("lately", "long_ago"):
        touches += [Touchpoint(account, at + dt.timedelta(days=14 * k), "in_person", 15,
                               answered) for k in range(6)]
        touches += [Touchpoint(account, at + dt.timedelta(days=14 * k + 5), "phone", 5,
                               answered if k else ()) for k in range(6)]
    touches += [Touchpoint("long_ago", at + dt.timedelta(days=14 * k + 2), "in_person",
                           failed_visit=True) for k in (0, 1)]
    touches += [Touchpoint("lately", at + dt.timedelta(days=100 + 7 * k), "in_person",
                           failed_visit=True) for k in (0, 1)]
    engine = Engine(default_rules(), EngineSettings(control_share=0.0))
    engine.load(accounts, touches, Catalog())
    assert engine.features.failed.tolist() == [2.0, 2.0]
    assert engine.features.missed.tolist() == [2.0, 0.0]
    scores = {s.account_id: s for s in engine.rescore(TODAY)}
    assert scores["lately"].channel_propensity["in_person"] \
        < 0.5 * scores["long_ago"].channel_propensity["in_person"]
    first = scores["lately"].reasons[0]
    assert (first.text, first.values["count"]) == (
        "Did not receive the last {count} visits: try {channel}", 2)
    assert not any("Did not receive the last" in r.text for r in scores["long_ago"].reasons)
    # A visit he receives opens the door again: observed one at a time, as a new call.
    engine.observe(Touchpoint("lately", dt.datetime(2026, 5, 4, 10), "in_person", 15,
                              answered))
    assert engine.features.missed[0] == 0.0
    again = {s.account_id: s for s in engine.rescore(TODAY)}
    assert not any("Did not receive the last" in r.text for r in again["lately"].reasons)
    engine.observe(Touchpoint("lately", dt.datetime(2026, 5, 11, 10), "in_person",
                              failed_visit=True))
    assert engine.features.missed[0] == 1.0  # one alone is bad luck: nothing said yet
