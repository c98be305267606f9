"""The server's tables: synced entities mirroring `app.contract`, plus server-only state.

Synced tables carry the contract's common columns; `version` is the server's change sequence
(`server.db.next_versions`), so the pull of the sync issue can page by it. Server-only state
(password hashes, tokens, login attempts, idempotency records) lives here too and never
travels: docs/architecture.md wants nothing in process memory that must survive a request.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.content_format.clm_records import OTHER_FIELDS_MAX
from app.ids import uuid7
from app.synced_columns import NAMING_CONVENTION, SyncedColumns, utcnow


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced(SyncedColumns):
    """The contract's COMMON_FIELDS. `version` is the change sequence the pull pages by;
    `(version, id)` is indexed (`_page_order` below): the sync pull pages in that order."""

    change_sequence: ClassVar[bool] = True


class Merged:
    """Rows the client writes: `field_versions` (server only, JSON `{field: [version,
    device]}`) says when and from which device each field last changed, so the push can
    merge field by field against a base version (server/sync/merge.py) and not mistake a
    device's own earlier edit for a concurrent one."""

    field_versions: Mapped[str | None] = mapped_column(Text)


class Territory(Synced, Base):
    __tablename__ = "territories"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Synced, Base):
    """A person who logs in. `territory_id` is the primary territory the client shows;
    the full set lives in `territory_assignments` (a rep may cover several)."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # Role
    email: Mapped[str | None] = mapped_column(String(200))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"), index=True)
    # Server only:
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)


class TerritoryAssignment(Base):
    """Which territories a user covers (server only; scope is computed from it)."""

    __tablename__ = "territory_assignments"
    __table_args__ = (UniqueConstraint("user_id", "territory_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"), index=True)


class Specialty(Synced, Base):
    __tablename__ = "specialties"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str] = mapped_column(String(200))


class Account(Synced, Merged, Base):
    """A doctor (hcp) or an institution (hco): the contract's fields, plus `parent_id`.

    `parent_id` keeps an organisation hierarchy (FHIR Organization.partOf). It is server only
    for now: the contract has no field for it yet (see docs/server.md).
    """

    __tablename__ = "accounts"
    __table_args__ = (Index("ix_accounts_territory_id_id", "territory_id", "id"),)

    kind: Mapped[str] = mapped_column(String(3))
    title: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    specialty_id: Mapped[str | None] = mapped_column(ForeignKey("specialties.id"))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    segment: Mapped[str | None] = mapped_column(String(8))
    potential: Mapped[float | None] = mapped_column(Float)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    preferred_contact_time: Mapped[str | None] = mapped_column(String(200))
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str | None] = mapped_column(Text)
    #: Weekly practice hours in the compact form app/opening_hours.py reads.
    opening_hours: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)


class Address(Synced, Merged, Base):
    """`region` (a state: ISO 3166-2 "DE-BY" when recognised, else as the import wrote it) is
    server only for now, like `Account.parent_id`: the contract has no field for it yet."""

    __tablename__ = "addresses"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="DE")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[str | None] = mapped_column(String(100))


class ExternalId(Synced, Merged, Base):
    """LANR, BSNR, NPI, a customer master id ...: the upsert key of every import."""

    __tablename__ = "external_ids"
    __table_args__ = (UniqueConstraint("system", "value"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    system: Mapped[str] = mapped_column(String(255))  # a whole FHIR system URI fits
    value: Mapped[str] = mapped_column(String(64))


class Affiliation(Synced, Merged, Base):
    __tablename__ = "affiliations"
    __table_args__ = (UniqueConstraint("hcp_id", "hco_id"),)

    hcp_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    hco_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(100))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)


class Product(Synced, Base):
    __tablename__ = "products"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    therapeutic_area: Mapped[str] = mapped_column(String(100))
    yearly_sample_limit: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class KeyMessage(Synced, Base):
    __tablename__ = "key_messages"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(100))


class TerritoryProduct(Synced, Base):
    """Which products are promoted in a territory: decides the products, key messages and
    presentations a user pulls."""

    __tablename__ = "territory_products"
    __table_args__ = (UniqueConstraint("territory_id", "product_id"),)

    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)


class ChannelConsent(Synced, Merged, Base):
    __tablename__ = "channel_consents"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    consent: Mapped[str] = mapped_column(String(16), default="unknown")
    consent_date: Mapped[dt.date | None] = mapped_column(Date)
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)
    preference_rank: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(100))


class Interaction(Synced, Merged, Base):
    """A call report. Once its status is "submitted" on the server it and its children are
    immutable (Merge.LOCK_ON_SUBMIT)."""

    __tablename__ = "interactions"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    duration_min: Mapped[int | None] = mapped_column(Integer)
    address_id: Mapped[str | None] = mapped_column(ForeignKey("addresses.id"))
    subject: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_date: Mapped[dt.date | None] = mapped_column(Date)
    signature: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The doctor did not receive the rep at this visit (app/compliance.py: nothing discussed).
    not_received: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Attendee(Synced, Merged, Base):
    __tablename__ = "attendees"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    name: Mapped[str] = mapped_column(String(200))


class DiscussedProduct(Synced, Merged, Base):
    __tablename__ = "discussed_products"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    position: Mapped[int] = mapped_column(Integer)


class DiscussedKeyMessage(Synced, Merged, Base):
    __tablename__ = "discussed_key_messages"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    key_message_id: Mapped[str] = mapped_column(ForeignKey("key_messages.id"))
    reaction: Mapped[str | None] = mapped_column(String(16))


class Sample(Synced, Merged, Base):
    __tablename__ = "samples"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)


class Task(Synced, Merged, Base):
    __tablename__ = "tasks"

    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    interaction_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"))
    subject: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")


class AuditEntry(Synced, Merged, Base):
    """Append-only: written once by the device that acted, never changed."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity_row_id", "entity", "row_id"),)

    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    details: Mapped[str | None] = mapped_column(Text)


