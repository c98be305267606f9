"""`fieldrep-server`: create the database, manage users and territories, import, serve.

    fieldrep-server init
    fieldrep-server user add anna --role rep [--password-stdin]
    fieldrep-server territory add BER-1 "Berlin Mitte"
    fieldrep-server territory assign|unassign anna BER-1
    fieldrep-server territory promote|unpromote BER-1 Cardiozan
    fieldrep-server product add Cardiozan --area Cardiology --sample-limit 12
    fieldrep-server keymessage add Cardiozan CZ-EFF "Fewer hospital stays"
    fieldrep-server area list|rename
    fieldrep-server user password|enable|disable anna
    fieldrep-server import practitioners.csv --mapping mapping.toml
    fieldrep-server import bundle.json --territory BER-1
    fieldrep-server sales import sales.csv --mapping sales.toml
    fieldrep-server cycle-plan publish plan.csv --by manager-name
    fieldrep-server content add deck.zip
    fieldrep-server content add key-messages/ --product Cardiozan \
        --valid-from 2026-01-01 --valid-until 2026-12-31
    fieldrep-server content list
    fieldrep-server content approve|withdraw ID --by ADMIN
    fieldrep-server content validity ID 2026-01-01 2026-12-31
    fieldrep-server msl cover marta BER-1 Oncology
    fieldrep-server rules publish rules.toml --by manager-name
    fieldrep-server rules list
    fieldrep-server prune
    fieldrep-server gdpr export ACCOUNT-ID --json out.json --pdf out.pdf
    fieldrep-server gdpr erase ACCOUNT-ID --yes
    fieldrep-server service-account add|list|revoke NAME --by ADMIN ...
    fieldrep-server email-template add|approve|withdraw|list ...; email list|deliver
    fieldrep-server serve --host 0.0.0.0 --port 8443 --certfile cert.pem --keyfile key.pem
    fieldrep-server demo --password rep=... < rows.jsonl   (fed by `fieldrep demo`)

Every command takes `--data-dir` (default: the per-user data folder, or
FIELDREP_SERVER_DATA_DIR); the database is FIELDREP_SERVER_DSN, `dsn` in
<data dir>/server.toml, or the SQLite file in the data folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.contract import Role
from server import (
    catalog,
    catalog_cli,
    change_requests_cli,
    cycle_plan_cli,
    gdpr_cli,
    market_cli,
)
from server.change_requests import DecisionError
from server.config import Settings, load_settings
from server.db import Database, current_revision, head_revision, upgrade
from server.directory import (
    DirectoryError,
    add_territory,
    add_user,
    assign_territory,
    disable_user,
    enable_user,
    list_users,
    reset_password,
    set_manager,
    unassign_territory,
)
from server.email import cli as email_cli
from server.email import outbox as email_outbox
from server.escalations import cli as msl_cli
from server.escalations.routing import RoutingError
from server.gdpr_rows import GdprError
from server.importing.csvfile import Mapping
from server.importing.records import ImportFormatError, ImportReport
from server.importing.run import Batch
from server.integration import cli as integration_cli
from server.prune import prune, start_periodic

if TYPE_CHECKING:
    from app.content_format.clm import ClmInfo


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fieldrep-server", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, help="server data folder (database, server.toml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="create or upgrade the database",
                   description="Create the database, or upgrade it to the newest schema.")

    user = sub.add_parser("user", help="add, list or disable users",
                          description="Manage the people who log in.")
    usub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = usub.add_parser("add", help="add a user", description="Add a user. The password "
                          "is asked for, or read from stdin with --password-stdin.")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", default="", help="display name")
    add.add_argument("--email")
    add.add_argument("--manager", help="user name of this user's manager (team scope)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin")
    usub.add_parser("list", help="list users", description="List users, roles, territories.")
    dis = usub.add_parser("disable", help="disable a user and revoke their tokens",
                          description="Disable a user; every token they hold stops working.")
    dis.add_argument("username")
    en = usub.add_parser("enable", help="let a disabled user log in again",
                         description="Re-enable a disabled user (their old sessions stay "
                         "ended: they log in again).")
    en.add_argument("username")
    pw = usub.add_parser("password", help="set a new password for a user",
                         description="Reset a user's password (asked for, or read from stdin "
                         "with --password-stdin); every session they hold ends.")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true",
                    help="read the password from the first line of stdin")
    man = usub.add_parser("manager", help="set or clear a user's manager",
                          description="Put a user in a manager's team (or out, with --none).")
    man.add_argument("username")
    man.add_argument("manager", nargs="?")

    terr = sub.add_parser("territory", help="add territories, assign them to users",
                          description="Manage territories.")
    tsub = terr.add_subparsers(dest="territory_command", required=True, metavar="ACTION")
    tadd = tsub.add_parser("add", help="add a territory", description="Add a territory.")
    tadd.add_argument("code")
    tadd.add_argument("name", nargs="?", default="")
    tass = tsub.add_parser("assign", help="give a user a territory",
                           description="Give a user (rep, msl, manager) a territory.")
    tass.add_argument("username")
    tass.add_argument("code")
    tun = tsub.add_parser("unassign", help="take a territory from a user",
                          description="Take a territory from a user; their laptop drops its "
                          "accounts at the next sync.")
    tun.add_argument("username")
    tun.add_argument("code")
    for name, words in (("promote", "let a territory promote a product"),
                        ("unpromote", "stop a territory promoting a product")):
        tpro = tsub.add_parser(name, help=words, description=words.capitalize()
                               + " (its reps detail, sample and present it).")
        tpro.add_argument("code")
        tpro.add_argument("product", help="product name or id")

    imp = sub.add_parser("import", help="import master data (CSV or FHIR R4 JSON)",
                         description="Upsert accounts by external id from CSV files (with a "
                         "column mapping) or FHIR R4 JSON (Practitioner, PractitionerRole, "
                         "Organization, Bundles). Prints a JSON report.")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--format", choices=["auto", "csv", "fhir"], default="auto",
                     help="auto: .json is FHIR, everything else CSV")
    imp.add_argument("--mapping", type=Path, help="CSV column mapping (.toml or .json)")
    imp.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                     help="map one CSV column (repeatable)")
    imp.add_argument("--id", action="append", default=[], metavar="SYSTEM=COLUMN",
                     help="a CSV column holding external ids of SYSTEM (repeatable)")
    imp.add_argument("--delimiter", help="CSV delimiter (default ,)")
    imp.add_argument("--encoding", default="utf-8", help="CSV encoding (default utf-8)")
    imp.add_argument("--territory", help="territory code for accounts that name none")
    imp.add_argument("--report", type=Path, help="write the full JSON report here")
    imp.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    cont = sub.add_parser("content", help="add, list, approve or withdraw content packages",
                          description="E-detailing content for the reps' laptops "
                          "(docs/content.md).")
    csub = cont.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    cadd = csub.add_parser("add", help="check and add content packages",
                           description="Check packages exactly as a laptop's import does and "
                           "add them; reps of the product's territories receive them.")
    cadd.add_argument("packages", nargs="+", type=Path,
                      help="our packages, CLM key-message zips or folders of key messages")
    clm = cadd.add_argument_group(
        "CLM content", "What a key-message zip or folder does not say about itself (a "
        "package of our format brings its manifest and needs none of these).")
    clm.add_argument("--product", help="the product's name or id (required for CLM content)")
    clm.add_argument("--valid-from", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                     help="first day it may be presented (required for CLM content)")
    clm.add_argument("--valid-until", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                     help="last day it may be presented (required for CLM content)")
    clm.add_argument("--id", dest="clm_id", help="the presentation's id (default: the name)")
    clm.add_argument("--content-version", default="1", help="its version (default 1)")
    clm.add_argument("--title", help="its title (default: the name)")
    clm.add_argument("--order", help="key messages in order, comma-separated (default: the "
                     "folder's order.txt, else name order)")
    csub.add_parser("list", help="list content", description="List all content (JSON lines).")
    for action, words in (("approve", "reaches the reps and may be presented (inside its "
                                      "validity window); added content is a draft until then, "
                                      "whatever its manifest says"),
                          ("withdraw", "is removed from the laptops at their next sync")):
        cact = csub.add_parser(action, help=f"{action} content",
                               description=f"After this the content {words}. Audited.")
        cact.add_argument("refs", nargs="+", metavar="ID", help="id, code, or code@version")
        cact.add_argument("--by", required=True, metavar="ADMIN",
                          help="the admin who decides (written to the audit log)")
    cval = csub.add_parser("validity", help="set the validity window",
                           description="Set the dates between which the content may be "
                           "presented (inclusive).")
    cval.add_argument("ref", metavar="ID", help="id, code, or code@version")
    cval.add_argument("valid_from", type=_date, metavar="FROM")
    cval.add_argument("valid_until", type=_date, metavar="UNTIL")
    msl_cli.add_parser(sub)
    catalog_cli.add_parser(sub)
    market_cli.add_parser(sub)
    cycle_plan_cli.add_parser(sub)
    gdpr_cli.add_parser(sub)
    integration_cli.add_parser(sub)
    change_requests_cli.add_parser(sub)
    email_cli.add_parser(sub)
    rules = sub.add_parser("rules", help="publish or list suggestion rule sets",
                           description="Rule sets for the laptops' suggestions "
                                       "(docs/rules.md).")
    rsub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    pub = rsub.add_parser("publish", help="publish a rule file as the active rule set",
                          description="Publish a rule file (TOML); every laptop pulls it.")
    pub.add_argument("file", type=Path)
    pub.add_argument("--by", required=True, help="the publishing manager or admin")
    rsub.add_parser("list", help="list published rule sets", description="List rule sets.")

    sub.add_parser("prune", help="remove old idempotency records, tokens and failed logins",
                   description="Remove idempotency records and tokens older than the "
                   "offline window (offline_window_days) and failed logins older than the "
                   "throttle window. `serve` does this every prune_interval_s too.")

    srv = sub.add_parser("serve", help="run the HTTPS (or, behind a TLS proxy, HTTP) server",
                         description="Serve the API (uvicorn). Give --certfile and --keyfile "
                         "to serve HTTPS; without them, only behind a reverse proxy that "
                         "terminates TLS (docs/server.md), or on 127.0.0.1.")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=8765)
    srv.add_argument("--workers", type=int, default=1,
                     help="processes (state is in the database, so more is safe)")
    srv.add_argument("--certfile", type=Path,
                     help="serve HTTPS with this certificate (PEM, with its chain)")
    srv.add_argument("--keyfile", type=Path, help="the certificate's private key (PEM)")
    # The demo server started by `fieldrep demo` ends with the app that started it, even
    # when that app is killed.
    srv.add_argument("--exit-with-pid", type=int, metavar="PID", help=argparse.SUPPRESS)

    demo = sub.add_parser("demo", help="load a generated demo territory (fed by fieldrep demo)",
                          description="Create the database and load demo rows from stdin "
                          "(JSON lines: {\"table\": ..., \"rows\": [...]}, as `fieldrep demo` "
                          "writes them) in one transaction; refused when users exist.")
    demo.add_argument("--password", action="append", default=[], metavar="USER=PASSWORD",
                      help="the password of a demo user (repeatable)")
    return p


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _clm_info(args: argparse.Namespace, path: Path) -> ClmInfo:
    """CLM content's facts from the options; PackageError naming what is missing."""
    from app.content_format.clm import ClmInfo
    from app.content_format.errors import PackageError

    missing = [option for option, value in (("--product", args.product),
                                            ("--valid-from", args.valid_from),
                                            ("--valid-until", args.valid_until)) if not value]
    if missing:
        raise PackageError(f"{path.name} is CLM content (no manifest): give "
                           f"{', '.join(missing)}")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-") or "clm"
    return ClmInfo(id=args.clm_id or name, version=args.content_version,
                   title=args.title or path.stem, product=args.product,
                   valid_from=args.valid_from, valid_until=args.valid_until)


