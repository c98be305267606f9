"""Screenshots of every screen, taken from the real app on a real (virtual) screen.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" \
        sh -c "openbox & sleep 0.5; python scripts/screenshots.py"

Starts a demo server with the demo territory in a temporary folder (or under --data-dir), as
`fieldrep demo` does, then takes every screen once per variant (English and German, light and
dark), each variant in its own process, signed in to that server on one laptop (the first
variant's sync fills it), then the steps in STEPS walk the screens in order. Files are
named `<screen>-<language>-<theme>.png` in docs/screenshots/. Run it after a change to what
the screens look like, and look at the PNGs before committing them.

A new screen is one function `def my_screen(run: Run) -> None` that opens it, calls
`run.shoot("my-screen")` and closes it, added to STEPS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import faulthandler
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from app.config import Paths, Settings  # noqa: E402
from app.demo import laptop as demo_laptop  # noqa: E402
from app.demo import server as demo_server  # noqa: E402
from app.services.accounts import update_contact  # noqa: E402
from app.services.login import sign_in  # noqa: E402
from app.store.database import Database  # noqa: E402
from app.sync.auth import client_for  # noqa: E402
from app.sync.client import SyncClient  # noqa: E402
from app.sync.run import sync_once  # noqa: E402
from app.ui.application import configure, create_main_window, place  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.translation import install  # noqa: E402
from app.ui.views.conflicts import ConflictsDialog  # noqa: E402
from app.ui.views.presenter.presentation import Presenter  # noqa: E402
from app.ui.views.presenter.scheme import prepare_webengine  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
LANGUAGES = ("en", "de")
THEMES = ("light", "dark")
ACCOUNTS, SEED = 2000, 7


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


@dataclass
class Run:
    """One variant's run: the app, the window now open (steps may replace it) and where the
    laptop's data lies."""

    app: QApplication
    window: MainWindow
    server: demo_server.DemoServer
    data_dir: Path
    laptop: Path
    settings: Settings
    language: str
    theme: str

    def shoot(self, screen: str) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"{screen}-{self.language}-{self.theme}.png"
        self.app.primaryScreen().grabWindow(0).save(str(path))
        print(f"saved {path}")


def today(run: Run) -> None:
    window = run.window
    wait_for(window.home.isVisible)
    wait_for(lambda: window.home.suggested.list.topLevelItemCount() > 0, 60_000)
    run.shoot("today")


def accounts(run: Run) -> None:
    window = run.window
    window.find_account()
    window.accounts.search.setText("mül")  # as typed: the debounce runs the query
    wait_for(lambda: window.accounts.model.rowCount() > 0)
    run.shoot("accounts")


def account(run: Run) -> None:
    window = run.window
    account_id = window.accounts.first_account_id()
    assert account_id is not None
    window.open_account(account_id)
    wait_for(lambda: window.account.account_id == account_id)
    settle(800)
    run.shoot("account")


def call_report(run: Run) -> None:
    page = run.window.log_call()
    assert page is not None
    settle(1200)
    run.shoot("call-report")
    run.window.reports.close_all()


def tasks(run: Run) -> None:
    """An account with open tasks: its follow-ups beside its history."""
    window = run.window
    with window.ops.db.read() as session:
        account_id = session.execute(text(
            "SELECT account_id FROM tasks WHERE status = 'open' AND deleted = 0 "
            "AND account_id IS NOT NULL GROUP BY account_id ORDER BY count(*) DESC, "
            "account_id LIMIT 1")).scalar_one()
    window.open_account(account_id)
    wait_for(window.account.tasks.isVisible)
    settle(800)
    run.shoot("tasks")


def library(run: Run) -> None:
    window = run.window
    window.show_library()
    wait_for(lambda: bool(window.library.cards))
    run.shoot("library")


def _deck(window: MainWindow) -> str:
    return next(c.item.presentation_id for c in window.library.cards
                if c.item.title.startswith("Cardiovel"))


def presenter(run: Run) -> None:
    """A demo deck presented on one screen, then, with a stand-in second screen (Xvfb has
    one), the rep's console beside the doctor's slide."""
    window, app = run.window, run.app
    deck = _deck(window)
    user_id = window.user.id if window.user else None  # the session is the rep's own
    one = window.presentations.present(deck, user_id=user_id)
    assert one is not None
    wait_for(lambda: one.audience is not None)
    one.next()
    one.react("positive")
    settle(800)
    run.shoot("presenter-overlay")
    one.end()
    wait_for(lambda: window.presentations.presenter is None)
    screen = app.primaryScreen()
    two = Presenter(window.ops, deck, user_id=user_id, screens=[screen, screen],
                    fullscreen=False)
    wait_for(lambda: two.console is not None)
    two.next()
    assert two.audience is not None and two.console is not None
    two.audience.hide()  # the doctor's window would lie on top of the console here
    two.console.showMaximized()
    settle(800)
    run.shoot("presenter-console")
    two.console.hide()
    two.audience.showFullScreen()
    settle(800)
    run.shoot("presenter-doctor")
    two.end()
    settle(400)
    close_messages(app)


