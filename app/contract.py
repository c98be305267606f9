"""The wire contract: which entities travel through sync, with which fields, merged how.

Client and server both read this module, so every rule both sides must agree on is written
here once, per entity: its fields, how a push is merged (and who wins each field of a
conflict), its natural key, the columns that reference accounts (the server's write scope,
`app.access`, and its pull scope, `server/sync/scoping.py`, both follow them), the state that
locks it, its parent; and the enums the two stores share. `tests/test_contract.py` fails,
naming the entity and the missing piece, until the stores' models and migrations, the write
scope and the pull scope agree with it (docs/architecture.md, "Adding a synced entity").
It imports nothing from the project, so the server can use it without the client's store.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

PROTOCOL_VERSION = 1


class Merge(enum.Enum):
    """How the server treats a push for an entity."""

    FIELDS = "fields"  # merged field by field against the base version
    APPEND_ONLY = "append_only"  # created once, never changed (audit entries)
    LOCK_ON_SUBMIT = "lock_on_submit"  # field merge until its lock holds, then immutable
    SERVER_OWNED = "server_owned"  # master data: the client never pushes it


class Wins(enum.Enum):
    """Whose value a field keeps when a push conflicts with a change the device did not see
    (docs/sync-protocol.md). Device clocks never decide."""

    SERVER = "theirs"  # master data: the server's value stays
    REP = "mine"  # what the rep authors or keeps for themselves: the last push
    NEWEST = "newest"  # the newer date in the entity's `newest_by` field (given consent)


# The vocabulary both stores share -----------------------------------------------------------

class Role(StrEnum):
    REP = "rep"
    MSL = "msl"
    MANAGER = "manager"
    ADMIN = "admin"  # works on the server only: never syncs a laptop
    STEWARD = "steward"  # decides master-data change requests (docs/change-requests.md)


class AccountKind(StrEnum):
    HCP = "hcp"  # a health care professional: a doctor, a pharmacist
    HCO = "hco"  # an organisation: a practice, a hospital, a department


class Channel(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    EMAIL = "email"
    EVENT = "event"


class ConsentState(StrEnum):
    UNKNOWN = "unknown"
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"


class CallStatus(StrEnum):
    PLANNED = "planned"
    DRAFT = "draft"
    SUBMITTED = "submitted"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ChangeRequestStatus(StrEnum):
    """A master-data change request's life (docs/change-requests.md): the rep proposes it
    (pending) and may withdraw it; a data steward accepts or rejects it on the server."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class TouchpointKind(StrEnum):
    """What an outside system may report about a doctor through the integration API
    (docs/integration.md): a closed set, so every laptop has a label for each."""

    WEBINAR_ATTENDED = "webinar_attended"
    WEBSITE_VISIT = "website_visit"
    EVENT_REGISTERED = "event_registered"
    EMAIL_OPENED = "email_opened"
    EMAIL_CLICKED = "email_clicked"


#: Entities only users of these roles pull (server/sync/scoping.py filters them).
MEDICAL_ONLY = frozenset({"medical_answers"})

#: The years a synced date or time may fall in (the server refuses others, the laptop's
#: forms too): wide enough for any consent, call or due date, far from year 1 and 9999, where
#: converting a time with an offset to UTC overflows.
YEARS = (1900, 2199)

#: Fields every synced row has, besides its entity's own.
COMMON_FIELDS = ("id", "version", "updated_at", "deleted")


@dataclass(frozen=True)
class Ref:
    """A column that references accounts: an account id (`entity` "accounts"), or the id of
    a row of `entity` whose own references count as this row's. The server's write scope
    checks every one (`app.access`); the pull scope follows the one to the parent."""

    column: str
    entity: str = "accounts"
    kind: AccountKind | None = None  # the account kind the column must name


@dataclass(frozen=True)
class Lock:
    """The state that makes a row, and the rows whose parent it is, unchangeable: `field`
    equal to `value`, or, with `value` None, `field` set at all. `what` names locked rows in
    the server's refusal."""

    field: str
    value: str | None
    what: str

    def holds(self, current: object) -> bool:
        return current is not None if self.value is None else current == self.value

    @property
    def refusal(self) -> str:
        return f"{self.what} are locked: this change was not applied"


