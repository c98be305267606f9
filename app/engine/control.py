"""Control groups: which accounts are held out, and whether the treated did better.

Membership is a hash of the account id with a salt, so it is the same on every laptop and the
server, survives reinstalls, and no one can move a favourite doctor into the treated group.
The report compares the groups on the same KPIs from the same history (docs/rules.md,
"control groups": identical data sources), each difference with a 95 % bootstrap confidence
interval: the accounts of each group are drawn again many times (`_rates`) and the KPI
recomputed, because a doctor's contacts are not independent of each other (a normal
interval over contacts would be too narrow), and because a territory's control group is
small. The draws are seeded: the same history gives the same interval on every opening.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from app.engine.facts import AccountFacts, Touchpoint

RESAMPLES = 2000
LEVEL = 0.95
#: The report's period: the last 90 days (the engine keeps at least that much history as
#: objects, app/engine/recent.py).
REPORT_DAYS = 90


def in_control_group(account_id: str, share: float, salt: str = "fieldrep") -> bool:
    """True for a stable `share` of accounts (0 <= share < 1)."""
    if share <= 0:
        return False
    digest = hashlib.sha256(f"{salt}:{account_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


@dataclass(frozen=True, slots=True)
class Outcome:
    """One account's figures over the report period."""

    account_id: str
    reached: bool  # contacted at least once
    contacts: int
    responses: int  # contacts the doctor responded to
    positive: int  # positive reactions
    reactions: int  # reactions recorded


@dataclass(frozen=True, slots=True)
class Kpi:
    """One KPI in both groups and the difference treated - control with its 95 % bootstrap
    interval (`low`, `high`)."""

    name: str
    treated: float
    control: float
    treated_n: int
    control_n: int
    difference: float
    low: float
    high: float

    @property
    def significant(self) -> bool:
        """The interval excludes zero: the difference is unlikely to be chance. Until then
        the report says it is not yet significant."""
        return self.low > 0 or self.high < 0


@dataclass(frozen=True, slots=True)
class ControlReport:
    treated_accounts: int
    control_accounts: int
    kpis: tuple[Kpi, ...]


def _kpi(name: str, treated: Sequence[tuple[int, int]], control: Sequence[tuple[int, int]],
         resamples: int, rng: np.random.Generator) -> Kpi:
    """One KPI (hits out of trials, summed over a group's accounts) and the bootstrap
    interval of treated - control; infinite while a group has no trials at all."""
    t, c = np.asarray(treated, dtype=float).reshape(-1, 2), \
        np.asarray(control, dtype=float).reshape(-1, 2)
    t_n, c_n = int(t[:, 1].sum()), int(c[:, 1].sum())
    pt = float(t[:, 0].sum()) / t_n if t_n else 0.0
    pc = float(c[:, 0].sum()) / c_n if c_n else 0.0
    diff = pt - pc
    if not t_n or not c_n:
        return Kpi(name, pt, pc, t_n, c_n, diff, -math.inf, math.inf)
    draws = _rates(t, resamples, rng) - _rates(c, resamples, rng)
    low, high = np.nanquantile(draws, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return Kpi(name, pt, pc, t_n, c_n, diff, float(low), float(high))


def _rates(group: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """The group's rate in each of `resamples` redraws of its accounts, n of n with
    replacement (NaN: a redraw without any trial). Accounts with the same figures are
    interchangeable, so a redraw is how many of each distinct (hits, trials) it took: one
    multinomial over a few dozen patterns instead of an index per account and draw."""
    patterns, counts = np.unique(group, axis=0, return_counts=True)
    taken = rng.multinomial(len(group), counts / len(group), size=resamples)
    hits, trials = taken @ patterns[:, 0], taken @ patterns[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(trials > 0, hits / trials, np.nan)


def compare(treated: Sequence[Outcome], control: Sequence[Outcome],
            resamples: int = RESAMPLES, seed: int = 0) -> ControlReport:
    """Reach (share of accounts contacted), response (share of contacts answered) and
    positive reactions (share of reactions that were positive), treated vs control."""
    rng = np.random.default_rng(seed)
    return ControlReport(len(treated), len(control), (
        _kpi("reach", [(o.reached, 1) for o in treated], [(o.reached, 1) for o in control],
             resamples, rng),
        _kpi("response", [(o.responses, o.contacts) for o in treated],
             [(o.responses, o.contacts) for o in control], resamples, rng),
        _kpi("positive_reactions", [(o.positive, o.reactions) for o in treated],
             [(o.positive, o.reactions) for o in control], resamples, rng),
    ))


def report_since(accounts: Iterable[AccountFacts], history: Mapping[str, Sequence[Touchpoint]],
                 in_control: Callable[[str], bool], since: dt.datetime) -> ControlReport:
    """The report over the doctors' touchpoints from `since` on (institutions have none to
    compare): `history` needs to hold only those (the engine keeps the recent ones)."""
    treated: list[Outcome] = []
    control: list[Outcome] = []
    for account in accounts:
        if account.kind != "hcp":
            continue
        # A visit he did not receive is a failed attempt: he was not contacted.
        touches = [t for t in history.get(account.account_id, ())
                   if t.at >= since and not t.failed_visit]
        outcome = Outcome(
            account.account_id, bool(touches), len(touches),
            sum(t.responded for t in touches),
            sum(r.reaction == "positive" for t in touches for r in t.reactions),
            sum(r.reaction is not None for t in touches for r in t.reactions))
        (control if in_control(account.account_id) else treated).append(outcome)
    return compare(treated, control)
