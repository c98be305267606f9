"""`fieldrep export-doctor ID FILE`: what this laptop holds about one doctor, as JSON, for a
subject-access request (app/services/gdpr.py, docs/gdpr.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.config import Paths


def add_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export-doctor", help="write what this laptop holds about one doctor as JSON "
                              "(data-protection subject-access request)")
    export.add_argument("account_id", metavar="ID", help="the doctor's account id")
    export.add_argument("file", type=Path, metavar="FILE", help="the JSON file to write")


def run(paths: Paths, args: argparse.Namespace) -> int:
    from app.services.errors import ServiceError
    from app.services.gdpr import write_export
    from app.store.database import open_database

    db = open_database(paths.database)
    try:
        with db.read() as session:
            counts = write_export(session, args.account_id, args.file)
    except ServiceError as exc:
        print(f"fieldrep export-doctor: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    rows = sum(counts.values())
    print(f"Wrote {args.file}: {rows} row(s) about the doctor.")
    return 0
