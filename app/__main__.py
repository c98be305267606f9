"""The `fieldrep` command: open the app, or open it on generated demo data.

    fieldrep                      open Fieldrep on this laptop's data folder
    fieldrep demo [--accounts N]  start (or join) the demo server on 127.0.0.1, seeded once
                                  with a demo territory; open the app as its rep and sync
    fieldrep sync --user NAME [--server URL]
                                  sign in as NAME, sync once, print a summary (exit 0/1)
    fieldrep export-doctor ID FILE
                                  write what this laptop holds about one doctor (JSON)
    fieldrep --data-dir DIR ...   use another data folder (e.g. a second profile)
    fieldrep --version

Exit codes: 0 fine, 1 the app failed, 2 the data folder cannot be used (message on stderr).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__, gdpr_cli
from app.config import (
    SERVER_COMMAND,
    Paths,
    Settings,
    default_data_dir,
    make_private,
    setup_logging,
)

if TYPE_CHECKING:
    from app.demo.server import DemoServer
    from app.services.login import SignedIn
    from app.store.database import Database

log = logging.getLogger("app")

EXIT_UNUSABLE_DATA = 2

#: A hidden command, like SERVER_COMMAND (app.config): checks this installation, also a
#: frozen one (scripts/build_app.py); see app/ui/selfcheck.py.
SELFCHECK_COMMAND = "_selfcheck"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldrep",
        description="Fieldrep: the offline-first CRM for pharmaceutical field teams.",
    )
    parser.add_argument("--version", action="version", version=f"Fieldrep {__version__}")
    _add_common_options(parser, default=None)
    # People write the folder after the command too (`fieldrep demo --data-dir DIR`, as the
    # README does): every command accepts the common options, and where they are given after
    # it they win; not given there, they leave what was given before the command alone.
    common = argparse.ArgumentParser(add_help=False)
    _add_common_options(common, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="open Fieldrep (the default)", parents=[common])
    demo = commands.add_parser(
        "demo", help="start (or join) a demo server with a generated territory on 127.0.0.1 "
                     "and open Fieldrep signed in as its rep", parents=[common])
    demo.add_argument("--accounts", type=int, default=2000, metavar="N",
                      help="number of accounts to generate (default: 2000)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    demo.add_argument("--reset", action="store_true",
                      help="throw the demo data away (server and this laptop) and generate "
                           "it again")
    demo.add_argument("--server-dir", type=Path, metavar="DIR",
                      help="the demo server's folder, shared by every demo laptop "
                           f"(default: {default_data_dir() / 'demo-server'})")
    sync = commands.add_parser("sync", help="sync once with the server and print a summary",
                               parents=[common])
    sync.add_argument("--server", metavar="URL",
                      help="server address (default: the server_url setting)")
    sync.add_argument("--user", metavar="NAME", required=True,
                      help="sign in as NAME: asks for the password (or reads one line from "
                           "stdin with --password-stdin), which also unlocks NAME's data")
    sync.add_argument("--password-stdin", action="store_true", help=argparse.SUPPRESS)
    sync.add_argument("--ca-bundle", metavar="FILE", help="the company certificate authority "
                      "(PEM) to check the server against (default: the ca_bundle setting)")
    gdpr_cli.add_parser(commands)
    return parser


def _add_common_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--data-dir, --verbose and the benchmarks' --probe, before or after the command."""
    parser.add_argument("--data-dir", type=Path, metavar="DIR", default=default,
                        help="folder for the database, settings and logs "
                             f"(default: {default_data_dir()})")
    parser.add_argument("-v", "--verbose", action="store_true",
                        default=False if default is None else default,
                        help="log details to stderr")
    # For benchmarks: report first paint and memory on stdout, then quit.
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS,
                        default=False if default is None else default)


def run_sync(paths: Paths, settings: Settings, args: argparse.Namespace) -> int:
    """`fieldrep sync`: sign in (unlocking the user's store), sync once, print a summary."""
    import getpass

    from app.services.login import LoginError, sign_in, sign_out
    from app.services.remote_wipe import StoreWipedError, sync_or_wipe
    from app.sync.auth import client_for
    from app.sync.client import SyncClient
    from app.sync.errors import SyncError
    from app.sync.run import SyncState

    url = args.server or settings.get("server_url")
    if not url:
        print("fieldrep sync: no server set: use --server URL or the settings dialog.",
              file=sys.stderr)
        return 1

    def show(phase: str, done: int, total: int | None) -> None:
        sys.stderr.write(f"\r  {phase}: {done:,}" + (f" / {total:,}" if total else "") + "   ")
        sys.stderr.flush()

    password = (sys.stdin.readline().rstrip("\n") if args.password_stdin
                else getpass.getpass(f"Password for {args.user}: "))
    ca_bundle = args.ca_bundle or settings.get("ca_bundle") or None
    try:
        signed = sign_in(paths.data_dir, args.user, password,
                         lambda device: SyncClient(url, device_id=device, ca_bundle=ca_bundle),
                         offline_days=settings.get("offline_login_days"))
    except (SyncError, LoginError) as exc:
        print(f"fieldrep sync: {exc}", file=sys.stderr)
        return 1
    db = signed.db
    for notice in signed.notices:
        print(f"fieldrep sync: {notice}", file=sys.stderr)
    if not signed.result.online:
        print("fieldrep sync: the server cannot be reached; signed in offline.",
              file=sys.stderr)
        sign_out(db)
        return 1
    try:
        with client_for(db, url, ca_bundle=ca_bundle) as client:
            report = sync_or_wipe(db, client, SyncState(listener=show))
    except StoreWipedError as exc:
        print(f"\nfieldrep sync: {exc}", file=sys.stderr)
        return 1
    except SyncError as exc:
        print(f"\nfieldrep sync: {exc}", file=sys.stderr)
        sign_out(db)
        return 1
    sign_out(db)
    sys.stderr.write("\n")
    print(f"Synced: {report.summary()}.")
    return 0


