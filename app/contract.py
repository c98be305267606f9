"""The wire contract: which entities travel through sync, with which fields, merged how.

Client and server both read this module (docs/architecture.md): a new synced field is added
here and in the two stores' models, and `tests/test_contract.py` fails until they agree. It imports
nothing from the project, so the server can use it without the client's store.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

PROTOCOL_VERSION = 1


class Merge(enum.Enum):
    """How the server treats a push for an entity."""

    FIELDS = "fields"  # merged field by field against the base version
    APPEND_ONLY = "append_only"  # created once, never changed (audit entries)
    LOCK_ON_SUBMIT = "lock_on_submit"  # field merge until submitted, then immutable
    SERVER_OWNED = "server_owned"  # master data: the client never pushes it


#: Entities only users of these roles pull (server/sync/scoping.py filters them).
MEDICAL_ONLY = frozenset({"medical_answers"})

#: The years a synced date or time may fall in (the server refuses others, the laptop's
#: forms too): wide enough for any consent, call or due date, far from year 1 and 9999, where
#: converting a time with an offset to UTC overflows.
YEARS = (1900, 2199)

#: Fields every synced row has, besides its entity's own.
COMMON_FIELDS = ("id", "version", "updated_at", "deleted")


@dataclass(frozen=True)
class Entity:
    name: str  # also the table name on both sides
    fields: tuple[str, ...]
    merge: Merge
    parent: str | None = None  # the entity whose lock and scope this row follows


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
        Entity(
            "accounts",
            ("kind", "title", "first_name", "last_name", "name", "specialty_id", "territory_id",
             "segment", "potential", "email", "phone", "preferred_contact_time",
             "preferred_language", "notes"),
            Merge.FIELDS,
        ),
        Entity("addresses",
               ("account_id", "line1", "line2", "postcode", "city", "country", "latitude",
                "longitude", "is_primary"), Merge.FIELDS, parent="accounts"),
        Entity("external_ids", ("account_id", "system", "value"), Merge.FIELDS,
               parent="accounts"),
        Entity("affiliations", ("hcp_id", "hco_id", "role", "is_primary"), Merge.FIELDS,
               parent="accounts"),
        Entity("channel_consents",
               ("account_id", "channel", "consent", "consent_date", "preferred",
                "preference_rank", "source"), Merge.FIELDS, parent="accounts"),
        Entity(
            "interactions",
            ("account_id", "owner_id", "channel", "status", "start_at", "duration_min",
             "address_id", "subject", "notes", "follow_up", "follow_up_date", "signature",
             "signer_name", "signed_at", "submitted_at"),
            Merge.LOCK_ON_SUBMIT,
        ),
        Entity("attendees", ("interaction_id", "account_id", "name"), Merge.LOCK_ON_SUBMIT,
               parent="interactions"),
        Entity("discussed_products", ("interaction_id", "product_id", "position"),
               Merge.LOCK_ON_SUBMIT, parent="interactions"),
        Entity("discussed_key_messages", ("interaction_id", "key_message_id", "reaction"),
               Merge.LOCK_ON_SUBMIT, parent="interactions"),
        Entity("samples", ("interaction_id", "account_id", "product_id", "lot", "quantity"),
               Merge.LOCK_ON_SUBMIT, parent="interactions"),
        Entity("tasks",
               ("account_id", "owner_id", "interaction_id", "subject", "notes", "due_date",
                "status"), Merge.FIELDS),
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
                "started_at", "ended_at"), Merge.LOCK_ON_SUBMIT),
        Entity("slide_views",
               ("session_id", "slide_id", "started_at", "ended_at", "duration_ms", "reaction",
                "answers", "asked_for_more"), Merge.LOCK_ON_SUBMIT,
               parent="presentation_sessions"),
        Entity("clickstream_events",
               ("session_id", "slide_id", "at", "track_element_id", "track_element_type",
                "question", "answer", "usage_duration_s"), Merge.APPEND_ONLY,
               parent="presentation_sessions"),
        # Medical inquiries escalated to an MSL (issue 8). The inquiry travels to the rep,
        # the MSL and the manager; its answer and the MSL's medical notes are a separate
        # entity the server sends to MSLs only (the firewall between promotion and medical).
        Entity("medical_inquiries",
               ("account_id", "product_id", "call_id", "raised_by", "raised_at", "question",
                "urgency", "answer_channel", "consent_to_contact", "unsolicited", "status",
                "assigned_to", "routed_at", "taken_over_at", "answered_at", "handed_back_at",
                "closed_at", "hand_back_note"), Merge.FIELDS, parent="accounts"),
        Entity("medical_answers",
               ("inquiry_id", "author_id", "answered_at", "channel", "answer",
                "medical_notes"), Merge.FIELDS, parent="medical_inquiries"),
        # Suggestions and the rep's answer to them (feedback, control-group evidence).
        Entity("suggestions",
               ("account_id", "owner_role", "owner_id", "action", "channel", "due_date",
                "expires_on", "priority", "reasons", "content_id", "product_id", "rule_id",
                "rule_set_version", "plan_id", "plan_step", "trigger", "after_call_id",
                "status", "status_reason", "status_at", "result_id"), Merge.FIELDS),
        # Rule sets managers publish on the server; every laptop pulls them.
        Entity("rule_sets", ("name", "revision", "body", "active"), Merge.SERVER_OWNED),
    )
}


def to_wire(value: object) -> object:
    """A field value as JSON can carry it: dates and times as ISO 8601 strings."""
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else value
