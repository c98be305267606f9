"""The figures of a manager's home, read from the local store alone (works offline).

The team is who the manager's laptop holds: the server sends a manager the users assigned to
the territories of their team (server/sync/scoping.py, "users") with each one's primary
territory, so the reps here are the users of role rep whose territory is on this laptop.
Per rep: calls this week and month against the plan (the cycle plan of the rep's territory,
else the segments' call frequency, as on the rep's own home: app/store/plan_targets.py), and
the calls in the cycle plan's period against its target; the share of the territory's A
accounts reached in the quarter (as the rep's reach), and, over the last four weeks, the
share of positive reactions to the key messages of the rep's calls and the suggestions taken
up of those the rep decided on. And the key accounts: the institutions with the most
affiliated doctors, each with the team's recent activity there.

The interactions table is the big one (a million rows at 50,000 accounts): the per-rep call
and reaction figures are one pass over the month's submitted calls, through the
(status, start_at) index, each call's reactions looked up through the key messages' index
on the call; the A accounts' reach comes from the accounts' last contact, not the calls;
the key accounts' activity is read through the account index for their few accounts.
A visit the doctor did not receive is a failed attempt, not a call: it counts in none of
these figures (and never moved an account's last contact).
`tests/store/test_team_figures.py` checks the plans.

`data_stamp` is what the screen compares before it redraws.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, DateTime, and_, case, false, func, select, type_coerce

from app.store import home_figures, plan_targets
from app.store.accounts import Account, Affiliation
from app.store.interactions import DiscussedKeyMessage, Interaction
from app.store.reference import Territory, User
from app.store.suggestions import Suggestion, SuggestionStatus

#: How many key accounts the manager's home lists: the institutions with most doctors.
KEY_ACCOUNTS = 12
#: The window of a key account's recent activity.
RECENT_DAYS = 90
#: The window of the reactions and the suggestions: recent behaviour, and few rows to read.
RECENT_WORK_DAYS = 28
#: Suggestions that were taken up, and all those the rep decided on.
TAKEN = (SuggestionStatus.ACCEPTED.value, SuggestionStatus.COMPLETED.value)
DECIDED = (*TAKEN, SuggestionStatus.DISMISSED.value)


@dataclass(frozen=True)
class RepFigures:
    user_id: str
    name: str
    territory_id: str
    territory: str
    calls_week: int
    plan_week: float
    calls_month: int
    plan_month: float
    a_accounts: int
    a_reached: int  # called at least once in the quarter
    reactions: int  # key-message reactions recorded in the last four weeks' calls
    positive: int
    suggestions_decided: int  # accepted, completed or dismissed in the last four weeks
    suggestions_taken: int  # accepted or completed
    #: Calls on the territory's accounts in its cycle plan's period, and the plan's target
    #: (None: no cycle plan covers today).
    cycle_calls: int | None = None
    cycle_target: int | None = None

    @property
    def of_plan_month(self) -> float:
        return self.calls_month / self.plan_month if self.plan_month else 0.0

    @property
    def a_coverage(self) -> float:
        return self.a_reached / self.a_accounts if self.a_accounts else 0.0

    @property
    def positive_share(self) -> float:
        return self.positive / self.reactions if self.reactions else 0.0

    @property
    def taken_share(self) -> float:
        return (self.suggestions_taken / self.suggestions_decided
                if self.suggestions_decided else 0.0)


@dataclass(frozen=True)
class KeyAccount:
    account_id: str
    name: str
    city: str | None
    doctors: int
    last_call_at: dt.datetime | None  # the latest submitted call on it or its doctors
    recent_calls: int  # in the last RECENT_DAYS days


@dataclass(frozen=True)
class TeamFigures:
    reps: tuple[RepFigures, ...]
    key_accounts: tuple[KeyAccount, ...]


def data_stamp(conn: Connection) -> tuple[object, ...]:
    """The rep home's stamp (accounts, calls, sales), with the users, the affiliations and
    the suggestions: what else the team's figures are read from. Key-message reactions are
    written with their call, which the calls' part shows."""
    stamp = list(home_figures.data_stamp(conn))
    for table in (User, Affiliation, Suggestion):
        stamp += list(conn.execute(select(func.count(), func.max(table.version),
                                          func.max(table.updated_at))).one())
    return tuple(stamp)


