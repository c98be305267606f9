"""A territory's history read once, in time order and in chunks, keeping only its recent part.

The engine counts every touchpoint into its features (numpy arrays), but keeps touchpoints as
objects only for what asks about single ones: the guards (contacts in the cap window before a
suggestion's due day) and the control report (the last `REPORT_DAYS`). A territory of 50,000
accounts has a million touchpoints; kept whole they were most of the laptop's memory
(docs/memory.md). So the history is streamed: a chunk at a time is counted and then dropped,
except the touchpoints of the last `KEPT_DAYS` before the newest one, and those in the cap
window of the earliest suggestion still open (a guard checks it again after the next call).

`KEPT_DAYS` has a margin over what the guards and the report look back: they give the same
answers as with the whole history for any day from `MARGIN_DAYS` before the newest
touchpoint on (tests/engine/test_recent_history.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from app.engine.control import REPORT_DAYS
from app.engine.facts import Suggestion, Touchpoint
from app.engine.features import CAP_WINDOW_DAYS

#: Days before the newest touchpoint the report or a guard may still ask about, when "today"
#: lies a little before it (a clock set wrong, calls of another time zone).
MARGIN_DAYS = 30
KEPT_DAYS = max(REPORT_DAYS, CAP_WINDOW_DAYS) + MARGIN_DAYS
#: Touchpoints counted at once: large enough for the vectorised counting, small enough that
#: a chunk's objects and counting lists stay a few MB.
CHUNK = 10_000


def in_time_order(touchpoints: Iterable[Touchpoint]) -> Iterator[list[Touchpoint]]:
    """The touchpoints in chunks of `CHUNK`, oldest first.

    A sequence (a caller holding the history anyway) is sorted, stably; any other iterable
    (the store's stream, ORDER BY start) must already come in time order and is never held
    whole: one that goes back in time raises ValueError.
    """
    if isinstance(touchpoints, Sequence):
        touchpoints = sorted(touchpoints, key=lambda t: t.at)
    stream = iter(touchpoints)
    last: dt.datetime | None = None
    while chunk := list(islice(stream, CHUNK)):
        for touch in chunk:
            if last is not None and touch.at < last:
                raise ValueError(
                    f"touchpoints must come in time order: {touch.at} came after {last}")
            last = touch.at
        yield chunk


class RecentHistory:
    """Per account, the touchpoints not older than the kept window (oldest first)."""

    def __init__(self, open_suggestions: Iterable[Suggestion] = ()) -> None:
        dues = [s.due for s in open_suggestions]
        #: The cap window of the earliest open suggestion: kept whatever the newest is.
        self.floor = min(dues) - dt.timedelta(days=CAP_WINDOW_DAYS - 1) if dues else None
        self.by_account: defaultdict[str, list[Touchpoint]] = defaultdict(list)
        self.horizon = dt.datetime.min

    def _move_horizon(self, newest: dt.datetime) -> None:
        start = newest.date() - dt.timedelta(days=KEPT_DAYS)
        if self.floor is not None:
            start = min(start, self.floor)
        self.horizon = max(self.horizon, dt.datetime.combine(start, dt.time()))

    def add(self, chunk: Sequence[Touchpoint]) -> None:
        """Keep a chunk in time order, dropping what the window passed in the accounts it
        touches (the others at `finish`)."""
        if not chunk:
            return
        self._move_horizon(chunk[-1].at)
        horizon = self.horizon
        for touch in chunk:
            if touch.at < horizon:
                continue
            kept = self.by_account[touch.account_id]
            if kept and kept[0].at < horizon:
                _drop_before(kept, horizon)
            kept.append(touch)

    def finish(self) -> defaultdict[str, list[Touchpoint]]:
        """The kept history: every account's touchpoints from the horizon on."""
        horizon = self.horizon
        for account_id in list(self.by_account):
            kept = self.by_account[account_id]
            _drop_before(kept, horizon)
            if not kept:
                del self.by_account[account_id]
        return self.by_account


def _drop_before(kept: list[Touchpoint], horizon: dt.datetime) -> None:
    old = 0
    while old < len(kept) and kept[old].at < horizon:
        old += 1
    del kept[:old]


def stream(touchpoints: Iterable[Touchpoint], count: Callable[[list[Touchpoint]], object],
           open_suggestions: Iterable[Suggestion] = ()) -> defaultdict[str, list[Touchpoint]]:
    """Count every touchpoint in (`count`, chunk by chunk, oldest first) and return the
    recent history per account; nothing else of the stream stays alive."""
    recent = RecentHistory(open_suggestions)
    for chunk in in_time_order(touchpoints):
        count(chunk)
        recent.add(chunk)
    return recent.finish()