def _order(text: str | None) -> list[str] | None:
    return None if not text else [n.strip() for n in text.split(",") if n.strip()]


def _cmd_content(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    from app.content_format.blobs import ContentStore
    from app.content_format.clm import source_kind
    from app.content_format.errors import PackageError
    from app.content_format.kinds import ApprovalState
    from server import content

    if args.content_command == "add":
        store = ContentStore(settings.content_path)
        failed = False
        for path in args.packages:
            try:
                added = (content.add_package(db, store, path) if source_kind(path) == "package"
                         else content.add_clm(db, store, path, _clm_info(args, path),
                                              order=_order(args.order)))
            except (PackageError, OSError) as exc:
                failed = True
                print(f"{path}: refused: {exc}", file=sys.stderr)
                continue
            how = "already on the server" if added.already_added else "added as a draft"
            print(f"{path}: {how}: {added.code}@{added.version} “{added.title}”, "
                  f"{added.slides} slide(s), id {added.presentation_id}, "
                  f"sha256 {added.package_sha256}")
            if added.missing_files:
                print(f"{path}: warning: its pages link to {len(added.missing_files)} file(s) "
                      f"it does not hold: {', '.join(added.missing_files)}", file=sys.stderr)
            if added.manifest_state_ignored:
                print(f"{path}: the manifest's approval_state is ignored: reps receive it "
                      f"after `fieldrep-server content approve {added.code}@{added.version} "
                      "--by ADMIN`", file=sys.stderr)
        return 1 if failed else 0
    if args.content_command == "list":
        with db.reading() as session:
            for item in content.list_content(session):
                print(json.dumps(item.to_json(), ensure_ascii=False))
        return 0
    try:
        if args.content_command == "validity":
            items = [content.set_validity(db, args.ref, args.valid_from, args.valid_until)]
        else:
            state = {"approve": ApprovalState.APPROVED,
                     "withdraw": ApprovalState.WITHDRAWN}[args.content_command]
            with db.reading() as session:
                by = content.approver(session, args.by).id
            items = [content.set_state(db, ref, state, by) for ref in args.refs]
    except content.ContentAdminError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for item in items:
        print(f"{item.code}@{item.version}: {item.approval_state}, valid "
              f"{item.valid_from} to {item.valid_until}")
    return 0


def _need_schema(db: Database) -> None:
    """A database this server can use: initialised, and at this version's schema (an older
    one answered every sync with an error, a newer one belongs to a newer server)."""
    current = current_revision(db)
    if current is None:
        raise SystemExit("the database is not initialised: run `fieldrep-server init` first")
    head = head_revision()
    if current != head:
        raise SystemExit(f"the database is at schema {current}, this server needs {head}: "
                         "run `fieldrep-server init` to upgrade it (a backup is made first), "
                         "or start the server version that made it")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise SystemExit("the passwords differ")
    return first


def _cmd_user(args: argparse.Namespace, db: Database) -> None:
    if args.user_command == "add":
        password = _read_password(args.password_stdin)
        with db.writing() as s:
            user = add_user(s, args.username, password, args.role, args.name, args.email,
                            args.manager)
            print(f"added {user.username} ({user.role})")
    elif args.user_command == "list":
        with db.reading() as s:
            for user, codes in list_users(s):
                state = "disabled" if user.disabled else "active"
                print(f"{user.username}\t{user.role}\t{state}\t{','.join(codes)}")
    elif args.user_command == "disable":
        with db.writing() as s:
            revoked = disable_user(s, args.username)
        print(f"disabled {args.username}; revoked {revoked} token(s)")
    elif args.user_command == "enable":
        with db.writing() as s:
            enabled = enable_user(s, args.username)
        print(f"{args.username}: {'enabled' if enabled else 'was not disabled'}")
    elif args.user_command == "password":
        password = _read_password(args.password_stdin)
        with db.writing() as s:
            revoked = reset_password(s, args.username, password)
        print(f"new password set for {args.username}; ended {revoked} session(s)")
    elif args.user_command == "manager":
        with db.writing() as s:
            set_manager(s, args.username, args.manager)
        print(f"{args.username}: manager {args.manager or 'none'}")


def _cmd_rules(args: argparse.Namespace, db: Database) -> None:
    from server.rules import list_rules, publish_rules

    if args.rules_command == "publish":
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DirectoryError(f"cannot read {args.file}: {exc}") from exc
        with db.writing() as s:
            row = publish_rules(s, text, args.by)
            print(f"published rule set {row.revision} ({row.name})")
    else:
        with db.reading() as s:
            for row in list_rules(s):
                state = "active" if row.active else "retired"
                print(f"{row.revision}\t{state}\t{row.name}")


def _cmd_territory(args: argparse.Namespace, db: Database) -> None:
    with db.writing() as s:
        if args.territory_command == "add":
            add_territory(s, args.code, args.name)
            print(f"added territory {args.code}")
        elif args.territory_command == "assign":
            added = assign_territory(s, args.username, args.code)
            print(f"{args.username} {'now covers' if added else 'already covers'} {args.code}")
        elif args.territory_command == "unassign":
            removed = unassign_territory(s, args.username, args.code)
            print(f"{args.username} {'no longer covers' if removed else 'did not cover'} "
                  f"{args.code}")
        elif args.territory_command == "promote":
            added = catalog.promote(s, args.code, args.product)
            print(f"{args.code} {'now promotes' if added else 'already promotes'} "
                  f"{args.product}")
        else:
            removed = catalog.unpromote(s, args.code, args.product)
            print(f"{args.code} {'no longer promotes' if removed else 'did not promote'} "
                  f"{args.product}")


class _Bar:
    """A text progress bar on stderr, redrawn at most every 0.2 s."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label, self.enabled, self.last, self.start = label, enabled, 0.0, time.monotonic()

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and done != total):
            return
        self.last = now
        rate = done / max(now - self.start, 1e-6)
        if total:
            filled = int(30 * done / total)
            bar = "#" * filled + "-" * (30 - filled)
            sys.stderr.write(f"\r{self.label} [{bar}] {done}/{total} ({rate:,.0f} rows/s)")
        else:
            sys.stderr.write(f"\r{self.label} {done} ({rate:,.0f} rows/s)")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _mapping(args: argparse.Namespace) -> Mapping:
    mapping = Mapping.load(args.mapping) if args.mapping else Mapping()
    for spec, target in ((args.map, mapping.columns), (args.id, mapping.external_ids)):
        for item in spec:
            name, sep, column = item.partition("=")
            if not sep:
                raise ImportFormatError(f"{item!r}: expected NAME=COLUMN")
            target[name.strip()] = column.strip()
    if args.delimiter:
        mapping.delimiter = args.delimiter.replace("\\t", "\t")
    mapping.check()
    return mapping


def _cmd_import(args: argparse.Namespace, db: Database) -> int:
    """The files in one batch: the links of all of them are written after their accounts,
    so their order does not matter."""
    reports: dict[str, object] = {}
    done: list[tuple[Path, ImportReport]] = []
    failed = False
    batch = Batch(db, args.territory)
    for path in args.files:
        fmt = args.format
        if fmt == "auto":
            fmt = "fhir" if path.suffix.lower() == ".json" else "csv"
        bar = _Bar(path.name, not args.no_progress and sys.stderr.isatty())
        try:
            data = path.read_bytes()
            if fmt == "csv":
                report = batch.csv(data, _mapping(args), args.encoding, bar, path.name)
            else:
                report = batch.fhir(data, progress=bar, source=path.name)
        except (ImportFormatError, OSError) as exc:
            failed = True
            reports[str(path)] = {"error": str(exc)}
            print(f"{path}: refused: {exc}", file=sys.stderr)
            continue
        reports[str(path)] = {}  # filled after the links, in the order of the files
        done.append((path, report))
    batch.finish()
    for path, report in done:
        reports[str(path)] = report.to_dict()
        counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts().items()))
        print(f"{path}: {counts or 'nothing to import'}", file=sys.stderr)
    text = json.dumps(reports, ensure_ascii=False, indent=1)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 1 if failed else 0


def _exit_with(pid: int) -> None:
    """Stop this server (as Ctrl+C would) once process `pid` is gone."""
    import os
    import signal
    import threading

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            except PermissionError:  # alive, owned by someone else
                continue

    if os.name != "nt":  # signal 0 is Ctrl+C there; the demo stops the server itself
        threading.Thread(target=watch, name="exit-with-pid", daemon=True).start()


def _cmd_demo(args: argparse.Namespace, db: Database) -> int:
    from server.demo import DemoSeedError, seed

    passwords = {}
    for item in args.password:
        name, sep, password = item.partition("=")
        if not sep:
            raise SystemExit(f"{item!r}: expected USER=PASSWORD")
        passwords[name.strip().lower()] = password
    upgrade(db)
    bar = _Bar("demo rows", sys.stderr.isatty())
    try:
        counts = seed(db, sys.stdin.buffer, passwords, lambda done: bar(done, None))
    except DemoSeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(counts))
    return 0


def _tls_options(args: argparse.Namespace) -> dict[str, str]:
    """uvicorn's TLS arguments; both files or neither, and both readable."""
    if (args.certfile is None) != (args.keyfile is None):
        raise SystemExit("give both --certfile and --keyfile (or neither, behind a TLS proxy)")
    if args.certfile is None:
        return {}
    for path in (args.certfile, args.keyfile):
        if not path.is_file():
            raise SystemExit(f"cannot read {path}: no such file")
    return {"ssl_certfile": str(args.certfile), "ssl_keyfile": str(args.keyfile)}


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from server.app import create_app

    tls = _tls_options(args)
    db = Database.from_settings(settings)
    _need_schema(db)
    db.dispose()
    if args.exit_with_pid:
        _exit_with(args.exit_with_pid)
    start_periodic(settings)
    email_outbox.start_periodic(settings)
    # No "server: uvicorn" banner: it tells a scanner which software and version to try.
    common: dict[str, Any] = {
        "host": args.host, "port": args.port, "log_level": "warning", "server_header": False,
        "proxy_headers": bool(settings.forwarded_allow_ips),
        "forwarded_allow_ips": settings.forwarded_allow_ips or None, **tls}
    if args.workers > 1:
        import os

        os.environ["FIELDREP_SERVER_DATA_DIR"] = str(settings.data_dir)
        uvicorn.run("server.app:app_from_environment", factory=True, workers=args.workers,
                    **common)
    else:
        uvicorn.run(create_app(settings), **common)


#: Files and folders the server makes (database, content, logs) are its own: 0600 and 0700.
#: They hold doctors' data and password hashes; nobody else on the machine reads them.
PRIVATE_UMASK = 0o077


def main(argv: Sequence[str] | None = None) -> int:
    import os

    previous = os.umask(PRIVATE_UMASK)
    try:
        return _main(argv)
    finally:
        os.umask(previous)


def _tighten(settings: Settings) -> None:
    """Make an existing data folder and SQLite file private too (made before umask 077)."""
    import os
    import stat

    folder = settings.data_dir
    paths = [folder, *(folder / f"server.sqlite3{end}" for end in ("", "-wal", "-shm"))]
    for path in paths:
        try:
            if path.exists() and path.stat().st_uid == os.getuid():
                path.chmod(stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR)
        except OSError:
            continue  # not ours to change (a shared folder): left as the operator set it


def _main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.data_dir)
    except ValueError as exc:
        raise SystemExit(f"configuration: {exc}") from exc
    if args.command == "serve":
        _cmd_serve(args, settings)
        return 0
    db = Database.from_settings(settings)
    try:
        if args.command == "init":
            rev = upgrade(db)
            _tighten(settings)
            print(f"database ready at revision {rev}: {_safe_url(settings.database_url)}")
            return 0
        if args.command == "demo":
            return _cmd_demo(args, db)
        _need_schema(db)
        if args.command == "prune":
            print(json.dumps(prune(db, settings).to_dict()))
            return 0
        if args.command == "user":
            _cmd_user(args, db)
        elif args.command == "territory":
            _cmd_territory(args, db)
        elif args.command == "import":
            return _cmd_import(args, db)
        elif args.command == "content":
            return _cmd_content(args, db, settings)
        elif args.command == "msl":
            msl_cli.run(args, db)
        elif args.command in ("product", "keymessage", "area"):
            catalog_cli.run(args, db)
        elif args.command == "rules":
            _cmd_rules(args, db)
        elif args.command == "gdpr":
            return gdpr_cli.run(args, db)
        elif args.command == "sales":
            return market_cli.run(args, db)
        elif args.command == "cycle-plan":
            return cycle_plan_cli.run(args, db)
        elif args.command == "service-account":
            return integration_cli.run(args, db)
        elif args.command == "change-request":
            return change_requests_cli.run(args, db)
        elif args.command in ("email-template", "email"):
            return email_cli.run(args, db, settings)
    except (DirectoryError, RoutingError, GdprError, DecisionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    return 0


def _safe_url(url: str) -> str:
    """The DSN without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    raise SystemExit(main())
