"""`fieldrep-server change-request ...`: the data steward's queue on the command line
(docs/change-requests.md).

    fieldrep-server change-request list [--status pending|accepted|rejected|withdrawn|all]
    fieldrep-server change-request accept ID --by steward [--reason "checked with LANR"]
    fieldrep-server change-request reject ID --by steward --reason "the practice moved"

`--by` names the steward who decides (only a user of role steward may): written to the
audit log with the reason.
"""

from __future__ import annotations

import argparse
import json

from app.contract import ChangeRequestStatus
from server import change_requests
from server.db import Database


def add_parser(sub: argparse._SubParsersAction) -> None:
    cr = sub.add_parser("change-request", help="decide master-data change requests",
                        description="Master-data change requests reps proposed: list, "
                                    "accept or reject them (docs/change-requests.md).")
    csub = cr.add_subparsers(dest="change_request_command", required=True, metavar="ACTION")
    ls = csub.add_parser("list", help="list change requests (JSON lines)",
                         description="List change requests, oldest first (JSON lines).")
    ls.add_argument("--status", default="pending",
                    choices=[*(s.value for s in ChangeRequestStatus), "all"])
    for verb, what in (("accept", "apply the change to the account (audited)"),
                       ("reject", "refuse the change with a reason (audited)")):
        p = csub.add_parser(verb, help=what, description=what.capitalize() + ".")
        p.add_argument("id", help="the change request's id")
        p.add_argument("--by", required=True, metavar="STEWARD",
                       help="the data steward who decides (written to the audit log)")
        p.add_argument("--reason", required=verb == "reject",
                       help="why: the rep reads it" + (" (needed)" if verb == "reject" else ""))


def run(args: argparse.Namespace, db: Database) -> int:
    command = args.change_request_command
    if command == "list":
        with db.reading() as session:
            for item in change_requests.listing(
                    session, None if args.status == "all" else args.status):
                print(json.dumps(item.to_dict(), ensure_ascii=False))
        return 0
    decide = change_requests.accept if command == "accept" else change_requests.reject
    with db.writing() as session:
        item = decide(session, args.id, by=args.by, reason=args.reason)
    print(json.dumps(item.to_dict(), ensure_ascii=False))
    return 0