def close_messages(app: QApplication) -> None:
    """Close what the last step said in a message box (it would lie under the next shot)."""
    for widget in app.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.close()


def next_steps(run: Run) -> None:
    """The next steps proposed after a seminar was logged."""
    from app.store.interactions import Interaction

    window = run.window
    engine = window.home.recommender.engine
    assert engine is not None
    day = dt.date.today()
    account_id = next(
        a.account_id for a in engine.features.accounts
        if engine.persona_of(a.account_id).name == "evidence_driven"
        and not engine.in_control(a.account_id) and not engine.open.get(a.account_id)
        and engine.features.contacts_in_window(engine.features.row(a.account_id) or 0,
                                               day) == 0)
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
    run.shoot("next-steps")
    dialog.close()


def control_groups(run: Run) -> None:
    report = run.window.show_control_report()
    wait_for(lambda: report.table.topLevelItemCount() > 0)
    run.shoot("control-groups")
    report.close()
    settle(300)


def settings(run: Run) -> None:
    dialog = run.window.open_settings()
    settle(800)
    run.shoot("settings")
    dialog.reject()


def sign_in_screen(run: Run) -> None:
    """The sign-in a fresh laptop (or a switch of user) opens with."""
    from app.ui.login_dialog import SignInDialog

    dialog = SignInDialog(run.laptop, run.settings, run.window)
    dialog.server.setText(run.server.url)
    dialog.user.setText("demo-rep")
    dialog.open()
    settle(800)
    run.shoot("sign-in")
    dialog.reject()


def edit_contact(db: Database, account_id: str, **change: str) -> None:
    """The account's contact details saved with one field changed, as the account view does."""
    from app.store.accounts import Account

    with db.write() as session:
        account = session.get(Account, account_id)
        assert account is not None
        values = {"email": account.email, "phone": account.phone, "notes": account.notes}
        update_contact(session, None, account_id, **{**values, **change})


def other_laptop(run: Run, username: str) -> Database:
    """Another laptop (of the rep, or of another demo user): signed in anew (its own device
    and encrypted store), with what it may see pulled from the server."""
    credential = next(c for c in demo_server.CREDENTIALS if c.username == username)
    folder = run.data_dir / f"laptop-{username}"  # the later variants only catch up
    folder.mkdir(parents=True, exist_ok=True)
    db = sign_in(folder, credential.username, credential.password,
                 lambda device: SyncClient(run.server.url, device_id=device)).db
    with client_for(db, run.server.url) as client:
        sync_once(db, client)
    return db


def _sync(run: Run) -> None:
    """A sync of the window's laptop, after the one it may be running already."""
    wait_for(lambda: not run.window.sync.running, 300_000)
    done: list[object] = []
    run.window.sync.finished.connect(done.append)
    run.window.sync_now()
    wait_for(lambda: bool(done), 120_000)


def conflicts(run: Run) -> None:
    """Both laptops change the same fields of two doctors before syncing; the window's laptop
    syncs last and shows what lost."""
    window = run.window
    window.show_accounts()
    wait_for(lambda: window.accounts.model.rowCount() > 1)
    ids = [window.accounts.model.account_id(row) for row in range(2)]
    other = other_laptop(run, "rep")
    try:
        edit_contact(other, ids[0], phone="089 4711 200")
        edit_contact(other, ids[1], notes="Bevorzugt Termine am Dienstagvormittag.")
        with client_for(other, run.server.url) as client:
            sync_once(other, client)
    finally:
        other.close()
    edit_contact(window.ops.db, ids[0], phone="089 4711 999")
    edit_contact(window.ops.db, ids[1], notes="Lieber donnerstags nach 15 Uhr anrufen.")
    _sync(run)
    wait_for(window.status.conflicts.isVisible)
    dialog = window.open_conflicts()
    assert isinstance(dialog, ConflictsDialog)
    wait_for(lambda: dialog.list.topLevelItemCount() > 0)
    run.shoot("conflicts")
    dialog.close()


def escalation(run: Run) -> None:
    """The rep's escalation dialog over an account."""
    window = run.window
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
    run.shoot("escalation-dialog")
    dialog.reject()


def _open_as(run: Run, db: Database) -> MainWindow:
    run.window.close()
    run.window.ops.wait()
    window = create_main_window(db, run.settings, Paths(run.laptop), run.language)
    place(window)
    run.window = window
    return window


def refused_changes(run: Run) -> None:
    """A real refusal: the read-only manager's laptop changes a doctor's phone number, the
    server says no; the manager's window shows it in words. Leaves the manager's window."""
    db = other_laptop(run, "manager")
    with db.read() as session:
        account_id = session.execute(text(
            "SELECT id FROM accounts ORDER BY name LIMIT 1")).scalar_one()
    edit_contact(db, account_id, phone="030 999 999")
    window = _open_as(run, db)
    wait_for(lambda: window.user is not None)
    _sync(run)
    wait_for(window.status.refused.isVisible)
    dialog = window.open_conflicts()
    dialog.show_refusals()
    wait_for(lambda: dialog.refused.list.topLevelItemCount() > 0)
    run.shoot("refused-changes")
    dialog.close()


