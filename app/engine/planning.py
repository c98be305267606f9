"""The week's plan: which doctors, in which channel, on which working day, within the rep's
budget of each kind of work.

Why its own module: a rep's week is not one list of "the top N accounts". Visits and remote
calls, e-mails, event invitations and MSL follow-ups are separate budgets (a rep who has
sent the week's e-mails can still visit; the MSL's follow-ups are the MSL's time), and a
doctor's channel is his own choice before it is ours: the industry reaches doctors in the
channel they prefer in well under half of its contacts, and a contact in the wrong channel
is answered less. So the plan

- ranks every allowed (doctor, channel) pair by the account's priority terms, with the
  expected response in *that* channel, and discounts the channels the doctor does not
  prefer (`OFF_PREFERENCE`): another channel is used only where its value still beats what
  is left of the preferred ones (a budget with room and no doctor preferring it);
- fills each kind's budget from the top, one suggestion per doctor and list, with at most
  the rule set's `off_channel_share` of the list outside the doctors' own channels (rules'
  suggestions included): a budget no doctor's channel fills is better left to the rep than
  spent on contacts the doctors did not ask for;
- dates each suggestion on a working day, spread over the window, and on the first working
  day on which the frequency cap still has room.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping

import numpy as np

from app.engine.facts import CHANNELS
from app.engine.scoring import W_RESPONSE, Scores

#: Kinds of work a rep's week is budgeted in.
CALLS, EMAILS, EVENTS, MSL = "calls", "emails", "events", "msl"
KINDS = (CALLS, EMAILS, EVENTS, MSL)
#: A channel other than the doctor's own is worth this share of the same contact in his
#: own channel: it fills a budget only where no contact in a doctor's own channel is left.
#: Less so where he stated his channel than where it is only learned (there, another
#: channel may well turn out to be his, and trying it teaches the engine which).
OFF_STATED, OFF_LEARNED = 0.5, 0.8


def kind_of(channel: str, owner_role: str) -> str:
    """Which budget a suggestion spends."""
    if owner_role == "msl":
        return MSL
    return {"email": EMAILS, "event": EVENTS}.get(channel, CALLS)


class Budget:
    """What is left of the window's budgets. Without per-kind budgets, `capacity`
    suggestions for the rep of any kind (the Today list), none for the MSL. Of all of it,
    at most `off_channel_share` in a channel other than the doctor's own."""

    def __init__(self, capacity: int, budgets: Mapping[str, int] | None = None,
                 off_channel_share: float = 1.0) -> None:
        self.by_kind = budgets is not None
        self.left: Counter[str] = Counter(
            {k: max(0, int(v)) for k, v in budgets.items()} if budgets is not None
            else {"rep": max(0, capacity)})
        self.total = max(0, capacity)
        self.off_channel = int(off_channel_share * self.total)

    def _key(self, channel: str, owner_role: str) -> str:
        if self.by_kind:
            return kind_of(channel, owner_role)
        return "rep" if owner_role == "rep" else ""

    def fits(self, channel: str, owner_role: str, own_channel: bool = True) -> bool:
        return self.total > 0 and self.left[self._key(channel, owner_role)] > 0 \
            and (own_channel or self.off_channel > 0)

    def take(self, channel: str, owner_role: str, own_channel: bool = True) -> None:
        self.left[self._key(channel, owner_role)] -= 1
        self.total -= 1
        self.off_channel -= not own_channel

    @property
    def spent(self) -> bool:
        return self.total <= 0 or not any(v > 0 for v in self.left.values())


def workdays(today: dt.date, days: int) -> list[dt.date]:
    """The working days (Monday to Friday) of the window; all its days when it holds none
    (a rep planning on a Sunday for that Sunday)."""
    window = [today + dt.timedelta(days=k) for k in range(max(days, 1))]
    return [d for d in window if d.weekday() < 5] or window


def candidates(scores: Scores, allowed: np.ndarray,
               rows: np.ndarray) -> list[tuple[float, int, int]]:
    """(value, account row, channel index) of every allowed pair of `rows`, best first.

    The value is the account's priority with the response term taken in the pair's channel,
    discounted off the doctor's preferred channel (module docstring).
    """
    if len(rows) == 0:
        return []
    rate = scores.channel[rows]
    base = (scores.parts[rows, 0] + scores.parts[rows, 2])[:, None] \
        + W_RESPONSE * np.clip(rate, 0.0, 1.0)
    headroom = np.clip(1.0 - scores.recent[rows] / np.maximum(scores.cap[rows], 1.0), 0.0, 1.0)
    preferred = scores.preferred[rows][:, None] == np.arange(len(CHANNELS))[None, :]
    off = np.where(scores.stated[rows], OFF_STATED, OFF_LEARNED)[:, None]
    value = base * (0.4 + 0.6 * headroom)[:, None] * np.where(preferred, 1.0, off)
    value = np.where(allowed[rows], value, -1.0)
    order = np.argsort(-value, axis=None, kind="stable")
    width = len(CHANNELS)
    return [(float(value.flat[k]), int(rows[k // width]), k % width)
            for k in order.tolist() if value.flat[k] >= 0.0]