@dataclass(frozen=True)
class Entity:
    name: str  # also the table name on both sides
    fields: tuple[str, ...]
    merge: Merge
    #: The entity whose lock and pull scope this row follows; it comes before this one in
    #: ENTITIES, the order the pull sends rows of one version in.
    parent: str | None = None
    #: The columns that reference accounts, directly or through another row (see `Ref`).
    refs: tuple[Ref, ...] = ()
    #: Who wins a conflicting field: `wins` unless the field is named in `wins_fields`.
    wins: Wins = Wins.SERVER
    wins_fields: Mapping[str, Wins] = field(default_factory=dict)
    #: The date field that decides a `Wins.NEWEST` field.
    newest_by: str | None = None
    #: Columns besides the id that name one real thing: a new row matching a live one by them
    #: is merged into it (two laptops recorded the same consent).
    natural_key: tuple[str, ...] = ()
    #: When a row is locked (Merge.LOCK_ON_SUBMIT; children follow their parent's).
    lock: Lock | None = None

    def winner(self, name: str) -> Wins:
        return self.wins_fields.get(name, self.wins)

    @property
    def parent_ref(self) -> Ref | None:
        """The reference to the parent row (the first, where two name accounts)."""
        return next((r for r in self.refs if r.entity == self.parent), None)

    @property
    def scope_columns(self) -> tuple[str, ...]:
        """The columns that place a row in an account's scope: the account's own id, the
        reference to the parent row, or else every column naming an account directly."""
        if self.name == "accounts":
            return ("id",)
        if self.parent is not None and self.parent != "accounts":
            ref = self.parent_ref
            return (ref.column,) if ref is not None else ()
        return tuple(r.column for r in self.refs if r.entity == "accounts")


