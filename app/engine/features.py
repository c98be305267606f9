"""Behaviour features per account, kept as running sums so one new call is one update.

Every touchpoint adds to a handful of counters in numpy arrays (one row per account):
contacts and responses per channel, call minutes per channel, positive and negative reactions
and slide dwell per topic, the last contact per channel and the recent contact times for the
frequency cap. Rescoring 5,000 accounts is then a few vectorised operations, and observing a
new call touches one row.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from app.engine.facts import CHANNELS, TOPICS, AccountFacts, Touchpoint

EPOCH = dt.datetime(2000, 1, 1)
C = len(CHANNELS)
T = len(TOPICS)
CHANNEL_INDEX = {c: i for i, c in enumerate(CHANNELS)}
TOPIC_INDEX = {t: i for i, t in enumerate(TOPICS)}
CAP_WINDOW_DAYS = 30
RECENT_KEPT = 32  # contact days kept per account for the cap (no cap is above 30)
REACTION_CODE = {"positive": 1, "neutral": 0, "negative": -1}
#: Dose levels kept per account: a contact's number in its 30 days (1: the only one; the
#: last level holds that many and more). What a doctor's own tolerance is learned from.
DOSE_LEVELS = 6
#: Channels with a call duration worth comparing (e-mails have none, events are fixed).
TIMED = (CHANNEL_INDEX["in_person"], CHANNEL_INDEX["phone"], CHANNEL_INDEX["video"])
VISIT = CHANNEL_INDEX["in_person"]
#: Visits turned away in a row that say his door is closed now (one is bad luck: a full
#: waiting room; the rep is told from the second on, with a channel that reaches him).
MISSED_IN_A_ROW = 2


def day_number(at: dt.datetime | dt.date) -> float:
    """Days since 2000-01-01 as a float: cheap to subtract in bulk."""
    if not isinstance(at, dt.datetime):
        at = dt.datetime(at.year, at.month, at.day)
    return (at - EPOCH).total_seconds() / 86400.0


class Features:
    """The running behaviour counters of every account of a territory."""

    def __init__(self, accounts: Sequence[AccountFacts]) -> None:
        self.accounts = list(accounts)
        self.index = {a.account_id: i for i, a in enumerate(self.accounts)}
        n = len(self.accounts)
        self.contacts = np.zeros((n, C))
        self.responses = np.zeros((n, C))
        self.minutes = np.zeros((n, C))
        self.timed = np.zeros((n, C))
        self.positive = np.zeros((n, T))
        self.negative = np.zeros((n, T))
        self.reactions = np.zeros((n, T))
        self.dwell = np.zeros((n, T))
        self.dwelled = np.zeros((n, T))
        self.last = np.full((n, C), np.nan)
        self.recent: list[list[float]] = [[] for _ in range(n)]
        self.stated = np.zeros((n, C))
        self.allowed = np.ones((n, C), dtype=bool)  # channels the consents allow
        self.granted = np.zeros((n, C), dtype=bool)  # channels with consent granted
        self.potential = np.zeros(n)
        self.is_hcp = np.zeros(n, dtype=bool)
        # Visits at which the doctor did not receive the rep: attempts, not contacts (they
        # count nowhere else), and what restricted access looks like in the history.
        self.failed = np.zeros(n)
        # The visits he did not receive since the last one he did: restricted access now,
        # whatever it was before (the rep is told, and tries another channel).
        self.missed = np.zeros(n)
        # Contacts and answers by dose level (`DOSE_LEVELS`): how he answers a contact that
        # was his first, second, ... in 30 days (`learn.tolerance`).
        self.dose_contacts = np.zeros((n, DOSE_LEVELS))
        self.dose_answers = np.zeros((n, DOSE_LEVELS))
        # One training sample per touchpoint: account row, channel, day, and whether the
        # doctor responded (with the contacts of the 30 days before it, the frequency
        # effect is learned from these: `sample_recent`). Typed arrays, not lists: 14 bytes
        # a touchpoint instead of some 70 in Python numbers (a million calls: 14 MB).
        self.sample_row = array("i")
        self.sample_channel = array("b")
        self.sample_day = array("d")
        self.sample_response = array("b")
        for i, account in enumerate(self.accounts):
            self._facts(i, account)

    def _facts(self, i: int, account: AccountFacts) -> None:
        self.stated[i] = 0.0
        for rank, channel in enumerate(account.preferred_channels[:C]):
            if channel in CHANNEL_INDEX:
                self.stated[i, CHANNEL_INDEX[channel]] = 1.0 / (rank + 1)
        self.allowed[i] = [account.allows(c) for c in CHANNELS]
        self.granted[i] = [account.consent(c) == "granted" for c in CHANNELS]
        self.potential[i] = min(1.0, max(0.0, account.potential))
        self.is_hcp[i] = account.kind == "hcp"

    def update_facts(self, account: AccountFacts) -> None:
        """New master data (consent given, potential changed) for a known account."""
        i = self.index.get(account.account_id)
        if i is None:
            self.accounts.append(account)
            self._grow(account)
            return
        self.accounts[i] = account
        self._facts(i, account)

    def _grow(self, account: AccountFacts) -> None:
        i = len(self.index)
        self.index[account.account_id] = i
        for name in ("contacts", "responses", "minutes", "timed", "positive", "negative",
                     "reactions", "dwell", "dwelled", "stated", "dose_contacts",
                     "dose_answers"):
            values = getattr(self, name)
            setattr(self, name, np.vstack([values, np.zeros((1, values.shape[1]))]))
        self.last = np.vstack([self.last, np.full((1, C), np.nan)])
        self.allowed = np.vstack([self.allowed, np.ones((1, C), dtype=bool)])
        self.granted = np.vstack([self.granted, np.zeros((1, C), dtype=bool)])
        self.recent.append([])
        for name in ("potential", "is_hcp", "failed", "missed"):
            values = getattr(self, name)
            setattr(self, name, np.append(values, np.zeros(1, dtype=values.dtype)))
        self._facts(i, account)

    def add(self, touchpoints: Iterable[Touchpoint], *, recent: bool = True) -> int:
        """Count many touchpoints in at once (vectorised); unknown accounts or channels are
        skipped. Returns how many were counted.

        `recent=False` leaves the contact days of the cap out, for a history counted chunk by
        chunk: merging them per chunk and account cost more than the counting, so the caller
        then takes them from the samples once (`recent_from_samples`)."""
        rows, chans, days, responded, minutes = [], [], [], [], []
        r_rows, r_topics, r_kind, d_rows, d_topics, d_secs = [], [], [], [], [], []
        index = self.index
        failed: list[int] = []
        # Accounts with visits turned away since their last received one: a set lookup per
        # visit, not an array write (a history is a million touchpoints).
        missed = self.missed
        closed = set(np.nonzero(missed)[0].tolist())
        for touch in touchpoints:
            i = index.get(touch.account_id)
            c = CHANNEL_INDEX.get(touch.channel)
            if i is None or c is None:
                continue
            if touch.failed_visit:
                failed.append(i)
                missed[i] += 1
                closed.add(i)
                continue
            if c == VISIT and i in closed:
                missed[i] = 0.0
                closed.discard(i)
            rows.append(i)
            chans.append(c)
            days.append(day_number(touch.at))
            responded.append(touch.responded)
            minutes.append(np.nan if touch.duration_min is None or c not in TIMED
                           else touch.duration_min)
            for reaction in touch.reactions:
                t = TOPIC_INDEX.get(reaction.topic)
                if t is None:
                    continue
                if reaction.reaction is not None:
                    r_rows.append(i)
                    r_topics.append(t)
                    r_kind.append(REACTION_CODE.get(reaction.reaction, 0))
                if reaction.dwell_s is not None:
                    d_rows.append(i)
                    d_topics.append(t)
                    d_secs.append(reaction.dwell_s)
        np.add.at(self.failed, np.asarray(failed, dtype=int), 1.0)
        if not rows:
            return len(failed)
        row = np.asarray(rows)
        chan = np.asarray(chans)
        day = np.asarray(days)
        answer = np.asarray(responded, dtype=float)
        length = np.asarray(minutes, dtype=float)
        np.add.at(self.contacts, (row, chan), 1.0)
        np.add.at(self.responses, (row, chan), answer)
        timed = ~np.isnan(length)
        np.add.at(self.minutes, (row[timed], chan[timed]), length[timed])
        np.add.at(self.timed, (row[timed], chan[timed]), 1.0)
        if r_rows:
            rr, rt, rk = np.asarray(r_rows), np.asarray(r_topics), np.asarray(r_kind)
            np.add.at(self.reactions, (rr, rt), 1.0)
            np.add.at(self.positive, (rr, rt), (rk == 1).astype(float))
            np.add.at(self.negative, (rr, rt), (rk == -1).astype(float))
        if d_rows:
            dr, dt_ = np.asarray(d_rows), np.asarray(d_topics)
            np.add.at(self.dwell, (dr, dt_), np.asarray(d_secs, dtype=float))
            np.add.at(self.dwelled, (dr, dt_), 1.0)
        last = np.full_like(self.last, -np.inf)
        np.maximum.at(last, (row, chan), day)
        self.last = np.where(np.isinf(last), self.last, np.fmax(self.last, last))
        self.sample_row.extend(rows)
        self.sample_channel.extend(chans)
        self.sample_day.extend(days)
        self.sample_response.extend(responded)
        if recent:
            self._keep_recent(row, day)
            self.dose_from_samples()
        return len(rows) + len(failed)

    def _keep_recent(self, row: np.ndarray, day: np.ndarray) -> None:
        """Merge contact days into each account's last `RECENT_KEPT`."""
        order = np.lexsort((day, row))
        bounds = np.searchsorted(row[order], np.arange(len(self.recent) + 1))
        for k in np.nonzero(np.diff(bounds))[0].tolist():
            mine = day[order[bounds[k]:bounds[k + 1]]][-RECENT_KEPT:].tolist()
            kept = sorted(self.recent[k] + mine)
            self.recent[k] = kept[-RECENT_KEPT:]

    def recent_from_samples(self) -> None:
        """Every account's last contact days, from the samples (one per contact counted),
        and the answers by dose level."""
        self.recent = [[] for _ in range(len(self.recent))]
        if self.sample_row:
            self._keep_recent(np.frombuffer(self.sample_row, dtype=np.int32),
                              np.frombuffer(self.sample_day, dtype=np.float64))
        self.dose_from_samples()

    def dose_from_samples(self) -> None:
        """Contacts and answers per account by dose level, recounted from the samples."""
        self.dose_contacts[:] = 0.0
        self.dose_answers[:] = 0.0
        if not self.sample_row:
            return
        row = np.frombuffer(self.sample_row, dtype=np.int32).astype(np.int64)
        level = np.minimum(self.sample_recent().astype(np.int64), DOSE_LEVELS - 1)
        cell = row * DOSE_LEVELS + level  # bincount: np.add.at is ten times slower here
        size = self.dose_contacts.size
        self.dose_contacts[:] = np.bincount(cell, minlength=size).reshape(
            self.dose_contacts.shape)
        self.dose_answers[:] = np.bincount(
            cell, weights=np.frombuffer(self.sample_response, dtype=np.int8).astype(float),
            minlength=size).reshape(self.dose_answers.shape)

    def sample_recent(self) -> np.ndarray:
        """Per training sample: the account's contacts in the 30 days before it."""
        # Read through the buffers: np.asarray of an array.array goes number by number.
        row = np.frombuffer(self.sample_row, dtype=np.int32).astype(float)
        day = np.frombuffer(self.sample_day, dtype=np.float64)
        key = row * 1e6 + day
        # Searched in sorted order and put back: sorted queries walk the array once, where
        # the samples' time order jumps about it (a quarter of a second at 250,000).
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        counts = np.empty(len(key))
        counts[order] = (np.searchsorted(ordered, ordered, "left")
                         - np.searchsorted(ordered, ordered - CAP_WINDOW_DAYS, "left"))
        return counts

    def add_one(self, touch: Touchpoint) -> int:
        i = self.index.get(touch.account_id)
        c = CHANNEL_INDEX.get(touch.channel)
        if i is None or c is None:
            return 0
        if touch.failed_visit:
            self.failed[i] += 1
            self.missed[i] += 1
            return 1
        if c == VISIT:
            self.missed[i] = 0.0
        day = day_number(touch.at)
        level = min(sum(1 for d in self.recent[i] if day - CAP_WINDOW_DAYS <= d < day),
                    DOSE_LEVELS - 1)
        self.dose_contacts[i, level] += 1
        self.dose_answers[i, level] += touch.responded
        self.contacts[i, c] += 1
        self.responses[i, c] += touch.responded
        if touch.duration_min is not None and c in TIMED:
            self.minutes[i, c] += touch.duration_min
            self.timed[i, c] += 1
        for reaction in touch.reactions:
            t = TOPIC_INDEX.get(reaction.topic)
            if t is None:
                continue
            if reaction.reaction is not None:
                self.reactions[i, t] += 1
                self.positive[i, t] += reaction.reaction == "positive"
                self.negative[i, t] += reaction.reaction == "negative"
            if reaction.dwell_s is not None:
                self.dwell[i, t] += reaction.dwell_s
                self.dwelled[i, t] += 1
        recent = self.recent[i]
        self.sample_row.append(i)
        self.sample_channel.append(c)
        self.sample_day.append(day)
        self.sample_response.append(touch.responded)
        last = self.last[i, c]
        if np.isnan(last) or day > last:
            self.last[i, c] = day
        recent.append(day)
        if len(recent) > 2 * RECENT_KEPT:
            recent.sort()
            del recent[:-RECENT_KEPT]
        return 1

    # ---- derived views -------------------------------------------------------------------

    def row(self, account_id: str) -> int | None:
        return self.index.get(account_id)

    def contacts_in_window(self, i: int, today: dt.date, days: int = CAP_WINDOW_DAYS) -> int:
        now = day_number(today) + 1.0
        return sum(1 for d in self.recent[i] if now - days <= d < now)

    def recent_counts(self, today: dt.date, days: int = CAP_WINDOW_DAYS,
                      rows: Sequence[int] | None = None) -> np.ndarray:
        now = day_number(today) + 1.0
        start = now - days
        chosen = range(len(self.recent)) if rows is None else rows
        return np.array([sum(1 for d in self.recent[i] if start <= d < now) for i in chosen],
                        dtype=float)

    def visits_failing(self, sel: Any = slice(None)) -> np.ndarray:
        """The share of the rep's visits each doctor will likely not receive, from his failed
        visits against those that took place (one of each assumed before any), or from the
        visits he turned away since the last he received, if that says more: access that
        closed lately is closed now, whatever it was."""
        visits = self.contacts[sel, VISIT]
        failed, missed = self.failed[sel], self.missed[sel]
        lately = np.where(missed >= MISSED_IN_A_ROW, missed / (missed + 1.0), 0.0)
        return np.maximum(failed / (failed + visits + 1.0), lately)

    def days_since(self, today: dt.date) -> np.ndarray:
        """Days since the last contact per channel (NaN: never)."""
        return np.floor(day_number(today) - self.last)

    def days_since_any(self, today: dt.date) -> np.ndarray:
        with np.errstate(all="ignore"):
            latest = np.where(np.all(np.isnan(self.last), axis=1), np.nan,
                              np.nanmax(np.where(np.isnan(self.last), -np.inf, self.last),
                                        axis=1))
        return np.floor(day_number(today) - latest)

    def behaviour(self, rows: Sequence[int] | None = None) -> np.ndarray:
        """The vector personas are learned from (one row per account, or `rows`), unscaled.

        Channel mix, response rate per channel, net reaction per topic, call length per
        timed channel relative to the territory, slide dwell per topic, stated preference.
        Smoothed towards neutral so a doctor seen twice is not an extreme.
        """
        sel: Any = slice(None) if rows is None else np.asarray(rows, dtype=int)
        contacts, timed, minutes = self.contacts[sel], self.timed[sel], self.minutes[sel]
        dwelled = self.dwelled[sel]
        total = contacts.sum(axis=1, keepdims=True)
        mix = (contacts + 0.2) / (total + 0.2 * C)
        rate = (self.responses[sel] + 0.5) / (contacts + 1.0)
        net = (self.positive[sel] - self.negative[sel]) / (self.reactions[sel] + 2.0)
        mean_minutes = minutes / np.maximum(timed, 1.0)
        overall = self.minutes.sum(axis=0) / np.maximum(self.timed.sum(axis=0), 1.0)
        length = np.where(timed > 0, mean_minutes / np.maximum(overall, 1e-9), 1.0)
        length = (np.log(np.maximum(length, 0.05)) * (timed / (timed + 1.0)))[:, TIMED]
        dwell_mean = self.dwell.sum(axis=0) / np.maximum(self.dwelled.sum(axis=0), 1.0)
        dwell = np.where(dwelled > 0, self.dwell[sel] / np.maximum(dwelled, 1.0)
                         / np.maximum(dwell_mean, 1e-9) - 1.0, 0.0)
        return np.hstack([mix, rate, net, length, dwell, self.stated[sel]])


#: Names of the behaviour columns, in order (evidence in words and persona naming use them).
BEHAVIOUR_COLUMNS = (
    *(f"mix:{c}" for c in CHANNELS), *(f"rate:{c}" for c in CHANNELS),
    *(f"net:{t}" for t in TOPICS), *(f"length:{CHANNELS[i]}" for i in TIMED),
    *(f"dwell:{t}" for t in TOPICS), *(f"stated:{c}" for c in CHANNELS),
)
