"""`fieldrep-server msl ...`: the routing table of medical inquiries, the queue, reassigning.

    fieldrep-server msl cover marta BER-1 Oncology
    fieldrep-server msl uncover marta BER-1 Oncology
    fieldrep-server msl list
    fieldrep-server msl queue
    fieldrep-server msl reassign INQUIRY-ID marta      (or --queue)
"""

from __future__ import annotations

import argparse

from server.db import Database
from server.escalations import routing


def add_parser(sub: argparse._SubParsersAction) -> None:
    msl = sub.add_parser("msl", help="route medical inquiries to MSLs",
                         description="Which MSL answers medical inquiries for which territory "
                         "and therapeutic area; the fallback queue; reassigning.")
    msub = msl.add_subparsers(dest="msl_command", required=True, metavar="ACTION")
    for name, words in (("cover", "let an MSL answer for a territory and therapeutic area"),
                        ("uncover", "take a territory and therapeutic area from an MSL")):
        cmd = msub.add_parser(name, help=words, description=words.capitalize() + ".")
        cmd.add_argument("username")
        cmd.add_argument("territory", help="territory code")
        cmd.add_argument("area", help="therapeutic area, as on the products")
    msub.add_parser("list", help="list the routing table", description="List who covers what.")
    msub.add_parser("queue", help="list the inquiries nobody covers",
                    description="List the inquiries waiting in the fallback queue.")
    re = msub.add_parser("reassign", help="give an open inquiry to another MSL",
                         description="Give an open inquiry to another MSL, or to the queue.")
    re.add_argument("inquiry", help="the inquiry's id")
    target = re.add_mutually_exclusive_group(required=True)
    target.add_argument("username", nargs="?", help="the MSL to take it over")
    target.add_argument("--queue", action="store_true", help="put it back into the queue")


def run(args: argparse.Namespace, db: Database) -> None:
    """Carry out one `msl` action; RoutingError for the operator to read."""
    with db.writing() as s:
        if args.msl_command == "cover":
            added = routing.cover(s, args.username, args.territory, args.area)
            print(f"{args.username} covers {args.territory} / {args.area}"
                  + ("" if added else " (already)"))
        elif args.msl_command == "uncover":
            removed = routing.uncover(s, args.username, args.territory, args.area)
            print(f"removed {removed} coverage row(s)")
        elif args.msl_command == "list":
            for username, territory, area in routing.coverage(s):
                print(f"{username}\t{territory}\t{area}")
        elif args.msl_command == "queue":
            for inquiry in routing.queue(s):
                print(f"{inquiry.id}\t{inquiry.raised_at:%Y-%m-%d %H:%M}\t{inquiry.urgency}")
        else:
            to = None if args.queue else args.username
            print(f"reassigned to {routing.reassign(s, args.inquiry, to, None)}")
