"""POST /api/v1/cycle-plans: a manager publishes a cycle plan (server/cycle_plans.py).

The lines are the CSV's columns as JSON; the checks and words are the CLI's. A caller who
is no manager or admin gets 403; a plan with a bad line 422, every bad line named and
nothing published; a published plan 200 with what changed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from server import cycle_plans
from server.api.common import ERRORS, CurrentPrincipal, FastJSON, Strict, api_error, get_db
from server.db import Database
from server.scope import Principal

router = APIRouter(prefix="/api/v1")

Cell = Annotated[str, Field(max_length=200)]


class PlanLine(Strict):
    territory: Cell
    period: Cell
    account: Cell = ""
    segment: Cell = ""
    channel: Cell = ""
    calls: int | Cell


class PlanIn(Strict):
    lines: list[PlanLine] = Field(min_length=1, max_length=100_000)
    account_system: str | None = Field(default=None, max_length=100)


class PlanOut(BaseModel):
    created: int
    updated: int
    unchanged: int
    withdrawn: int


def _publish(db: Database, who: Principal, body: PlanIn) -> cycle_plans.PublishReport:
    lines = [(number, {k: str(v) for k, v in line.model_dump().items()})
             for number, line in enumerate(body.lines, 1)]
    with db.writing() as session:
        return cycle_plans.publish(session, who, lines, body.account_system)


@router.post("/cycle-plans", response_model=PlanOut,
             responses={**ERRORS, 422: {"description": "bad lines, each named (line: its "
                                                       "position in `lines`, from 1)"}})
async def publish_plan(body: PlanIn, principal: CurrentPrincipal,
                       db: Annotated[Database, Depends(get_db)]) -> FastJSON:
    if principal.role not in cycle_plans.PUBLISHERS:
        raise api_error(403, "only managers and admins publish cycle plans")
    try:
        report = await run_in_threadpool(_publish, db, principal, body)
    except cycle_plans.PublishRefusedError as exc:
        raise api_error(403, str(exc)) from exc
    if not report.ok:
        return FastJSON({"error": f"{len(report.errors)} bad line(s): nothing published",
                         "detail": report.to_dict()["errors"]}, status_code=422)
    return FastJSON(report.to_dict())
