"""What the engine reads and writes, as plain frozen dataclasses.

The engine never sees a database session: the store layer (app/services/suggestions.py)
turns local rows into these, and the benchmark (benchmarks/world) builds them directly. So
the same code ranks a rep's territory and a simulated one, and the engine can only know what
a laptop holds (never the demo's hidden ground truth).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

CHANNELS = ("in_person", "phone", "video", "email", "event")
TOPICS = ("study", "efficacy", "safety", "dosing", "patient-support")
REACTIONS = ("positive", "neutral", "negative")
ROLES = ("rep", "msl", "manager")

_EMPTY: Mapping[str, str] = MappingProxyType({})


class Action(StrEnum):
    CALL = "call"
    REMOTE_CALL = "remote_call"
    EMAIL = "email"
    EVENT_INVITATION = "event_invitation"
    MSL_FOLLOW_UP = "msl_follow_up"


#: The channel an action uses when nothing more specific is known.
ACTION_CHANNEL = {
    Action.CALL: "in_person",
    Action.REMOTE_CALL: "phone",
    Action.EMAIL: "email",
    Action.EVENT_INVITATION: "event",
    Action.MSL_FOLLOW_UP: "in_person",
}
#: The action that contacts an account in a channel.
CHANNEL_ACTION = {
    "in_person": Action.CALL,
    "phone": Action.REMOTE_CALL,
    "video": Action.REMOTE_CALL,
    "email": Action.EMAIL,
    "event": Action.EVENT_INVITATION,
}


@dataclass(frozen=True, slots=True)
class Reaction:
    """One key message, slide or answer within a touchpoint, and how the doctor took it."""

    topic: str
    reaction: str | None
    product_id: str | None = None
    dwell_s: float | None = None
    source: str = "call"  # "call", "slide", "answer"


@dataclass(frozen=True, slots=True)
class Touchpoint:
    """One submitted contact with an account."""

    account_id: str
    at: dt.datetime
    channel: str
    duration_min: float | None = None
    reactions: tuple[Reaction, ...] = ()
    opened: bool | None = None  # e-mails only
    suggestion_id: str | None = None
    owner_role: str = "rep"
    kind: str = "call"  # "call", "email", "event", "escalation_answered"
    #: The rep went to see the doctor and was not received: an attempt, not a contact.
    failed_visit: bool = False

    @property
    def responded(self) -> bool:
        """The doctor answered positively: a positive reaction to something (for an e-mail,
        the link clicked). Opening an e-mail is not an answer: it is cheap, and counting it
        would make e-mail look better than the channels doctors actually respond in."""
        return any(r.reaction == "positive" for r in self.reactions)


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """Master data of one account as the laptop holds it."""

    account_id: str
    kind: str = "hcp"
    segment: str | None = None
    specialty: str | None = None
    potential: float = 0.5
    consents: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    preferred_channels: tuple[str, ...] = ()
    name: str = ""

    def consent(self, channel: str) -> str:
        return self.consents.get(channel, "unknown")

    def allows(self, channel: str) -> bool:
        """May the account be contacted in `channel`? E-mail needs granted consent (GDPR);
        no channel whose consent the doctor withdrew."""
        consent = self.consent(channel)
        return consent == "granted" if channel == "email" else consent != "withdrawn"


@dataclass(frozen=True, slots=True)
class ContentItem:
    """Something a suggestion may carry: an e-mail template, a study, an event."""

    id: str
    title: str
    product_id: str | None
    topic: str
    kind: str = "email"
    approved: bool = True
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def usable_on(self, day: dt.date) -> bool:
        """Approved and inside its validity window (HWG: nothing else may be used)."""
        if not self.approved:
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True, slots=True)
class Catalog:
    """What the territory may use: promotable products and content."""

    promotable_products: frozenset[str] = frozenset()
    content: tuple[ContentItem, ...] = ()
    products: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def content_by_id(self, content_id: str) -> ContentItem | None:
        return next((c for c in self.content if c.id == content_id), None)


@dataclass(frozen=True, slots=True)
class Feedback:
    """The rep's answer to a suggestion; dismissals teach the engine what not to propose."""

    suggestion_id: str
    account_id: str
    channel: str
    status: str  # accepted / dismissed / completed / expired
    at: dt.datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """One factor behind a suggestion in words: an English template and its values.

    The UI translates `text` with `tr(text, **values)`; `str()` gives the English sentence.
    """

    text: str
    values: Mapping[str, object] = field(default_factory=lambda: _EMPTY)
    weight: float = 0.0

    def __str__(self) -> str:
        return self.text.format(**self.values) if self.values else self.text

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "values": dict(self.values)}

    @staticmethod
    def from_json(data: Mapping[str, object]) -> Reason:
        values = data.get("values") or {}
        return Reason(str(data["text"]), dict(values) if isinstance(values, dict) else {})


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed next step for one account, with its owner, due date, expiry and reasons."""

    id: str
    account_id: str
    action: str
    channel: str
    owner_role: str
    due: dt.date
    expires: dt.date
    priority: float
    reasons: tuple[Reason, ...]
    content_id: str | None = None
    product_id: str | None = None
    rule_id: str | None = None
    plan_id: str | None = None
    plan_step: int | None = None
    trigger: str | None = None


@dataclass(frozen=True, slots=True)
class AccountScore:
    account_id: str
    priority: float
    persona: str | None
    best_channel: str
    channel_propensity: Mapping[str, float]
    topic_propensity: Mapping[str, float]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class PersonaAssignment:
    """The persona the behaviour points to, how sure, and the evidence in words."""

    name: str | None
    confidence: float
    evidence: tuple[Reason, ...]
