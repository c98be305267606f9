#!/usr/bin/env python3
"""An example client of the Fieldrep integration API (docs/integration.md).

    python integration_client.py --server URL --token TOKEN post touchpoints.ndjson
    python integration_client.py --server URL --token TOKEN feed --cursor-file feed.cursor \\
        --out changes.ndjson

`post` sends an NDJSON file of touchpoints in bulks (5,000 lines each) and prints each bulk's
counts and every refused line with its reason; a resend of the same file is harmless (the
server answers `duplicate` for events it has). Exit code 1 when a line was refused.

`feed` pages through the change feed from the cursor kept in `--cursor-file` (none: from
the beginning), appends every change to `--out` as one JSON line, and stores the cursor
after each page, only once the page is written: interrupted, it asks for that page again
and the consumer upserts by (entity, id), so nothing is lost or doubled in the result. It
stops when the feed has nothing more. Run it every few minutes.

Needs Python 3.10+ and `requests`. The token comes from `--token` or FIELDREP_TOKEN.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

BULK_LINES = 5000
PAGE = 1000


def _session(token: str) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def _refused(r: requests.Response) -> str:
    try:
        return f"{r.status_code}: {r.json()['error']}"
    except (ValueError, KeyError, TypeError):
        return f"{r.status_code}: {r.text[:200]}"


def _bulks(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The file's lines in bulks, each with the number of its first line (from 1)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for start in range(0, len(lines), BULK_LINES):
        yield start + 1, lines[start:start + BULK_LINES]


def post(server: str, token: str, path: Path) -> int:
    rejected = 0
    with _session(token) as http:
        for first, lines in _bulks(path):
            r = http.post(f"{server}/api/v1/integration/touchpoints/bulk",
                          data="\n".join(lines).encode("utf-8"), timeout=300,
                          headers={"Content-Type": "application/x-ndjson"})
            if r.status_code != 200:
                print(f"lines {first}-{first + len(lines) - 1} refused: {_refused(r)}",
                      file=sys.stderr)
                return 2
            answer = r.json()
            print(json.dumps({"lines": [first, first + len(lines) - 1], **answer["counts"]}))
            for error in answer["errors"]:
                rejected += 1
                print(f"line {first + error['line'] - 1} ({error['event_id']}): "
                      f"{error['reason']}", file=sys.stderr)
    return 1 if rejected else 0


def feed(server: str, token: str, cursor_file: Path, out: Path) -> int:
    cursor = cursor_file.read_text(encoding="utf-8").strip() if cursor_file.exists() else ""
    total = 0
    with _session(token) as http, out.open("a", encoding="utf-8") as sink:
        while True:
            params: dict[str, Any] = {"limit": PAGE}
            if cursor:
                params["cursor"] = cursor
            r = http.get(f"{server}/api/v1/integration/changes", params=params, timeout=300)
            if r.status_code != 200:
                print(f"the feed refused: {_refused(r)}", file=sys.stderr)
                return 2
            page = r.json()
            for change in page["changes"]:
                sink.write(json.dumps(change, ensure_ascii=False) + "\n")
            sink.flush()
            os.fsync(sink.fileno())
            # The cursor only after its page is safely written (atomically replaced).
            cursor = page["cursor"]
            temporary = cursor_file.with_name(cursor_file.name + ".tmp")
            temporary.write_text(cursor, encoding="utf-8")
            temporary.replace(cursor_file)
            total += len(page["changes"])
            if not page["more"]:
                print(json.dumps({"changes": total, "cursor": cursor}))
                return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="e.g. https://fieldrep.example.com")
    parser.add_argument("--token", default=os.environ.get("FIELDREP_TOKEN"),
                        help="a service account's token (default: $FIELDREP_TOKEN)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("post", help="post an NDJSON file of touchpoints")
    p.add_argument("file", type=Path)
    f = sub.add_parser("feed", help="page through the change feed")
    f.add_argument("--cursor-file", type=Path, required=True)
    f.add_argument("--out", type=Path, required=True, help="changes are appended, one a line")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("give --token or set FIELDREP_TOKEN")
    server = args.server.rstrip("/")
    if args.command == "post":
        return post(server, args.token, args.file)
    return feed(server, args.token, args.cursor_file, args.out)


if __name__ == "__main__":
    sys.exit(main())
