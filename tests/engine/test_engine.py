"""The engine on a planted territory: personas recovered, rules and plans fire, reasons given,
control accounts untouched, models travel as JSON only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from app.engine import (
    Engine,
    EngineSettings,
    Feedback,
    Reaction,
    RuleSet,
    Touchpoint,
    TrainedModel,
    default_rules,
    in_control_group,
)
from tests.engine.planted import TODAY, Territory, territory

SEMINAR = dt.datetime.combine(TODAY, dt.time(19))


@pytest.fixture(scope="module")
def planted() -> Territory:
    return territory(240, seed=3)


@pytest.fixture
def engine(planted: Territory) -> Engine:
    engine = Engine(default_rules(), EngineSettings(control_share=0.1))
    engine.load(planted.accounts, planted.touchpoints, planted.catalog)
    engine.train()
    return engine


def test_the_models_recover_the_planted_personas(engine: Engine, planted: Territory) -> None:
    named = [engine.persona_of(a.account_id) for a in planted.accounts]
    right = sum(p.name == planted.truth[a.account_id]
                for p, a in zip(named, planted.accounts, strict=True))
    assert right / len(named) >= 0.8
    assert all(p.evidence for p in named if p.name)


def test_training_reports_progress(planted: Territory) -> None:
    engine = Engine(default_rules())
    engine.load(planted.accounts, planted.touchpoints, planted.catalog)
    seen: list[tuple[int, int]] = []
    engine.train(lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)


def test_a_model_travels_as_json_and_scores_the_same(engine: Engine, planted: Territory) -> None:
    text = engine.model.to_json()
    json.loads(text)  # plain JSON, no pickle
    other = Engine(default_rules(), EngineSettings(control_share=0.1))
    other.load(planted.accounts, planted.touchpoints, planted.catalog)
    other.use_model(TrainedModel.from_json(text))
    assert [s.account_id for s in other.rescore(TODAY)][:20] == \
        [s.account_id for s in engine.rescore(TODAY)][:20]


@pytest.mark.parametrize("text", ["[]", '{"format": 2}', '{"format": 1, "mean": [1]}',
                                  '{"format": 1, "__class__": "os.system"}'])
def test_a_malformed_model_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="model"):
        TrainedModel.from_json(text)


def test_every_score_and_suggestion_carries_reasons(engine: Engine) -> None:
    scores = engine.rescore(TODAY)
    assert scores == sorted(scores, key=lambda s: -s.priority)
    assert all(s.reasons for s in scores)
    week = engine.propose(TODAY, capacity=30)
    assert 0 < len(week) <= 30
    assert all(s.reasons and str(s.reasons[0]) for s in week)


def test_the_control_group_never_gets_a_suggestion(engine: Engine, planted: Territory) -> None:
    held = [a.account_id for a in planted.accounts if engine.in_control(a.account_id)]
    assert 0.03 < len(held) / len(planted.accounts) < 0.2
    week = engine.propose(TODAY, capacity=200)
    assert not {s.account_id for s in week} & set(held)
    for account_id in held:
        assert engine.observe(Touchpoint(account_id, SEMINAR, "event", 90), TODAY) == []


def test_control_membership_is_deterministic() -> None:
    ids = [f"id-{n}" for n in range(4000)]
    first = [in_control_group(i, 0.2) for i in ids]
    assert first == [in_control_group(i, 0.2) for i in ids]
    assert 0.17 < sum(first) / len(ids) < 0.23
    assert not any(in_control_group(i, 0.0) for i in ids)


def seminar(engine: Engine, planted: Territory, persona: str) -> list[str]:
    """Rule ids a seminar sets off for doctors the engine sees as `persona`."""
    fired = []
    for account in planted.accounts:
        if engine.in_control(account.account_id) or \
                engine.persona_of(account.account_id).name != persona:
            continue
        for s in engine.observe(Touchpoint(account.account_id, SEMINAR, "event", 90), TODAY):
            fired.append(s.rule_id or "")
    return fired


def test_after_a_seminar_the_evidence_driven_get_the_study(engine: Engine,
                                                            planted: Territory) -> None:
    fired = seminar(engine, planted, "evidence_driven")
    assert fired and set(fired) <= {"seminar-evidence-study", "seminar-evidence-study-in-person"}


def test_after_a_seminar_the_personal_contact_doctors_get_a_call(engine: Engine,
                                                                 planted: Territory) -> None:
    fired = seminar(engine, planted, "pragmatic")
    assert "seminar-personal-contact" in fired
    assert "seminar-evidence-study" not in fired


def journey_rules() -> RuleSet:
    """Room for every step of the plan, and no second call from the seminar."""
    rules = default_rules()
    return replace(rules, caps={"default": 8}, rules=tuple(
        r for r in rules.rules if r.id != "seminar-evidence-study-in-person"))


def plan_start(engine: Engine, planted: Territory) -> tuple[str, str]:
    for account in planted.accounts:
        if engine.in_control(account.account_id):
            continue
        for s in engine.observe(Touchpoint(account.account_id, SEMINAR, "event", 90), TODAY):
            if s.plan_id == "evidence-journey":
                return account.account_id, s.id
    raise AssertionError("no evidence journey started")


@pytest.mark.parametrize(("opened", "next_action"), [(True, "msl_follow_up"), (False, "call")])
def test_an_engagement_plan_adapts_to_the_response(engine: Engine, planted: Territory,
                                                   opened: bool, next_action: str) -> None:
    engine.set_rules(journey_rules())
    account_id, suggestion_id = plan_start(engine, planted)
    later = SEMINAR + dt.timedelta(days=2)
    reaction = (Reaction("study", "positive" if opened else "negative", "p1"),)
    made = engine.observe(Touchpoint(account_id, later, "email", None, reaction, opened=opened,
                                     suggestion_id=suggestion_id), later.date())
    steps = [s for s in made if s.plan_id == "evidence-journey"]
    assert [s.action for s in steps] == [next_action]
    assert steps[0].owner_role == ("msl" if opened else "rep")


def test_an_ignored_plan_step_moves_on_when_it_expires(engine: Engine,
                                                       planted: Territory) -> None:
    engine.set_rules(journey_rules())
    account_id, _ = plan_start(engine, planted)
    made = engine.expire(TODAY + dt.timedelta(days=30))
    assert any(s.account_id == account_id and s.action == "call" for s in made)


def test_a_dismissal_lowers_that_channel(engine: Engine) -> None:
    top = engine.rescore(TODAY)[0]
    before = top.channel_propensity[top.best_channel]
    engine.feedback(Feedback("s1", top.account_id, top.best_channel, "dismissed",
                             SEMINAR, "not now"))
    after = next(s for s in engine.rescore(TODAY) if s.account_id == top.account_id)
    assert after.channel_propensity[top.best_channel] < before


def test_observing_a_call_updates_the_account(engine: Engine, planted: Territory) -> None:
    account = planted.accounts[0]
    before = engine.features.contacts[engine.features.row(account.account_id) or 0].sum()
    engine.observe(Touchpoint(account.account_id, SEMINAR, "phone", 5), TODAY)
    assert engine.features.contacts[engine.features.row(account.account_id) or 0].sum() \
        == before + 1


def test_a_laptop_without_history_yet_proposes_nothing_and_does_not_fail(
        planted: Territory) -> None:
    """Before its first sync a laptop has no accounts: Today is empty, not an error."""
    engine = Engine(default_rules())
    engine.load([], [], planted.catalog)
    engine.train()
    assert engine.propose(TODAY, 10, days=1) == []


def test_doctors_who_all_look_alike_leave_the_personas_unknown(planted: Territory) -> None:
    """No history yet (a first sync in progress): one behaviour for all, so no clustering;
    the personas stay unknown instead of three clusters made up from one point."""
    engine = Engine(default_rules())
    engine.load(planted.accounts, [], planted.catalog)
    assert engine.train().trained_on == 0  # and no ConvergenceWarning (warnings are errors)
    assert all(engine.persona_of(a.account_id).name is None for a in planted.accounts)
