"""Every table of the local store, imported in one place for Alembic and the services."""

from app.store.accounts import Account, Address, Affiliation, ChannelConsent, ExternalId
from app.store.base import Base
from app.store.change_requests import ChangeRequest
from app.store.conflicts import SyncConflict
from app.store.content import (
    ClickstreamEvent,
    Presentation,
    PresentationSession,
    Slide,
    SlideView,
)
from app.store.cycle_plans import CyclePlan
from app.store.email import Email, EmailTemplate
from app.store.escalations import MedicalAnswer, MedicalInquiry
from app.store.interactions import (
    Attendee,
    DiscussedKeyMessage,
    DiscussedProduct,
    Interaction,
    Sample,
    Task,
)
from app.store.journal import AuditEntry, DemoTruth, LocalState, OutboxMutation
from app.store.market import MarketSale
from app.store.reference import KeyMessage, Product, Specialty, Territory, TerritoryProduct, User
from app.store.refusals import SyncRefusal
from app.store.suggestions import RuleSetRow, Suggestion
from app.store.touchpoints import Touchpoint

__all__ = [
    "Account", "Address", "Affiliation", "Attendee", "AuditEntry", "Base", "ChangeRequest",
    "ChannelConsent", "ClickstreamEvent", "CyclePlan", "DemoTruth", "DiscussedKeyMessage",
    "DiscussedProduct", "Email", "EmailTemplate", "ExternalId",
    "Interaction", "KeyMessage", "LocalState", "MarketSale", "MedicalAnswer", "MedicalInquiry",
    "OutboxMutation", "Presentation", "PresentationSession", "Product", "RuleSetRow", "Sample",
    "Slide", "SlideView", "Specialty", "Suggestion", "SyncConflict", "SyncRefusal", "Task",
    "Territory", "TerritoryProduct", "Touchpoint", "User",
]
