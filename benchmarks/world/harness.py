"""Evaluation harness: 26 weeks of one simulated territory, a rep of limited capacity and a
policy choosing the rep's actions, scored against the doctors' hidden truth.

Why: the engine's suggestions are only worth the rep's time if doctors answer them better
than the rep's routine. The harness plays the same territory (same seed: the same doctors,
the same history, the same luck per doctor, `benchmarks.world.simulator`) once per policy:

- `BaselinePolicy`: the routine. Contacts each doctor at a fixed frequency by segment
  (A 22, B 12, C 6 a year), most overdue first, in a channel drawn from the rep's habit (in
  person 50 %, phone 20 %, e-mail 14 %, video 8 %, event 8 %) among the consented ones whose
  weekly budget is not spent; the product most relevant to the
  doctor, two key messages in turn from the approved deck.
- `HeuristicPolicy`: contact whoever answered, in the channel they answered in, at most
  twice in 30 days (the rest of the budget to the others by potential). An engine that
  cannot beat a hundred lines does not earn the rep's trust.
- `EnginePolicy`: the recommendation engine through its interface (docs/engine-benchmark.md):
  it gets the laptop's view (accounts, consents, content, the history), is trained at the
  start and retrained every `retrain_weeks`, proposes each week's list within the rep's
  budget of each kind (calls, e-mails, event invitations, MSL follow-ups), observes every
  touchpoint as it is submitted with the suggestion it executes (incremental rescoring), and
  hears that the suggestions the rep did not get to have expired, as a laptop would.

Each week a policy returns its actions in priority order; the harness keeps those that fit
the rep's `Capacity` (calls, e-mails, event invitations; MSL follow-ups on the MSL's
budget; what does not fit is counted as `over_capacity`), checks every kept action against
the guards and delivers it only when it breaks none. Guards (`guard_violations`), each
counted by name:

- ``consent``: an e-mail without granted e-mail consent, or any contact in a withdrawn channel;
- ``content``: content that is not approved, expired, unknown, or of another product;
- ``product``: a product the territory may not promote;
- ``cap``: more touchpoints on the 30 days up to and including this one's than the doctor's
  persona tolerates (the upper end of its hidden `cap` range: 2 a month for evidence-driven
  and pragmatic doctors, 4 for digital ones). A policy cannot see the persona, so it must
  stay under the cap of every persona it cannot rule out.

Scores (`Outcome`): positive responses (a touchpoint with a positive reaction, an e-mail
clicked), touchpoints delivered, the share of them in the doctor's hidden preferred channel,
violations by guard, failed visits, touchpoints beyond the doctor's own hidden tolerance,
the share of A-segment doctors reached at least once, and the persona the policy assigns to
each doctor against the hidden one over the doctors of the known personas (beside always
naming the most common one), and how many barely responsive doctors it names as such.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from benchmarks.world.simulator import (
    CHANNELS,
    EMAIL,
    EVENT,
    GRANTED,
    IN_PERSON,
    MSL,
    PERSONAS,
    PHONE,
    REP,
    REP_HABIT,
    VIDEO,
    WITHDRAWN,
    Action,
    ContentCatalog,
    DoctorAccount,
    InteractionRecord,
    SimOptions,
    Simulator,
)

#: Contacts a year by segment in the routine (as the demo territory's history).
BASELINE_PER_YEAR = {"A": 22, "B": 12, "C": 6}
#: The hour a touchpoint of each channel takes place.
HOURS = {IN_PERSON: 10, PHONE: 13, VIDEO: 15, EMAIL: 8, EVENT: 18}
WORKDAYS = 5
#: What a policy calls a doctor who barely answers anything (the engine's own word).
LOW_RESPONDER = "barely_responsive"


@dataclass(frozen=True)
class Capacity:
    """What the rep (and the MSL) can do in one week."""

    calls: int = 40  # in person, phone, video
    emails: int = 40
    events: int = 10  # event invitations
    msl: int = 4  # MSL follow-ups

    def budget(self) -> Counter[str]:
        return Counter({"calls": self.calls, "emails": self.emails, "events": self.events,
                        "msl": self.msl})

    @property
    def total(self) -> int:
        return self.calls + self.emails + self.events + self.msl


def budget_of(action: Action) -> str:
    """Which weekly budget an action spends."""
    if action.owner == MSL:
        return "msl"
    return {EMAIL: "emails", EVENT: "events"}.get(action.channel, "calls")


@dataclass(frozen=True)
class World:
    """What a policy may see at the start: the laptop's view, never the hidden truth."""

    accounts: Sequence[DoctorAccount]
    catalog: ContentCatalog
    history: Sequence[InteractionRecord]
    start: dt.date


