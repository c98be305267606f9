"""Simulated doctors for evaluating the recommendation engine against a hidden truth.

The engine may only learn from what a laptop holds: accounts, consents and the history of
touchpoints. To measure whether its suggestions work, something must answer them the way
doctors would, with a truth the engine cannot see. This module is that something: a seeded
territory of doctors (HCPs), each with a hidden persona (docs/demo-data.md) and a preferred channel
drawn exactly as the demo generator draws them (from its own `PERSONAS`, `PRODUCTS` and
`SPECIALTIES` tables in `app.demo.territory`), answering each touchpoint with
probabilities.

Touchpoints (`Action`): an in-person call, a remote call (phone; video with the e-detail
deck), an e-mail with one approved template, an event invitation, an MSL follow-up (owner
"msl", in person or by video, study and safety messages).

The response model (per key message of the touchpoint), as in the demo generator:

- ``score = responsiveness x 0.7 ** over + topic + 0.6 x (affinity[channel] - 0.2) + e``
  with topic +0.25 for the persona's favoured topics, -0.25 for disliked ones; affinity
  ``0.5 x persona affinity + 0.5 on the preferred channel``; ``e ~ N(0, (0.3 x noise)^2)``.
- The frequency effect ("the dose makes it"): ``n`` touchpoints of any channel and owner in
  the 30 days up to and including this one, ``over = max(0, n - cap)`` with the doctor's
  hidden ``contact_cap_per_month``.
- ``P(positive) = clamp(1.2 x score - 0.25, 0.02, 0.95)``,
  ``P(negative) = clamp(0.55 - score, 0.02, 0.90)``, neutral otherwise.
- An e-mail: negative = not opened, neutral = opened, positive = opened and the link
  clicked. An event invitation is attended with ``P(positive)`` of the score without the
  topic term; only an attended event has reactions.
- A call with the deck (in person, video, MSL) leaves one slide view per key message: the
  dwell time is the persona's base (evidence-driven 75 s, pragmatic 30 s, digital 45 s),
  x1.6 on a favoured topic, x0.5 on a disliked one, x1.3 when the reaction is positive,
  x(0.6 + 0.4 x fatigue), times log-normal noise. Call minutes come from the persona's
  range per channel, shortened the same way.

A touchpoint's response is positive when any of its key messages got a positive reaction
(for an e-mail: the link was clicked). Noise (0..1) also blurs every doctor's channel
affinity toward uniform (``(1 - noise/2) x affinity + noise/2 x 0.2``) and widens the
dwell-time noise, so the hidden traits show less clearly in the history.

The field world's traits (`SimOptions`, each off in the home world, with the share its
source gives): a stated channel that is often not the one the doctor answers in; restricted
access, where a rep's visit often fails and is recorded as a failed visit (no reactions, not
a contact the doctor felt); low responders who barely answer anything; e-mails opened and
clicked at field rates; carryover, where earlier contacts lift later answers for months,
with diminishing returns; and a tolerance per doctor rather than per persona.

Determinism: the territory comes from `random.Random(seed)`; each doctor answers from his
own generator seeded from (seed, his index), so his answers depend only on the touchpoints
he gets, not on whom else a policy contacted; two policies compared on the same seed meet
the same doctors with the same luck. Nothing reads the clock.

What the engine may see is `Simulator.accounts`, `Simulator.catalog` and
`Simulator.history` (records in the shape of the local store: `interactions` with their
products, key-message reactions and slide views, consents per channel). The hidden truth is
only returned by `Simulator.truth()`, for scoring.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections import deque
from dataclasses import dataclass, field

from app.demo import territory as demo_data
from app.store.base import Channel, ConsentState

IN_PERSON, PHONE, VIDEO, EMAIL, EVENT = (c.value for c in Channel)
CHANNELS: tuple[str, ...] = (IN_PERSON, PHONE, VIDEO, EMAIL, EVENT)
GRANTED, UNKNOWN, WITHDRAWN = (ConsentState.GRANTED.value, ConsentState.UNKNOWN.value,
                               ConsentState.WITHDRAWN.value)
REP, MSL = "rep", "msl"
POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
TOPICS = ("efficacy", "study", "safety", "dosing", "patient-support")
FATIGUE = 0.7
WINDOW = dt.timedelta(days=30)
DEFAULT_START = dt.date(2026, 1, 5)  # a Monday
#: The rep's channel habit and how much it outweighs the doctor (as in the demo generator).
REP_HABIT = {IN_PERSON: 0.50, PHONE: 0.20, EMAIL: 0.14, VIDEO: 0.08, EVENT: 0.08}
REP_HABIT_WEIGHT = 0.45
#: Calls per year by segment; each doctor gets x0.6-1.4 of it in the history.
CALLS_PER_YEAR = {"A": 22, "B": 12, "C": 6}
SEGMENTS = (("A", 0.20, 0.70, 1.00), ("B", 0.35, 0.40, 0.70), ("C", 0.45, 0.05, 0.40))
#: The field world's shares, from the sources the options cite (`SimOptions`).
FIELD_STATED_RIGHT = 0.42  # between the UK's 38 % and Germany's 45 %
FIELD_ACCESS = (0.47, 0.36, 0.17)
FIELD_LOW_RESPONDERS = 0.25
#: A low responder's whole score (channel and topic too) is shrunk to this share: he barely
#: answers anything, in any channel, rather than answering his own channel as others do.
LOW_SCORE = 0.3
#: How often a rep's visit fails, by access (restricted doctors see reps rarely).
VISIT_FAILS = {"accessible": 0.05, "restricted": 0.5, "severely restricted": 0.9}
ACCESS_LEVELS = tuple(VISIT_FAILS)
#: Field e-mail: opened at 42 % at the score a usual e-mail of the habit gets (0.8), a click
#: on about one opened in twelve.
EMAIL_OPEN, EMAIL_CLICK, EMAIL_SCORE = 0.42, 0.08, 0.8
#: Carryover: each contact that reached the doctor adds to a stock decaying with a time
#: constant of two months (little left after five to six), the lift saturating.
CARRY_DAYS, CARRY_LIFT, CARRY_SCALE = 60.0, 0.3, 2.0


# --------------------------------------------------------------------------- the hidden model


#: The personas, products and specialties are the demo generator's own tables (one table
#: each: the demo territory and the simulated one are drawn from the same hidden truth).
PersonaModel = demo_data.Persona
PERSONAS: dict[str, PersonaModel] = demo_data.PERSONAS
#: Base seconds on a slide per persona: the one trait the demo's table has no column for
#: (the demo writes no slide views of its own).
DWELL_S = {"evidence_driven": 75.0, "pragmatic": 30.0, "digital_affine": 45.0}


@dataclass(frozen=True)
class ProductModel:
    name: str
    promotable: bool  # in the simulated territory
    messages: tuple[tuple[str, str], ...]  # (key message code, topic)


PRODUCTS: dict[str, ProductModel] = {
    p.name: ProductModel(p.name, p.promotable,
                         tuple((code, topic) for code, _, topic in p.messages))
    for p in demo_data.PRODUCTS
}

#: code -> (share among doctors, relevant products, primary care, evidence-heavy)
SPECIALTIES: dict[str, tuple[float, tuple[str, ...], bool, bool]] = {
    s.code: (s.weight, s.products, s.primary_care, s.evidence_heavy)
    for s in demo_data.SPECIALTIES
}


@dataclass(frozen=True)
class HiddenDoctor:
    """The ground truth of one doctor: never part of what the engine sees."""

    account_id: str
    persona: str
    preferred_channel: str
    affinity: dict[str, float]
    responsiveness: float
    contact_cap_per_month: int
    stated_channel: str | None = None  # what he told the rep (may not be his own)
    access: str = "accessible"  # accessible / restricted / severely restricted (to visits)
    low_responder: bool = False  # barely answers anything, whatever the channel


# --------------------------------------------------------------------------- what a laptop holds


@dataclass(frozen=True, slots=True)
class Consent:
    """A `channel_consents` row."""

    channel: str
    consent: str  # granted / unknown / withdrawn
    preferred: bool
    preference_rank: int | None


@dataclass(frozen=True)
class DoctorAccount:
    """An `accounts` row of a doctor with its consents: what the laptop knows of him."""

    account_id: str
    name: str
    specialty: str
    segment: str
    potential: float
    products: tuple[str, ...]  # relevant products, most relevant first
    consents: dict[str, Consent]

    def may_contact(self, channel: str) -> bool:
        """Consent as the demo territory uses it: never a withdrawn channel; e-mail and
        video only when granted."""
        state = self.consents[channel].consent
        return state == GRANTED or (state == UNKNOWN and channel not in (EMAIL, VIDEO))


@dataclass(frozen=True)
class Content:
    """An approved (or not) piece of content: an e-detail deck, an e-mail template or an
    event invitation, for one product, carrying key messages."""

    id: str
    kind: str  # "deck", "email", "invitation"
    product: str
    messages: tuple[str, ...]  # key message codes
    approval_state: str  # draft / approved / withdrawn
    valid_until: dt.date | None

    def usable_on(self, day: dt.date) -> bool:
        return self.approval_state == "approved" and (self.valid_until is None
                                                      or day <= self.valid_until)


@dataclass(frozen=True)
class ContentCatalog:
    """Products, key messages and content of the territory (`products`, `key_messages`,
    `territory_products`, `presentations`)."""

    products: dict[str, ProductModel]
    promotable: frozenset[str]
    topics: dict[str, str]  # key message code -> topic
    contents: dict[str, Content]

    def content_for(self, product: str, kind: str, day: dt.date,
                    topic: str | None = None) -> list[Content]:
        """Usable content of one product and kind (approved, not expired), optionally
        carrying a message of one topic."""
        return [c for c in self.contents.values()
                if c.product == product and c.kind == kind and c.usable_on(day)
                and (topic is None or any(self.topics[m] == topic for m in c.messages))]


@dataclass(frozen=True, slots=True)
class MessageReaction:
    """A `discussed_key_messages` row."""

    code: str
    topic: str
    reaction: str | None  # None: the touchpoint never reached the doctor


@dataclass(frozen=True, slots=True)
class SlideViewRecord:
    """A `slide_views` row (its slide named by key message)."""

    code: str
    topic: str
    duration_ms: int
    reaction: str


@dataclass(frozen=True, slots=True)
class InteractionRecord:
    """A submitted `interactions` row with its children, as the local store holds it."""

    id: str
    account_id: str
    owner: str  # "rep" or "msl"
    channel: str
    start_at: dt.datetime
    duration_min: int | None
    content_id: str
    products: tuple[str, ...]
    key_messages: tuple[MessageReaction, ...]
    slide_views: tuple[SlideViewRecord, ...] = ()
    email_opened: bool | None = None  # e-mails only
    email_clicked: bool | None = None
    event_attended: bool | None = None  # event invitations only
    failed_visit: bool = False  # the rep came, the doctor did not receive him

    @property
    def positive(self) -> bool:
        """The touchpoint's response counts as positive (module docstring)."""
        return any(m.reaction == POSITIVE for m in self.key_messages)


