"""`fieldrep-server service-account ...`: tokens for outside systems (docs/integration.md).

    fieldrep-server service-account add webinars --by admin --territory BER-1 \
        --kinds webinar_attended,event_registered
    fieldrep-server service-account add marketing --by admin --all-territories
    fieldrep-server service-account list
    fieldrep-server service-account add warehouse --by admin --all-territories --feed \
        --expires-in-days 365
    fieldrep-server service-account rotate warehouse --by admin --grace 48h
    fieldrep-server service-account revoke webinars --by admin

`add` and `rotate` print the token once (JSON); only its hash is kept. Adding, rotating and
revoking are audited with the admin named by `--by`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re

from server.db import Database
from server.integration import service_accounts
from server.integration.service_accounts import DEFAULT_GRACE, KINDS

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([hd]?)\s*$")


def duration(text: str) -> dt.timedelta:
    """`--grace`: hours (`36`, `36h`) or days (`2d`)."""
    match = _DURATION.match(text.lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is no duration: write hours (24h) or "
                                         "days (2d)")
    number = float(match.group(1))
    return dt.timedelta(days=number) if match.group(2) == "d" else dt.timedelta(hours=number)


def days(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is no number of days") from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    sa = sub.add_parser("service-account", help="API tokens of outside systems",
                        description="Service accounts: the tokens outside systems post "
                                    "touchpoints with (docs/integration.md).")
    ssub = sa.add_subparsers(dest="service_account_command", required=True, metavar="ACTION")
    add = ssub.add_parser("add", help="make a service account and print its token",
                          description="Make a service account; its token is printed once "
                                      "(only its hash is kept). Audited.")
    add.add_argument("name", help="lower-case letters, digits, '.', '_' or '-'")
    add.add_argument("--by", required=True, metavar="ADMIN",
                     help="the admin who decides (written to the audit log)")
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--territory", action="append", metavar="CODE",
                       help="a territory whose accounts it may post onto (repeatable)")
    where.add_argument("--all-territories", action="store_true",
                       help="it may post onto every account")
    add.add_argument("--kinds", default="all",
                     help=f"comma-separated touchpoint kinds it may post, or all "
                          f"({', '.join(KINDS)})")
    add.add_argument("--system", help="the source system its touchpoints name (default: "
                                      "the name); tokens of one system share event ids")
    add.add_argument("--feed", action="store_true",
                     help="it may read the change feed of its territories")
    add.add_argument("--expires-in-days", type=days, metavar="DAYS",
                     help="the token stops working after so many days (default: never)")
    rot = ssub.add_parser("rotate", help="issue a new token, the old one valid a while",
                          description="Issue a new token for the service account (same "
                                      "scope); the old one keeps working for --grace, then "
                                      "is refused. Audited.")
    rot.add_argument("name")
    rot.add_argument("--by", required=True, metavar="ADMIN",
                     help="the admin who decides (written to the audit log)")
    rot.add_argument("--grace", type=duration, default=DEFAULT_GRACE, metavar="DURATION",
                     help="how long the old token keeps working: hours (24h, the default) "
                          "or days (2d); 0 ends it at once")
    rot.add_argument("--expires-in-days", type=days, metavar="DAYS",
                     help="the new token stops working after so many days (default: never)")
    ssub.add_parser("list", help="list service accounts",
                    description="List service accounts, their scope and state (JSON lines).")
    rev = ssub.add_parser("revoke", help="revoke a service account's token",
                          description="Revoke the token: its next request is refused. "
                                      "Audited.")
    rev.add_argument("name")
    rev.add_argument("--by", required=True, metavar="ADMIN",
                     help="the admin who decides (written to the audit log)")


def run(args: argparse.Namespace, db: Database) -> int:
    """Raises DirectoryError (ServiceAccountError) for the caller to print."""
    command = args.service_account_command
    if command == "add":
        kinds = None if args.kinds.strip() == "all" else [
            k.strip() for k in args.kinds.split(",") if k.strip()]
        with db.writing() as session:
            token = service_accounts.create(
                session, args.name, by=args.by,
                territories=None if args.all_territories else args.territory,
                kinds=kinds, system=args.system, feed=args.feed,
                expires_in_days=args.expires_in_days)
        print(json.dumps({"name": args.name.strip().lower(), "token": token}))
    elif command == "rotate":
        with db.writing() as session:
            token = service_accounts.rotate(session, args.name, by=args.by, grace=args.grace,
                                            expires_in_days=args.expires_in_days)
        print(json.dumps({"name": args.name.strip().lower(), "token": token}))
    elif command == "list":
        with db.reading() as session:
            for item in service_accounts.listing(session):
                print(json.dumps(item.to_dict(), ensure_ascii=False))
    elif command == "revoke":
        with db.writing() as session:
            changed = service_accounts.revoke(session, args.name, by=args.by)
        print(f"revoked {args.name}" if changed else f"{args.name} was revoked already")
    return 0
