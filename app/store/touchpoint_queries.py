"""The touchpoints outside systems reported about one account, as history entries.

They sit beside the calls in the account's history (`app.store.queries.account_history`
reads the calls; the account screen merges both, newest first), so a rep sees before a
visit that the doctor attended last week's webinar or opened the study e-mail.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, text

from app.contract import Channel, TouchpointKind
from app.store.queries import TimelineEntry

#: The channel a touchpoint kind belongs to (its icon and the engine's reading of it).
CHANNEL_OF = {
    TouchpointKind.WEBINAR_ATTENDED: Channel.EVENT,
    TouchpointKind.EVENT_REGISTERED: Channel.EVENT,
    TouchpointKind.WEBSITE_VISIT: "web",
    TouchpointKind.EMAIL_OPENED: Channel.EMAIL,
    TouchpointKind.EMAIL_CLICKED: Channel.EMAIL,
}
#: The status a touchpoint shows: reported from outside, never drafted or submitted here.
REPORTED = "reported"


def outside_touchpoints(conn: Connection, account_id: str) -> list[TimelineEntry]:
    """The account's touchpoints from outside systems, newest first."""
    rows = conn.execute(text(
        "SELECT id, occurred_at, kind, title, detail, source FROM touchpoints "
        "WHERE account_id = :id AND deleted = 0 ORDER BY occurred_at DESC"), {"id": account_id})
    out = []
    for row_id, occurred, kind, title, detail, source in rows:
        at = occurred if isinstance(occurred, dt.datetime) else dt.datetime.fromisoformat(
            str(occurred))
        out.append(TimelineEntry(row_id, at, str(CHANNEL_OF.get(kind, "web")), REPORTED,
                                 title, detail, None, 0, source, touchpoint_kind=kind))
    return out


def with_touchpoints(conn: Connection, account_id: str,
                     calls: list[TimelineEntry]) -> list[TimelineEntry]:
    """The calls and the outside touchpoints of the account in one history, newest first."""
    merged = calls + outside_touchpoints(conn, account_id)
    return sorted(merged, key=lambda e: e.start_at, reverse=True)
