"""Declarative rules managers write: touchpoint + account facts -> next action + owner.

A rule set is a TOML file (format in docs/rules.md; the default in resources/rules/). It is
validated completely on load: every problem is reported with its place in the file
("rules[2].then.action: ..."), and a rule set with any problem is refused as a whole, so a
typo can never silently switch a rule off. Rule sets carry a version; the server distributes
them and the laptop keeps the newest valid one.

Python's own `tomllib` reads the files: no new dependency.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.engine.facts import CHANNELS, REACTIONS, ROLES, TOPICS, AccountFacts, Action

FORMAT = 1
SEGMENTS = ("A", "B", "C")
PERSONAS = ("evidence_driven", "pragmatic", "digital_affine")


class TriggerType:
    CALL_SUBMITTED = "call_submitted"
    SLIDE_REACTION = "slide_reaction"
    ANSWER = "answer"
    EMAIL_OPENED = "email_opened"
    EMAIL_CLICKED = "email_clicked"  # a link of the e-mail followed (docs/email.md)
    ESCALATION_ANSWERED = "escalation_answered"
    NO_CONTACT = "no_contact"

    ALL = (CALL_SUBMITTED, SLIDE_REACTION, ANSWER, EMAIL_OPENED, EMAIL_CLICKED,
           ESCALATION_ANSWERED, NO_CONTACT)


class RuleError(ValueError):
    """A rule file that cannot be used; `problems` lists every place that is wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class Trigger:
    """Something that happened to an account, which rules may react to."""

    type: str
    account_id: str
    at: dt.datetime
    channel: str | None = None
    topic: str | None = None
    reaction: str | None = None
    product_id: str | None = None
    days: int | None = None  # no_contact: days since the last contact


@dataclass(frozen=True, slots=True)
class AccountView:
    """The facts a rule condition may look at, for one account on one day."""

    facts: AccountFacts
    persona: str | None
    best_channel: str | None  # the doctor's own channel (stated, else answered best)
    days_since: Mapping[str, int | None]  # per channel; None = never
    days_since_any: int | None
    positive_topics: Mapping[str, int]
    negative_topics: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    type: str
    channels: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    reactions: frozenset[str] = frozenset()
    days: int | None = None

    def matches(self, trigger: Trigger) -> bool:
        if trigger.type != self.type:
            return False
        if self.channels and trigger.channel not in self.channels:
            return False
        if self.topics and trigger.topic not in self.topics:
            return False
        if self.reactions and trigger.reaction not in self.reactions:
            return False
        return self.days is None or (trigger.days is not None and trigger.days >= self.days)


@dataclass(frozen=True, slots=True)
class Conditions:
    """All must hold (an empty condition holds)."""

    personas: frozenset[str] = frozenset()
    not_personas: frozenset[str] = frozenset()
    segments: frozenset[str] = frozenset()
    specialties: frozenset[str] = frozenset()
    consent: frozenset[str] = frozenset()  # channels with consent granted
    no_consent: frozenset[str] = frozenset()  # channels without granted consent
    preferred_channels: frozenset[str] = frozenset()
    potential_min: float | None = None
    potential_max: float | None = None
    days_since_min: Mapping[str, int] = field(default_factory=dict)  # channel or "any"
    days_since_max: Mapping[str, int] = field(default_factory=dict)
    reacted_positive: frozenset[str] = frozenset()  # topics
    reacted_negative: frozenset[str] = frozenset()

    def hold(self, view: AccountView) -> bool:
        return not self.unmet(view)

    def unmet(self, view: AccountView) -> list[str]:
        """The `when` keys that do not hold for this account (none: the rule applies); the
        screens say from them why a rule did not fire."""
        facts = view.facts
        checks = (
            ("persona", not self.personas or view.persona in self.personas),
            ("not_persona", not self.not_personas or view.persona not in self.not_personas),
            ("segment", not self.segments or facts.segment in self.segments),
            ("specialty", not self.specialties or facts.specialty in self.specialties),
            ("consent", all(facts.consent(c) == "granted" for c in self.consent)),
            ("no_consent", all(facts.consent(c) != "granted" for c in self.no_consent)),
            ("preferred_channel",
             not self.preferred_channels or view.best_channel in self.preferred_channels),
            ("potential_min", self.potential_min is None
             or facts.potential >= self.potential_min),
            ("potential_max", self.potential_max is None
             or facts.potential <= self.potential_max),
            ("days_since_min", all(_days(view, c) is None
                                   or _days(view, c) >= n  # type: ignore[operator]
                                   for c, n in self.days_since_min.items())),
            ("days_since_max", all(_days(view, c) is not None
                                   and _days(view, c) <= n  # type: ignore[operator]
                                   for c, n in self.days_since_max.items())),
            ("reacted_positive",
             all(view.positive_topics.get(t, 0) > 0 for t in self.reacted_positive)),
            ("reacted_negative",
             all(view.negative_topics.get(t, 0) > 0 for t in self.reacted_negative)),
        )
        return [key for key, held in checks if not held]


