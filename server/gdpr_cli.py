"""`fieldrep-server gdpr ...`: data-protection requests about one doctor (docs/gdpr.md).

    fieldrep-server gdpr export ACCOUNT-ID --json out.json [--pdf out.pdf] [--medical]
    fieldrep-server gdpr erase ACCOUNT-ID            (shows what would go; changes nothing)
    fieldrep-server gdpr erase ACCOUNT-ID --yes      (erases)
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from server.db import Database
from server.gdpr_erase import erase_and_scrub
from server.gdpr_export import build
from server.gdpr_pdf import render
from server.gdpr_rows import collect


def add_parser(sub: argparse._SubParsersAction) -> None:
    gdpr = sub.add_parser("gdpr", help="export or erase everything about one doctor",
                          description="Data-protection requests about one doctor (HCP): a "
                          "subject-access export (JSON and PDF) and an erasure "
                          "(docs/gdpr.md).")
    gsub = gdpr.add_subparsers(dest="gdpr_command", required=True, metavar="ACTION")
    exp = gsub.add_parser("export", help="write what the server holds about one doctor",
                          description="Write everything the server holds about one doctor as "
                          "JSON and, with --pdf, as a readable PDF. Medical answers are left "
                          "out unless --medical is given.")
    exp.add_argument("account", metavar="ACCOUNT-ID")
    exp.add_argument("--json", type=Path, required=True, dest="json_path",
                     help="the JSON file to write")
    exp.add_argument("--pdf", type=Path, help="the PDF file to write")
    exp.add_argument("--medical", action="store_true",
                     help="include medical answers (for a medical requester)")
    era = gsub.add_parser("erase", help="erase one doctor everywhere",
                          description="Erase one doctor: the server's rows and side copies "
                          "now, every laptop's copy at its next sync. Without --yes it only "
                          "shows what would be removed.")
    era.add_argument("account", metavar="ACCOUNT-ID")
    era.add_argument("--yes", action="store_true", help="really erase")
    era.add_argument("--by", default=None,
                     help="who erases (recorded; default: the operating-system user)")


def run(args: argparse.Namespace, db: Database) -> int:
    """Carry out one `gdpr` action; GdprError (an unknown id, an institution) for the
    operator to read, with nothing written."""
    if args.gdpr_command == "export":
        with db.reading() as session:
            data = build(session, args.account, medical=args.medical,
                         requested_by=f"operator:{getpass.getuser()}")
        for path, content in ((args.json_path, json.dumps(data, ensure_ascii=False, indent=1)
                               .encode()),
                              (args.pdf, render(data) if args.pdf else None)):
            if path is not None and content is not None:
                try:
                    path.write_bytes(content)
                except OSError as exc:
                    print(f"error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
                    return 2
                print(f"wrote {path}")
        return 0
    if not args.yes:
        with db.reading() as session:
            rows = collect(session, args.account)
        counts = {name: len(found) for name, found in rows.own.items() if found}
        print(json.dumps({"would_remove": counts, "audit_entries": len(rows.audit),
                          "conflict_log": len(rows.conflicts)}, indent=1))
        print("nothing erased: add --yes to erase")
        return 1
    report = erase_and_scrub(db, args.account, args.by or f"operator:{getpass.getuser()}")
    print(json.dumps(report.to_json(), indent=1))
    return 0
