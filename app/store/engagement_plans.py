"""An account's engagement plan as it runs: the plan's steps the engine suggested so far.

The engine keeps a plan in its suggestions (`plan_id`, `plan_step`): each step it proposed is
a suggestion row, answered (accepted, completed), dismissed, expired or still open. Reading
them back in order gives what the account screen shows: the steps done, the next one, whose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, text


@dataclass(frozen=True, slots=True)
class PlanStepLine:
    """One step of the plan as suggested: what, by which channel, when, whose, and where it
    stands (a SuggestionStatus value)."""

    action: str
    channel: str
    due: dt.date
    status: str
    owner_role: str
    owner_name: str | None


@dataclass(frozen=True, slots=True)
class PlanProgress:
    plan_id: str
    steps: tuple[PlanStepLine, ...]

    @property
    def next_step(self) -> PlanStepLine | None:
        return next((s for s in self.steps if s.status == "open"), None)

    @property
    def done(self) -> tuple[PlanStepLine, ...]:
        return tuple(s for s in self.steps if s.status in ("accepted", "completed"))


def engagement_plan(conn: Connection, account_id: str) -> PlanProgress | None:
    """The account's latest plan (the one whose last step is newest), or None without one."""
    rows = conn.execute(text("""
        SELECT s.plan_id, s.action, s.channel, s.due_date, s.status, s.owner_role,
               u.display_name
        FROM suggestions s LEFT JOIN users u ON u.id = s.owner_id
        WHERE s.account_id = :account AND s.plan_id IS NOT NULL AND s.deleted = 0
        ORDER BY s.due_date, s.plan_step"""), {"account": account_id}).all()
    if not rows:
        return None
    plan_id = rows[-1][0]
    steps = tuple(PlanStepLine(r[1], r[2], _date(r[3]), r[4], r[5], r[6])
                  for r in rows if r[0] == plan_id)
    return PlanProgress(plan_id, steps)


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
