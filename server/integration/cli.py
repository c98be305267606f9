"""`fieldrep-server service-account ...`: tokens for outside systems (docs/integration.md).

    fieldrep-server service-account add webinars --by admin --territory BER-1 \
        --kinds webinar_attended,event_registered
    fieldrep-server service-account add marketing --by admin --all-territories
    fieldrep-server service-account list
    fieldrep-server service-account revoke webinars --by admin

`add` prints the token once (JSON); only its hash is kept. Adding and revoking are audited
with the admin named by `--by`.
"""

from __future__ import annotations

import argparse
import json

from server.db import Database
from server.integration import service_accounts
from server.integration.service_accounts import KINDS


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
                kinds=kinds, system=args.system)
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