@dataclass(frozen=True)
class Planned:
    """An action and the day it is to happen (within the week being planned); `ref` is the
    policy's own name for it (the engine's suggestion id)."""

    action: Action
    day: dt.date
    ref: str | None = None


class Policy(Protocol):
    """Chooses the rep's touchpoints week by week."""

    name: str

    def begin(self, world: World) -> None: ...

    def plan(self, week: dt.date, capacity: Capacity) -> list[Planned]: ...

    def observe(self, record: InteractionRecord, planned: Planned) -> None: ...

    def end_week(self, week: dt.date, index: int) -> None: ...

    def personas(self) -> Mapping[str, str | None]: ...


@dataclass
class Outcome:
    """How one policy did over the weeks."""

    policy: str
    weeks: int
    touchpoints: int = 0
    positives: int = 0
    channel_matches: int = 0
    violations: Counter[str] = field(default_factory=Counter)
    over_capacity: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    persona_accuracy: float | None = None
    #: Always naming the most common persona, over the same doctors: the floor to beat.
    persona_majority: float | None = None
    #: Share of the barely responsive doctors the policy names as such (None: none there).
    low_responders_named: float | None = None
    failed_visits: int = 0
    #: Touchpoints beyond the doctor's own hidden tolerance (his 30-day count before it).
    beyond_tolerance: int = 0
    a_accounts: int = 0
    a_reached: set[str] = field(default_factory=set)

    @property
    def a_coverage(self) -> float:
        """Share of the A-segment doctors the policy reached at least once: an engine must
        not win by contacting fewer of the doctors who matter most."""
        return len(self.a_reached) / self.a_accounts if self.a_accounts else 0.0

    @property
    def guard_violations(self) -> int:
        return sum(self.violations.values())

    @property
    def channel_match_rate(self) -> float:
        return self.channel_matches / self.touchpoints if self.touchpoints else 0.0

    @property
    def response_rate(self) -> float:
        return self.positives / self.touchpoints if self.touchpoints else 0.0


def guard_violations(action: Action, account: DoctorAccount, catalog: ContentCatalog,
                     day: dt.date, contacts_before: int, persona: str) -> list[str]:
    """The guards `action` breaks on `day` (module docstring); empty when it breaks none.

    `contacts_before`: the doctor's touchpoints so far on the 30 calendar days up to `day`.
    """
    broken = []
    consent = account.consents[action.channel].consent
    if consent == WITHDRAWN or (action.channel == EMAIL and consent != GRANTED):
        broken.append("consent")
    content = catalog.contents.get(action.content_id)
    if content is None or not content.usable_on(day) or content.product != action.product \
            or any(m not in content.messages for m in action.messages):
        broken.append("content")
    if action.product not in catalog.promotable:
        broken.append("product")
    if contacts_before + 1 > PERSONAS[persona].cap[1]:
        broken.append("cap")
    return broken


