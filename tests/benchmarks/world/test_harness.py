"""The evaluation harness: the routine runs, capacity holds, every guard catches what breaks
it, and a policy that uses the laptop's history beats the routine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from benchmarks.world.harness import (
    BaselinePolicy,
    Capacity,
    EnginePolicy,
    HeuristicPolicy,
    Planned,
    World,
    budget_of,
    engine_available,
    guard_violations,
    run,
    uplift,
)
from benchmarks.world.simulator import (
    CHANNELS,
    EMAIL,
    EVENT,
    GRANTED,
    IN_PERSON,
    MSL,
    Action,
    DoctorAccount,
    InteractionRecord,
    SimOptions,
    Simulator,
)

OPTIONS = SimOptions(seed=21, accounts=120, history_weeks=26)


class Scripted:
    """A policy that plays fixed actions in week 0 and nothing afterwards."""

    name = "scripted"

    def __init__(self, actions: list[Action]) -> None:
        self.actions = actions
        self.seen: list[InteractionRecord] = []

    def begin(self, world: World) -> None:
        self.start = world.start

    def plan(self, week: dt.date, capacity: Capacity) -> list[Planned]:
        return [Planned(a, week) for a in self.actions] if week == self.start else []

    def observe(self, record: InteractionRecord, planned: Planned) -> None:
        self.seen.append(record)

    def end_week(self, week: dt.date, index: int) -> None:
        pass

    def personas(self) -> Mapping[str, str | None]:
        return {}


class Reference:
    """A simple policy of the kind the engine must beat by far: the doctor's stated (or best
    observed) channel with budget left, the topic he answered best, at most two touchpoints
    in 30 days and none within 10 days of the last, highest potential first. Sees only the
    laptop's history."""

    name = "reference"

    def begin(self, world: World) -> None:
        self.world = world
        self.contacts: dict[str, list[dt.date]] = defaultdict(list)
        self.hits: dict[str, Counter[str]] = defaultdict(Counter)
        self.tries: dict[str, Counter[str]] = defaultdict(Counter)
        for record in world.history:
            self.learn(record)

    def learn(self, record: InteractionRecord) -> None:
        self.contacts[record.account_id].append(record.start_at.date())
        for key in (record.channel, *(m.topic for m in record.key_messages)):
            self.tries[record.account_id][key] += 1
        for m in record.key_messages:
            self.hits[record.account_id][m.topic] += m.reaction == "positive"
        self.hits[record.account_id][record.channel] += record.positive

    def rate(self, account_id: str, key: str) -> float:
        return (self.hits[account_id][key] + 1) / (self.tries[account_id][key] + 2)

    def plan(self, week: dt.date, capacity: Capacity) -> list[Planned]:
        catalog = self.world.catalog
        planned = []
        left = capacity.budget()
        for account in sorted(self.world.accounts, key=lambda a: -a.potential):
            recent = [d for d in self.contacts[account.account_id] if (week - d).days < 30]
            if len(recent) >= 2 or any((week - d).days < 10 for d in recent):
                continue
            products = [p for p in account.products if p in catalog.promotable]
            stated = [c.channel for c in account.consents.values() if c.preferred]
            usable = [c for c in CHANNELS if account.may_contact(c) and c != EVENT]
            channels = [c for c in stated if c in usable] + sorted(
                usable, key=lambda c: -self.rate(account.account_id, c))
            channels = [c for c in channels if left[budget_of(
                Action(account.account_id, c, "", ""))] > 0]
            if not products or not channels:
                continue
            channel = channels[0]
            kind = "email" if channel == EMAIL else "deck"
            contents = catalog.content_for(products[0], kind, week)
            ranked = sorted(contents if kind == "email" else contents[:1], key=lambda c: -max(
                self.rate(account.account_id, catalog.topics[m]) for m in c.messages))
            content = ranked[0]
            messages = tuple(sorted(content.messages, key=lambda m: -self.rate(
                account.account_id, catalog.topics[m]))[:2])
            action = Action(account.account_id, channel, products[0], content.id, "rep",
                            messages)
            left[budget_of(action)] -= 1
            planned.append(Planned(action, week))
        return planned

    def observe(self, record: InteractionRecord, planned: Planned) -> None:
        self.learn(record)

    def end_week(self, week: dt.date, index: int) -> None:
        pass

    def personas(self) -> Mapping[str, str | None]:
        return {}


