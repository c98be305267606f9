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

from app.store import home_figures
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
    """Changes when an account, a call, an affiliation or an attendee changes: the rep
    home's stamp (accounts and calls, through indexes) and the two small tables."""
    stamp = list(home_figures.data_stamp(conn))
    stamp += list(conn.execute(select(func.count(), func.max(Affiliation.version),
                                      func.max(Affiliation.updated_at))).one())
    stamp += list(conn.execute(select(func.max(Attendee.version),
                                      func.max(Attendee.updated_at))).one())
    return tuple(stamp)


def is_leading(role: str | None) -> bool:
    lowered = (role or "").casefold()
    return any(word in lowered for word in LEADING)


def opinion_leaders(conn: Connection, today: dt.date, limit: int = SHOWN
                    ) -> list[OpinionLeader]:
    """The unreached doctors of highest standing, highest first."""
    since = dt.datetime.combine(today - dt.timedelta(days=UNREACHED_DAYS), dt.time())
    unreached_ids = select(Account.id).where(
        Account.deleted == false(), Account.kind == "hcp",
        or_(Account.last_contact_at.is_(None), Account.last_contact_at < since))
    unreached = {str(i): (str(name), city, last) for i, name, city, last in conn.execute(
        select(Account.id, Account.name, Account.city, Account.last_contact_at)
        .where(Account.id.in_(unreached_ids)))}
    # The network around them: every live doctor of the institutions they work at, read
    # through the affiliations' indexes (by doctor, then by institution), never the whole.
    doctor, institution = Account.__table__.alias("doctor"), Account.__table__.alias("hco")
    theirs = select(Affiliation.hco_id).where(Affiliation.hcp_id.in_(unreached_ids),
                                              Affiliation.deleted == false())
    network = conn.execute(
        select(Affiliation.hcp_id, Affiliation.hco_id, Affiliation.role, institution.c.name)
        .join(doctor, doctor.c.id == Affiliation.hcp_id)
        .join(institution, institution.c.id == Affiliation.hco_id)
        .where(Affiliation.hco_id.in_(theirs), Affiliation.deleted == false(),
               doctor.c.deleted == false(), doctor.c.kind == "hcp",
               institution.c.deleted == false())).all()
    staff: dict[str, set[str]] = defaultdict(set)
    institutions: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
    for hcp, hco, role, name in network:
        staff[hco].add(hcp)
        if hcp in unreached:
            institutions[hcp].append((hco, role, str(name)))
    # Events attended, from the attendees (few) to their calls by primary key.
    event = select(Interaction.id).where(
        Interaction.id == Attendee.interaction_id, Interaction.channel == "event",
        Interaction.status == "submitted", Interaction.deleted == false()).exists()
    events = {str(a): int(n) for a, n in conn.execute(
        select(Attendee.account_id, func.count(distinct(Attendee.interaction_id)))
        .where(Attendee.account_id.in_(unreached_ids), Attendee.deleted == false(), event)
        .group_by(Attendee.account_id))}
    found = []
    for account_id in set(institutions) | set(events):
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
