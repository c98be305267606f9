"""`fieldrep-server cycle-plan publish ...`: a manager publishes a cycle plan.

    fieldrep-server cycle-plan publish plan.csv --by anna-manager
    fieldrep-server cycle-plan publish --by anna-manager --territory BER-1 --period 2026-Q4 \
        --target A=6 --target B=4 --target C=2/phone
    fieldrep-server cycle-plan list BER-1

The checks and words are server/cycle_plans.py's, the API's too; the JSON report names every
bad line, and nothing is published unless every line is good. Exit status 1 when refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import false, func, select

from server import cycle_plans
from server.db import Database
from server.importing.records import ImportFormatError
from server.models import Account, CyclePlan, Territory


def add_parser(sub: argparse._SubParsersAction) -> None:
    plan = sub.add_parser("cycle-plan", help="publish or list cycle plans",
                          description="Calls per account or segment (A, B, C) for a period, "
                                      "published by a manager for the team's territories.")
    psub = plan.add_subparsers(dest="cycle_plan_command", required=True, metavar="ACTION")
    pub = psub.add_parser("publish", help="publish a plan from a CSV file or arguments",
                          description="Publish whole or not at all. CSV columns: "
                                      + ", ".join(cycle_plans.COLUMNS) + ".")
    pub.add_argument("file", nargs="?", type=Path, help="plan CSV (or use --target)")
    pub.add_argument("--by", required=True, help="the publishing manager or admin")
    pub.add_argument("--territory", help="territory code (with --target)")
    pub.add_argument("--period", help="2026-Q4 or 2026-10-01..2026-12-31 (with --target)")
    pub.add_argument("--target", action="append", default=[], metavar="WHO=CALLS[/CHANNEL]",
                     help="a segment (A, B, C) or an account id, its calls in the period")
    pub.add_argument("--account-system", help="the account column holds this external id")
    pub.add_argument("--encoding", default="utf-8", help="CSV encoding (default utf-8)")
    lst = psub.add_parser("list", help="list a territory's published targets",
                          description="List the live targets of a territory (JSON lines).")
    lst.add_argument("territory")


def run(args: argparse.Namespace, db: Database) -> int:
    if args.cycle_plan_command == "list":
        return _list(args, db)
    try:
        if args.file is not None and args.target:
            raise ImportFormatError("give a plan file or --target arguments, not both")
        if args.file is not None:
            lines = cycle_plans.read_csv(args.file.read_bytes(), args.encoding)
        elif args.target and args.territory and args.period:
            lines = cycle_plans.targets_from_arguments(args.territory, args.period,
                                                       args.target)
        else:
            raise ImportFormatError("give a plan file, or --territory, --period and at least "
                                    "one --target")
    except (ImportFormatError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        with db.writing() as session:
            who = cycle_plans.publisher(session, args.by)
            report = cycle_plans.publish(session, who, lines, args.account_system)
    except cycle_plans.PublishRefusedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    if not report.ok:
        print(f"refused: {len(report.errors)} bad line(s), nothing published", file=sys.stderr)
        return 1
    return 0


def _list(args: argparse.Namespace, db: Database) -> int:
    with db.reading() as session:
        territory = session.scalar(select(Territory.id).where(
            func.upper(Territory.code) == args.territory.upper(), Territory.deleted == false()))
        if territory is None:
            print(f"error: unknown territory {args.territory!r}", file=sys.stderr)
            return 2
        for row, name in session.execute(
                select(CyclePlan, Account.name).outerjoin(Account,
                                                          Account.id == CyclePlan.account_id)
                .where(CyclePlan.territory_id == territory, CyclePlan.deleted == false())
                .order_by(CyclePlan.period_start, CyclePlan.segment, Account.name)):
            print(json.dumps({"period": f"{row.period_start}..{row.period_end}",
                              "segment": row.segment, "account": name,
                              "channel": row.channel, "calls": row.calls},
                             ensure_ascii=False))
    return 0