@dataclass(frozen=True, slots=True)
class Action:
    """One touchpoint a policy asks for. `messages` default to the content's messages."""

    account_id: str
    channel: str
    product: str
    content_id: str
    owner: str = REP
    messages: tuple[str, ...] = ()


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class SimOptions:
    """What the benchmark varies: the figures must hold beyond the defaults."""

    seed: int = 1
    accounts: int = 400
    noise: float = 0.3
    persona_mix: dict[str, float] | None = None  # persona -> share; None: the demo's
    start: dt.date = DEFAULT_START
    history_weeks: int = 52  # history before `start`, from the rep's habit
    # The traits of a field world (docs/engine-benchmark.md, "Worlds"); off: the home world.
    #: Share of the doctors who state a channel whose statement is their own channel
    #: (None: every statement is; field figure: 38 % UK, 45 % DE, IQVIA ChannelDynamics).
    stated_right: float | None = None
    #: Shares of doctors accessible, restricted and severely restricted to reps' visits
    #: (None: all accessible; field figure: 47/36/17 %, ZS AccessMonitor).
    access: tuple[float, float, float] | None = None
    #: Share of doctors who barely answer anything (Manchanda, Rossi & Chintagunta 2004).
    low_responders: float = 0.0
    #: E-mails opened and clicked at field rates (~42 % opened in Europe, Veeva Pulse;
    #: clicks a few percent) instead of the reaction score's 90 % and 60 %.
    field_email: bool = False
    #: Contacts carry over and decay over months, with diminishing returns (Mizik &
    #: Jacobson 2004).
    carryover: bool = False
    #: Each doctor's tolerance drawn on its own (1 to his persona's ceiling), not from his
    #: persona's range.
    own_tolerance: bool = False

    def __post_init__(self) -> None:
        if self.accounts < 1:
            raise ValueError("a territory has at least one doctor")
        if not 0.0 <= self.noise <= 1.0:
            raise ValueError("noise is between 0 and 1")
        if self.stated_right is not None and not 0.0 <= self.stated_right <= 1.0:
            raise ValueError("stated_right is a share between 0 and 1")
        if not 0.0 <= self.low_responders <= 1.0:
            raise ValueError("low_responders is a share between 0 and 1")
        if self.access is not None and (len(self.access) != 3 or min(self.access) < 0
                                        or sum(self.access) <= 0):
            raise ValueError("access needs three non-negative shares (accessible, "
                             "restricted, severely restricted)")
        if self.persona_mix is not None:
            unknown = set(self.persona_mix) - set(PERSONAS)
            if unknown or not self.persona_mix or any(v < 0 for v in self.persona_mix.values()) \
                    or sum(self.persona_mix.values()) <= 0:
                raise ValueError(f"persona mix needs non-negative shares of {sorted(PERSONAS)}")


