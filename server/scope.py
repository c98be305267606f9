"""Who may see which accounts: the one scope function every read goes through.

Endpoints never build their own account filters; they start from `accounts_visible_to` and
narrow it (by id, by cursor). A scope rule changed here changes every endpoint at once, and
the tests that try to cross it (tests/server/test_scope.py) exercise this function only
through HTTP.

- rep, msl: accounts of their territories, plus the institutions (hco) those doctors are
  affiliated with (a rep visits Dr. X at the hospital, so the hospital is in scope).
  An MSL also sees, while a medical inquiry is open, the accounts of the inquiries assigned
  to them and of those waiting in the fallback queue (`escalated_accounts`); a closed inquiry
  takes its account out of the MSL's scope again (the pull revokes it).
- manager: the same for every territory of their team (users whose manager they are), and
  their own; read-only (enforced by the write endpoints: only admins write master data).
- admin: nothing. Admins administer users and master data imports but see no account content.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, or_, select, union
from sqlalchemy.orm import aliased

from server.models import (
    Account,
    Affiliation,
    MedicalInquiry,
    Role,
    TerritoryAssignment,
    User,
)

#: Inquiry statuses that keep the account in the assigned MSL's scope (server.escalations).
INQUIRY_OPEN = ("routed", "queued", "in_progress", "answered", "handed_back")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: enough to decide scope without another query for the user."""

    user_id: str
    username: str
    role: str
    device_id: str
    token_id: str


def territories_of(principal: Principal) -> Select[str]:
    """Ids of the territories whose accounts the caller may read (empty for admins)."""
    if principal.role in (Role.REP, Role.MSL):
        return select(TerritoryAssignment.territory_id).where(
            TerritoryAssignment.user_id == principal.user_id
        )
    if principal.role == Role.MANAGER:
        team = select(User.id).where(User.manager_id == principal.user_id, User.deleted == false())
        return select(TerritoryAssignment.territory_id).where(
            or_(
                TerritoryAssignment.user_id.in_(team),
                TerritoryAssignment.user_id == principal.user_id,
            )
        )
    return select(TerritoryAssignment.territory_id).where(false())


def accounts_visible_to(principal: Principal) -> Select[Account]:
    """A SELECT of the accounts the caller may read; callers add order, paging, id filters.

    Tombstoned rows are included on purpose (sync must tell replicas about deletions); the
    listing endpoints filter `deleted` themselves.
    """
    if principal.role not in (Role.REP, Role.MSL, Role.MANAGER):
        return select(Account).where(false())
    territories = territories_of(principal)
    hcp = aliased(Account)
    affiliated_hcos = (
        select(Affiliation.hco_id)
        .join(hcp, hcp.id == Affiliation.hcp_id)
        .where(hcp.territory_id.in_(territories), Affiliation.deleted == false())
    )
    in_territories = select(Account.id).where(Account.territory_id.in_(territories))
    if principal.role == Role.MSL:
        return select(Account).where(Account.id.in_(
            union(in_territories, affiliated_hcos, escalated_accounts(principal))))
    # One IN over a UNION of ids rather than `territory IN ... OR id IN ...`: the OR forces a
    # sort of the whole scope for every page; the IN lets SQLite walk the primary key in
    # order (measured: 30 -> 12 ms for the first 1,000 of 10,000 accounts).
    return select(Account).where(Account.id.in_(union(in_territories, affiliated_hcos)))


def escalated_accounts(principal: Principal) -> Select[str]:
    """Accounts of the open medical inquiries an MSL holds or may take from the queue."""
    return select(MedicalInquiry.account_id).where(
        MedicalInquiry.deleted == false(), MedicalInquiry.status.in_(INQUIRY_OPEN),
        or_(MedicalInquiry.assigned_to == principal.user_id,
            MedicalInquiry.status == "queued"))
