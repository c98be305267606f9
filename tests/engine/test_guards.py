"""Guards as properties: whatever the history, consents, content and rules, no suggestion the
engine makes breaks one (checked by the same `violations` the benchmark uses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import (
    AccountFacts,
    Catalog,
    ContentItem,
    Engine,
    EngineSettings,
    Reaction,
    Suggestion,
    Touchpoint,
    default_rules,
    violations,
)

CHANNELS = ("in_person", "phone", "video", "email", "event")
TOPICS = ("study", "efficacy", "safety", "dosing", "patient-support")
TODAY = dt.date(2026, 6, 1)
START = dt.datetime(2026, 3, 1)

consents = st.fixed_dictionaries(
    {c: st.sampled_from(("granted", "withdrawn", "unknown")) for c in CHANNELS})
reactions = st.lists(st.builds(Reaction, st.sampled_from(TOPICS),
                               st.sampled_from(("positive", "neutral", "negative", None)),
                               st.sampled_from(("p1", "p2")),
                               st.none() | st.floats(0, 300),
                               st.sampled_from(("call", "slide", "answer"))), max_size=3)
content = st.lists(st.builds(
    ContentItem, st.uuids().map(str), st.just("Content"), st.sampled_from(("p1", "p2", "p3")),
    st.sampled_from(TOPICS), st.sampled_from(("email", "event", "presentation")), st.booleans(),
    st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))), max_size=8)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[AccountFacts], list[Touchpoint], Catalog]:
    n = draw(st.integers(1, 12))
    accounts = [AccountFacts(f"a{i}", draw(st.sampled_from(("hcp", "hco"))),
                             draw(st.sampled_from(("A", "B", "C"))), "KARD",
                             draw(st.floats(0, 1)), draw(consents)) for i in range(n)]
    touches = [Touchpoint(f"a{draw(st.integers(0, n - 1))}",
                          START + dt.timedelta(hours=draw(st.integers(0, 24 * 100))),
                          draw(st.sampled_from(CHANNELS)), draw(st.none() | st.integers(1, 90)),
                          tuple(draw(reactions)), draw(st.none() | st.booleans()))
               for _ in range(draw(st.integers(0, 60)))]
    promotable = frozenset(draw(st.sets(st.sampled_from(("p1", "p2", "p3")))))
    return accounts, touches, Catalog(promotable, tuple(draw(content)))


def check(engine: Engine, made: list[Suggestion]) -> None:
    for s in made:
        i = engine.features.row(s.account_id)
        assert i is not None
        others = [o for o in engine.open[s.account_id] if o.id != s.id]
        assert violations(s, engine.features.accounts[i], engine.catalog,
                          engine.history[s.account_id], others,
                          engine.cap) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds(), caps=st.integers(1, 6), train=st.booleans(),
       rule_count=st.integers(0, 11), new=st.lists(st.tuples(
           st.integers(0, 11), st.sampled_from(CHANNELS), reactions, st.booleans()),
           max_size=6))
def test_no_suggestion_breaks_a_guard(world: tuple[list[AccountFacts], list[Touchpoint],
                                                   Catalog], caps: int, train: bool,
                                      rule_count: int,
                                      new: list[tuple[int, str, list[Reaction], bool]]) -> None:
    accounts, touches, catalog = world
    rules = default_rules()
    rules = replace(rules, rules=rules.rules[:rule_count], caps={"default": caps})
    engine = Engine(rules, EngineSettings(control_share=0.0))
    engine.load(accounts, touches, catalog)
    if train and len(touches) > 10:
        engine.train()
    for k, (who, channel, said, opened) in enumerate(new):
        at = dt.datetime.combine(TODAY, dt.time(9)) + dt.timedelta(minutes=k)
        check(engine, engine.observe(Touchpoint(accounts[who % len(accounts)].account_id, at,
                                                channel, 20, tuple(said), opened), TODAY))
    check(engine, engine.propose(TODAY, capacity=10))
    check(engine, engine.propose(TODAY + dt.timedelta(days=7), capacity=12, days=7,
                                 budgets={"calls": 5, "emails": 4, "events": 2, "msl": 1}))


def test_each_guard_names_what_is_broken() -> None:
    account = AccountFacts("a1", consents={"email": "withdrawn"})
    catalog = Catalog(frozenset({"p1"}), (
        ContentItem("old", "Old", "p1", "study", valid_until=dt.date(2020, 1, 1)),
        ContentItem("draft", "Draft", "p1", "study", approved=False),
        ContentItem("onco", "Onco", "p9", "study")))

    def suggestion(**changes: object) -> Suggestion:
        values: dict[str, object] = {
            "id": "s", "account_id": "a1", "action": "call", "channel": "in_person",
            "owner_role": "rep", "due": TODAY, "expires": TODAY, "priority": 0.5,
            "reasons": ()}
        values.update(changes)
        return Suggestion(**values)  # type: ignore[arg-type]

    def broken(s: Suggestion, recent: list[Touchpoint] | None = None) -> list[str]:
        return violations(s, account, catalog, recent or [], [], 2)

    assert broken(suggestion()) == []
    assert broken(suggestion(action="email", channel="email")) == [
        "e-mail without consent", "contact in a channel whose consent is withdrawn"]
    assert broken(suggestion(channel="phone")) == []
    assert "content not approved" in broken(suggestion(content_id="old"))[0]
    assert "content not approved" in broken(suggestion(content_id="draft"))[0]
    assert "may not promote" in broken(suggestion(content_id="onco"))[0]
    assert "may not promote" in broken(suggestion(product_id="p9"))[0]
    seen = [Touchpoint("a1", dt.datetime.combine(TODAY, dt.time(9)) - dt.timedelta(days=d),
                       "phone") for d in (3, 10)]
    assert broken(suggestion(), seen) == ["more contacts than the cap"]
    old = [Touchpoint("a1", dt.datetime(2026, 1, 1), "phone")] * 5
    assert broken(suggestion(), old) == []
    # Visits he did not receive are attempts, no contacts he felt: they leave the cap.
    missed = [Touchpoint("a1", at.at, "in_person", failed_visit=True) for at in seen]
    assert broken(suggestion(), [seen[0], *missed]) == []


@settings(max_examples=60, deadline=None)
@given(channel=st.sampled_from(CHANNELS), consent=consents,
       action=st.sampled_from(("call", "remote_call", "email", "event_invitation",
                               "msl_follow_up")))
def test_a_withdrawn_channel_is_never_contacted(channel: str, consent: dict[str, str],
                                                action: str) -> None:
    account = AccountFacts("a0", consents={**consent, channel: "withdrawn"})
    suggestion = Suggestion("s0", "a0", action, channel, "rep", TODAY,
                            TODAY + dt.timedelta(days=7), 0.5, ())
    assert "contact in a channel whose consent is withdrawn" in violations(
        suggestion, account, Catalog(frozenset(), ()), [], [], 4)
    assert not account.allows(channel)