def parse_persona_mix(text: str) -> dict[str, float] | None:
    """'evidence_driven=0.5,pragmatic=0.3,digital_affine=0.2' (or 'demo') -> shares."""
    if text.strip() in ("", "demo"):
        return None
    mix: dict[str, float] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in PERSONAS or not value:
            raise ValueError(f"persona mix entries are NAME=SHARE with NAME in "
                             f"{sorted(PERSONAS)}: {part!r}")
        mix[name] = float(value)
    return mix


# --------------------------------------------------------------------------- the simulator


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


@dataclass
class _Doctor:
    """A doctor's hidden state while the simulation runs."""

    truth: HiddenDoctor
    model: PersonaModel
    rng: random.Random
    recent: deque[dt.datetime] = field(default_factory=deque)
    reached: deque[dt.datetime] = field(default_factory=deque)  # for the carryover


class Simulator:
    """A territory of simulated doctors answering touchpoints (module docstring)."""

    def __init__(self, options: SimOptions) -> None:
        self.options = options
        self.catalog = _catalog(options.start)
        rng = random.Random(options.seed)
        self.accounts: list[DoctorAccount] = []
        self._doctors: dict[str, _Doctor] = {}
        self._ids = 0
        for index in range(options.accounts):
            facts, truth = self._doctor(rng, index)
            self.accounts.append(facts)
            self._doctors[facts.account_id] = _Doctor(
                truth, PERSONAS[truth.persona],
                random.Random(options.seed * 1_000_003 + index))
        self.history: list[InteractionRecord] = []
        self._habit_history(rng)

    # ---- the territory

    def _doctor(self, rng: random.Random, index: int) -> tuple[DoctorAccount, HiddenDoctor]:
        noise = self.options.noise
        codes = list(SPECIALTIES)
        specialty = rng.choices(codes, [SPECIALTIES[c][0] for c in codes])[0]
        _, relevant, primary, evidence_heavy = SPECIALTIES[specialty]
        mix = self.options.persona_mix
        weights = [mix.get(name, 0.0) if mix else p.weight for name, p in PERSONAS.items()]
        if mix is None:  # the demo's adjustments by specialty
            weights[0] += 0.12 if evidence_heavy else 0.0
            weights[1] += 0.15 if primary else 0.0
        persona = PERSONAS[rng.choices(list(PERSONAS), weights)[0]]
        preferred = rng.choices(CHANNELS, [persona.affinity[c] for c in CHANNELS])[0]
        affinity = {c: (1 - noise / 2) * (0.5 * persona.affinity[c]
                                          + (0.5 if c == preferred else 0.0)) + noise / 2 * 0.2
                    for c in CHANNELS}
        responsiveness = round(rng.uniform(0.30, 0.95), 2)
        cap = rng.randint(*persona.cap)
        u = rng.random()
        segment, potential = SEGMENTS[-1][0], SEGMENTS[-1][2]
        for name, share, low, high in SEGMENTS:
            if u < share:
                segment, potential = name, round(rng.uniform(low, high), 2)
                break
            u -= share
        products = list(relevant)
        rng.shuffle(products)
        account_id = f"sim-{self.options.seed}-{index:06d}"
        consents = _consents(rng, persona.name, preferred, affinity)
        truth = HiddenDoctor(account_id, persona.name, preferred, affinity, responsiveness, cap,
                             next((c for c, v in consents.items() if v.preferred), None))
        # The traits draw from a generator of their own: with every trait off, the territory
        # is the home world's to the last draw.
        traits = random.Random(self.options.seed * 7_919 + index + 17)
        facts = DoctorAccount(account_id, f"Dr. med. Sim {index + 1:04d}", specialty, segment,
                             potential, tuple(products), consents)
        return self._traits(traits, facts, truth, persona)

    def _traits(self, rng: random.Random, facts: DoctorAccount, truth: HiddenDoctor,
                persona: PersonaModel) -> tuple[DoctorAccount, HiddenDoctor]:
        """The field world's traits switched on by the options (`SimOptions`)."""
        options = self.options
        consents = dict(facts.consents)
        stated = truth.stated_channel
        if options.stated_right is not None and stated is not None \
                and rng.random() >= options.stated_right:
            # He names another channel than the one he answers in: the rep's habit's
            # channels are what doctors are asked about (and agree to).
            others = [c for c in CHANNELS if c != truth.preferred_channel]
            stated = rng.choices(others, [REP_HABIT[c] for c in others])[0]
            ranked = [stated, *sorted((c for c in CHANNELS if c != stated),
                                      key=lambda c: -truth.affinity[c])]
            has_ranks = any(v.preference_rank for v in consents.values())
            consents = {c: Consent(c, GRANTED if c == stated else v.consent, c == stated,
                                   ranked.index(c) + 1 if has_ranks else None)
                        for c, v in consents.items()}
        access = ACCESS_LEVELS[0]
        if options.access is not None:
            access = rng.choices(ACCESS_LEVELS, options.access)[0]
        low = rng.random() < options.low_responders
        responsiveness = round(rng.uniform(0.0, 0.15), 2) if low else truth.responsiveness
        cap = rng.randint(1, persona.cap[1]) if options.own_tolerance \
            else truth.contact_cap_per_month
        truth = dataclasses.replace(truth, stated_channel=stated, access=access,
                                    low_responder=low, responsiveness=responsiveness,
                                    contact_cap_per_month=cap)
        return dataclasses.replace(facts, consents=consents), truth

    def _habit_history(self, rng: random.Random) -> None:
        """The history a laptop holds at `start`: `history_weeks` of calls by segment
        frequency, channels by the rep's habit mixed with the doctor's affinity among the
        consented channels, favoured topics picked 2.5 times as often (as the demo)."""
        weeks = self.options.history_weeks
        if weeks <= 0:
            return
        begin = self.options.start - dt.timedelta(weeks=weeks)
        planned: list[tuple[dt.datetime, int, Action]] = []
        for order, facts in enumerate(self.accounts):
            doctor = self._doctors[facts.account_id]
            usable = [c for c in CHANNELS if facts.may_contact(c)]
            weights = [REP_HABIT_WEIGHT * REP_HABIT[c]
                       + (1 - REP_HABIT_WEIGHT) * doctor.truth.affinity[c] for c in usable]
            promotable = [p for p in facts.products if p in self.catalog.promotable]
            if not usable or not promotable:
                continue
            calls = max(1, round(CALLS_PER_YEAR[facts.segment] * weeks / 52
                                 * rng.uniform(0.6, 1.4)))
            for _ in range(calls):
                channel = rng.choices(usable, weights)[0]
                owner = MSL if channel in (IN_PERSON, VIDEO) and rng.random() < 0.12 else REP
                day = begin + dt.timedelta(days=rng.randrange(weeks * 7))
                product = promotable[0] if rng.random() < 0.7 else rng.choice(promotable)
                action = self._habit_action(rng, facts.account_id, channel, owner, product,
                                            doctor.model, day)
                planned.append((_when(channel, day), order, action))
        planned.sort(key=lambda item: (item[0], item[1]))
        for at, _, action in planned:
            self.respond(action, at)

    def _habit_action(self, rng: random.Random, account_id: str, channel: str, owner: str,
                      product: str, model: PersonaModel, day: dt.date) -> Action:
        kind = {EMAIL: "email", EVENT: "invitation"}.get(channel, "deck")
        options = self.catalog.content_for(product, kind, day)
        content = options[0] if kind == "deck" else rng.choice(options)
        messages = list(content.messages)
        if owner == MSL:
            messages = [m for m in messages
                        if self.catalog.topics[m] in ("study", "safety")] or messages
        if kind == "deck":
            wanted = 1 if rng.random() < 0.5 else 2
            chosen: list[str] = []
            for _ in range(min(wanted, len(messages))):
                weights = [2.5 if self.catalog.topics[m] in model.favoured else 1.0
                           for m in messages]
                chosen.append(messages.pop(rng.choices(range(len(messages)), weights)[0]))
            messages = chosen
        return Action(account_id, channel, product, content.id, owner, tuple(messages))

    # ---- answering

    def respond(self, action: Action, at: dt.datetime) -> InteractionRecord:
        """The doctor's answer to one touchpoint at `at`; appended to the history.

        Touchpoints must come in time order per doctor (the frequency window looks back).
        The caller checks guards and capacity; the doctor answers whatever reaches him.
        """
        doctor = self._doctors[action.account_id]
        content = self.catalog.contents[action.content_id]
        codes = action.messages or content.messages
        if action.channel == IN_PERSON and action.owner == REP \
                and self.options.access is not None \
                and doctor.rng.random() < VISIT_FAILS[doctor.truth.access]:
            return self._record(action, at, content.id,
                                tuple(MessageReaction(code, self.catalog.topics[code], None)
                                      for code in codes), failed_visit=True)
        recent = doctor.recent
        while recent and recent[0] <= at - 2 * WINDOW:
            recent.popleft()
        recent.append(at)
        since = at - WINDOW
        over = max(0, sum(t > since for t in recent) - doctor.truth.contact_cap_per_month)
        fatigue = FATIGUE ** over
        rng = doctor.rng
        noise = self.options.noise
        truth, model = doctor.truth, doctor.model
        base = truth.responsiveness * fatigue + 0.6 * (truth.affinity[action.channel] - 0.2)
        if self.options.carryover:
            base += self._carried(doctor, at)
        shrink = LOW_SCORE if truth.low_responder else 1.0
        base *= shrink
        reached = True
        if action.channel == EVENT:
            reached = rng.random() < _clamp(1.2 * (base + rng.gauss(0, 0.3 * noise)) - 0.25,
                                            0.02, 0.95)
        reactions: list[MessageReaction] = []
        views: list[SlideViewRecord] = []
        for code in codes:
            topic = self.catalog.topics[code]
            if not reached:
                reactions.append(MessageReaction(code, topic, None))
                continue
            lean = 0.25 if topic in model.favoured else -0.25 if topic in model.disliked else 0.0
            score = base + shrink * lean + rng.gauss(0, 0.3 * noise)
            answer = (_email_reaction(rng, score) if self.options.field_email
                      and action.channel == EMAIL else _reaction(rng, score))
            reactions.append(MessageReaction(code, topic, answer))
            if content.kind == "deck" and action.channel in (IN_PERSON, VIDEO):
                dwell = (DWELL_S[model.name] * (1.6 if lean > 0 else 0.5 if lean < 0 else 1.0)
                         * (1.3 if answer == POSITIVE else 1.0) * (0.6 + 0.4 * fatigue)
                         * math.exp(rng.gauss(0, 0.15 + 0.5 * noise)))
                views.append(SlideViewRecord(code, topic, round(dwell * 1000), answer))
        minutes = None
        if action.channel != EMAIL and reached:
            low, high = model.minutes[action.channel]
            minutes = max(1, round(rng.randint(low, high) * (0.6 + 0.4 * fatigue)))
        if reached:
            doctor.reached.append(at)
        return self._record(action, at, content.id, tuple(reactions), tuple(views), minutes,
                            reached)

    def _record(self, action: Action, at: dt.datetime, content_id: str,
                reactions: tuple[MessageReaction, ...], views: tuple[SlideViewRecord, ...] = (),
                minutes: int | None = None, reached: bool = True,
                failed_visit: bool = False) -> InteractionRecord:
        email = action.channel == EMAIL
        first = reactions[0].reaction if reactions else None
        self._ids += 1
        record = InteractionRecord(
            id=f"{action.account_id}-{self._ids:07d}", account_id=action.account_id,
            owner=action.owner, channel=action.channel, start_at=at, duration_min=minutes,
            content_id=content_id, products=(action.product,), key_messages=reactions,
            slide_views=views,
            email_opened=(first in (POSITIVE, NEUTRAL)) if email else None,
            email_clicked=(first == POSITIVE) if email else None,
            event_attended=reached if action.channel == EVENT else None,
            failed_visit=failed_visit)
        self.history.append(record)
        return record

    @staticmethod
    def _carried(doctor: _Doctor, at: dt.datetime) -> float:
        """The lift earlier contacts still give: a decaying stock, saturating."""
        reached = doctor.reached
        while reached and (at - reached[0]).days > 6 * CARRY_DAYS:
            reached.popleft()
        stock = sum(math.exp(-(at - t).total_seconds() / 86400 / CARRY_DAYS) for t in reached)
        return CARRY_LIFT * (1.0 - math.exp(-stock / CARRY_SCALE))

    def contacts_in_window(self, account_id: str, at: dt.datetime) -> int:
        """Touchpoints the doctor has had on the 30 days up to and including `at`'s day
        (calendar days, as the engine's guard counts them; one at `at` not yet counted)."""
        first = at.date() - dt.timedelta(days=WINDOW.days - 1)
        return sum(1 for t in self._doctors[account_id].recent if first <= t.date() and t <= at)

    # ---- scoring only

    def truth(self) -> dict[str, HiddenDoctor]:
        """The hidden truth, for scoring a policy; a policy must never be handed this."""
        return {account_id: d.truth for account_id, d in self._doctors.items()}