def _doctor(sim: Simulator, test: object) -> DoctorAccount:
    return next(a for a in sim.accounts if test(a))  # type: ignore[operator]


def test_the_baseline_plays_26_weeks_within_capacity() -> None:
    capacity = Capacity(calls=15, emails=10, events=3, msl=0)
    outcome = run(BaselinePolicy(), OPTIONS, capacity)
    assert outcome.weeks == 26
    assert outcome.touchpoints > 0.8 * 26 * (capacity.total)
    assert outcome.by_channel[EMAIL] <= 26 * capacity.emails
    calls = sum(outcome.by_channel[c] for c in CHANNELS if c not in (EMAIL, EVENT))
    assert calls <= 26 * capacity.calls
    assert 0 < outcome.positives < outcome.touchpoints
    assert 0.15 < outcome.channel_match_rate < 0.6  # the industry's 38-45 %, roughly
    assert outcome.violations.keys() <= {"cap"}  # the routine knows no persona caps
    assert outcome.persona_accuracy is None
    again = run(BaselinePolicy(), OPTIONS, capacity)
    assert (again.positives, again.touchpoints, again.violations) == \
        (outcome.positives, outcome.touchpoints, outcome.violations)


def test_a_violating_policy_is_caught_and_its_actions_never_reach_a_doctor() -> None:
    sim = Simulator(OPTIONS)
    no_mail = _doctor(sim, lambda a: a.consents[EMAIL].consent != GRANTED
                      and "Cardiovel" in a.products)
    mail_ok = _doctor(sim, lambda a: a.consents[EMAIL].consent == GRANTED
                      and a.consents[IN_PERSON].consent == GRANTED
                      and "Cardiovel" in a.products and a is not no_mail)
    flooded = _doctor(sim, lambda a: a.consents[IN_PERSON].consent == GRANTED
                      and "Cardiovel" in a.products and a not in (no_mail, mail_ok))
    before = sim.contacts_in_window(flooded.account_id,
                                    dt.datetime.combine(OPTIONS.start, dt.time(10)))
    actions = [
        Action(no_mail.account_id, EMAIL, "Cardiovel", "MAIL-CV-EFF"),  # no consent
        Action(mail_ok.account_id, EMAIL, "Cardiovel", "MAIL-CV-EFF-OLD"),  # expired
        Action(mail_ok.account_id, IN_PERSON, "Cardiovel", "DECK-CV-NEXT"),  # a draft
        Action(mail_ok.account_id, IN_PERSON, "Cardiovel", "DECK-GL"),  # another product's
        Action(mail_ok.account_id, IN_PERSON, "Oncotrix", "DECK-OT"),  # not promotable
    ] + [Action(flooded.account_id, IN_PERSON, "Cardiovel", "DECK-CV")] * 5
    policy = Scripted(actions)
    outcome = run(policy, OPTIONS, Capacity(calls=20, emails=5, events=0, msl=0), weeks=1)
    truth = sim.truth()[flooded.account_id]
    allowed = max(0, {"evidence_driven": 2, "pragmatic": 2, "digital_affine": 4}[
        truth.persona] - before)
    assert outcome.violations == Counter({"consent": 1, "content": 3, "product": 1,
                                          "cap": 5 - allowed})
    assert outcome.guard_violations == 10 - allowed
    assert outcome.touchpoints == allowed
    assert [r.account_id for r in policy.seen] == [flooded.account_id] * allowed


def test_capacity_cuts_the_plan_and_counts_what_did_not_fit() -> None:
    sim = Simulator(OPTIONS)
    targets = [a for a in sim.accounts if a.consents[IN_PERSON].consent == GRANTED
               and "Cardiovel" in a.products][:6]
    actions = [Action(a.account_id, IN_PERSON, "Cardiovel", "DECK-CV") for a in targets]
    actions.append(Action(targets[0].account_id, IN_PERSON, "Cardiovel", "DECK-CV", MSL,
                          ("CV-STU",)))
    outcome = run(Scripted(actions), OPTIONS, Capacity(calls=4, emails=0, events=0, msl=0),
                  weeks=1)
    assert outcome.over_capacity == 3
    assert outcome.touchpoints + outcome.guard_violations == 4


