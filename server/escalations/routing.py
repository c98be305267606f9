"""Who answers a medical inquiry: the MSL who covers the account's territory and the
product's therapeutic area (`msl_coverage`, set with `fieldrep-server msl cover`), the one
with the fewest open inquiries when several do; nobody: the fallback queue, which every MSL
sees and takes from. Reassignment (by a manager or an MSL) and rerouting (an MSL disabled
while holding inquiries) go through the same functions, each with its audit entry.

Plain functions over the caller's session (the caller commits), like `server.directory`.
"""

from __future__ import annotations

import json

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from app.contract import Role
from server.db import next_versions
from server.escalations.touch import touch_account
from server.models import (
    Account,
    AuditEntry,
    MedicalInquiry,
    MslCoverage,
    Product,
    Territory,
    User,
    utcnow,
)
from server.sync import merge

#: Statuses an inquiry can be reassigned or rerouted in (the answer is not given yet).
MOVABLE = ("routed", "queued", "in_progress")


class RoutingError(ValueError):
    """A routing request that cannot be carried out, in words for the operator or the UI."""


class ReassignForbiddenError(RoutingError):
    """The caller may not reassign this inquiry (the API answers 403)."""


def audit(session: Session, version: int, user_id: str | None, action: str, inquiry_id: str,
          **details: object) -> None:
    """A server-side step in the inquiry's audit log (who: None is the server's routing)."""
    session.add(AuditEntry(at=utcnow(), user_id=user_id, action=action,
                           entity="medical_inquiries", row_id=inquiry_id, version=version,
                           details=json.dumps(details) if details else None))


def candidates(session: Session, territory_id: str | None, area: str,
               exclude: str | None = None) -> list[str]:
    """Active MSLs covering the territory and area, fewest open inquiries first."""
    load = (select(func.count(MedicalInquiry.id))
            .where(MedicalInquiry.assigned_to == MslCoverage.user_id,
                   MedicalInquiry.status.in_(MOVABLE))
            .correlate(MslCoverage).scalar_subquery())
    rows = session.execute(
        select(MslCoverage.user_id, load.label("load"), User.username)
        .join(User, User.id == MslCoverage.user_id)
        .where(MslCoverage.territory_id == territory_id,
               func.lower(MslCoverage.therapeutic_area) == area.lower(),
               User.role == Role.MSL, User.disabled == false(), User.deleted == false())
        .order_by("load", User.username)).all()
    return [r.user_id for r in rows if r.user_id != exclude]


def _assign(session: Session, inquiry: MedicalInquiry, msl_id: str | None, version: int,
            ) -> None:
    """Set the assignee (None: the queue) with a field-versions record, and touch the
    account so its history reaches the new assignee's pull."""
    names = ["assigned_to", "status", "routed_at"]
    inquiry.field_versions = merge.stamp("medical_inquiries", inquiry.field_versions,
                                         inquiry.version, names, version, "server")
    inquiry.assigned_to = msl_id
    inquiry.status = "routed" if msl_id else "queued"
    inquiry.routed_at = utcnow()
    inquiry.version = version
    session.flush()
    touch_account(session, inquiry.account_id, version)


def route(session: Session, inquiry_id: str, version: int, *, exclude: str | None = None
          ) -> str | None:
    """Route a new (or rerouted) inquiry; the MSL's id, or None when it went to the queue."""
    inquiry = session.get(MedicalInquiry, inquiry_id)
    if inquiry is None:
        raise RoutingError("no such inquiry")
    territory = session.scalar(select(Account.territory_id)
                               .where(Account.id == inquiry.account_id))
    area = session.scalar(select(Product.therapeutic_area)
                          .where(Product.id == inquiry.product_id)) or ""
    found = candidates(session, territory, area, exclude)
    msl = found[0] if found else None
    _assign(session, inquiry, msl, version)
    if msl:
        audit(session, version, None, "inquiry.routed", inquiry_id, to=msl)
    else:
        audit(session, version, None, "inquiry.queued", inquiry_id,
              reason="no MSL covers this territory and therapeutic area")
    return msl


