"""Screenshots of the main screens, taken from the real app on a real (virtual) screen.

    xvfb-run -a -s "-screen 0 1366x768x24" python scripts/screenshots.py

Builds a demo territory in a temporary data folder (or uses --data-dir), opens the main
window maximised as `fieldrep` does, walks through Today, the accounts list, an account and a
call report, and saves what the screen shows into docs/screenshots/. Run it after a change
to what those screens look like, and look at the PNGs before committing them.
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

from app.__main__ import prepare_demo  # noqa: E402
from app.config import Paths, Settings  # noqa: E402
from app.store.database import open_database  # noqa: E402
from app.ui.application import configure, create_main_window, place  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.translation import install  # noqa: E402
from app.ui.views.presenter import Presenter  # noqa: E402

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
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="fieldrep-shots-"))
    prepare_demo(data_dir, 2000, 7, reset=False)

    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    app = QApplication(sys.argv[:1])
    settings = Settings(data_dir)
    settings.set("language", args.language)
    settings.set("theme", args.theme)
    configure(app, settings)
    translators = install(app, args.language)
    db = open_database(Paths(data_dir).database)
    window = create_main_window(db, settings, Paths(data_dir), args.language)
    place(window)
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

    window.close()
    db.close()
    del translators
    return 0


if __name__ == "__main__":
    sys.exit(main())