def test_guards_one_by_one() -> None:
    sim = Simulator(OPTIONS)
    catalog = sim.catalog
    doctor = _doctor(sim, lambda a: a.consents[EMAIL].consent == GRANTED)
    day = OPTIONS.start
    fine = Action(doctor.account_id, EMAIL, "Glucaria", "MAIL-GL-STU")
    assert guard_violations(fine, doctor, catalog, day, 0, "pragmatic") == []
    assert guard_violations(fine, doctor, catalog, day, 2, "pragmatic") == ["cap"]
    assert guard_violations(fine, doctor, catalog, day, 3, "digital_affine") == []
    unknown = Action(doctor.account_id, EMAIL, "Glucaria", "MAIL-XX")
    assert guard_violations(unknown, doctor, catalog, day, 0, "pragmatic") == ["content"]
    foreign = Action(doctor.account_id, EMAIL, "Glucaria", "MAIL-GL-STU", messages=("CV-STU",))
    assert guard_violations(foreign, doctor, catalog, day, 0, "pragmatic") == ["content"]
    old = catalog.contents["MAIL-GL-EFF-OLD"]
    assert old.valid_until is not None
    assert guard_violations(Action(doctor.account_id, EMAIL, "Glucaria", old.id), doctor,
                            catalog, old.valid_until, 0, "pragmatic") == []


def test_a_policy_that_reads_the_history_beats_the_routine_without_breaking_a_guard() -> None:
    options = SimOptions(seed=4, accounts=200, history_weeks=52)
    capacity = Capacity(calls=20, emails=20, events=0, msl=0)
    baseline = run(BaselinePolicy(), options, capacity)
    reference = run(Reference(), options, capacity)
    assert reference.guard_violations == 0
    assert reference.channel_match_rate > baseline.channel_match_rate + 0.2
    assert uplift(reference, baseline) > 0.1


class Watched(HeuristicPolicy):
    """The heuristic, with what it delivered kept for the test."""

    def __init__(self) -> None:
        super().__init__(seed=4)
        self.delivered: list[InteractionRecord] = []

    def observe(self, record: InteractionRecord, planned: Planned) -> None:
        super().observe(record, planned)
        self.delivered.append(record)


def test_the_heuristic_contacts_who_answered_in_their_channel_at_most_twice_a_month() -> None:
    options = SimOptions(seed=4, accounts=200, history_weeks=52)
    capacity = Capacity(calls=20, emails=20, events=5, msl=0)
    policy = Watched()
    outcome = run(policy, options, capacity, weeks=8)
    assert outcome.guard_violations <= outcome.touchpoints * 0.05  # it knows no persona caps
    sim = Simulator(options)
    answered: dict[str, Counter[str]] = defaultdict(Counter)
    for record in sim.history:
        answered[record.account_id][record.channel] += record.positive
    first = policy.delivered[:capacity.total]  # the first week: only the history decides
    who_answered = [r for r in first if +answered[r.account_id]]
    assert len(who_answered) >= 0.8 * len(first)
    assert sum(answered[r.account_id][r.channel] > 0 for r in who_answered) \
        >= 0.8 * len(who_answered)  # the rest: that channel's budget was spent
    days: dict[str, list[dt.date]] = defaultdict(list)
    for record in [*sim.history, *policy.delivered]:
        days[record.account_id].append(record.start_at.date())
    for record in policy.delivered:
        day = record.start_at.date()
        assert sum(0 <= (day - d).days < 30 for d in days[record.account_id]) <= 3