def run(policy: Policy, options: SimOptions, capacity: Capacity | None = None,
        weeks: int = 26, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Play `weeks` weeks of the territory of `options` with `policy` (module docstring)."""
    capacity = capacity or Capacity()
    sim = Simulator(options)
    truth = sim.truth()
    accounts = {a.account_id: a for a in sim.accounts}
    policy.begin(World(tuple(sim.accounts), sim.catalog, tuple(sim.history), options.start))
    outcome = Outcome(policy.name, weeks)
    outcome.a_accounts = sum(a.segment == "A" for a in sim.accounts)
    for index in range(weeks):
        week = options.start + dt.timedelta(weeks=index)
        left = capacity.budget()
        kept: list[Planned] = []
        for planned in policy.plan(week, capacity):
            budget = budget_of(planned.action)
            if left[budget] <= 0:
                outcome.over_capacity += 1
                continue
            left[budget] -= 1
            kept.append(planned)
        friday = week + dt.timedelta(days=WORKDAYS - 1)
        timed = sorted(((dt.datetime.combine(min(max(p.day, week), friday),
                                             dt.time(HOURS[p.action.channel])), p)
                        for p in kept), key=lambda item: (item[0], item[1].action.account_id))
        for at, planned in timed:
            action, day = planned.action, at.date()
            hidden = truth[action.account_id]
            broken = guard_violations(action, accounts[action.account_id], sim.catalog, day,
                                      sim.contacts_in_window(action.account_id, at),
                                      hidden.persona)
            if broken:
                outcome.violations.update(broken)
                continue
            before = sim.contacts_in_window(action.account_id, at)
            record = sim.respond(action, at)
            outcome.touchpoints += 1
            outcome.failed_visits += record.failed_visit
            if not record.failed_visit:
                outcome.beyond_tolerance += before + 1 > hidden.contact_cap_per_month
                if accounts[action.account_id].segment == "A":
                    outcome.a_reached.add(action.account_id)
            outcome.positives += record.positive
            outcome.channel_matches += action.channel == hidden.preferred_channel
            outcome.by_channel[action.channel] += 1
            policy.observe(record, planned)
        policy.end_week(week, index)
        if progress is not None:
            progress(index + 1, weeks)
    assigned = policy.personas()
    if assigned:
        known = [t for t in truth.values() if not t.low_responder]
        if known:
            outcome.persona_accuracy = sum(assigned.get(t.account_id) == t.persona
                                           for t in known) / len(known)
            outcome.persona_majority = max(Counter(t.persona for t in known).values()) \
                / len(known)
        low = [t for t in truth.values() if t.low_responder]
        if low:
            outcome.low_responders_named = sum(assigned.get(t.account_id) == LOW_RESPONDER
                                               for t in low) / len(low)
    return outcome



# --------------------------------------------------------------------------- the routine


class BaselinePolicy:
    """The rep's routine: fixed contact frequency per segment (module docstring)."""

    name = "baseline"

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._world: World | None = None
        self._last: dict[str, dt.date] = {}
        self._turn: Counter[str] = Counter()

    def begin(self, world: World) -> None:
        self._world = world
        for record in world.history:
            self._last[record.account_id] = record.start_at.date()

    def plan(self, week: dt.date, capacity: Capacity) -> list[Planned]:
        world = self._world
        assert world is not None, "begin() first"
        due = []
        for order, account in enumerate(world.accounts):
            interval = dt.timedelta(days=365 / BASELINE_PER_YEAR[account.segment])
            last = self._last.get(account.account_id)
            next_due = last + interval if last else week
            if next_due < week + dt.timedelta(days=7):
                due.append((next_due, "ABC".index(account.segment), order, account))
        due.sort(key=lambda item: item[:3])
        left = capacity.budget()
        left["msl"] = 0
        planned: list[Planned] = []
        for slot, (_, _, _, account) in enumerate(due):
            action = self._action(account, week, left)
            if action is not None:
                left[budget_of(action)] -= 1
                planned.append(Planned(action, week + dt.timedelta(days=slot % WORKDAYS)))
        return planned

    def _action(self, account: DoctorAccount, week: dt.date,
                left: Counter[str]) -> Action | None:
        world = self._world
        assert world is not None
        catalog = world.catalog
        products = [p for p in account.products if p in catalog.promotable]
        usable = [c for c in CHANNELS if account.may_contact(c)
                  and left[budget_of(Action(account.account_id, c, "", ""))] > 0]
        if not products or not usable:
            return None
        product = products[0]
        channel = self._rng.choices(usable, [REP_HABIT[c] for c in usable])[0]
        kind = {EMAIL: "email", EVENT: "invitation"}.get(channel, "deck")
        contents = catalog.content_for(product, kind, week)
        if not contents:
            return None
        turn = self._turn[account.account_id]
        self._turn[account.account_id] += 1
        if kind == "deck":
            deck = contents[0]
            n = len(deck.messages)
            messages = tuple(deck.messages[(2 * turn + i) % n] for i in range(min(2, n)))
            return Action(account.account_id, channel, product, deck.id, REP, messages)
        content = contents[turn % len(contents)]
        return Action(account.account_id, channel, product, content.id, REP)

    def observe(self, record: InteractionRecord, planned: Planned) -> None:
        self._last[record.account_id] = record.start_at.date()

    def end_week(self, week: dt.date, index: int) -> None:
        """The routine learns nothing."""

    def personas(self) -> Mapping[str, str | None]:
        return {}


# --------------------------------------------------------------------------- the heuristic


class HeuristicPolicy:
    """The heuristic an engine must beat: contact whoever answered, in the channel they
    answered in, at most twice in 30 days.

    Doctors are ranked by their positive answers (the last year of them), the channel is the
    consented one they answered in most (ties: the one answered last), the product the most
    relevant, two messages of the deck in turn or the e-mail templates in turn. Doctors who
    never answered get what budget is left, highest potential first, by the routine's habit.
    """

    name = "heuristic"
    PER_MONTH = 2
    MEMORY = dt.timedelta(days=365)

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._world: World | None = None
        self._answers: dict[str, list[tuple[dt.datetime, str]]] = {}
        self._contacts: dict[str, list[dt.date]] = {}
        self._turn: Counter[str] = Counter()

    def begin(self, world: World) -> None:
        self._world = world
        for record in world.history:
            self._learn(record)

    def _learn(self, record: InteractionRecord) -> None:
        if not record.failed_visit:
            self._contacts.setdefault(record.account_id, []).append(record.start_at.date())
        if record.positive:
            self._answers.setdefault(record.account_id, []).append(
                (record.start_at, record.channel))

    def plan(self, week: dt.date, capacity: Capacity) -> list[Planned]:
        world = self._world
        assert world is not None, "begin() first"
        since = dt.datetime.combine(week, dt.time()) - self.MEMORY
        ranked = []
        for order, account in enumerate(world.accounts):
            recent = [d for d in self._contacts.get(account.account_id, ())
                      if (week - d).days < 30]
            if len(recent) >= self.PER_MONTH:
                continue
            answers = [(at, c) for at, c in self._answers.get(account.account_id, ())
                       if at >= since and account.may_contact(c)]
            ranked.append((-len(answers), -account.potential, order, account, answers))
        ranked.sort(key=lambda item: item[:3])
        left = capacity.budget()
        left["msl"] = 0
        planned: list[Planned] = []
        for slot, (_, _, _, account, answers) in enumerate(ranked):
            action = self._action(account, answers, week, left)
            if action is not None:
                left[budget_of(action)] -= 1
                planned.append(Planned(action, week + dt.timedelta(days=slot % WORKDAYS)))
        return planned

    def _action(self, account: DoctorAccount, answers: list[tuple[dt.datetime, str]],
                week: dt.date, left: Counter[str]) -> Action | None:
        world = self._world
        assert world is not None
        catalog = world.catalog
        products = [p for p in account.products if p in catalog.promotable]
        usable = [c for c in CHANNELS if account.may_contact(c)
                  and left[budget_of(Action(account.account_id, c, "", ""))] > 0]
        if not products or not usable:
            return None
        counts = Counter(c for _, c in answers if c in usable)
        if counts:
            last = {c: at for at, c in answers}
            channel = max(counts, key=lambda c: (counts[c], last[c]))
        else:
            channel = self._rng.choices(usable, [REP_HABIT[c] for c in usable])[0]
        kind = {EMAIL: "email", EVENT: "invitation"}.get(channel, "deck")
        contents = catalog.content_for(products[0], kind, week)
        if not contents:
            return None
        turn = self._turn[account.account_id]
        self._turn[account.account_id] += 1
        if kind == "deck":
            deck = contents[0]
            n = len(deck.messages)
            messages = tuple(deck.messages[(2 * turn + i) % n] for i in range(min(2, n)))
            return Action(account.account_id, channel, products[0], deck.id, REP, messages)
        return Action(account.account_id, channel, products[0],
                      contents[turn % len(contents)].id, REP)

    def observe(self, record: InteractionRecord, planned: Planned) -> None:
        self._learn(record)

    def end_week(self, week: dt.date, index: int) -> None:
        """The heuristic keeps no model."""

    def personas(self) -> Mapping[str, str | None]:
        return {}


# --------------------------------------------------------------------------- the engine


def engine_available() -> bool:
    """Whether the recommendation engine (`app.engine.engine`) is installed in this tree."""
    try:
        importlib.import_module("app.engine.engine")
    except ModuleNotFoundError:
        return False
    return True


class EnginePolicy:
    """The recommendation engine choosing the rep's actions (module docstring).

    Speaks the engine's interface (`app.engine.engine.Engine` over the plain facts of
    `app.engine.facts`): the harness's records become the engine's `AccountFacts`,
    `Touchpoint`s and `Catalog`, and its `Suggestion`s become actions (`action`). In a call
    the rep presents the suggested slide of the deck first, then the deck's messages on the
    topics the engine rates highest for the doctor (two in all); an MSL follow-up is the
    MSL's call in the suggested channel with the deck's study and safety messages.
    """

    name = "engine"

    def __init__(self, retrain_weeks: int = 4, seed: int = 0) -> None:
        self._facts: Any = importlib.import_module("app.engine.facts")
        self._module: Any = importlib.import_module("app.engine.engine")
        self.retrain_weeks = retrain_weeks
        self.seed = seed
        self._world: World | None = None
        self.engine: Any = None
        self._topics: dict[str, Mapping[str, float]] = {}
        self._index: dict[str, int] = {}
        self._waiting: dict[str, Any] = {}  # this week's suggestions not acted on yet

    # ---- conversions (the engine's facts)

    def account_facts(self, account: DoctorAccount) -> Any:
        ranked = sorted((c for c in account.consents.values() if c.preference_rank),
                        key=lambda c: c.preference_rank or 0)
        preferred = tuple(c.channel for c in ranked) or tuple(
            c.channel for c in account.consents.values() if c.preferred)
        return self._facts.AccountFacts(
            account_id=account.account_id, kind="hcp", segment=account.segment,
            specialty=account.specialty, potential=account.potential,
            consents={c.channel: c.consent for c in account.consents.values()},
            preferred_channels=preferred, name=account.name)

    def touchpoint(self, record: InteractionRecord, suggestion_id: str | None = None) -> Any:
        facts = self._facts
        product = record.products[0] if record.products else None
        reactions = [facts.Reaction(m.topic, m.reaction, product) for m in record.key_messages]
        reactions += [facts.Reaction(v.topic, v.reaction, product, v.duration_ms / 1000,
                                     "slide") for v in record.slide_views]
        kind = {EMAIL: "email", EVENT: "event"}.get(record.channel, "call")
        return facts.Touchpoint(
            account_id=record.account_id, at=record.start_at, channel=record.channel,
            duration_min=record.duration_min, reactions=tuple(reactions),
            opened=record.email_opened, suggestion_id=suggestion_id, owner_role=record.owner,
            kind=kind, failed_visit=record.failed_visit)

    def catalog(self, catalog: ContentCatalog) -> Any:
        """E-mail templates and invitations as they are; a deck as one item per slide
        (`DECK-ID:KEY-MESSAGE`), so a suggestion can name the message to lead with."""
        facts = self._facts
        items = []
        for content in catalog.contents.values():
            approved = content.approval_state == "approved"
            if content.kind == "deck":
                items += [facts.ContentItem(f"{content.id}:{code}", f"{content.id} {code}",
                                            content.product, catalog.topics[code],
                                            "presentation", approved, None,
                                            content.valid_until)
                          for code in content.messages]
            else:
                items.append(facts.ContentItem(
                    content.id, content.id, content.product, catalog.topics[content.messages[0]],
                    "email" if content.kind == "email" else "event", approved, None,
                    content.valid_until))
        return facts.Catalog(promotable_products=catalog.promotable, content=tuple(items),
                             products={name: name for name in catalog.products})

    # ---- the policy

    def begin(self, world: World) -> None:
        self.load(world)
        self.engine.use_model(self.engine.train())

    def load(self, world: World, inputs: tuple[list[Any], list[Any], Any] | None = None,
             ) -> None:
        """A fresh engine holding the world's accounts, content and history (untrained);
        `inputs` are the world already converted (`inputs`), when the caller has them."""
        self._world = world
        self._index = {a.account_id: i for i, a in enumerate(world.accounts)}
        module = self._module
        defaults: Any = importlib.import_module("app.engine.defaults")
        self.engine = module.Engine(defaults.default_rules(),
                                    module.EngineSettings(control_share=0.0, seed=self.seed))
        accounts, touchpoints, catalog = inputs or self.inputs(world)
        self.engine.load(accounts=accounts, touchpoints=touchpoints, catalog=catalog,
                         feedback=[])

    def inputs(self, world: World) -> tuple[list[Any], list[Any], Any]:
        """The world as the engine's facts: accounts, touchpoints and the catalog."""
        return ([self.account_facts(a) for a in world.accounts],
                [self.touchpoint(r) for r in world.history], self.catalog(world.catalog))

    def plan(self, week: dt.date, capacity: Capacity) -> list[Planned]:
        world = self._world
        assert world is not None, "begin() first"
        scores = self.engine.rescore(week)
        self._topics = {s.account_id: s.topic_propensity for s in scores}
        planned = []
        for suggestion in self.engine.propose(week, capacity=capacity.total, days=7,
                                              budgets=capacity.budget()):
            self._waiting[suggestion.id] = suggestion
            action = self.action(suggestion, world.catalog)
            if action is not None:
                planned.append(Planned(action, suggestion.due, suggestion.id))
        return planned

    def action(self, suggestion: Any, catalog: ContentCatalog) -> Action | None:
        """The touchpoint a suggestion asks for.

        A call or MSL follow-up that names no content uses the approved deck of the product
        the suggestion names, else of the doctor's most relevant promotable product (the
        e-detail library offers nothing else); content the harness does not know is passed
        on as it is, for the guards to catch.
        """
        world = self._world
        assert world is not None
        account = world.accounts[self._index[suggestion.account_id]]
        owner = MSL if suggestion.owner_role == MSL else REP
        deck_id, _, lead = (suggestion.content_id or "").partition(":")
        product = suggestion.product_id or next(
            (p for p in account.products if p in catalog.promotable), "")
        if suggestion.content_id is None and suggestion.channel not in (EMAIL, EVENT):
            decks = catalog.content_for(product, "deck", suggestion.due)
            if not decks:
                return None
            deck_id = decks[0].id
        content = catalog.contents.get(deck_id)
        if content is None or content.kind != "deck":
            return Action(suggestion.account_id, suggestion.channel, product,
                          suggestion.content_id or "", owner)
        ratings = self._topics.get(suggestion.account_id, {})
        rest = sorted((m for m in content.messages if m != lead),
                      key=lambda m: -float(ratings.get(catalog.topics[m], 0.0)))
        if owner == MSL:
            rest = [m for m in rest if catalog.topics[m] in ("study", "safety")] or rest
        messages = ((lead,) if lead else ()) + tuple(rest)
        return Action(suggestion.account_id, suggestion.channel, product, content.id, owner,
                      messages[:2])

    def observe(self, record: InteractionRecord, planned: Planned) -> None:
        self._waiting.pop(planned.ref or "", None)
        self.engine.observe(self.touchpoint(record, planned.ref), record.start_at.date())

    def end_week(self, week: dt.date, index: int) -> None:
        """Suggestions the rep did not get to lapse; every `retrain_weeks` a new model."""
        facts = self._facts
        end = dt.datetime.combine(week + dt.timedelta(days=WORKDAYS - 1), dt.time(18))
        for suggestion in self._waiting.values():
            self.engine.feedback(facts.Feedback(suggestion.id, suggestion.account_id,
                                                suggestion.channel, "expired", end))
        self._waiting = {}
        if (index + 1) % self.retrain_weeks == 0:
            self.engine.use_model(self.engine.train())

    def personas(self) -> Mapping[str, str | None]:
        world = self._world
        assert world is not None
        return {a.account_id: self.engine.persona_of(a.account_id).name for a in world.accounts}


def uplift(engine: Outcome, baseline: Outcome) -> float:
    """Relative gain in positive responses over the baseline."""
    return engine.positives / baseline.positives - 1 if baseline.positives else 0.0

