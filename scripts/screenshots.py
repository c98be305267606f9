"""Screenshots of the main screens, taken from the real app on a real (virtual) screen.

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py

Starts a demo server with the demo territory in a temporary folder (or under --data-dir), as
`fieldrep demo` does, logs the rep in, opens the main window maximised and lets its first
sync fill the laptop, walks through Today, the accounts list, an account and a call report,
then makes two real conflicts with a second laptop of the rep and shows the conflicts view.
Saves what the screen shows into docs/screenshots/. Run it after a change to what those
screens look like, and look at the PNGs before committing them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.config import Paths, Settings  # noqa: E402
from app.demo import laptop as demo_laptop  # noqa: E402
from app.demo import server as demo_server  # noqa: E402
from app.services.accounts import update_contact  # noqa: E402
from app.store.database import Database  # noqa: E402
from app.sync.auth import client_for  # noqa: E402
from app.sync.run import sync_once  # noqa: E402
from app.ui.application import configure, create_main_window, place  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.translation import install  # noqa: E402
from app.ui.views.conflicts import ConflictsDialog  # noqa: E402
from app.ui.views.presenter.presentation import Presenter  # noqa: E402
from app.ui.views.presenter.scheme import prepare_webengine  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(ms: int = 600) -> None:
    """Let the event loop run (background reads, painting) for a moment."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:
        settle(100)
        waited += 100
    settle(400)


def shoot(app: QApplication, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app.primaryScreen().grabWindow(0).save(str(OUT / f"{name}.png"))
    print(f"saved {OUT / name}.png")


def edetail_shots(app: QApplication, window: MainWindow, suffix: str) -> None:
    """The library, then a demo deck presented on one screen and, with a stand-in second
    screen (Xvfb has one), the rep's console beside the doctor's slide."""
    window.show_library()
    wait_for(lambda: bool(window.library.cards))
    shoot(app, f"library{suffix}")
    deck = next(c.item.presentation_id for c in window.library.cards
                if c.item.title.startswith("Cardiovel"))
    presenter = window.presentations.present(deck)
    assert presenter is not None
    wait_for(lambda: presenter.audience is not None)
    presenter.next()
    presenter.react("positive")
    settle(800)
    shoot(app, f"presenter-overlay{suffix}")
    presenter.end()
    wait_for(lambda: window.presentations.presenter is None)
    screen = app.primaryScreen()
    two = Presenter(window.ops, deck, screens=[screen, screen], fullscreen=False)
    wait_for(lambda: two.console is not None)
    two.next()
    assert two.audience is not None and two.console is not None
    two.audience.hide()  # the doctor's window would lie on top of the console here
    two.console.showMaximized()
    settle(800)
    shoot(app, f"presenter-console{suffix}")
    two.console.hide()
    two.audience.showFullScreen()
    settle(800)
    shoot(app, f"presenter-doctor{suffix}")
    two.end()
    settle(400)


def edit_contact(db: Database, account_id: str, **change: str) -> None:
    """The account's contact details saved with one field changed, as the account view does."""
    from app.store.accounts import Account

    with db.write() as session:
        account = session.get(Account, account_id)
        assert account is not None
        values = {"email": account.email, "phone": account.phone, "notes": account.notes}
        update_contact(session, None, account_id, **{**values, **change})


def second_laptop(server: demo_server.DemoServer, folder: Path) -> Database:
    """Another laptop of the rep: signed in anew (its own device and encrypted store), with
    the territory pulled from the server."""
    folder.mkdir(parents=True, exist_ok=True)
    db = demo_laptop.log_in(folder, Settings(folder), server).db
    with client_for(db, server.url) as client:
        sync_once(db, client)
    return db


def conflict_shots(app: QApplication, window: MainWindow, server: demo_server.DemoServer,
                   data_dir: Path, suffix: str) -> None:
    """Both laptops change the same fields of two doctors before syncing; the window's laptop
    syncs last and shows what lost."""
    ids = [window.accounts.model.account_id(row) for row in range(2)]
    other = second_laptop(server, data_dir / "laptop-2")
    try:
        edit_contact(other, ids[0], phone="089 4711 200")
        edit_contact(other, ids[1], notes="Bevorzugt Termine am Dienstagvormittag.")
        with client_for(other, server.url) as client:
            sync_once(other, client)
    finally:
        other.close()
    edit_contact(window.ops.db, ids[0], phone="089 4711 999")
    edit_contact(window.ops.db, ids[1], notes="Lieber donnerstags nach 15 Uhr anrufen.")
    done: list[object] = []
    window.sync.finished.connect(done.append)
    window.sync_now()
    wait_for(lambda: bool(done), 120_000)
    wait_for(window.status.conflicts.isVisible)
    dialog = window.open_conflicts()
    assert isinstance(dialog, ConflictsDialog)
    wait_for(lambda: dialog.list.topLevelItemCount() > 0)
    shoot(app, f"conflicts{suffix}")
    dialog.close()


def escalation_shots(app: QApplication, window: MainWindow, data_dir: Path,
                     settings: Settings, language: str, suffix: str) -> MainWindow:
    """The rep's escalation dialog over an account, then the same demo laptop opened as
    the demo MSL: the desk with the inquiries the demo rep escalated. Returns the window
    now open (the MSL's)."""
    from sqlalchemy import text

    account_id = window.accounts.first_account_id()
    assert account_id is not None
    window.open_account(account_id)
    wait_for(lambda: window.account.detail is not None)
    dialog = window.account.escalate()
    assert dialog is not None
    wait_for(lambda: dialog.product.count() > 1)
    dialog.question.setPlainText("Kann ich das bei einer Patientin mit Dialyse geben, und in "
                                 "welcher Dosis?")
    dialog.product.setCurrentIndex(1)
    dialog.urgency.setCurrentIndex(dialog.urgency.findData("urgent"))
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    dialog.consent.setChecked(True)
    settle(600)
    shoot(app, f"escalation-dialog{suffix}")
    dialog.reject()
    window.close()
    window.ops.wait()
    db = window.ops.db
    with db.write() as session:
        session.execute(text("UPDATE local_state SET value = (SELECT id FROM users WHERE "
                             "role = 'msl') WHERE key = 'current_user_id'"))
    msl = create_main_window(db, settings, Paths(data_dir), language)
    place(msl)
    wait_for(lambda: msl.roles is not None and msl.roles.desk is not None
             and msl.roles.desk.detail is not None)
    settle(800)
    shoot(app, f"msl-desk{suffix}")
    with db.write() as session:  # the demo laptop is the rep's again for the next run
        session.execute(text("UPDATE local_state SET value = (SELECT id FROM users WHERE "
                             "role = 'rep') WHERE key = 'current_user_id'"))
    return msl


def engine_shots(app: QApplication, window: MainWindow, suffix: str) -> None:
    """The next steps proposed after a seminar was logged, and the control-group report."""
    import datetime as dt

    from app.store.interactions import Interaction

    engine = window.home.recommender.engine
    assert engine is not None
    today = dt.date.today()
    account_id = next(
        a.account_id for a in engine.features.accounts
        if engine.persona_of(a.account_id).name == "evidence_driven"
        and not engine.in_control(a.account_id) and not engine.open.get(a.account_id)
        and engine.features.contacts_in_window(engine.features.row(a.account_id) or 0,
                                               today) == 0)
    user = window.user
    with window.ops.db.write() as session:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        call = Interaction(account_id=account_id, owner_id=user.id if user else None,
                           channel="event", status="submitted", duration_min=120,
                           start_at=now - dt.timedelta(hours=14), submitted_at=now,
                           subject="Herzinsuffizienz-Update")
        session.add(call)
        session.flush()
        call_id = call.id
    window.open_account(account_id)
    wait_for(window.account.persona.isVisible)
    dialog = window.propose_next_steps(call_id)
    wait_for(lambda: dialog.panel.list.topLevelItemCount() > 0)
    shoot(app, f"next-steps{suffix}")
    dialog.close()
    report = window.show_control_report()
    wait_for(lambda: report.table.topLevelItemCount() > 0)
    shoot(app, f"control-groups{suffix}")
    report.close()
    settle(300)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--language", default="en", choices=["en", "de"])
    parser.add_argument("--theme", default="light", choices=["light", "dark"])
    parser.add_argument("--edetail", action="store_true",
                        help="also the library and the presenter (one and two screens)")
    parser.add_argument("--engine", action="store_true",
                        help="also the next steps after a call and the control-group report")
    parser.add_argument("--only-edetail", action="store_true",
                        help="only the library and the presenter")
    parser.add_argument("--escalation", action="store_true",
                        help="also the rep's escalation dialog and the MSL's desk")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="fieldrep-shots-"))
    server = demo_server.ensure(data_dir / "server", 2000, 7)
    laptop = data_dir / "laptop"
    try:
        return shots(args, data_dir, laptop, server)
    finally:
        server.stop()