def _days(view: AccountView, channel: str) -> int | None:
    return view.days_since_any if channel == "any" else view.days_since.get(channel)


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """What to suggest: the action, its owner, when, what it carries, and why."""

    action: str
    owner: str
    reason: str
    channel: str | None = None  # None: the account's best channel for the action
    due_in_days: int = 2
    expires_in_days: int = 14
    content_topic: str | None = None
    content_id: str | None = None
    priority: float = 0.5
    plan: str | None = None  # starts this engagement plan


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    description: str
    trigger: TriggerSpec
    when: Conditions
    then: ActionSpec


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One step of an engagement plan; what comes next depends on the doctor's response."""

    id: str
    then: ActionSpec
    on_response: str | None = None
    on_no_response: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    description: str
    start: str
    steps: Mapping[str, PlanStep]


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: int
    name: str
    rules: tuple[Rule, ...]
    plans: Mapping[str, Plan]
    caps: Mapping[str, int]  # contacts per 30 days, per persona and "default"
    control_share: float = 0.1
    #: At most this share of a planned week goes to a channel other than the doctor's own.
    off_channel_share: float = 0.1
    source: str = ""  # the TOML text, kept so the rule set can be stored and synced as is

    def cap(self, persona: str | None) -> int:
        return self.caps.get(persona or "default", self.caps.get("default", 3))

    def fire(self, trigger: Trigger, view: AccountView) -> list[Rule]:
        """The rules this trigger sets off for this account, in file order."""
        return [r for r in self.rules if r.trigger.matches(trigger) and r.when.hold(view)]


# --- parsing -----------------------------------------------------------------------------


