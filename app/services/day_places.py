"""Where the rep is on a day: the cities of the day's planned visits in person.

Today's suggestions are planned by the engine over the whole territory; a rep whose day is
in one city read visits suggested in six. The engine stays unaware of the calendar (its
plan is for the week); Today shows each suggestion's city and puts the visits in the cities
the rep is in that day first, so the ones that fit the day are the ones seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.visit_slots import to_utc
from app.store.accounts import Account
from app.store.base import CallStatus
from app.store.interactions import Interaction

IN_PERSON = "in_person"


class Placed(Protocol):
    @property
    def channel(self) -> str: ...
    @property
    def city(self) -> str | None: ...


def cities_of_day(session: Session, owner_id: str | None, day: dt.date) -> frozenset[str]:
    """The cities of `owner_id`'s visits in person planned on `day` (local time)."""
    start = to_utc(dt.datetime.combine(day, dt.time()))
    end = to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    owner = (Interaction.owner_id.is_(None) if owner_id is None
             else Interaction.owner_id == owner_id)
    rows = session.scalars(
        select(Account.city).join(Interaction, Interaction.account_id == Account.id)
        .where(Interaction.status == CallStatus.PLANNED.value,
               Interaction.deleted.is_(False), Interaction.channel == IN_PERSON,
               Interaction.start_at >= start, Interaction.start_at < end, owner)
        .distinct())
    return frozenset(city for city in rows if city)


def is_near(item: Placed, cities: frozenset[str]) -> bool:
    """A visit in person in a city the rep is in that day."""
    return item.channel == IN_PERSON and item.city is not None and item.city in cities


class Marked(Protocol):
    @property
    def near(self) -> bool: ...


M = TypeVar("M", bound=Marked)


def near_first(items: Sequence[M]) -> list[M]:
    """The items marked near first, the rest in their order."""
    return sorted(items, key=lambda item: not item.near)