def reassign(session: Session, inquiry_id: str, to_username: str | None, by: User | None
             ) -> str:
    """Hand an open inquiry to another MSL (`None`: back to the queue). A manager may (the
    API checks the account is their team's), the MSL holding it may, an MSL may take a
    queued one, and the operator at the server (`by` None). The new holder must cover the
    account's territory and the product's therapeutic area: reading the account and its
    history comes with the inquiry, so it goes only where it would have been routed.
    Returns the new assignee's user name (or "queue")."""
    if by is not None and by.role not in (Role.MANAGER, Role.MSL):
        raise ReassignForbiddenError("only a manager or an MSL can reassign a medical inquiry")
    inquiry = session.get(MedicalInquiry, inquiry_id)
    if inquiry is None or inquiry.deleted:
        raise RoutingError("no such medical inquiry")
    if inquiry.status not in MOVABLE:
        raise RoutingError(f"this inquiry is {inquiry.status.replace('_', ' ')}: it can no "
                           "longer be reassigned")
    target: User | None = None
    if to_username is not None:
        target = session.scalar(select(User).where(User.username == to_username.lower()))
        if target is None or target.role != Role.MSL or target.disabled or target.deleted:
            raise RoutingError(f"{to_username!r} is not an active MSL")
        if target.id == inquiry.assigned_to:
            raise RoutingError(f"the inquiry is assigned to {target.username} already")
        territory = session.scalar(select(Account.territory_id)
                                   .where(Account.id == inquiry.account_id))
        area = session.scalar(select(Product.therapeutic_area)
                              .where(Product.id == inquiry.product_id)) or ""
        if target.id not in candidates(session, territory, area):
            raise RoutingError(f"{target.username} does not cover this account's territory "
                               "and therapeutic area: add the coverage first (fieldrep-server "
                               "msl cover)")
    if by is not None and by.role == Role.MSL and by.id != inquiry.assigned_to and not (
            inquiry.status == "queued" and target is not None and target.id == by.id):
        raise ReassignForbiddenError("only the MSL holding this inquiry or a manager can "
                                     "reassign it")
    before = inquiry.assigned_to
    version = next_versions(session)
    _assign(session, inquiry, target.id if target else None, version)
    audit(session, version, by.id if by else None, "inquiry.reassigned", inquiry_id,
          previous=before, to=target.id if target else None)
    return target.username if target else "queue"


def reroute_from(session: Session, msl_id: str) -> int:
    """Route every inquiry a (now disabled) MSL still holds to someone else; the count."""
    held = list(session.scalars(select(MedicalInquiry.id).where(
        MedicalInquiry.assigned_to == msl_id, MedicalInquiry.status.in_(MOVABLE))))
    if not held:
        return 0
    version = next_versions(session)
    for inquiry_id in held:
        route(session, inquiry_id, version, exclude=msl_id)
        audit(session, version, None, "inquiry.rerouted", inquiry_id, previous=msl_id,
              reason="the MSL was disabled")
    return len(held)


# The routing table, for `fieldrep-server msl ...`.

def cover(session: Session, username: str, territory_code: str, area: str) -> bool:
    """Let an MSL answer for a territory and therapeutic area; False if already so."""
    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None or user.role != Role.MSL:
        raise RoutingError(f"{username!r} is not an MSL")
    territory = session.scalar(select(Territory).where(Territory.code == territory_code))
    if territory is None:
        raise RoutingError(f"no territory {territory_code!r}")
    area = area.strip()
    if not area or len(area) > 100:
        raise RoutingError("the therapeutic area must be 1 to 100 characters")
    exists = session.scalar(select(MslCoverage.id).where(
        MslCoverage.user_id == user.id, MslCoverage.territory_id == territory.id,
        func.lower(MslCoverage.therapeutic_area) == area.lower()))
    if exists:
        return False
    session.add(MslCoverage(user_id=user.id, territory_id=territory.id, therapeutic_area=area))
    session.flush()
    return True


def uncover(session: Session, username: str, territory_code: str, area: str) -> int:
    rows = session.scalars(
        select(MslCoverage).join(User, User.id == MslCoverage.user_id)
        .join(Territory, Territory.id == MslCoverage.territory_id)
        .where(User.username == username.lower(), Territory.code == territory_code,
               func.lower(MslCoverage.therapeutic_area) == area.strip().lower())).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def coverage(session: Session) -> list[tuple[str, str, str]]:
    """(MSL user name, territory code, therapeutic area), sorted."""
    return [tuple(r) for r in session.execute(  # type: ignore[misc]
        select(User.username, Territory.code, MslCoverage.therapeutic_area)
        .join(User, User.id == MslCoverage.user_id)
        .join(Territory, Territory.id == MslCoverage.territory_id)
        .order_by(User.username, Territory.code, MslCoverage.therapeutic_area))]


def queue(session: Session) -> list[MedicalInquiry]:
    """The open inquiries nobody covers, oldest first."""
    return list(session.scalars(select(MedicalInquiry).where(
        MedicalInquiry.status == "queued").order_by(MedicalInquiry.raised_at)))
