"""Each doctor's own tolerance, learned from his answers over time, never above the rule
set's ceiling: the territory's fatigue first, then per doctor from his answers by dose
level (his first, second, ... contact in 30 days)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from app.engine import (
    AccountFacts,
    Catalog,
    Engine,
    EngineSettings,
    Reaction,
    Suggestion,
    Touchpoint,
    default_rules,
)
from app.engine.features import Features
from app.engine.guards import violations
from app.engine.learn import fatigue_ratio, tolerance

ALL_GRANTED = {c: "granted" for c in ("in_person", "phone", "video", "email", "event")}
START = dt.datetime(2025, 1, 13, 10)  # the last pair ends in mid-April 2026
TODAY = dt.date(2026, 6, 1)
YES = (Reaction("dosing", "positive"),)
NO = (Reaction("dosing", "neutral"),)


def history(account: str, second_answered: bool, months: int = 12) -> list[Touchpoint]:
    """Two calls six days apart every 40 days: the first always answered, the second as
    given."""
    out = []
    for month in range(months):
        first = START + dt.timedelta(days=40 * month)
        out += [Touchpoint(account, first, "phone", 5, YES),
                Touchpoint(account, first + dt.timedelta(days=6), "phone", 5,
                           YES if second_answered else NO)]
    return out


def territory(tired: int, keen: int) -> tuple[list[AccountFacts], list[Touchpoint]]:
    accounts, touches = [], []
    for n in range(tired + keen):
        account = f"{'tired' if n < tired else 'keen'}{n:02d}"
        accounts.append(AccountFacts(account, consents=ALL_GRANTED))
        touches += history(account, second_answered=n >= tired)
    return accounts, touches


def features_of(accounts: list[AccountFacts], touches: list[Touchpoint]) -> Features:
    features = Features(accounts)
    features.add(sorted(touches, key=lambda t: t.at))
    return features


def test_the_territorys_fatigue_is_learned_only_where_doctors_answer_less() -> None:
    assert fatigue_ratio(features_of(*territory(tired=0, keen=30))) == 1.0
    ratio = fatigue_ratio(features_of(*territory(tired=15, keen=15)))
    assert 0.4 < ratio < 0.7
    # Too few second contacts to tell: no fatigue learned.
    assert fatigue_ratio(features_of(*territory(tired=1, keen=0))) == 1.0


def test_each_doctor_gets_his_own_tolerance_never_above_the_ceiling() -> None:
    accounts, touches = territory(tired=15, keen=15)
    features = features_of(accounts, touches)
    assert features.dose_contacts[0].tolist()[:2] == [12.0, 12.0]
    ratio = fatigue_ratio(features)
    learned = tolerance(features, np.full(30, 2.0), ratio)
    assert learned[:15].tolist() == [1.0] * 15  # answers a second contact less
    assert learned[15:].tolist() == [2.0] * 15  # answers it as the first: the ceiling
    # The ceiling is the rule set's: a lower one holds whatever the answers say.
    assert tolerance(features, np.full(30, 1.0), ratio).max() == 1.0
    # Without fatigue learned every doctor keeps the ceiling.
    assert tolerance(features, np.full(30, 2.0), 1.0).tolist() == [2.0] * 30
    # A doctor never contacted twice in 30 days keeps it too: nothing speaks against it.
    quiet = Features([AccountFacts("quiet")])
    quiet.add([Touchpoint("quiet", START + dt.timedelta(days=40 * k), "phone", 5, NO)
               for k in range(8)])
    assert tolerance(quiet, np.full(1, 2.0), ratio).tolist() == [2.0]


def test_the_engine_plans_a_tired_doctor_once_in_30_days_and_says_why() -> None:
    accounts, touches = territory(tired=15, keen=15)
    engine = Engine(default_rules(), EngineSettings(control_share=0.0))
    engine.load(accounts, touches, Catalog())
    engine.train()
    assert 0.4 < engine.model.fatigue < 0.7
    tired, keen = engine.features.row("tired00"), engine.features.row("keen15")
    assert tired is not None and keen is not None
    assert (engine.cap_of(tired), engine.cap_of(keen)) == (1, engine.cap) == (1, 2)
    # One call last week: a second one this month breaks the tired doctor's cap only.
    for account in ("tired00", "keen15"):
        engine.observe(Touchpoint(account, dt.datetime(2026, 5, 26, 10), "phone", 5, YES))
    assert engine.cap_of(engine.features.row("tired00") or 0) == 1

    def call(account: str) -> list[str]:
        i = engine.features.row(account)
        assert i is not None
        suggestion = Suggestion("s", account, "remote_call", "phone", "rep", TODAY, TODAY,
                                0.5, ())
        return violations(suggestion, engine.features.accounts[i], engine.catalog,
                          engine.history[account], [], engine.cap_of(i))
    assert call("tired00") == ["more contacts than the cap"]
    assert call("keen15") == []
    planned = engine.propose(TODAY, capacity=30, days=7)
    assert "tired00" not in {s.account_id for s in planned}
    assert "keen15" in {s.account_id for s in planned}
    score = next(s for s in engine.rescore(TODAY) if s.account_id == "tired00")
    assert any(r.text == "Answers less after {cap} contacts in 30 days (learned)"
               and r.values == {"cap": 1} for r in score.reasons)


def test_a_stored_model_of_before_reads_as_one_without_fatigue() -> None:
    import json

    from app.engine.learn import TrainedModel, untrained

    data = json.loads(untrained().to_json())
    assert data.pop("fatigue") == 1.0
    assert TrainedModel.from_json(json.dumps(data)).fatigue == 1.0
