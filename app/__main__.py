"""The `fieldrep` command: open the app, or open it on generated demo data.

    fieldrep                      open Fieldrep on this laptop's data folder
    fieldrep demo [--accounts N]  create a demo territory (once) and open it
    fieldrep sync [--server URL] [--user NAME]
                                  sync once with the server, print a summary (exit 0/1)
    fieldrep --data-dir DIR ...   use another data folder (e.g. a second profile)
    fieldrep --version

Exit codes: 0 fine, 1 the app failed, 2 the data folder cannot be used (message on stderr).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.config import Paths, Settings, default_data_dir, setup_logging

if TYPE_CHECKING:
    from app.store.database import Database

log = logging.getLogger("app")

EXIT_UNUSABLE_DATA = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldrep",
        description="Fieldrep: the offline-first CRM for pharmaceutical field teams.",
    )
    parser.add_argument("--version", action="version", version=f"Fieldrep {__version__}")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="folder for the database, settings and logs "
                             f"(default: {default_data_dir()})")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    # For benchmarks: report first paint and memory on stdout, then quit.
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="open Fieldrep (the default)")
    demo = commands.add_parser(
        "demo", help="open Fieldrep on a generated demo territory (made once, then reused)")
    demo.add_argument("--accounts", type=int, default=2000, metavar="N",
                      help="number of accounts to generate (default: 2000)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    demo.add_argument("--reset", action="store_true",
                      help="throw the demo data away and generate it again")
    sync = commands.add_parser("sync", help="sync once with the server and print a summary")
    sync.add_argument("--server", metavar="URL",
                      help="server address (default: the server_url setting)")
    sync.add_argument("--user", metavar="NAME",
                      help="log in first as NAME (asks for the password, or reads one line "
                           "from stdin with --password-stdin)")
    sync.add_argument("--password-stdin", action="store_true", help=argparse.SUPPRESS)
    return parser


def run_sync(paths: Paths, settings: Settings, args: argparse.Namespace) -> int:
    """`fieldrep sync`: log in if asked, sync once, print progress and a summary."""
    import getpass

    from app.services.login import LoginError, login
    from app.store.database import open_database
    from app.sync.auth import client_for
    from app.sync.engine import SyncState, sync_once
    from app.sync.errors import SyncError

    url = args.server or settings.get("server_url")
    if not url:
        print("fieldrep sync: no server set: use --server URL or the settings dialog.",
              file=sys.stderr)
        return 1

    def show(phase: str, done: int, total: int | None) -> None:
        sys.stderr.write(f"\r  {phase}: {done:,}" + (f" / {total:,}" if total else "") + "   ")
        sys.stderr.flush()

    db = open_database(paths.database)
    try:
        with client_for(db, url) as client:
            if args.user:
                password = (sys.stdin.readline().rstrip("\n") if args.password_stdin
                            else getpass.getpass(f"Password for {args.user}: "))
                result = login(db, client, args.user, password)
                if not result.online:
                    print("fieldrep sync: the server cannot be reached; logged in offline.",
                          file=sys.stderr)
                    return 1
            report = sync_once(db, client, SyncState(listener=show))
    except (SyncError, LoginError) as exc:
        print(f"\nfieldrep sync: {exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
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


def prepare_demo(data_dir: Path, accounts: int, seed: int, *, reset: bool) -> None:
    """Generate the demo territory into `data_dir` unless it already holds one."""
    from sqlalchemy import func, select

    from app.services import demo_data
    from app.store.accounts import Account
    from app.store.database import open_database

    database = Paths(data_dir).database
    if reset and database.exists():
        _refuse_unless_demo(database)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    db = open_database(database)
    try:
        with db.read() as session:
            existing = session.scalar(select(func.count()).select_from(Account))
            if existing:
                if existing < accounts:
                    print(f"Using the demo territory already in {data_dir} ({existing:,} "
                          "accounts); add --reset to generate a new one.", file=sys.stderr)
                _import_demo_content(db)
                return
        print(f"Creating a demo territory with {accounts:,} accounts in {data_dir} …",
              file=sys.stderr)
        demo_data.generate(db, accounts=accounts, seed=seed, progress=_progress)
        _import_demo_content(db)
    finally:
        db.close()


def _import_demo_content(db: Database) -> None:
    """The two demo decks of resources/content, so the library and presenter have content.

    Importing the same package again changes nothing, so an existing demo gets them too.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    from app.config import resources_dir
    from app.edetail.errors import ContentError
    from app.edetail.package import import_package

    # Thumbnails are drawn with QPainter, which needs an application; one made here is
    # shut down again, so the window's QApplication can be created afterwards.
    own = None
    if QCoreApplication.instance() is None:
        own = QGuiApplication(["fieldrep", "-platform", "offscreen"])
    try:
        for package in sorted((resources_dir() / "content").glob("*.zip")):
            try:
                import_package(db, package)
            except ContentError as error:
                print(f"Demo content {package.name} not imported: {error}", file=sys.stderr)
    finally:
        if own is not None:
            own.shutdown()


def _refuse_unless_demo(database: Path) -> None:
    """--reset deletes a database: only one the demo made, with nothing waiting to sync."""
    import sqlite3

    from app.store.errors import DatabaseOpenError

    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        demo = conn.execute("SELECT count(*) FROM demo_truth").fetchone()[0]
        pending = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    except sqlite3.DatabaseError:
        demo, pending = 0, 0
    finally:
        conn.close()
    if not demo or pending:
        raise DatabaseOpenError(
            f"{database} is not demo data{'' if not pending else ' with nothing to sync'}: "
            "--reset refuses to delete it."
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir: Path = args.data_dir or default_data_dir()
    if args.command == "demo" and args.data_dir is None:
        data_dir = data_dir / "demo"  # never mix demo doctors into a rep's real data
    paths = Paths(data_dir.expanduser().resolve())

    from app.store.errors import DatabaseOpenError
    from app.store.preflight import preflight

    try:
        setup_logging(paths, verbose=args.verbose)
        log.info("Fieldrep %s starting on %s", __version__, paths.data_dir)
        if args.command == "demo":
            prepare_demo(paths.data_dir, args.accounts, args.seed, reset=args.reset)
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        preflight(paths.database)  # plain sqlite3: a wrong file ends here, before any window
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

    from app.ui.application import run

    def open_db() -> Database:
        from app.store.database import open_database

        return open_database(paths.database)

    return run(paths, Settings(paths.data_dir), open_db, probe=args.probe)


if __name__ == "__main__":
    sys.exit(main())