def msl_desk(run: Run) -> None:
    """The rep's laptop opened as the demo MSL: the desk with the inquiries the demo rep
    escalated; afterwards the laptop is the rep's again."""
    db = run.window.ops.db

    def as_role(role: str) -> None:
        with db.write() as session:
            session.execute(text("UPDATE local_state SET value = (SELECT id FROM users WHERE "
                                 "role = :role) WHERE key = 'current_user_id'"), {"role": role})

    as_role("msl")
    try:
        window = _open_as(run, db)
        wait_for(lambda: window.roles is not None and window.roles.desk is not None
                 and window.roles.desk.detail is not None)
        settle(800)
        run.shoot("msl-desk")
    finally:
        as_role("rep")


def figures(run: Run) -> None:
    """The rep's figures (Ctrl+6): calls against plan, reach, coverage, the territory's sales."""
    window = run.window
    assert window.roles is not None and window.roles.figures is not None
    page = window.roles.figures
    window.roles.show("figures")
    wait_for(lambda: page.stamp is not None, 30_000)
    settle(800)
    run.shoot("figures")


def _plan_page(run: Run, key: str) -> None:
    """A page of the plan (the week's calendar, the day's route), shown once it has read."""
    window = run.window
    assert window.roles is not None
    page = window.roles.pages[key]
    with_shown: list[bool] = []
    page.shown.connect(lambda: with_shown.append(True))  # type: ignore[attr-defined]
    window.roles.show(key)
    wait_for(lambda: bool(with_shown), 30_000)
    settle(800)
    run.shoot(key)


def calendar(run: Run) -> None:
    _plan_page(run, "calendar")


def route(run: Run) -> None:
    _plan_page(run, "route")

def manager_home(run: Run) -> None:
    """The manager's home: the team's figures per rep and the key accounts, on the demo
    manager's laptop (the window `refused_changes` leaves, or the laptop signed in anew)."""
    window = run.window
    if window.user is None or window.user.role != "manager":
        window = _open_as(run, other_laptop(run, "manager"))
    wait_for(lambda: window.roles is not None and window.roles.team_home is not None,
             60_000)
    assert window.roles is not None and window.roles.team_home is not None
    team = window.roles.team_home
    window.roles.show("team_home")
    wait_for(lambda: team.redraws > 0 and bool(team.team.reps), 60_000)
    settle(800)
    run.shoot("manager-home")


#: The screens in the order they are taken; a step may leave another window open.
STEPS: tuple[Callable[[Run], None], ...] = (
    today, accounts, account, call_report, tasks, escalation, library, presenter,
    next_steps, control_groups, figures, calendar, route, settings, sign_in_screen,
    conflicts, msl_desk, refused_changes, manager_home,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--language", choices=LANGUAGES, help="only this language")
    parser.add_argument("--theme", choices=THEMES, help="only this theme")
    parser.add_argument("--only", nargs="*", default=[],
                        help="only these steps (function names), after Today")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="fieldrep-shots-"))
    server = demo_server.ensure(data_dir / "server", ACCOUNTS, SEED)
    try:
        if args.one:
            return shots(args, data_dir, server)
        failed = 0
        for language in [args.language] if args.language else LANGUAGES:
            for theme in [args.theme] if args.theme else THEMES:
                # Each variant in its own process: a fresh app with its language and theme.
                failed |= subprocess.call([
                    sys.executable, __file__, "--one", "--data-dir", str(data_dir),
                    "--language", language, "--theme", theme, "--only", *args.only])
        write_index()
        return failed
    finally:
        server.stop()


def write_index() -> None:
    """docs/screenshots/README.md: every screen taken, one row each, a column per variant."""
    variants = [f"{language}-{theme}" for language in LANGUAGES for theme in THEMES]
    screens = sorted({path.stem.rsplit("-", 2)[0] for path in OUT.glob("*.png")})
    lines = ["# Screenshots", "",
             "Every screen in English and German, light and dark, taken from the real app "
             "by `scripts/screenshots.py`.", "",
             "| Screen | " + " | ".join(variants) + " |",
             "|---" * (len(variants) + 1) + "|"]
    for screen in screens:
        cells = [f"[{variant}]({screen}-{variant}.png)"
                 if (OUT / f"{screen}-{variant}.png").exists() else "—" for variant in variants]
        lines.append(f"| {screen} | " + " | ".join(cells) + " |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def shots(args: argparse.Namespace, data_dir: Path, server: demo_server.DemoServer) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>`: where a stuck run waits
    prepare_webengine()  # the slide sandbox, as the app does at start-up
    app = QApplication(sys.argv[:1])
    laptop = data_dir / "laptop"  # one laptop: the first variant fills it, the others catch up
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
    run = Run(app, window, server, data_dir, laptop, settings, args.language, args.theme)
    steps = [today, *(s for s in STEPS if s.__name__ in args.only)] if args.only else STEPS
    for step in steps:
        step(run)
    run.window.close()
    run.window.ops.wait()
    run.window.ops.db.close()
    db.close()
    del translators
    return 0


if __name__ == "__main__":
    sys.exit(main())