def _reaction(rng: random.Random, score: float) -> str:
    p_pos = _clamp(1.2 * score - 0.25, 0.02, 0.95)
    p_neg = _clamp(0.55 - score, 0.02, 0.90)
    u = rng.random()
    if u < p_pos:
        return POSITIVE
    return NEGATIVE if u < p_pos + p_neg else NEUTRAL


def _email_reaction(rng: random.Random, score: float) -> str:
    """A field e-mail: opened at about 42 % at a usual score, a click on about one opened
    in twelve; both rising with the score."""
    opened = rng.random() < _clamp(EMAIL_OPEN + 0.6 * (score - EMAIL_SCORE), 0.03, 0.9)
    if not opened:
        return NEGATIVE
    clicked = rng.random() < _clamp(EMAIL_CLICK * (1.0 + 2.0 * (score - EMAIL_SCORE)), 0.01,
                                    0.5)
    return POSITIVE if clicked else NEUTRAL


def _consents(rng: random.Random, persona: str, preferred: str,
              affinity: dict[str, float]) -> dict[str, Consent]:
    """Consent per channel as the demo generator draws them (`demo_data._consents`)."""
    granted = {
        IN_PERSON: 0.85, PHONE: 0.60 + (0.20 if persona == "pragmatic" else 0.0),
        VIDEO: 0.35 + (0.50 if persona == "digital_affine" else 0.0),
        EMAIL: 0.45 + (0.45 if persona == "digital_affine" else 0.0),
        EVENT: 0.55 + (0.25 if persona == "evidence_driven" else 0.0),
    }
    withdrawn = {PHONE: 0.05, EMAIL: 0.02 if persona == "digital_affine" else 0.10}
    told = rng.random() < 0.70
    ranks = ({c: i for i, c in enumerate(sorted(CHANNELS, key=lambda c: -affinity[c]), 1)}
             if rng.random() < 0.55 else {})
    consents = {}
    for channel in CHANNELS:
        u = rng.random()
        if channel == preferred or u < granted[channel]:
            state = GRANTED
        elif u < granted[channel] + withdrawn.get(channel, 0.0):
            state = WITHDRAWN
        else:
            state = UNKNOWN
        consents[channel] = Consent(channel, state, told and channel == preferred,
                                    ranks.get(channel))
    return consents