_ACCOUNT = Ref("account_id")
_CALL = Ref("interaction_id", "interactions")
_SESSION = Ref("session_id", "presentation_sessions")
#: A call is locked once submitted, a presentation session once it has ended.
_SUBMITTED = Lock("status", CallStatus.SUBMITTED.value, "submitted calls")
_ENDED = Lock("ended_at", None, "ended presentation sessions")

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity("territories", ("code", "name"), Merge.SERVER_OWNED),
        Entity("users", ("username", "display_name", "role", "email", "territory_id"),
               Merge.SERVER_OWNED),
        Entity("specialties", ("code", "name_en", "name_de"), Merge.SERVER_OWNED),
        Entity("products", ("name", "therapeutic_area", "yearly_sample_limit", "active"),
               Merge.SERVER_OWNED),
        Entity("key_messages", ("product_id", "position", "code", "title", "topic"),
               Merge.SERVER_OWNED),
        Entity("territory_products", ("territory_id", "product_id"), Merge.SERVER_OWNED),
        # Master data the server wins, except the rep's own notes and preferences.
        Entity(
            "accounts",
            ("kind", "title", "first_name", "last_name", "name", "specialty_id", "territory_id",
             "segment", "potential", "email", "phone", "preferred_contact_time",
             "preferred_language", "notes", "opening_hours"),
            Merge.FIELDS, refs=(Ref("id"),),
            wins_fields={"notes": Wins.REP, "preferred_contact_time": Wins.REP,
                         "preferred_language": Wins.REP},
        ),
        Entity("addresses",
               ("account_id", "line1", "line2", "postcode", "city", "country", "latitude",
                "longitude", "is_primary"), Merge.FIELDS, parent="accounts", refs=(_ACCOUNT,)),
        Entity("external_ids", ("account_id", "system", "value"), Merge.FIELDS,
               parent="accounts", refs=(_ACCOUNT,)),
        Entity("affiliations", ("hcp_id", "hco_id", "role", "is_primary"), Merge.FIELDS,
               parent="accounts",
               refs=(Ref("hcp_id", kind=AccountKind.HCP), Ref("hco_id", kind=AccountKind.HCO))),
        # The newest consent wins (the date the person gave it, a fact and not a clock); the
        # channel preferences are the rep's.
        Entity("channel_consents",
               ("account_id", "channel", "consent", "consent_date", "preferred",
                "preference_rank", "source"), Merge.FIELDS, parent="accounts",
               refs=(_ACCOUNT,), natural_key=("account_id", "channel"),
               wins_fields={"consent": Wins.NEWEST, "consent_date": Wins.NEWEST,
                            "source": Wins.NEWEST, "preferred": Wins.REP,
                            "preference_rank": Wins.REP},
               newest_by="consent_date"),
        # What the rep authors is the rep's: their value wins every field.
        Entity(
            "interactions",
            ("account_id", "owner_id", "channel", "status", "start_at", "duration_min",
             "address_id", "subject", "notes", "follow_up", "follow_up_date", "signature",
             "signer_name", "signed_at", "submitted_at", "not_received"),
            Merge.LOCK_ON_SUBMIT, refs=(_ACCOUNT, Ref("address_id", "addresses")),
            wins=Wins.REP, lock=_SUBMITTED,
        ),
        Entity("attendees", ("interaction_id", "account_id", "name"), Merge.LOCK_ON_SUBMIT,
               parent="interactions", refs=(_CALL, _ACCOUNT), wins=Wins.REP),
        Entity("discussed_products", ("interaction_id", "product_id", "position"),
               Merge.LOCK_ON_SUBMIT, parent="interactions", refs=(_CALL,), wins=Wins.REP),
        Entity("discussed_key_messages", ("interaction_id", "key_message_id", "reaction"),
               Merge.LOCK_ON_SUBMIT, parent="interactions", refs=(_CALL,), wins=Wins.REP),
        Entity("samples", ("interaction_id", "account_id", "product_id", "lot", "quantity"),
               Merge.LOCK_ON_SUBMIT, parent="interactions", refs=(_CALL, _ACCOUNT),
               wins=Wins.REP),
        Entity("tasks",
               ("account_id", "owner_id", "interaction_id", "subject", "notes", "due_date",
                "status"), Merge.FIELDS, refs=(_ACCOUNT, _CALL), wins=Wins.REP),
        # Audit entries have no account references: they are about a row (app.access).
        Entity("audit_log", ("at", "user_id", "action", "entity", "row_id", "details"),
               Merge.APPEND_ONLY),
        # E-detailing content comes from the server (a local import writes it like a pull).
        Entity("presentations",
               ("code", "content_version", "title", "product_id", "valid_from", "valid_until",
                "approval_state", "package_sha256", "tree_sha256"), Merge.SERVER_OWNED),
        Entity("slides",
               ("presentation_id", "position", "code", "title", "key_message", "key_message_id",
                "topic", "kind", "file", "asset_sha256", "page", "thumbnail_sha256",
                "questions"), Merge.SERVER_OWNED, parent="presentations"),
        # What a presentation captured: editable while it runs, locked once it has ended
        # (`ended_at` set is a session's "submitted"); click-stream records never change.
        Entity("presentation_sessions",
               ("presentation_id", "account_id", "interaction_id", "user_id", "anonymous",
                "started_at", "ended_at"), Merge.LOCK_ON_SUBMIT, refs=(_ACCOUNT, _CALL),
               wins=Wins.REP, lock=_ENDED),
        Entity("slide_views",
               ("session_id", "slide_id", "started_at", "ended_at", "duration_ms", "reaction",
                "answers", "asked_for_more"), Merge.LOCK_ON_SUBMIT,
               parent="presentation_sessions", refs=(_SESSION,), wins=Wins.REP),
        # CLM content may change a record it made while it runs (updateRecord: a survey
        # answered again); once the session ended, it is locked with it.
        Entity("clickstream_events",
               ("session_id", "slide_id", "at", "track_element_id", "track_element_type",
                "track_element_description", "question", "answer", "usage_duration_s",
                "object_name", "other_fields"),
               Merge.LOCK_ON_SUBMIT,
               parent="presentation_sessions", refs=(_SESSION,), wins=Wins.REP),
        # Medical inquiries escalated to an MSL (issue 8). The inquiry travels to the rep,
        # the MSL and the manager; its answer and the MSL's medical notes are a separate
        # entity the server sends to MSLs only (the firewall between promotion and medical).
        Entity("medical_inquiries",
               ("account_id", "product_id", "call_id", "raised_by", "raised_at", "question",
                "urgency", "answer_channel", "consent_to_contact", "unsolicited", "status",
                "assigned_to", "routed_at", "taken_over_at", "answered_at", "handed_back_at",
                "closed_at", "hand_back_note"), Merge.FIELDS, parent="accounts",
               refs=(_ACCOUNT, Ref("call_id", "interactions"))),
        Entity("medical_answers",
               ("inquiry_id", "author_id", "answered_at", "channel", "answer",
                "medical_notes"), Merge.FIELDS, parent="medical_inquiries",
               refs=(Ref("inquiry_id", "medical_inquiries"),)),
        # Suggestions and the rep's answer to them (feedback, control-group evidence).
        Entity("suggestions",
               ("account_id", "owner_role", "owner_id", "action", "channel", "due_date",
                "expires_on", "priority", "reasons", "content_id", "product_id", "rule_id",
                "rule_set_version", "plan_id", "plan_step", "trigger", "after_call_id",
                "status", "status_reason", "status_at", "result_id"), Merge.FIELDS,
               refs=(_ACCOUNT, Ref("after_call_id", "interactions"))),
        # Rule sets managers publish on the server; every laptop pulls them.
        Entity("rule_sets", ("name", "revision", "body", "active"), Merge.SERVER_OWNED),
        # Sales and market figures the server imports (IQVIA/Insight Health exports): one
        # row per account or postcode area ("brick"), product and month. Placed in a
        # territory on import and pulled by territory (server/sync/scoping.py): a brick row
        # names no account, so the account references cannot say who gets it.
        Entity("market_sales",
               ("territory_id", "account_id", "brick", "product_id", "month", "units",
                "value", "market_units"), Merge.SERVER_OWNED),
        # Cycle plans a manager publishes on the server (server/cycle_plans.py): calls a
        # period's accounts should get, per account or per segment (A, B, C), optionally per
        # channel. Placed in a territory and pulled by territory like the sales figures: a
        # segment's target names no account.
        Entity("cycle_plans",
               ("territory_id", "account_id", "segment", "channel", "period_start",
                "period_end", "calls", "published_by", "published_at"), Merge.SERVER_OWNED),
        # Touchpoints outside systems posted through the integration API (server/integration):
        # written by the server only, pulled with their account, shown in its history.
        Entity("touchpoints",
               ("account_id", "kind", "occurred_at", "source", "event_id", "title", "detail"),
               Merge.SERVER_OWNED, parent="accounts", refs=(_ACCOUNT,)),
        # A rep's proposed change of an account's master data, or a new doctor (account_id
        # empty until accepted): the steward's decision on the server wins
        # (server/change_requests.py, docs/change-requests.md).
        Entity("change_requests",
               ("account_id", "territory_id", "kind", "changes", "comment", "requested_by",
                "requested_at", "status", "decided_by", "decided_at", "reason"),
               Merge.FIELDS, refs=(_ACCOUNT,)),
        # Approved e-mail (docs/email.md): templates are content the server publishes; an
        # e-mail a rep sends is a submitted call of channel e-mail with this part naming the
        # template, so it locks with the call and the server sends it once it arrives.
        Entity("email_templates",
               ("code", "product_id", "topic", "subject", "body", "variants", "valid_from",
                "valid_until", "approval_state"), Merge.SERVER_OWNED),
        Entity("emails",
               ("interaction_id", "account_id", "template_id", "variant", "paragraph",
                "to_address"), Merge.LOCK_ON_SUBMIT, parent="interactions",
               refs=(_CALL, _ACCOUNT), wins=Wins.REP),
    )
}


