"""Suggestions on a demo territory: today's list with reasons, accept/dismiss/complete written
with the outbox, next steps after a submitted call, personas against the hidden truth, the
control-group report."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from app.demo.territory import DemoSummary, generate
from app.services.errors import ValidationError
from app.services.suggestions import Recommender, current_rules
from app.store.database import Database
from app.store.interactions import Interaction, Task
from app.store.journal import DemoTruth, OutboxMutation
from app.store.suggestions import RuleSetRow
from app.store.suggestions import Suggestion as SuggestionRow

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime.combine(TODAY, dt.time(8, 30))


@pytest.fixture
def demo(db: Database) -> DemoSummary:
    return generate(db, accounts=300, seed=11, years=1, today=TODAY)


@pytest.fixture
def recommender(db: Database, demo: DemoSummary) -> Recommender:
    recommender = Recommender()
    with db.write() as session:
        recommender.train(session, demo.rep_id)
    return recommender


def test_the_model_is_stored_as_json_and_names_the_hidden_personas(
        db: Database, demo: DemoSummary, recommender: Recommender) -> None:
    engine = recommender.engine
    assert engine is not None
    with db.read() as session:
        assert Recommender.has_model(session)
        truth = {r[0]: r[1] for r in session.execute(
            select(DemoTruth.account_id, DemoTruth.persona))}
    named = {a: engine.persona_of(a).name for a in truth}
    known = {a: p for a, p in named.items() if p is not None}
    assert len(known) > 0.8 * len(truth)
    right = sum(p == truth[a] for a, p in known.items())
    assert right / len(known) >= 0.6


def test_today_lists_prioritised_doctors_with_reasons(db: Database, demo: DemoSummary,
                                                      recommender: Recommender) -> None:
    with db.write() as session:
        items = recommender.today(session, demo.rep_id, TODAY)
    assert items and all(i.reasons and i.account_name for i in items)
    with db.read() as session:
        rows = session.scalar(select(func.count()).select_from(SuggestionRow))
        sent = session.scalar(select(func.count()).select_from(OutboxMutation)
                              .where(OutboxMutation.entity == "suggestions"))
    assert rows == sent == len(items)
    with db.write() as session:  # planned once a day
        assert [i.id for i in recommender.today(session, demo.rep_id, TODAY)] == \
            [i.id for i in items]


def test_accepting_a_call_plans_it(db: Database, demo: DemoSummary,
                                   recommender: Recommender) -> None:
    with db.write() as session:
        items = recommender.today(session, demo.rep_id, TODAY)
    item = next(i for i in items if i.action in ("call", "remote_call"))
    with db.write() as session:
        call_id = recommender.accept(session, demo.rep_id, item.id, NOW)
    with db.read() as session:
        call = session.get(Interaction, call_id)
        row = session.get(SuggestionRow, item.id)
        assert call is not None and row is not None
        assert (call.status, call.account_id, call.owner_id) == ("planned", item.account_id,
                                                                 demo.rep_id)
        assert (row.status, row.result_id) == ("accepted", call_id)
    with db.write() as session, pytest.raises(ValidationError):
        recommender.accept(session, demo.rep_id, item.id, NOW)


def test_dismissing_needs_a_reason(db: Database, demo: DemoSummary,
                                   recommender: Recommender) -> None:
    with db.write() as session:
        item = recommender.today(session, demo.rep_id, TODAY)[0]
    with db.write() as session, pytest.raises(ValidationError) as caught:
        recommender.dismiss(session, demo.rep_id, item.id, "  ", NOW)
    assert "reason" in caught.value.errors
    with db.write() as session:
        recommender.dismiss(session, demo.rep_id, item.id, "Retired", NOW)
    with db.read() as session:
        row = session.get(SuggestionRow, item.id)
        assert row is not None and (row.status, row.status_reason) == ("dismissed", "Retired")
    with db.write() as session:
        assert item.id not in {i.id for i in recommender.items(session, demo.rep_id)}


def test_a_submitted_seminar_proposes_next_steps(db: Database, demo: DemoSummary,
                                                 recommender: Recommender) -> None:
    engine = recommender.engine
    assert engine is not None
    account_id = next(a.account_id for a in engine.features.accounts
                      if a.kind == "hcp" and not engine.in_control(a.account_id)
                      and engine.persona_of(a.account_id).name == "evidence_driven"
                      and not engine.open.get(a.account_id)
                      and engine.features.contacts_in_window(
                          engine.features.row(a.account_id) or 0, TODAY) == 0)
    with db.write() as session:
        call = Interaction(account_id=account_id, owner_id=demo.rep_id, channel="event",
                           status="submitted", start_at=NOW - dt.timedelta(hours=12),
                           duration_min=90, submitted_at=NOW)
        session.add(call)
        session.flush()
        items = recommender.after_call(session, demo.rep_id, call.id, TODAY)
    assert items and items[0].account_id == account_id
    assert items[0].action in ("email", "call") and items[0].reasons
    with db.write() as session:
        if items[0].action == "email":
            task_id = recommender.accept(session, demo.rep_id, items[0].id, NOW)
            task = session.get(Task, task_id)
            assert task is not None and task.owner_id == demo.rep_id
        assert {i.id for i in recommender.items(session, demo.rep_id, call.id)} <= \
            {i.id for i in items}


def test_the_control_report_compares_the_groups(db: Database, demo: DemoSummary,
                                                recommender: Recommender) -> None:
    with db.read() as session:
        report = recommender.control_report(session, demo.rep_id, TODAY)
    assert report.control_accounts > 0 and report.treated_accounts > report.control_accounts
    assert [k.name for k in report.kpis] == ["reach", "response", "positive_reactions"]
    assert all(k.low <= k.difference <= k.high for k in report.kpis)


def test_a_rule_set_from_the_server_wins_when_valid(db: Database, demo: DemoSummary) -> None:
    with db.write() as session:
        session.info["from_server"] = True
        session.add(RuleSetRow(name="Broken", revision=9, body="format = 1\nversion = ",
                               active=True))
        session.add(RuleSetRow(name="Valid", revision=5, body=(
            'format = 1\nversion = 5\nname = "Valid"\n[caps]\ndefault = 4\n'), active=True))
    with db.read() as session:
        rules = current_rules(session)
    assert (rules.name, rules.version, rules.cap(None)) == ("Valid", 5, 4)
    assert json.loads(json.dumps(rules.caps)) == {"default": 4}


def test_a_laptop_plans_today_once_its_first_sync_brought_the_territory(db: Database) -> None:
    """Opened before the first sync, the laptop has nothing to plan from: the day stays
    unplanned until rows arrive, then the reloaded engine plans it."""
    recommender = Recommender()
    with db.write() as session:
        assert recommender.today(session, None, TODAY) == []
    demo = generate(db, accounts=200, seed=12, years=1, today=TODAY)  # as a sync brings it
    recommender.history_changed()
    with db.write() as session:
        items = recommender.today(session, demo.rep_id, TODAY)
    assert items and all(i.reasons for i in items)
    engine = recommender.engine
    assert engine is not None and len(engine.features.accounts) > 0


def test_each_role_is_offered_only_the_suggestions_it_may_answer(
        db: Database, demo: DemoSummary, recommender: Recommender) -> None:
    with db.write() as session:
        rep_items = recommender.today(session, demo.rep_id, TODAY)
    promotional = next(i for i in rep_items if i.owner_role == "rep")
    with db.write() as session:  # a manager's laptop: read-only, nothing planned or shown
        assert recommender.today(session, demo.manager_id, TODAY) == []
    with db.write() as session:  # an MSL's: only the steps meant for medical
        assert all(i.owner_role == "msl"
                   for i in recommender.today(session, demo.msl_id, TODAY))
    for user, words in ((demo.manager_id, "A manager reads"), (demo.msl_id, "for the rep")):
        for answer in (lambda s, u: recommender.accept(s, u, promotional.id, NOW),
                       lambda s, u: recommender.dismiss(s, u, promotional.id, "no", NOW)):
            with db.write() as session, pytest.raises(ValidationError, match=words):
                answer(session, user)
    with db.read() as session:
        row = session.get(SuggestionRow, promotional.id)
        assert row is not None and row.status == "open"
        assert session.scalar(select(func.count()).select_from(Interaction).where(
            Interaction.owner_id.in_([demo.manager_id, demo.msl_id]),
            Interaction.status == "planned")) == 0