class _Reader:
    """Collects every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def table(self, data: Mapping[str, Any], key: str, where: str,
              required: bool = False) -> Mapping[str, Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "missing")
            return {}
        if not isinstance(value, dict):
            self.fail(f"{where}.{key}", "must be a table")
            return {}
        return value

    def unknown(self, data: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(f"{where}.{key}", f"unknown key (expected one of {', '.join(allowed)})")

    def text(self, data: Mapping[str, Any], key: str, where: str, required: bool = True,
             choices: Sequence[str] | None = None) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", "must be a non-empty text")
            return None
        if choices is not None and value not in choices:
            self.fail(f"{where}.{key}", f"unknown value {value!r} "
                      f"(expected one of {', '.join(choices)})")
            return None
        return value

    def number(self, data: Mapping[str, Any], key: str, where: str, *, low: float,
               high: float, integer: bool = False) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            self.fail(f"{where}.{key}", "must be a whole number" if integer else
                      "must be a number")
            return None
        if not low <= value <= high:
            self.fail(f"{where}.{key}", f"must be between {low:g} and {high:g}")
            return None
        return float(value)

    def choices(self, data: Mapping[str, Any], key: str, where: str,
                allowed: Sequence[str] | None) -> frozenset[str]:
        value = data.get(key)
        if value is None:
            return frozenset()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            self.fail(f"{where}.{key}", "must be a text or a list of texts")
            return frozenset()
        if allowed is not None:
            for item in items:
                if item not in allowed:
                    self.fail(f"{where}.{key}", f"unknown value {item!r} "
                              f"(expected one of {', '.join(allowed)})")
        return frozenset(items)

    def days(self, data: Mapping[str, Any], key: str, where: str) -> dict[str, int]:
        table = self.table(data, key, where)
        out: dict[str, int] = {}
        for channel, value in table.items():
            if channel not in (*CHANNELS, "any"):
                self.fail(f"{where}.{key}.{channel}", "unknown channel (expected one of "
                          f"{', '.join((*CHANNELS, 'any'))})")
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.fail(f"{where}.{key}.{channel}", "must be a whole number of days >= 0")
            else:
                out[channel] = value
        return out


TRIGGER_KEYS = ("type", "channel", "topic", "reaction", "days")
WHEN_KEYS = ("persona", "not_persona", "segment", "specialty", "consent", "no_consent",
             "preferred_channel", "potential_min", "potential_max", "days_since_min",
             "days_since_max", "reacted_positive", "reacted_negative")
THEN_KEYS = ("action", "owner", "reason", "channel", "due_in_days", "expires_in_days",
             "content_topic", "content", "priority", "plan")
#: "contact": the doctor's own channel, whichever it is (the engine picks the action).
ACTIONS = (*(a.value for a in Action), "contact")
TOPIC_CHOICES = (*TOPICS, "any")


def _trigger(r: _Reader, data: Mapping[str, Any], where: str) -> TriggerSpec:
    r.unknown(data, TRIGGER_KEYS, where)
    kind = r.text(data, "type", where, choices=TriggerType.ALL) or ""
    days = r.number(data, "days", where, low=1, high=3650, integer=True)
    if kind == TriggerType.NO_CONTACT and days is None:
        r.fail(f"{where}.days", "missing (no_contact needs the number of days)")
    return TriggerSpec(kind, r.choices(data, "channel", where, CHANNELS),
                       r.choices(data, "topic", where, TOPICS),
                       r.choices(data, "reaction", where, REACTIONS),
                       None if days is None else int(days))


def _when(r: _Reader, data: Mapping[str, Any], where: str) -> Conditions:
    r.unknown(data, WHEN_KEYS, where)
    return Conditions(
        personas=r.choices(data, "persona", where, PERSONAS),
        not_personas=r.choices(data, "not_persona", where, PERSONAS),
        segments=r.choices(data, "segment", where, SEGMENTS),
        specialties=r.choices(data, "specialty", where, None),
        consent=r.choices(data, "consent", where, CHANNELS),
        no_consent=r.choices(data, "no_consent", where, CHANNELS),
        preferred_channels=r.choices(data, "preferred_channel", where, CHANNELS),
        potential_min=r.number(data, "potential_min", where, low=0, high=1),
        potential_max=r.number(data, "potential_max", where, low=0, high=1),
        days_since_min=r.days(data, "days_since_min", where),
        days_since_max=r.days(data, "days_since_max", where),
        reacted_positive=r.choices(data, "reacted_positive", where, TOPICS),
        reacted_negative=r.choices(data, "reacted_negative", where, TOPICS),
    )


def _then(r: _Reader, data: Mapping[str, Any], where: str) -> ActionSpec:
    r.unknown(data, THEN_KEYS, where)
    action = r.text(data, "action", where, choices=ACTIONS) or Action.CALL.value
    due = r.number(data, "due_in_days", where, low=0, high=365, integer=True)
    expires = r.number(data, "expires_in_days", where, low=1, high=365, integer=True)
    if due is not None and expires is not None and expires < due:
        r.fail(f"{where}.expires_in_days", "must not be before due_in_days")
    priority = r.number(data, "priority", where, low=0, high=1)
    return ActionSpec(
        action=action,
        owner=r.text(data, "owner", where, choices=ROLES) or "rep",
        reason=r.text(data, "reason", where) or "",
        channel=r.text(data, "channel", where, required=False, choices=CHANNELS),
        due_in_days=2 if due is None else int(due),
        expires_in_days=14 if expires is None else int(expires),
        content_topic=r.text(data, "content_topic", where, required=False,
                             choices=TOPIC_CHOICES),
        content_id=r.text(data, "content", where, required=False),
        priority=0.5 if priority is None else priority,
        plan=r.text(data, "plan", where, required=False),
    )


def _plan(r: _Reader, pid: str, data: Mapping[str, Any], where: str) -> Plan:
    r.unknown(data, ("description", "start", "steps"), where)
    steps_data = r.table(data, "steps", where, required=True)
    steps: dict[str, PlanStep] = {}
    for sid, step in steps_data.items():
        swhere = f"{where}.steps.{sid}"
        if not isinstance(step, dict):
            r.fail(swhere, "must be a table")
            continue
        links = {k: step.get(k) for k in ("on_response", "on_no_response")}
        body = {k: v for k, v in step.items() if k not in links}
        steps[sid] = PlanStep(sid, _then(r, body, swhere), links["on_response"],
                              links["on_no_response"])
    start = r.text(data, "start", where) or ""
    if start and start not in steps:
        r.fail(f"{where}.start", f"no step named {start!r}")
    for step in steps.values():
        for key, target in (("on_response", step.on_response),
                            ("on_no_response", step.on_no_response)):
            if target is not None and target not in steps:
                r.fail(f"{where}.steps.{step.id}.{key}", f"no step named {target!r}")
    return Plan(pid, str(data.get("description", "")), start, steps)


def parse_rules(text: str, source: str = "rules") -> RuleSet:
    """A validated rule set from TOML text, or RuleError naming every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError([f"{source}: not valid TOML ({error})"]) from error
    r = _Reader()
    r.unknown(data, ("format", "version", "name", "control_share", "off_channel_share", "caps",
                     "rules", "plans"),
              source)
    fmt = data.get("format")
    if fmt != FORMAT:
        r.fail(f"{source}.format", f"must be {FORMAT} (this build reads format {FORMAT})")
    version = r.number(data, "version", source, low=1, high=2**31, integer=True)
    if version is None and "version" not in data:
        r.fail(f"{source}.version", "missing")
    name = r.text(data, "name", source) or ""
    share = r.number(data, "control_share", source, low=0, high=0.5)
    off_channel = r.number(data, "off_channel_share", source, low=0, high=1)
    caps: dict[str, int] = {}
    for key, value in r.table(data, "caps", source).items():
        if key not in (*PERSONAS, "default"):
            r.fail(f"{source}.caps.{key}", "unknown persona (expected one of "
                   f"{', '.join((*PERSONAS, 'default'))})")
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 30:
            r.fail(f"{source}.caps.{key}", "must be a whole number of contacts from 1 to 30")
        else:
            caps[key] = value
    plans: dict[str, Plan] = {}
    for pid, pdata in r.table(data, "plans", source).items():
        if isinstance(pdata, dict):
            plans[pid] = _plan(r, pid, pdata, f"{source}.plans.{pid}")
        else:
            r.fail(f"{source}.plans.{pid}", "must be a table")
    rules: list[Rule] = []
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        r.fail(f"{source}.rules", "must be a list of [[rules]] tables")
        raw_rules = []
    seen: set[str] = set()
    for index, rdata in enumerate(raw_rules):
        where = f"{source}.rules[{index}]"
        if not isinstance(rdata, dict):
            r.fail(where, "must be a table")
            continue
        r.unknown(rdata, ("id", "description", "trigger", "when", "then"), where)
        rid = r.text(rdata, "id", where) or f"#{index}"
        if rid in seen:
            r.fail(f"{where}.id", f"{rid!r} is used twice")
        seen.add(rid)
        rule = Rule(rid, str(rdata.get("description", "")),
                    _trigger(r, r.table(rdata, "trigger", where, required=True),
                             f"{where}.trigger"),
                    _when(r, r.table(rdata, "when", where), f"{where}.when"),
                    _then(r, r.table(rdata, "then", where, required=True), f"{where}.then"))
        if rule.then.plan is not None and rule.then.plan not in plans:
            r.fail(f"{where}.then.plan", f"no plan named {rule.then.plan!r}")
        rules.append(rule)
    if r.problems:
        raise RuleError(r.problems)
    return RuleSet(int(version or 1), name, tuple(rules), plans, caps,
                   0.1 if share is None else share,
                   0.1 if off_channel is None else off_channel, text)