def _catalog(start: dt.date) -> ContentCatalog:
    """Per product: an approved deck with all its messages, an approved e-mail template per
    message, an approved event invitation; plus content a guard must stop: an expired
    template and a draft deck per product (Oncotrix is not promotable in the territory)."""
    contents: list[Content] = []
    expired = start - dt.timedelta(days=30)
    for product in PRODUCTS.values():
        prefix = product.messages[0][0].split("-")[0]
        codes = tuple(code for code, _ in product.messages)
        contents.append(Content(f"DECK-{prefix}", "deck", product.name, codes, "approved", None))
        contents.append(Content(f"DECK-{prefix}-NEXT", "deck", product.name, codes, "draft",
                                None))
        contents += [Content(f"MAIL-{code}", "email", product.name, (code,), "approved", None)
                     for code in codes]
        contents.append(Content(f"MAIL-{codes[0]}-OLD", "email", product.name, codes[:1],
                                "approved", expired))
        contents.append(Content(f"EVENT-{prefix}", "invitation", product.name, codes[:2],
                                "approved", None))
    return ContentCatalog(
        products=dict(PRODUCTS),
        promotable=frozenset(p.name for p in PRODUCTS.values() if p.promotable),
        topics={code: topic for p in PRODUCTS.values() for code, topic in p.messages},
        contents={c.id: c for c in contents})


def _when(channel: str, day: dt.date) -> dt.datetime:
    """A working-hours time on the day (events in the evening); weekends move to Friday."""
    if day.weekday() >= 5:
        day -= dt.timedelta(days=day.weekday() - 4)
    hour = {IN_PERSON: 10, PHONE: 13, VIDEO: 15, EMAIL: 8, EVENT: 18}[channel]
    return dt.datetime(day.year, day.month, day.day, hour)