def shots(args: argparse.Namespace, data_dir: Path, laptop: Path,
          server: demo_server.DemoServer) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    prepare_webengine()  # the slide sandbox, as the app does at start-up
    app = QApplication(sys.argv[:1])
    settings = Settings(laptop)
    settings.set("language", args.language)
    settings.set("theme", args.theme)
    configure(app, settings)
    translators = install(app, args.language)
    db = demo_laptop.log_in(laptop, settings, server).db
    window = create_main_window(db, settings, Paths(laptop), args.language)
    place(window)
    # The first sync fills the laptop, decks included (progress in the status bar).
    wait_for(lambda: not window.sync.running and window.user is not None, 300_000)
    window.home.refresh()
    suffix = ("" if args.language == "en" else f"-{args.language}") \
        + ("" if args.theme == "light" else f"-{args.theme}")
    if args.only_edetail:
        wait_for(window.home.isVisible)
        edetail_shots(app, window, suffix)
        window.close()
        db.close()
        return 0

    wait_for(window.home.isVisible)
    wait_for(lambda: window.home.suggested.list.topLevelItemCount() > 0, 60_000)
    shoot(app, f"today{suffix}")

    window.find_account()
    window.accounts.search.setText("mül")  # as typed: the debounce runs the query
    wait_for(lambda: window.accounts.model.rowCount() > 0)
    shoot(app, f"accounts{suffix}")

    account_id = window.accounts.first_account_id()
    assert account_id is not None
    window.open_account(account_id)
    wait_for(lambda: window.account.account_id == account_id)
    settle(800)
    shoot(app, f"account{suffix}")

    page = window.log_call()
    assert page is not None
    settle(1200)
    shoot(app, f"call-report{suffix}")

    if args.edetail:
        edetail_shots(app, window, suffix)
    if args.engine:
        engine_shots(app, window, suffix)

    if args.escalation:
        window.reports.close_all()
        window = escalation_shots(app, window, data_dir, settings, args.language, suffix)

    window.show_accounts()
    conflict_shots(app, window, server, data_dir, suffix)

    window.close()
    db.close()
    del translators
    return 0


if __name__ == "__main__":
    sys.exit(main())
