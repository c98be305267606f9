"""What a push of a medical inquiry or an answer must keep, and what the server does next.

Called by the push (server/sync/push.py) for these two entities only. A rep raises an
inquiry and changes nothing after; an MSL changes the medical side of an inquiry assigned to
them (take over, answer, hand back, close), or takes one from the queue; reassigning goes
through `routing.reassign` (online), never a push. Answers are written by MSLs only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.contract import Role
from server.escalations import routing
from server.models import Account, MedicalInquiry, TerritoryProduct
from server.scope import Principal
from server.sync.wire import Rejected

ENTITIES = frozenset({"medical_inquiries", "medical_answers"})
URGENCIES = ("standard", "high", "urgent")
CHANNELS = ("visit", "phone", "email", "letter")
#: The fields an MSL's laptop may change on an inquiry.
MSL_FIELDS = frozenset({"status", "assigned_to", "taken_over_at", "answered_at",
                        "handed_back_at", "closed_at", "hand_back_note"})
MSL_STATUSES = ("in_progress", "answered", "handed_back", "closed")


def check(session: Session, principal: Principal, entity: str, op: str,
          row: Row[Any] | None, values: dict[str, Any]) -> None:
    """Rejected (with a reason the user reads) unless the write keeps the rules."""
    if entity not in ENTITIES:
        return
    if op == "delete":
        raise Rejected("medical inquiries and answers are closed, never deleted")
    if entity == "medical_answers":
        _check_answer(session, principal, row, values)
    elif row is None:
        _check_new(session, principal, values)
    else:
        _check_change(principal, row, values)


def _check_new(session: Session, principal: Principal, values: dict[str, Any]) -> None:
    if principal.role != Role.REP:
        raise Rejected("medical inquiries are raised by reps")
    if values.get("raised_by") != principal.user_id:
        raise Rejected("an inquiry is raised in your own name")
    if values.get("status") != "raised" or values.get("assigned_to") is not None:
        raise Rejected("a new inquiry is routed by the server: send it as raised")
    if not (values.get("question") or "").strip():
        raise Rejected("the doctor's question is empty")
    if values.get("urgency") not in URGENCIES:
        raise Rejected("unknown urgency")
    if values.get("answer_channel") not in CHANNELS:
        raise Rejected("unknown way to answer")
    territory = session.scalar(select(Account.territory_id)
                               .where(Account.id == values.get("account_id")))
    allowed = session.scalar(select(TerritoryProduct.id).where(
        TerritoryProduct.territory_id == territory,
        TerritoryProduct.product_id == values.get("product_id"),
        TerritoryProduct.deleted.is_(False)))
    if allowed is None:
        raise Rejected("this product may not be detailed to this account")


def _check_change(principal: Principal, row: Row[Any], values: dict[str, Any]) -> None:
    changed = {k for k, v in values.items() if getattr(row, k) != v}
    if not changed:
        return
    if principal.role != Role.MSL:
        raise Rejected("once raised, a medical inquiry is changed by medical only")
    if changed - MSL_FIELDS:
        raise Rejected(f"an MSL cannot change {', '.join(sorted(changed - MSL_FIELDS))}")
    if row.status == "closed":
        raise Rejected("this medical inquiry is closed")
    me = principal.user_id
    taking_from_queue = row.status == "queued" and values.get("assigned_to") == me
    if row.assigned_to != me and not taking_from_queue:
        raise Rejected("this medical inquiry is assigned to another MSL (it was reassigned)")
    if "assigned_to" in changed and values.get("assigned_to") != me:
        raise Rejected("reassigning needs a connection: it is done on the server")
    if "status" in changed and values["status"] not in MSL_STATUSES:
        raise Rejected(f"an MSL cannot set an inquiry to {values['status']}")


def _check_answer(session: Session, principal: Principal, row: Row[Any] | None,
                  values: dict[str, Any]) -> None:
    if principal.role != Role.MSL:
        raise Rejected("medical answers are written by MSLs only")
    inquiry_id = values.get("inquiry_id", row.inquiry_id if row is not None else None)
    inquiry = session.get(MedicalInquiry, inquiry_id) if isinstance(inquiry_id, str) else None
    if inquiry is None or inquiry.assigned_to != principal.user_id:
        raise Rejected("this medical inquiry is not assigned to you")
    if values.get("author_id", principal.user_id) != principal.user_id:
        raise Rejected("an answer is written in your own name")
    if "answer" in values and not (values["answer"] or "").strip():
        raise Rejected("the answer is empty")


def after_insert(session: Session, entity: str, row_id: str, version: int) -> None:
    """A new inquiry is routed at once, in the push that brought it."""
    if entity == "medical_inquiries":
        routing.route(session, row_id, version)