def team_figures(conn: Connection, today: dt.date) -> TeamFigures:
    return TeamFigures(_reps(conn, today), _key_accounts(conn, today))


def _reps(conn: Connection, today: dt.date) -> tuple[RepFigures, ...]:
    week_start = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time())
    month_start = dt.datetime.combine(today.replace(day=1), dt.time())
    since = dt.datetime.combine(today - dt.timedelta(days=home_figures.QUARTER_DAYS),
                                dt.time())
    recent = dt.datetime.combine(today - dt.timedelta(days=RECENT_WORK_DAYS), dt.time())
    team = conn.execute(
        select(User.id, User.display_name, User.territory_id, Territory.name)
        .join(Territory, Territory.id == User.territory_id)
        .where(User.role == "rep", User.deleted == false(), Territory.deleted == false())
        .order_by(User.display_name)).all()
    if not team:
        return ()
    territories = {str(t) for _u, _n, t, _tn in team}
    # The territories' accounts per segment, and their A accounts reached in the quarter.
    accounts: dict[tuple[str, str], int] = defaultdict(int)
    a_reached: dict[str, int] = defaultdict(int)
    for territory, segment, count, hit in conn.execute(
            select(Account.territory_id, Account.segment, func.count(),
                   func.sum(case((Account.last_contact_at >= since, 1), else_=0)))
            .where(Account.deleted == false(), Account.territory_id.in_(territories),
                   Account.segment.in_(home_figures.SEGMENTS))
            .group_by(Account.territory_id, Account.segment)):
        accounts[str(territory), str(segment)] = int(count)
        if segment == "A":
            a_reached[str(territory)] = int(hit or 0)
    # One pass over the month's (and four weeks') submitted calls: the week's and month's
    # counts, and the recent calls' reactions looked up through the key messages' index on
    # the call (a CASE evaluates the lookups for those calls only).
    reactions = select(func.count()).where(
        DiscussedKeyMessage.interaction_id == Interaction.id,
        DiscussedKeyMessage.deleted == false(),
        DiscussedKeyMessage.reaction.is_not(None)).scalar_subquery()
    positive = select(func.count()).where(
        DiscussedKeyMessage.interaction_id == Interaction.id,
        DiscussedKeyMessage.deleted == false(),
        DiscussedKeyMessage.reaction == "positive").scalar_subquery()
    # Grouped by an expression: by the bare column SQLite may walk the owner index, every
    # call of the history, to save a sort of the month's few.
    owner_of = func.coalesce(Interaction.owner_id, "")
    calls: dict[str, tuple[int, int, int, int]] = {}
    for owner, week, month, reacted, liked in conn.execute(
            select(owner_of,
                   func.sum(case((Interaction.start_at >= week_start, 1), else_=0)),
                   func.sum(case((Interaction.start_at >= month_start, 1), else_=0)),
                   func.sum(case((Interaction.start_at >= recent, reactions), else_=0)),
                   func.sum(case((Interaction.start_at >= recent, positive), else_=0)))
            .where(Interaction.status == "submitted", Interaction.deleted == false(),
                   Interaction.not_received == false(),
                   Interaction.start_at >= min(week_start, month_start, recent))
            .group_by(owner_of)):
        calls[str(owner)] = (int(week or 0), int(month or 0), int(reacted or 0),
                             int(liked or 0))
    suggestions: dict[str, tuple[int, int]] = {}
    for owner, decided, taken in conn.execute(
            select(Suggestion.owner_id, func.count(),
                   func.sum(case((Suggestion.status.in_(TAKEN), 1), else_=0)))
            .where(Suggestion.status.in_(DECIDED), Suggestion.deleted == false(),
                   Suggestion.status_at >= recent)
            .group_by(Suggestion.owner_id)):
        suggestions[str(owner)] = (int(decided), int(taken or 0))
    plans = plan_targets.territory_plans(conn, today, sorted(territories))
    done = plan_targets.calls_in_periods(conn, dict(plans), today)
    reps = []
    for user_id, name, territory_id, territory_name in team:
        territory = str(territory_id)
        plan = plans[territory]
        yearly = plan.yearly
        week, month, reacted, liked = calls.get(user_id, (0, 0, 0, 0))
        decided, taken = suggestions.get(user_id, (0, 0))
        reps.append(RepFigures(
            user_id=user_id, name=name, territory_id=territory, territory=territory_name,
            calls_week=week, plan_week=yearly / 52, calls_month=month,
            plan_month=yearly / 12, a_accounts=accounts[territory, "A"],
            a_reached=a_reached[territory], reactions=reacted, positive=liked,
            suggestions_decided=decided, suggestions_taken=taken,
            cycle_calls=None if plan.target is None else done.get(territory, 0),
            cycle_target=plan.target))
    return tuple(reps)


