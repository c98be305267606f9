"""The week's plan: budgets by kind of work, the doctor's own channel first, the rule set's
share of other channels, working days, and rules that reach a doctor in his own channel."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import pytest

from app.engine import (
    AccountFacts,
    Catalog,
    ContentItem,
    Engine,
    EngineSettings,
    Reaction,
    Touchpoint,
    default_rules,
    parse_rules,
    violations,
)
from app.engine.learn import PREFERENCE_PRIOR, preference_rates
from app.engine.planning import Budget, kind_of, workdays
from app.engine.scoring import own_channel
from tests.engine.planted import TODAY, Territory, territory

ALL_GRANTED = {c: "granted" for c in ("in_person", "phone", "video", "email", "event")}


@pytest.fixture(scope="module")
def planted() -> Territory:
    return territory(200, seed=5)


def stating(planted: Territory, channel_of: dict[str, str]) -> list[AccountFacts]:
    """The planted accounts, every consent granted, and a stated channel where given."""
    return [replace(a, consents=ALL_GRANTED,
                    preferred_channels=(channel_of[a.account_id],)
                    if a.account_id in channel_of else ())
            for a in planted.accounts]


def engine_for(accounts: list[AccountFacts], planted: Territory, share: float = 0.1) -> Engine:
    engine = Engine(replace(default_rules(), off_channel_share=share),
                    EngineSettings(control_share=0.0))
    engine.load(accounts, planted.touchpoints, planted.catalog)
    engine.train()
    return engine


def test_budgets_are_kept_by_kind_and_each_doctor_comes_once(planted: Territory) -> None:
    engine = engine_for(stating(planted, {}), planted, share=1.0)
    budgets = {"calls": 25, "emails": 12, "events": 0, "msl": 0}
    week = engine.propose(TODAY, capacity=37, days=7, budgets=budgets)
    spent = Counter(kind_of(s.channel, s.owner_role) for s in week)
    assert spent["calls"] == 25 and spent["emails"] == 12 and spent["events"] == 0
    assert len({s.account_id for s in week}) == len(week)
    assert all(s.due.weekday() < 5 and TODAY <= s.due < TODAY + dt.timedelta(days=7)
               for s in week)
    for s in week:
        i = engine.features.row(s.account_id)
        assert i is not None
        others = [o for o in engine.open[s.account_id] if o.id != s.id]
        assert violations(s, engine.features.accounts[i], engine.catalog,
                          engine.history[s.account_id], others, engine.cap) == []


def test_a_doctor_is_planned_in_the_channel_he_stated_while_no_answer_says_otherwise(
        planted: Territory) -> None:
    said = {a.account_id: ("phone", "video", "in_person")[n % 3]
            for n, a in enumerate(planted.accounts)}
    engine = Engine(replace(default_rules(), off_channel_share=0.0),
                    EngineSettings(control_share=0.0))
    engine.load(stating(planted, said), [], planted.catalog)  # no answers yet
    engine.train()
    week = engine.propose(TODAY, capacity=60, days=7,
                          budgets={"calls": 60, "emails": 0, "events": 0, "msl": 0})
    assert len(week) == 60
    assert all(s.channel == said[s.account_id] for s in week)
    assert {str(r) for s in week for r in s.reasons} & \
        {f"Prefers {c} ({p} % expected)" for c in ("phone", "video", "in_person")
         for p in range(101)}


def test_answers_overturn_a_stated_channel_and_the_reason_says_so() -> None:
    """A doctor who states e-mail but answers video calls (and never clicks an e-mail) is
    reached by video, with the reason in words; one who states e-mail and whose answers do
    not contradict it keeps e-mail."""
    at = dt.datetime(2026, 3, 2, 10)
    answered, silent = (Reaction("study", "positive"),), (Reaction("study", "negative"),)
    accounts = [AccountFacts("says-mail", consents=ALL_GRANTED, preferred_channels=("email",)),
                AccountFacts("means-it", consents=ALL_GRANTED, preferred_channels=("email",))]
    touches = [
        *(Touchpoint("says-mail", at + dt.timedelta(days=7 * k), "video", 20,
                     silent if k == 2 else answered) for k in range(5)),
        *(Touchpoint("says-mail", at + dt.timedelta(days=7 * k + 2), "email", None, silent,
                     opened=False, kind="email") for k in range(3)),
        *(Touchpoint("means-it", at + dt.timedelta(days=7 * k), "video", 20, silent)
          for k in range(2)),
        Touchpoint("means-it", at + dt.timedelta(days=3), "email", None, answered,
                   opened=True, kind="email"),
    ]
    engine = Engine(default_rules(), EngineSettings(control_share=0.0))
    engine.load(accounts, touches, Catalog())
    preferred, stated, named = own_channel(engine.model, engine.features, slice(None))
    channels = ("in_person", "phone", "video", "email", "event")
    assert [channels[int(c)] for c in preferred] == ["video", "email"]
    assert stated.tolist() == [False, True]
    assert [channels[int(c)] for c in named] == ["email", "email"]
    scores = {s.account_id: s for s in engine.rescore(TODAY)}
    assert scores["says-mail"].best_channel == "video"
    assert any(r.text.startswith("States {stated}, but answers {channel}")
               and r.values["stated"] == "email" and r.values["channel"] == "video"
               for r in scores["says-mail"].reasons)


def test_other_channels_stay_within_the_rule_sets_share(planted: Territory) -> None:
    """E-mail is the own channel of few doctors: a large e-mail budget gets them and at
    most the rule set's share of contacts outside a doctor's own channel; the rest of it is
    left to the rep."""
    said = {a.account_id: "in_person" for a in planted.accounts}
    engine = engine_for(stating(planted, said), planted, share=0.1)
    scores = engine.scores(TODAY)
    own = {a.account_id: ("in_person", "phone", "video", "email", "event")[int(c)]
           for a, c in zip(engine.features.accounts, scores.preferred, strict=True)}
    few = sum(c == "email" for c in own.values())
    assert 0 < few < 30
    week = engine.propose(TODAY, capacity=50, days=7,
                          budgets={"calls": 20, "emails": 30, "events": 0, "msl": 0})
    off = [s for s in week if s.channel != own[s.account_id]]
    assert len(off) == 5  # a tenth of 50
    assert sum(s.channel != "email" for s in week) == 20
    assert sum(s.channel == "email" for s in week) <= few + 5 < 30


def test_without_budgets_the_list_is_the_reps_of_any_kind() -> None:
    budget = Budget(2)
    assert budget.fits("email", "rep") and not budget.fits("in_person", "msl")
    budget.take("email", "rep")
    budget.take("in_person", "rep")
    assert budget.spent and not budget.fits("phone", "rep")
    shared = Budget(10, {"calls": 5, "msl": 1}, off_channel_share=0.2)
    assert shared.fits("video", "msl") and not shared.fits("email", "rep")
    shared.take("phone", "rep", own_channel=False)
    shared.take("phone", "rep", own_channel=False)
    assert not shared.fits("phone", "rep", own_channel=False)
    assert shared.fits("phone", "rep", own_channel=True)


def test_the_window_keeps_to_working_days() -> None:
    friday = dt.date(2026, 6, 5)
    assert workdays(friday, 4) == [friday, dt.date(2026, 6, 8)]
    sunday = dt.date(2026, 6, 7)
    assert workdays(sunday, 1) == [sunday]  # planning on a Sunday for that Sunday


def test_the_answers_decide_among_the_consented_channels() -> None:
    """"told" states e-mail and answered five visits (no e-mail ever tried): the visits
    overturn his statement; "quiet" is reached where he consented."""
    at = dt.datetime(2026, 5, 4, 10)
    accounts = [AccountFacts("told", consents=ALL_GRANTED, preferred_channels=("email",)),
                AccountFacts("quiet", consents={**ALL_GRANTED, "phone": "unknown"}),
                AccountFacts("other", consents=ALL_GRANTED)]
    answered = (Reaction("study", "positive"),)
    silent = (Reaction("study", "negative"),)
    touches = [
        # "quiet" answers every phone call, but never granted phone consent; he answers
        # video twice in three, and in person never.
        *(Touchpoint("quiet", at + dt.timedelta(days=k), "phone", 5, answered)
          for k in range(4)),
        *(Touchpoint("quiet", at + dt.timedelta(days=10 + k), "video", 20,
                     answered if k % 3 else silent) for k in range(6)),
        *(Touchpoint("quiet", at + dt.timedelta(days=20 + k), "in_person", 20, silent)
          for k in range(3)),
        *(Touchpoint("told", at + dt.timedelta(days=k), "in_person", 20, answered)
          for k in range(5)),
    ]
    engine = Engine(default_rules(), EngineSettings(control_share=0.0))
    engine.load(accounts, touches, Catalog())
    preferred, stated, _ = own_channel(engine.model, engine.features, slice(None))
    channels = ("in_person", "phone", "video", "email", "event")
    assert [channels[int(c)] for c in preferred[:2]] == ["in_person", "video"]
    assert stated.tolist() == [False, False, False]


def test_the_lift_of_the_stated_channel_is_learned(planted: Territory) -> None:
    said = {a.account_id: planted.preferred[a.account_id] for a in planted.accounts}
    engine = engine_for(stating(planted, said), planted)
    own, other = preference_rates(engine.features)
    assert own > other
    assert (own, other) != PREFERENCE_PRIOR
    assert engine.model.preference_rates == (own, other)
    nobody = engine_for(stating(planted, {}), planted)
    assert nobody.model.preference_rates == PREFERENCE_PRIOR


RULE = """
format = 1
version = 1
name = "contact"
[caps]
default = 4
[[rules]]
id = "follow-up"
trigger = { type = "call_submitted", channel = "in_person" }
[rules.then]
action = "contact"
content_topic = "study"
owner = "rep"
due_in_days = 2
reason = "Follow up"
"""


@pytest.mark.parametrize(("stated", "content_kinds", "expected"), [
    ("phone", ("presentation",), ("remote_call", "phone")),
    ("email", ("email",), ("email", "email")),
    # No event on the topic to invite him to: the channel he answers best that can carry it.
    ("event", ("presentation",), ("call", "in_person")),
])
def test_a_rule_contact_reaches_the_doctor_in_his_channel(
        stated: str, content_kinds: tuple[str, ...], expected: tuple[str, str]) -> None:
    account = AccountFacts("a1", consents=ALL_GRANTED, preferred_channels=(stated,))
    catalog = Catalog(frozenset({"p1"}), tuple(
        ContentItem(f"c-{kind}", "Study", "p1", "study", kind) for kind in content_kinds))
    engine = Engine(parse_rules(RULE), EngineSettings(control_share=0.0))
    history = [Touchpoint("a1", dt.datetime(2026, 5, 4, 10), "in_person", 20,
                          (Reaction("study", "positive"),))]
    engine.load([account], history, catalog)
    made = engine.observe(Touchpoint("a1", dt.datetime(2026, 6, 1, 10), "in_person", 20),
                          TODAY)
    assert [(s.action, s.channel) for s in made] == [expected]
    assert made[0].content_id is not None


def test_open_suggestions_past_due_are_planned_again_on_a_working_day() -> None:
    account = AccountFacts("a1", consents=ALL_GRANTED, preferred_channels=("phone",))
    rules = parse_rules(RULE.replace("due_in_days = 2", "due_in_days = 1\nexpires_in_days = 21"))
    engine = Engine(rules, EngineSettings(control_share=0.0))
    catalog = Catalog(frozenset({"p1"}), (ContentItem("c", "Study", "p1", "study",
                                                      "presentation"),))
    engine.load([account], [], catalog)
    made = engine.observe(Touchpoint("a1", dt.datetime(2026, 5, 22, 10), "in_person", 20),
                          dt.date(2026, 5, 22))
    assert [s.due for s in made] == [dt.date(2026, 5, 23)]  # a Saturday, and past by now
    week = engine.propose(TODAY, capacity=5, days=7)
    assert [(s.id, s.due) for s in week] == [(made[0].id, TODAY)]
    assert engine.open["a1"][0].due == TODAY
