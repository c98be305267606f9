"""`fieldrep-server sales import FILE ... --mapping mapping.toml`: sales and market figures.

Each file is checked whole and imported whole or not at all (server/importing/market.py);
the JSON report names every bad line. Exit status 1 when a file was refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from server.db import Database
from server.importing.market import MarketMapping, import_market
from server.importing.records import ImportFormatError


def add_parser(sub: argparse._SubParsersAction) -> None:
    sales = sub.add_parser("sales", help="import sales and market figures",
                           description="Sales and market figures per account or postcode "
                                       "area, product and month (regional sales exports).")
    ssub = sales.add_subparsers(dest="sales_command", required=True, metavar="ACTION")
    imp = ssub.add_parser("import", help="import CSV files of sales figures",
                          description="Import CSV files whole or not at all; prints a JSON "
                                      "report per file.")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--mapping", type=Path, help="column mapping (.toml or .json)")
    imp.add_argument("--encoding", default="utf-8", help="CSV encoding (default utf-8)")


def run(args: argparse.Namespace, db: Database) -> int:
    reports: dict[str, object] = {}
    failed = False
    try:
        mapping = MarketMapping.load(args.mapping) if args.mapping else MarketMapping()
    except (ImportFormatError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in args.files:
        try:
            report = import_market(db, path.read_bytes(), mapping, args.encoding)
        except (ImportFormatError, OSError) as exc:
            failed = True
            reports[str(path)] = {"error": str(exc)}
            print(f"{path}: refused: {exc}", file=sys.stderr)
            continue
        reports[str(path)] = report.to_dict()
        if not report.ok:
            failed = True
            print(f"{path}: refused: {len(report.errors)} bad line(s), nothing imported",
                  file=sys.stderr)
    print(json.dumps(reports, ensure_ascii=False, indent=1))
    return 1 if failed else 0
