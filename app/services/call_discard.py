"""Discarding a draft call: a report opened by mistake (Ctrl+N on the wrong doctor) must not
sit in "Open drafts" for ever and sync to the server as if a call had happened.

A discarded draft is not deleted: synced rows never are (docs/architecture.md). The call and
its child rows become tombstones, which the outbox sends as deletes, so every laptop of the rep
drops the draft at its next sync, and an audit entry says who discarded it when. Only a draft
of the rep's own can go; a submitted call is locked for good. A draft that already carries what
happened elsewhere — an e-detail presented in it, a medical question raised from it — keeps it:
discarding would leave those records pointing at a call that never was, so the rep is told to
finish or submit it instead.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.i18n import tr
from app.services import audit
from app.services.errors import LockedError, NotFoundError, ValidationError
from app.store.base import CallStatus, Synced
from app.store.content import PresentationSession
from app.store.escalations import MedicalInquiry
from app.store.interactions import Interaction


def discard_draft(session: Session, user_id: str | None, call_id: str) -> None:
    """Make the draft and its child rows tombstones, with an audit entry.

    Raises NotFoundError (no such draft), LockedError (submitted), ValidationError (not the
    user's own draft, or other records depend on it). Nothing is written then.
    """
    call = session.get(Interaction, call_id)
    if call is None or call.deleted:
        raise NotFoundError(tr("This call no longer exists."))
    if call.status == CallStatus.SUBMITTED:
        raise LockedError(tr("This call was submitted and is locked; it cannot be changed."))
    if call.owner_id is not None and call.owner_id != user_id:
        raise ValidationError({"": tr("Only the rep who started this draft can discard it.")})
    if _has_dependants(session, call_id):
        raise ValidationError({"": tr(
            "An e-detail was presented or a medical question raised in this draft, so it "
            "is kept: finish and submit it instead.")})
    children: list[Synced] = [*call.products, *call.key_messages, *call.samples,
                              *call.attendees]
    for child in children:
        child.deleted = True
    call.deleted = True
    session.flush()
    audit.record(session, user_id, "call.draft_discarded", "interactions", call_id,
                 account_id=call.account_id)


def _has_dependants(session: Session, call_id: str) -> bool:
    presented = exists().where(PresentationSession.interaction_id == call_id,
                               PresentationSession.deleted.is_(False))
    asked = exists().where(MedicalInquiry.call_id == call_id, MedicalInquiry.deleted.is_(False))
    return bool(session.scalar(select(presented)) or session.scalar(select(asked)))