def test_coverage_tolerance_and_failed_visits_are_counted() -> None:
    field = SimOptions(seed=6, accounts=150, history_weeks=26, access=(0.47, 0.36, 0.17),
                       own_tolerance=True, low_responders=0.25)
    capacity = Capacity(calls=15, emails=10, events=3, msl=0)
    routine = run(BaselinePolicy(), field, capacity, weeks=8)
    assert routine.failed_visits > 0
    assert 0.5 < routine.a_coverage <= 1.0
    assert routine.a_accounts == sum(a.segment == "A" for a in Simulator(field).accounts)
    assert routine.beyond_tolerance > 0  # the routine knows no tolerance
    home = run(BaselinePolicy(), dataclasses.replace(field, access=None), capacity, weeks=8)
    assert home.failed_visits == 0


@pytest.mark.skipif(not engine_available(), reason="the recommendation engine is not here")
def test_the_engine_plays_the_territory_through_its_interface() -> None:
    """Only the wiring is checked here; benchmarks/engine.py measures the goals."""
    options = SimOptions(seed=8, accounts=150, history_weeks=52)
    capacity = Capacity(calls=15, emails=15, events=3, msl=2)
    baseline = run(BaselinePolicy(), options, capacity, weeks=4)
    engine = run(EnginePolicy(retrain_weeks=2), options, capacity, weeks=4)
    assert engine.touchpoints > 0.5 * baseline.touchpoints
    assert engine.response_rate > baseline.response_rate
    assert engine.persona_accuracy is not None
    assert engine.persona_accuracy > 0.6  # the largest persona alone is ~45 %


@pytest.mark.slow
@pytest.mark.skipif(not engine_available(), reason="the recommendation engine is not here")
def test_the_benchmark_prints_every_figure_beside_its_goal() -> None:
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "engine.py"), "--quick", "--seed", "5",
         "--accounts", "80", "--weeks", "3"],
        capture_output=True, text=True, check=True, timeout=300)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    check_report(report)
    assert report["rescore_accounts"] == 5000
    assert report["goals_met"]["train_s"] is None  # judged only on 250,000 interactions


@pytest.mark.slow
@pytest.mark.skipif(not engine_available(), reason="the recommendation engine is not here")
def test_the_sweep_reports_every_territory_and_the_worst_figures() -> None:
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "engine.py"), "--sweep", "--weeks", "2"],
        capture_output=True, text=True, check=True, timeout=600)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    rows = report["sweep"]
    assert len(rows) == 22 and len({r["seed"] for r in rows}) == 22
    assert {r.get("noise", 0.3) for r in rows} >= {0.0, 0.3, 1.0}
    assert {r["world"] for r in rows} == {"home", "field", "stated", "access", "low_responders",
                                          "field_email", "carryover", "own_tolerance"}
    assert report["uplift_vs_baseline"] == min(r["uplift_vs_baseline"] for r in rows)
    assert report["uplift_vs_heuristic"] == min(r["uplift_vs_heuristic"] for r in rows)
    assert report["guard_violations"] == max(r["guard_violations"] for r in rows) == 0
    assert report["channel_match_rate_goal"] == ">= 0.7"
    assert set(report["goals_met"]) >= {"uplift_vs_baseline", "uplift_vs_heuristic",
                                        "a_coverage_margin", "channel_match_rate",
                                        "beyond_tolerance_margin"}
    assert report["table"].count("\n") == 23


def check_report(report: dict[str, Any]) -> None:
    """Every figure of the issue is there, a number, with its goal beside it."""
    for figure, goal_key, goal in (
            ("uplift_vs_baseline", "uplift_vs_baseline_goal", ">= 0.3"),
            ("uplift_vs_heuristic", "uplift_vs_heuristic_goal", ">= 0.1"),
            ("a_coverage_margin", "a_coverage_margin_goal", ">= 0"),
            ("persona_accuracy", "persona_accuracy_goal", ">= 0.7"),
            ("channel_match_rate", "channel_match_rate_goal", ">= 0.7"),
            ("beyond_tolerance_margin", "beyond_tolerance_margin_goal", "<= -1"),
            ("guard_violations", "guard_violations_goal", "<= 0"),
            ("rescore_s", "rescore_goal", "<= 1"),
            ("incremental_ms", "incremental_goal", "<= 50"),
            ("train_s", "train_goal", "<= 10")):
        assert isinstance(report[figure], int | float), figure
        assert report[goal_key] == goal