class Presentation(Synced, Base):
    __tablename__ = "presentations"

    code: Mapped[str] = mapped_column(String(100))
    content_version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    approval_state: Mapped[str] = mapped_column(String(16))
    package_sha256: Mapped[str] = mapped_column(String(64), index=True)
    tree_sha256: Mapped[str] = mapped_column(String(64))


class Slide(Synced, Base):
    __tablename__ = "slides"

    presentation_id: Mapped[str] = mapped_column(ForeignKey("presentations.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    key_message: Mapped[str] = mapped_column(String(64))
    key_message_id: Mapped[str | None] = mapped_column(ForeignKey("key_messages.id"))
    topic: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8))
    file: Mapped[str] = mapped_column(String(500))
    asset_sha256: Mapped[str] = mapped_column(String(64))
    page: Mapped[int | None] = mapped_column(Integer)
    thumbnail_sha256: Mapped[str] = mapped_column(String(64))
    questions: Mapped[str] = mapped_column(Text, default="[]")


class ContentPackage(Base):
    """A content package file the server holds (server only): the zip as it was added, kept
    under its SHA-256 in the content folder (`server.content`), downloaded by the laptops
    whose presentations name it (`presentations.package_sha256`)."""

    __tablename__ = "content_packages"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(300))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PresentationSession(Synced, Merged, Base):
    __tablename__ = "presentation_sessions"

    presentation_id: Mapped[str] = mapped_column(ForeignKey("presentations.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    interaction_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SlideView(Synced, Merged, Base):
    __tablename__ = "slide_views"

    session_id: Mapped[str] = mapped_column(ForeignKey("presentation_sessions.id"), index=True)
    slide_id: Mapped[str] = mapped_column(ForeignKey("slides.id"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    reaction: Mapped[str | None] = mapped_column(String(16))
    answers: Mapped[str] = mapped_column(Text, default="{}")
    asked_for_more: Mapped[bool] = mapped_column(Boolean, default=False)


class ClickstreamEvent(Synced, Merged, Base):
    __tablename__ = "clickstream_events"

    session_id: Mapped[str] = mapped_column(ForeignKey("presentation_sessions.id"), index=True)
    slide_id: Mapped[str | None] = mapped_column(ForeignKey("slides.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    track_element_id: Mapped[str | None] = mapped_column(String(200))
    track_element_type: Mapped[str | None] = mapped_column(String(100))
    track_element_description: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    usage_duration_s: Mapped[int | None] = mapped_column(Integer)
    # The CLM object the slide created (Call_Clickstream_vod__c when null) and every field
    # it gave that has no column above, as a JSON object of text (app.edetail.clm_records).
    object_name: Mapped[str | None] = mapped_column(String(64))
    other_fields: Mapped[str | None] = mapped_column(String(OTHER_FIELDS_MAX))


class MedicalInquiry(Synced, Merged, Base):
    """A medical question a rep escalated; routed to an MSL by `server.escalations`.

    Reps, MSLs and managers pull it; what medical answered is in `MedicalAnswer`, which only
    MSLs pull (the firewall between promotion and medical information)."""

    __tablename__ = "medical_inquiries"
    __table_args__ = (Index("ix_medical_inquiries_status_assigned_to", "status", "assigned_to"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    call_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"))
    raised_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime)
    question: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(16))
    answer_channel: Mapped[str] = mapped_column(String(16))
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    unsolicited: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16))
    assigned_to: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    routed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    taken_over_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    handed_back_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    hand_back_note: Mapped[str | None] = mapped_column(Text)


class MedicalAnswer(Synced, Merged, Base):
    """The answer and the MSL's medical notes: never sent to a rep or a manager."""

    __tablename__ = "medical_answers"

    inquiry_id: Mapped[str] = mapped_column(ForeignKey("medical_inquiries.id"), index=True)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(Text)
    medical_notes: Mapped[str | None] = mapped_column(Text)


class MslCoverage(Base):
    """Which MSL answers for which territory and therapeutic area (server only; set with
    `fieldrep-server msl cover`): the routing table of medical inquiries."""

    __tablename__ = "msl_coverage"
    __table_args__ = (UniqueConstraint("user_id", "territory_id", "therapeutic_area"),
                      Index("ix_msl_coverage_territory_id_therapeutic_area", "territory_id",
                            "therapeutic_area"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"))
    therapeutic_area: Mapped[str] = mapped_column(String(100))


class Suggestion(Synced, Merged, Base):
    """A suggestion a laptop made and the rep's answer to it (feedback and the evidence of
    the control-group report)."""

    __tablename__ = "suggestions"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_role: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    priority: Mapped[float] = mapped_column(Float)
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    content_id: Mapped[str | None] = mapped_column(String(36))
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    rule_id: Mapped[str | None] = mapped_column(String(100))
    rule_set_version: Mapped[int | None] = mapped_column(Integer)
    plan_id: Mapped[str | None] = mapped_column(String(100))
    plan_step: Mapped[int | None] = mapped_column(Integer)
    trigger: Mapped[str | None] = mapped_column(String(32))
    after_call_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result_id: Mapped[str | None] = mapped_column(String(36))


class RuleSet(Synced, Base):
    """A published rule set (TOML text); managers and admins publish, every laptop pulls."""

    __tablename__ = "rule_sets"

    name: Mapped[str] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MarketSale(Synced, Base):
    """Units and value of a product sold at an account or in a postcode area ("brick") in
    one month, with the units of its whole market there (share of market), as imported from
    regional sales exports (server/importing/market.py). `territory_id` is where the row was
    placed on import: the pull sends it to that territory's reps and their managers."""

    __tablename__ = "market_sales"
    __table_args__ = (Index("ix_market_sales_product_id_month", "product_id", "month"),)

    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    brick: Mapped[str | None] = mapped_column(String(16))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    units: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)  # EUR
    market_units: Mapped[int | None] = mapped_column(Integer)


class CyclePlan(Synced, Base):
    """A cycle plan's target (server/cycle_plans.py): the calls each account of a segment
    (`segment`), or one account (`account_id`), of a territory should get between
    `period_start` and `period_end`, in one channel or (`channel` None) in any. Published by
    a manager for the territories of the team; pulled by territory like the sales figures."""

    __tablename__ = "cycle_plans"

    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    segment: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(16))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    calls: Mapped[int] = mapped_column(Integer)
    published_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ServiceAccount(Base):
    """An outside system's key to the integration API (server only; `fieldrep-server
    service-account`). Only the SHA-256 of its token is kept; `territories` (JSON list of
    territory ids, or null for all) and `kinds` (JSON list of touchpoint kinds) are what it
    may post. Revoked rows stay, so the audit and the touchpoints keep naming it."""

    __tablename__ = "service_accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: The caller's system: the `source` of its touchpoints, and the namespace of its
    #: event ids (a replay through another token of the same system is still a replay).
    system: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    territories: Mapped[str | None] = mapped_column(Text)
    kinds: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: May read the change feed (`GET /api/v1/integration/changes`): exporting is a right
    #: of its own, not implied by posting.
    may_read_feed: Mapped[bool] = mapped_column(Boolean, default=False,
                                                server_default=false())
    #: When the current token stops working (none: never).
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: The token a rotation replaced, accepted until `previous_valid_until` (the overlap
    #: in which the outside system switches to the new one).
    previous_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    previous_valid_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rotated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Touchpoint(Synced, Base):
    """A touchpoint an outside system posted (server/integration): read-only everywhere
    else. `(source, event_id)` is the caller's idempotency key; `service_account_id`
    (server only) is the token that posted it."""

    __tablename__ = "touchpoints"
    __table_args__ = (UniqueConstraint("source", "event_id"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # TouchpointKind
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(Text)
    #: None: the server's own e-mail tracking (server/email) recorded it.
    service_account_id: Mapped[str | None] = mapped_column(ForeignKey("service_accounts.id"))


class EmailTemplate(Synced, Base):
    """An e-mail template (server/email/templates.py): a draft until an admin approves it."""

    __tablename__ = "email_templates"

    code: Mapped[str] = mapped_column(String(100))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    topic: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    variants: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    approval_state: Mapped[str] = mapped_column(String(16))


class Email(Synced, Merged, Base):
    """An e-mail a rep sent: a part of their submitted call of channel e-mail."""

    __tablename__ = "emails"

    interaction_id: Mapped[str] = mapped_column(ForeignKey("interactions.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    template_id: Mapped[str] = mapped_column(String(36))
    variant: Mapped[str | None] = mapped_column(String(32))
    paragraph: Mapped[str | None] = mapped_column(Text)
    to_address: Mapped[str] = mapped_column(String(320))


class EmailSend(Base):
    """The send queue and the delivery record of one e-mail (server only, server/email).

    The message is rendered once, when queued, with its tracking links; `token_hash` is the
    SHA-256 of the message's unguessable token (pixel, links and unsubscribe carry the
    token, the database only its hash). `next_attempt_at` orders the retries and is also
    the lease a worker takes, so two server processes never send one message twice."""

    __tablename__ = "email_sends"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    email_id: Mapped[str] = mapped_column(ForeignKey("emails.id"), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    template_id: Mapped[str] = mapped_column(String(36))
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    links: Mapped[str] = mapped_column(Text)  # JSON list: the only redirect targets
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # sent, bounced
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    clicked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ChangeRequest(Synced, Merged, Base):
    """A rep's proposed change of an account's master data, or a new doctor, until a data
    steward decides it (server/change_requests.py). `changes` is JSON: field -> old and new
    value (app/master_data.py); `account_id` of a new doctor is set when it is accepted."""

    __tablename__ = "change_requests"
    __table_args__ = (Index("ix_change_requests_status_requested_at", "status",
                            "requested_at"),)

    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    kind: Mapped[str] = mapped_column(String(16))
    changes: Mapped[str] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))  # ChangeRequestStatus
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class ConflictEntry(Base):
    """A value that lost a field-level merge (server only): the rep can read and reapply it.
    Kept forever next to the mutation that caused it, so "every mutation is on the server
    exactly once or in the conflict log" can be checked."""

    __tablename__ = "conflict_log"
    __table_args__ = (Index("ix_conflict_log_user_id_at", "user_id", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str] = mapped_column(String(100))
    mutation_id: Mapped[str] = mapped_column(String(36), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    mine: Mapped[str] = mapped_column(Text)  # JSON of the pushed value
    theirs: Mapped[str] = mapped_column(Text)  # JSON of the server's value
    kept: Mapped[str] = mapped_column(String(8))  # "mine" or "theirs"
    version: Mapped[int] = mapped_column(BigInteger)  # the row's version after the merge


class AuditTrail(Base):
    """The authoritative audit trail (server only): one entry per mutation a push applied,
    written by the server from the token (who, from which device), never by a laptop. The
    laptops' own `audit_log` rows are what they report; this is what the server did."""

    __tablename__ = "audit_trail"
    __table_args__ = (Index("ix_audit_trail_entity_row_id", "entity", "row_id"),
                      Index("ix_audit_trail_user_id_at", "user_id", "at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str] = mapped_column(String(100))
    mutation_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))  # "upsert" or "delete"
    fields: Mapped[str] = mapped_column(Text)  # the pushed field names, comma-separated
    version: Mapped[int] = mapped_column(BigInteger)  # the row's version after the mutation


class ScopeMember(Base):
    """Which accounts a user's scope held, as last seen by one of the user's pulls: the pull
    compares it with the scope now and tells devices which accounts left (`revoked`).
    `removed_version` is the change counter when the account was seen gone (server only)."""

    __tablename__ = "scope_members"
    # A pull asks for the accounts that entered or left after its cursor: by index, not by
    # a walk through every account of the user.
    __table_args__ = (
        Index("ix_scope_members_user_id_added_version", "user_id", "added_version"),
        Index("ix_scope_members_user_id_removed_version", "user_id", "removed_version"),
    )

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    added_version: Mapped[int] = mapped_column(BigInteger)
    removed_version: Mapped[int | None] = mapped_column(BigInteger)


class ScopeState(Base):
    """Per user, what `scope_members` was last brought up to date against: the user's role
    and territories (`territories`, as "role:id,id,...") and the change counter then
    (`version`). While they stand, only the accounts written after `version` can have
    entered or left the scope (`server.scope.may_change_visibility`), so a pull checks
    those and not the whole scope (server only)."""

    __tablename__ = "scope_states"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    territories: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(BigInteger)


class ChangeCounter(Base):
    """The change sequence behind every `version`: one row, bumped inside the writing
    transaction. The row lock serialises writers, so on PostgreSQL versions become visible
    in order and a pull cursor never passes a number that may still commit (docs/server.md)."""

    __tablename__ = "change_counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Token(Base):
    """A login on one device. Only the SHA-256 of the token is stored: a leaked database
    does not hand out sessions."""

    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginAttempt(Base):
    """A failed login, by user name and by address: the throttle counts these rows, so every
    server process behind a load balancer sees the same count."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))  # "user" or "addr"
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class IdempotencyRecord(Base):
    """The first answer to a pushed mutation, returned again when the same id comes back
    (filled by the sync issue)."""

    __tablename__ = "idempotency_records"

    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16))
    response: Mapped[str] = mapped_column(Text)
    #: The version this mutation wrote; None when it changed nothing (or was rejected).
    applied_version: Mapped[int | None] = mapped_column(BigInteger)


class Erasure(Base):
    """A doctor erased on a data-protection request (server only, never synced): when, by
    whom, how many rows went, and the evidence the law requires to keep (`server.gdpr_erase`
    says which and why). Keyed by the account id; holds no name."""

    __tablename__ = "erasures"

    account_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    erased_at: Mapped[dt.datetime] = mapped_column(DateTime)
    erased_by: Mapped[str] = mapped_column(String(200))
    removed: Mapped[str] = mapped_column(Text)  # JSON: rows removed per table
    retained: Mapped[str] = mapped_column(Text)  # JSON: the evidence kept


#: The contract entities this store holds (tests/server/test_schema.py checks the fields):
#: every entity of app.contract.ENTITIES.
SYNCED_TABLES = tuple(Base.metadata.tables[name].name for name in (
    "territories", "users", "specialties", "products", "key_messages", "territory_products",
    "accounts", "addresses", "external_ids", "affiliations", "channel_consents",
    "interactions", "attendees", "discussed_products", "discussed_key_messages", "samples",
    "tasks", "audit_log", "presentations", "slides", "presentation_sessions", "slide_views",
    "clickstream_events", "medical_inquiries", "medical_answers", "market_sales",
    "touchpoints", "change_requests"))


def _page_order() -> None:
    """An index on `(version, id)` per synced table: a pull page is the rows after the cursor
    in exactly that order, so the database walks the index from the cursor and stops after
    the page instead of reading every row of the scope and sorting them (a first sync of
    1,000,000 calls, all of one import's version, sorted them all for every page)."""
    for mapper in Base.registry.mappers:
        if issubclass(mapper.class_, Synced):
            table = mapper.local_table
            assert isinstance(table, Table)
            Index(None, table.c.version, table.c.id)


_page_order()
