"""Rule files: every problem is reported with its place; each trigger and condition works."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from app.engine import AccountFacts, RuleError, Trigger, default_rules, parse_rules
from app.engine.rules import AccountView

HEAD = 'format = 1\nversion = 3\nname = "Test"\n'
AT = dt.datetime(2026, 6, 1, 10)


def view(**changes: object) -> AccountView:
    facts = AccountFacts("a1", segment="A", specialty="KARD", potential=0.8,
                         consents={"email": "granted"})
    values: dict[str, object] = {
        "facts": facts, "persona": "pragmatic", "best_channel": "in_person",
        "days_since": {"in_person": 40, "phone": None}, "days_since_any": 40,
        "positive_topics": {"study": 2}, "negative_topics": {"safety": 1}}
    values.update(changes)
    return AccountView(**values)  # type: ignore[arg-type]


CALL = 'action = "call", owner = "rep", reason = "x"'


def rule(trigger: str, when: str = "", then: str = CALL) -> str:
    return HEAD + f"[[rules]]\nid = \"r\"\ntrigger = {{ {trigger} }}\nwhen = {{ {when} }}\n" \
        f"then = {{ {then} }}\n"


def test_the_default_rule_set_loads_and_is_versioned() -> None:
    rules = default_rules()
    assert rules.version >= 1
    assert {r.id for r in rules.rules} >= {"seminar-personal-contact", "seminar-evidence-study"}
    assert rules.cap("digital_affine") > rules.cap("pragmatic")


@pytest.mark.parametrize(("text", "problem"), [
    ("version = 1\nname = 'x'", "rules.format: must be 1"),
    ('format = 1\nname = "x"', "rules.version: missing"),
    (HEAD + "[caps]\nsceptic = 2", "rules.caps.sceptic: unknown persona"),
    (HEAD + "[caps]\npragmatic = 0", "rules.caps.pragmatic: must be a whole number"),
    (rule('type = "fax_received"'), "rules.rules[0].trigger.type: unknown value 'fax_received'"),
    (rule('type = "no_contact"'), "rules.rules[0].trigger.days: missing"),
    (rule('type = "call_submitted", channel = "pigeon"'), "trigger.channel: unknown value"),
    (rule('type = "answer"', 'persona = "sceptic"'), "when.persona: unknown value 'sceptic'"),
    (rule('type = "answer"', "potential_min = 2"), "when.potential_min: must be between 0 and 1"),
    (rule('type = "answer"', "days_since_min = { fax = 3 }"), "days_since_min.fax: unknown"),
    (rule('type = "answer"', "colour = 'red'"), "when.colour: unknown key"),
    (rule('type = "answer"', "", 'action = "fax", reason = "x"'), "then.action: unknown value"),
    (rule('type = "answer"', "", 'action = "call"'), "then.reason: missing"),
    (rule('type = "answer"', "", 'action = "call", reason = "x", owner = "boss"'),
     "then.owner: unknown value 'boss'"),
    (rule('type = "answer"', "", 'action = "call", reason = "x", due_in_days = 9, '
          'expires_in_days = 3'), "then.expires_in_days: must not be before due_in_days"),
    (rule('type = "answer"', "", 'action = "call", reason = "x", plan = "nope"'),
     "then.plan: no plan named 'nope'"),
    (HEAD + "[plans.p]\nstart = 'a'\n[plans.p.steps.a]\naction = 'call'\nreason = 'x'\n"
     "on_response = 'b'\n", "plans.p.steps.a.on_response: no step named 'b'"),
    ("format = [", "not valid TOML"),
])
def test_a_bad_file_is_refused_with_the_place_of_the_problem(text: str, problem: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules(text)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_at_once() -> None:
    text = rule('type = "nope"', 'persona = "x"', 'action = "fax", owner = "rep", reason = "x"')
    with pytest.raises(RuleError) as caught:
        parse_rules(text)
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(("trigger_toml", "trigger", "fires"), [
    ('type = "call_submitted", channel = "event"',
     Trigger("call_submitted", "a1", AT, "event"), True),
    ('type = "call_submitted", channel = "event"',
     Trigger("call_submitted", "a1", AT, "phone"), False),
    ('type = "slide_reaction", topic = "safety", reaction = "negative"',
     Trigger("slide_reaction", "a1", AT, "in_person", "safety", "negative"), True),
    ('type = "slide_reaction", topic = "safety", reaction = "negative"',
     Trigger("slide_reaction", "a1", AT, "in_person", "safety", "positive"), False),
    ('type = "answer", topic = "dosing"', Trigger("answer", "a1", AT, None, "dosing"), True),
    ('type = "email_opened"', Trigger("email_opened", "a1", AT, "email"), True),
    ('type = "email_opened"', Trigger("answer", "a1", AT, "email"), False),
    ('type = "escalation_answered"', Trigger("escalation_answered", "a1", AT), True),
    ('type = "no_contact", days = 30', Trigger("no_contact", "a1", AT, days=40), True),
    ('type = "no_contact", days = 60', Trigger("no_contact", "a1", AT, days=40), False),
])
def test_each_trigger(trigger_toml: str, trigger: Trigger, fires: bool) -> None:
    rules = parse_rules(rule(trigger_toml))
    assert bool(rules.fire(trigger, view())) is fires


@pytest.mark.parametrize(("when", "holds"), [
    ('persona = "pragmatic"', True), ('persona = "evidence_driven"', False),
    ('not_persona = "pragmatic"', False), ('segment = ["A", "B"]', True),
    ('segment = "C"', False), ('specialty = "KARD"', True), ('specialty = "ONKO"', False),
    ('consent = "email"', True), ('consent = "phone"', False), ('no_consent = "phone"', True),
    ('preferred_channel = "in_person"', True), ('preferred_channel = "email"', False),
    ("potential_min = 0.5", True), ("potential_max = 0.5", False),
    ("days_since_min = { in_person = 30 }", True), ("days_since_min = { any = 60 }", False),
    ("days_since_max = { phone = 10 }", False), ("days_since_max = { in_person = 60 }", True),
    ('reacted_positive = "study"', True), ('reacted_positive = "dosing"', False),
    ('reacted_negative = "safety"', True), ('reacted_negative = "study"', False),
])
def test_each_condition(when: str, holds: bool) -> None:
    rules = parse_rules(rule('type = "answer"', when))
    assert bool(rules.fire(Trigger("answer", "a1", AT), view())) is holds


def test_the_examples_of_the_documentation_are_valid() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text("utf-8")
    examples = re.findall(r"```toml\n(.*?)```", text, re.S)
    rules = parse_rules("\n".join(examples))
    assert rules.rules[0].id == "seminar-personal-contact"
    assert set(rules.plans["evidence-journey"].steps) == {"study-mail", "msl-discussion",
                                                          "visit-summary"}