def _key_accounts(conn: Connection, today: dt.date) -> tuple[KeyAccount, ...]:
    """The institutions with most affiliated doctors, with the team's calls on them and on
    their doctors: the latest, and how many in the last RECENT_DAYS days."""
    doctor = Account.__table__.alias("doctor")
    doctors = func.count(Affiliation.hcp_id)
    chosen = [(str(hco), str(name), city, int(n)) for hco, name, city, n in conn.execute(
        select(Affiliation.hco_id, Account.name, Account.city, doctors)
        .join(Account, Account.id == Affiliation.hco_id)
        .where(Affiliation.deleted == false(), Account.deleted == false(),
               Account.kind == "hco",
               select(doctor.c.id).where(doctor.c.id == Affiliation.hcp_id,
                                         doctor.c.deleted == false()).exists())
        .group_by(Affiliation.hco_id, Account.name, Account.city)
        .order_by(doctors.desc(), Account.name).limit(KEY_ACCOUNTS))]
    if not chosen:
        return ()
    members: dict[str, set[str]] = {hco: {hco} for hco, _name, _city, _n in chosen}
    for hcp, hco in conn.execute(select(Affiliation.hcp_id, Affiliation.hco_id).where(
            Affiliation.hco_id.in_(list(members)), Affiliation.deleted == false())):
        members[str(hco)].add(str(hcp))
    every = sorted(set().union(*members.values()))
    recent_since = dt.datetime.combine(today - dt.timedelta(days=RECENT_DAYS), dt.time())
    activity: dict[str, tuple[dt.datetime | None, int]] = {}
    # The status inside the aggregates, so SQLite looks the calls up by account (the
    # status index would walk every submitted call of the history). A visit the doctor did
    # not receive is no call on the account.
    submitted = and_(Interaction.status == "submitted", Interaction.not_received == false())
    for account_id, last, recent in conn.execute(
            select(Interaction.account_id,
                   func.max(type_coerce(case((submitted, Interaction.start_at)), DateTime)),
                   func.sum(case((and_(submitted, Interaction.start_at >= recent_since), 1),
                                 else_=0)))
            .where(Interaction.account_id.in_(every), Interaction.deleted == false())
            .group_by(Interaction.account_id)):
        activity[str(account_id)] = (last, int(recent or 0))
    found = []
    for hco, name, city, count in chosen:
        seen = [activity[a] for a in members[hco] if a in activity]
        lasts = [last for last, _n in seen if last is not None]
        found.append(KeyAccount(hco, name, city, count, max(lasts) if lasts else None,
                                sum(n for _l, n in seen)))
    return tuple(found)