def _progress(done: int, total: int) -> None:
    width = 30
    share = done / max(total, 1)
    filled = int(width * share)
    sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {share:4.0%}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def prepare_demo(paths: Paths, settings: Settings,
                 args: argparse.Namespace) -> tuple[DemoServer, SignedIn]:
    """Start or join the demo server, make this data folder a demo laptop, sign the rep in.

    The returned server is stopped by the caller when the window closes (if this app
    started it); the returned sign-in holds the rep's unlocked store for the window. See
    app/demo/server.py.
    """
    from app.demo import laptop as demo_laptop
    from app.demo import server as demo_server

    data_dir = paths.data_dir
    if args.reset:
        demo_laptop.check_discard(data_dir)
    folder = (args.server_dir or default_data_dir() / demo_server.SERVER_DIR).expanduser()
    server = demo_server.ensure(folder.resolve(), args.accounts, args.seed, reset=args.reset,
                                progress=_progress, say=_say)
    try:
        if args.reset:
            demo_laptop.discard(data_dir)
        elif demo_laptop.discard_if_stale(data_dir, server):
            _say(f"The demo data in {paths.data_dir} came from an earlier demo server; "
                 "it was replaced.")
        signed = demo_laptop.log_in(data_dir, settings, server)
    except BaseException:
        server.stop()
        raise
    _say(demo_text(server, paths.data_dir))
    return server, signed


def demo_text(server: DemoServer, data_dir: Path) -> str:
    """What the person starting the demo needs: where the server is, who can log in."""
    from app.demo.server import CREDENTIALS

    people = "\n".join(f"  {c.username:<8} {c.password:<13} {c.display_name} ({c.role})"
                       for c in CREDENTIALS)
    ending = ("it stops when this window closes" if server.owned
              else "started by another Fieldrep window")
    return (f"Demo server: {server.url} ({ending}; data in {server.folder})\n"
            f"Logins (user, password):\n{people}\n"
            f"This laptop: {data_dir}, signed in as {CREDENTIALS[0].username}; it syncs now.\n"
            "A second laptop of the same rep: fieldrep demo --data-dir ANOTHER_FOLDER")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    # The frozen app is also the engine's training process (app/services/training.py):
    # started so, it trains and exits here, before any of the app's own work.
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [SERVER_COMMAND]:
        from server.cli import main as server_main  # the demo extra installs the server

        return server_main(argv[1:])
    if argv == [SELFCHECK_COMMAND]:
        from app.ui.selfcheck import run as selfcheck

        return selfcheck()
    args = build_parser().parse_args(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    if args.command == "demo" and args.data_dir is None:
        data_dir = data_dir / "demo"  # never mix demo doctors into a rep's real data
    paths = Paths(data_dir.expanduser().resolve())

    from app.services.errors import ServiceError
    from app.store.errors import DatabaseOpenError
    from app.store.preflight import preflight

    server: DemoServer | None = None
    signed: SignedIn | None = None
    try:
        make_private(paths.data_dir)  # 0700/0600 before the first file is written
        setup_logging(paths, verbose=args.verbose)
        log.info("Fieldrep %s starting on %s", __version__, paths.data_dir)
        preflight(paths.database)  # a plain store from before per-user stores: checked now
        if args.command == "demo":
            server, signed = prepare_demo(paths, Settings(paths.data_dir), args)
    except ServiceError as exc:
        log.error("cannot prepare the demo: %s", exc)
        print(f"fieldrep demo: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE_DATA
    except DatabaseOpenError as exc:
        log.error("cannot open the database: %s", exc)
        print(f"fieldrep: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE_DATA
    except OSError as exc:
        log.error("cannot use the data folder: %s", exc)
        print(f"fieldrep: the data folder {paths.data_dir} cannot be used: {exc.strerror}. "
              "Choose another one with --data-dir.", file=sys.stderr)
        return EXIT_UNUSABLE_DATA

    if args.command == "sync":
        return run_sync(paths, Settings(paths.data_dir), args)
    if args.command == "export-doctor":
        return gdpr_cli.run(paths, args)

    from app.ui.application import run

    demo_db = signed.db if signed is not None else None

    def open_db() -> Database:
        assert demo_db is not None
        return demo_db

    try:
        return run(paths, Settings(paths.data_dir), open_db if demo_db else None,
                   probe=args.probe, notices=signed.notices if signed else ())
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