def lock_of(entity: str) -> tuple[Entity, Lock] | None:
    """The entity whose lock a row of `entity` follows (itself or its parent), and that lock."""
    spec = ENTITIES[entity]
    if spec.lock is not None:
        return spec, spec.lock
    parent = ENTITIES.get(spec.parent) if spec.parent else None
    if parent is not None and parent.lock is not None:
        return parent, parent.lock
    return None


def missing() -> list[str]:
    """What the contract's own declarations leave open, per entity: named columns that are no
    fields, references to unknown entities, a locked entity without a lock ..."""
    problems: list[str] = []
    for name, e in ENTITIES.items():
        columns = {"id", *e.fields}
        named = [r.column for r in e.refs] + list(e.natural_key) + list(e.wins_fields) + [
            c for c in (e.newest_by, e.lock.field if e.lock else None) if c]
        problems += [f"{name}: {c} is not a field of {name}" for c in named if c not in columns]
        problems += [f"{name}: {r.column} points to unknown entity {r.entity}"
                     for r in e.refs if r.entity not in ENTITIES]
        if e.parent is not None and e.parent not in ENTITIES:
            problems.append(f"{name}: its parent {e.parent} is no entity")
        elif e.parent is not None:
            if list(ENTITIES).index(e.parent) > list(ENTITIES).index(name):
                problems.append(f"{name}: its parent {e.parent} comes after it in ENTITIES")
            if e.merge is not Merge.SERVER_OWNED and e.parent_ref is None:
                problems.append(f"{name}: no reference (refs) to its parent {e.parent}")
        if e.merge is Merge.LOCK_ON_SUBMIT and lock_of(name) is None:
            problems.append(f"{name}: locks on submit, but neither it nor its parent has a lock")
        if Wins.NEWEST in {e.winner(f) for f in e.fields} and e.newest_by is None:
            problems.append(f"{name}: a field the newest wins, but no newest_by date")
    return problems


def to_wire(value: object) -> object:
    """A field value as JSON can carry it: dates and times as ISO 8601 strings."""
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else value
