"""New opinion leaders: doctors whose standing in the affiliation network is high but whom
nobody has called for half a year, read from the local store alone (works offline).

Standing is what the network on this laptop shows: how many institutions a doctor works at,
a leading role at one of them (head of a department: "Chefärztin", "Head of cardiology"),
how many colleagues share those institutions (whom the doctor's opinion reaches), and the
events the doctor attended. The reasons are returned as figures, not sentences, so the
screen words them in the user's language; the score only orders them.

`data_stamp` is what the screen compares before it reads again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, distinct, false, func, or_, select

from app.store.accounts import Account, Affiliation
from app.store.interactions import Attendee, Interaction

#: A doctor called (a submitted call) within this many days is reached already.
UNREACHED_DAYS = 180
#: Words of an affiliation's role that mark a leading one (German and English master data).
LEADING = ("chefarzt", "chefärztin", "chief", "head", "director", "direktor", "leiter",
           "leitend", "chair")
#: Weights of the standing: per affiliation, per leading role, per event attended, per
#: colleague at the same institutions (capped: a big hospital is not a dozen roles).
PER_AFFILIATION, PER_LEADING_ROLE, PER_EVENT, PER_COLLEAGUE = 1.0, 3.0, 1.0, 0.1
COLLEAGUES_CAP, EVENTS_CAP = 2.0, 3.0
#: The standing a doctor needs to be shown: two affiliations with a few colleagues, or one
#: leading role.
MIN_STANDING = 3.0
SHOWN = 8


@dataclass(frozen=True)
class OpinionLeader:
    account_id: str
    name: str
    city: str | None
    affiliations: int
    leading_roles: tuple[tuple[str, str], ...]  # (role, institution)
    colleagues: int  # other doctors at the same institutions
    events: int  # events attended
    last_contact_at: dt.datetime | None
    standing: float


def data_stamp(conn: Connection) -> tuple[object, ...]:
    """Changes when an account, an affiliation or a call (with its attendees) changes."""
    stamp: list[object] = []
    for table in (Account, Affiliation, Interaction, Attendee):
        stamp += list(conn.execute(select(func.count(), func.max(table.version),
                                          func.max(table.updated_at))).one())
    return tuple(stamp)


def is_leading(role: str | None) -> bool:
    lowered = (role or "").casefold()
    return any(word in lowered for word in LEADING)


def opinion_leaders(conn: Connection, today: dt.date, limit: int = SHOWN
                    ) -> list[OpinionLeader]:
    """The unreached doctors of highest standing, highest first."""
    since = dt.datetime.combine(today - dt.timedelta(days=UNREACHED_DAYS), dt.time())
    doctor, institution = Account.__table__.alias("doctor"), Account.__table__.alias("hco")
    # Every live affiliation between a live doctor and a live institution: the network.
    network = conn.execute(
        select(Affiliation.hcp_id, Affiliation.hco_id, Affiliation.role, institution.c.name)
        .join(doctor, doctor.c.id == Affiliation.hcp_id)
        .join(institution, institution.c.id == Affiliation.hco_id)
        .where(Affiliation.deleted == false(), doctor.c.deleted == false(),
               doctor.c.kind == "hcp", institution.c.deleted == false())).all()
    staff: dict[str, set[str]] = defaultdict(set)
    for hcp, hco, _role, _name in network:
        staff[hco].add(hcp)
    unreached = {str(i): (str(name), city, last) for i, name, city, last in conn.execute(
        select(Account.id, Account.name, Account.city, Account.last_contact_at)
        .where(Account.deleted == false(), Account.kind == "hcp",
               or_(Account.last_contact_at.is_(None), Account.last_contact_at < since)))}
    events = {str(a): int(n) for a, n in conn.execute(
        select(Attendee.account_id, func.count(distinct(Interaction.id)))
        .join(Interaction, Interaction.id == Attendee.interaction_id)
        .where(Attendee.account_id.is_not(None), Attendee.deleted == false(),
               Interaction.channel == "event", Interaction.status == "submitted",
               Interaction.deleted == false())
        .group_by(Attendee.account_id))}
    institutions: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
    for hcp, hco, role, name in network:
        if hcp in unreached:
            institutions[hcp].append((hco, role, str(name)))
    found = []
    for account_id in set(institutions) | (set(events) & set(unreached)):
        places = institutions.get(account_id, [])
        leading = tuple(sorted((str(role), name) for _hco, role, name in places
                               if is_leading(role)))
        colleagues = len(set().union(*(staff[hco] for hco, _r, _n in places))
                         - {account_id}) if places else 0
        attended = events.get(account_id, 0)
        standing = (PER_AFFILIATION * len(places) + PER_LEADING_ROLE * len(leading)
                    + min(PER_COLLEAGUE * colleagues, COLLEAGUES_CAP)
                    + min(PER_EVENT * attended, EVENTS_CAP))
        if standing < MIN_STANDING:
            continue
        name, city, last = unreached[account_id]
        found.append(OpinionLeader(account_id, name, city, len(places), leading, colleagues,
                                   attended, last, round(standing, 2)))
    found.sort(key=lambda leader: (-leader.standing, leader.name))
    return found[:limit]
