"""Control groups: which accounts are held out, and whether the treated did better.

Membership is a hash of the account id with a salt, so it is the same on every laptop and the
server, survives reinstalls, and no one can move a favourite doctor into the treated group.
The report compares the groups on the same KPIs from the same history (docs/rules.md,
"control groups": identical data sources), each difference with a 95 % confidence interval (normal
approximation of the difference of two proportions).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959964


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
    """One KPI in both groups and the difference treated - control with its 95 % interval."""

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
        return self.low > 0 or self.high < 0


@dataclass(frozen=True, slots=True)
class ControlReport:
    treated_accounts: int
    control_accounts: int
    kpis: tuple[Kpi, ...]


def _kpi(name: str, t_hits: int, t_n: int, c_hits: int, c_n: int) -> Kpi:
    pt = t_hits / t_n if t_n else 0.0
    pc = c_hits / c_n if c_n else 0.0
    variance = (pt * (1 - pt) / t_n if t_n else 0.0) + (pc * (1 - pc) / c_n if c_n else 0.0)
    half = Z95 * math.sqrt(variance) if t_n and c_n else math.inf
    diff = pt - pc
    return Kpi(name, pt, pc, t_n, c_n, diff, diff - half, diff + half)


def compare(treated: Sequence[Outcome], control: Sequence[Outcome]) -> ControlReport:
    """Reach (share of accounts contacted), response (share of contacts answered) and
    positive reactions (share of reactions that were positive), treated vs control."""
    def totals(group: Sequence[Outcome]) -> tuple[int, int, int, int, int]:
        return (sum(o.reached for o in group), len(group), sum(o.responses for o in group),
                sum(o.contacts for o in group), sum(o.positive for o in group))

    t_reach, t_n, t_resp, t_contacts, t_pos = totals(treated)
    c_reach, c_n, c_resp, c_contacts, c_pos = totals(control)
    t_reactions = sum(o.reactions for o in treated)
    c_reactions = sum(o.reactions for o in control)
    return ControlReport(len(treated), len(control), (
        _kpi("reach", t_reach, t_n, c_reach, c_n),
        _kpi("response", t_resp, t_contacts, c_resp, c_contacts),
        _kpi("positive_reactions", t_pos, t_reactions, c_pos, c_reactions),
    ))
