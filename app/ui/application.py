"""Starting the Qt application: looks, language, the main window, the event loop.

`run()` is what `fieldrep` calls; `create_main_window()` builds the same window without an
event loop for tests and screenshots. With `probe=True` the app measures itself for the
benchmarks: it prints `painted` at the first paint, waits for a sync that started with the
window, then opens the accounts list and the first account as a rep would, prints its memory
as JSON and quits.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QEvent, QObject, Qt, QThreadPool, QTimer, QTranslator
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app import __version__
from app.config import APP_NAME, Paths, Settings, resources_dir
from app.i18n import tr
from app.ui import gui_collector
from app.ui.main_window import MainWindow
from app.ui.operations import Operations, run_in_background
from app.ui.translation import install, resolve_language

if TYPE_CHECKING:
    from app.store.database import Database

log = logging.getLogger(__name__)

#: Exit code when the database cannot be opened (as in app.__main__).
EXIT_UNUSABLE_DATA = 2

#: Font families in order of preference; the first one installed is used.
FONT_FAMILIES = ["Segoe UI", "Inter", "Noto Sans", "Cantarell", "Ubuntu", "DejaVu Sans",
                 "Helvetica Neue", "Arial"]
FONT_POINT_SIZE = 10

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

#: Calm palettes: a neutral canvas, one blue accent, text with enough contrast (WCAG AA).
LIGHT = {
    Role.Window: "#f4f5f7", Role.WindowText: "#1f2933", Role.Base: "#ffffff",
    Role.AlternateBase: "#f7f8fa", Role.Text: "#1f2933", Role.Button: "#ffffff",
    Role.ButtonText: "#1f2933", Role.Highlight: "#2f62c9", Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#1f2933", Role.ToolTipText: "#f4f5f7", Role.PlaceholderText: "#6b7683",
    Role.Link: "#2f62c9", Role.LinkVisited: "#5b3fb0", Role.BrightText: "#b42318",
    Role.Light: "#ffffff", Role.Midlight: "#eceef2", Role.Mid: "#d5d9e0", Role.Dark: "#9aa3ae",
    Role.Shadow: "#6b7683", Role.Accent: "#2f62c9",
}
DARK = {
    Role.Window: "#1b1f24", Role.WindowText: "#e3e6ea", Role.Base: "#23282f",
    Role.AlternateBase: "#272d35", Role.Text: "#e3e6ea", Role.Button: "#2a3038",
    Role.ButtonText: "#e3e6ea", Role.Highlight: "#4f84e8", Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#e3e6ea", Role.ToolTipText: "#1b1f24", Role.PlaceholderText: "#98a2ae",
    Role.Link: "#7ea6f2", Role.LinkVisited: "#b09af0", Role.BrightText: "#ff8a7a",
    Role.Light: "#3a414b", Role.Midlight: "#2f353e", Role.Mid: "#3b424c", Role.Dark: "#151a1e",
    Role.Shadow: "#0c0f12", Role.Accent: "#4f84e8",
}


def wants_dark(theme: str) -> bool:
    """'dark'/'light' as set; 'system' follows the desktop's colour scheme."""
    if theme in ("dark", "light"):
        return theme == "dark"
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def make_palette(dark: bool) -> QPalette:
    palette = QPalette()
    for role, color in (DARK if dark else LIGHT).items():
        palette.setColor(role, QColor(color))
    disabled = QColor("#6b737d" if dark else "#9aa3ae")
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, disabled)
    # A selection in a list without focus is a quiet tint, not a second bright blue bar.
    palette.setColor(Group.Inactive, Role.Highlight, QColor("#2c3a52" if dark else "#dce6f8"))
    palette.setColor(Group.Inactive, Role.HighlightedText, palette.color(Role.Text))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Colours now, without a restart (Settings): the palette, and the style sheet again so
    its palette-derived colours follow."""
    app.setPalette(make_palette(wants_dark(theme)))
    app.setStyleSheet(app.styleSheet())


def configure(app: QApplication, settings: Settings) -> None:
    """Names, style, palette, style sheet and font; before any widget exists."""
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("fieldrep")
    app.setStyle("Fusion")
    app.setPalette(make_palette(wants_dark(settings.get("theme"))))
    font = QFont(app.font())
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(max(font.pointSize(), FONT_POINT_SIZE))
    app.setFont(font)
    QDir.addSearchPath("icons", str(resources_dir() / "icons"))  # url(icons:...) in the QSS
    app.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))


def create_main_window(db: Database, settings: Settings, paths: Paths,
                       language: str = "en") -> MainWindow:
    """The main window over `db` with its own Operations (a QApplication must exist)."""
    window = MainWindow(settings, paths, language)
    window.attach(Operations(db))
    return window


class _Probe(QObject):
    """The benchmark's script: first paint, accounts list, first account, memory, quit."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            print("painted", flush=True)
            self._window.ready.connect(self._after_sync,
                                       Qt.ConnectionType.SingleShotConnection)
        return False

    def _after_sync(self) -> None:
        """A sync started with the window (the demo's first one): the accounts come with it."""
        sync = self._window.sync
        if not sync.running:
            self._open_accounts()
            return
        sync.finished.connect(self._open_accounts, Qt.ConnectionType.SingleShotConnection)
        sync.failed.connect(self._open_accounts, Qt.ConnectionType.SingleShotConnection)

    def _open_accounts(self, *_outcome: object) -> None:
        self._window.accounts.page_loaded.connect(self._open_first_account,
                                                  Qt.ConnectionType.SingleShotConnection)
        self._window.show_accounts()

    def _open_first_account(self) -> None:
        account_id = self._window.accounts.first_account_id()
        if account_id is None:
            self._finish()
            return
        self._window.account.history_shown.connect(self._finish,
                                                   Qt.ConnectionType.SingleShotConnection)
        self._window.open_account(account_id)

    def _finish(self) -> None:
        self.report_and_quit()

    @staticmethod
    def report_and_quit() -> None:
        # Whether scikit-learn entered this process (it should not: app.services.training).
        print(json.dumps({"rss_mb": round(rss_mib(), 1),
                          "scikit_learn_loaded": "sklearn" in sys.modules}), flush=True)
        QApplication.exit(0)


def rss_mib() -> float:
    """This process's resident memory (VmRSS) in MiB; 0 where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class _Opener(QObject):
    """Opens the database after the window's first paint, then attaches the views.

    Without `open_db` the person signs in first (SignInDialog): their password unlocks their
    own store. Opening may upgrade the schema (a backup first, then the migrations): seconds
    on a large file. It runs on a worker thread, so the window stays alive meanwhile.
    """

    def __init__(self, window: MainWindow, paths: Paths, settings: Settings,
                 open_db: Callable[[], Database] | None, notices: Sequence[str],
                 probe: bool = False) -> None:
        super().__init__(window)
        self._probe = probe
        self._window = window
        self._data_dir = paths.data_dir
        self._settings = settings
        self._open_db = open_db
        self._notices = list(notices)
        self.db: Database | None = None
        self.sign_in: QDialog | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            if self._open_db is None:
                self._ask_sign_in()
                return False
            from app.store.errors import DatabaseOpenError

            run_in_background(self, QThreadPool.globalInstance(), self._open_db, self._attach,
                              self._fail, expected=(DatabaseOpenError, OSError))
        return False

    def _ask_sign_in(self) -> None:
        from app.ui.login_dialog import SignInDialog

        dialog = SignInDialog(self._data_dir, self._settings, self._window)
        dialog.signed_in.connect(self._signed_in)
        dialog.rejected.connect(lambda: QApplication.exit(0))
        self.sign_in = dialog
        dialog.open()
        if self._probe:  # no password to give: the measured start ends at the sign-in
            QTimer.singleShot(0, _Probe.report_and_quit)

    def _signed_in(self, signed: object) -> None:
        from app.services.login import SignedIn

        assert isinstance(signed, SignedIn)
        self._notices.extend(signed.notices)
        self._attach(signed.db)
        self._window.sign_out_action.setEnabled(True)  # a store of one's own to leave

    def _attach(self, db: Database) -> None:
        self.db = db
        self._window.attach(Operations(db))
        self._window.sync.wiped.connect(self._wiped)
        if self._notices:
            box = QMessageBox(QMessageBox.Icon.Information, APP_NAME,
                              "\n\n".join(self._notices), parent=self._window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _wiped(self, message: str) -> None:
        """The server ordered a wipe: the store is gone, the window can show nothing more."""
        self.db = None
        QMessageBox.critical(self._window, tr("Your data was removed from this laptop"),
                             message)
        QApplication.exit(0)

    def _fail(self, error: BaseException) -> None:
        log.error("cannot open the database: %s", error)
        QMessageBox.critical(self._window, tr("Fieldrep cannot open your data"), str(error))
        QApplication.exit(EXIT_UNUSABLE_DATA)


def place(window: MainWindow) -> None:
    """Show the window: all of a laptop's screen, a comfortable size on a large one."""
    screen = window.screen().availableGeometry()
    if screen.width() <= 1440:
        window.setGeometry(screen)  # also where no window manager maximises (Xvfb)
        window.showMaximized()
    else:
        window.resize(1280, 800)
        window.show()


def freeze_startup_objects() -> None:
    """Take what start-up built out of the garbage collector's rounds.

    The window, its views and the modules behind them (numpy, scipy, scikit-learn) are some
    250,000 objects that live as long as the app. Every full collection walked them all on
    the GUI thread: 200 to 600 ms of frozen window, set off by the allocations of a sync.
    Frozen (`gc.freeze`), a full collection walks only what was made since: about 11 ms.
    """
    gc.collect()
    gc.freeze()


def run(paths: Paths, settings: Settings, open_db: Callable[[], Database] | None, *,
        probe: bool = False, notices: Sequence[str] = ()) -> int:
    """Show the main window, sign in (unless `open_db` opens a store already unlocked),
    run until the window closes.

    The window paints first and the store opens right after (`MainWindow.attach`), so
    the rep sees Fieldrep at once; `open_db` errors end the run with a message box.
    `notices` are shown once the store is open.
    """
    from app.ui.views.presenter.scheme import prepare_webengine

    prepare_webengine()  # HTML slides' sandbox: only before the QApplication exists
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure(app, settings)
    gui_collector.install()  # Qt objects are never collected on a worker thread
    language = resolve_language(settings.get("language"))
    translators = install(app, language)
    window = MainWindow(settings, paths, language)
    if probe:
        _Probe(window)
    window.ready.connect(freeze_startup_objects, Qt.ConnectionType.SingleShotConnection)
    # The session keeps the translators alive until the loop ends (Qt does not own them).
    current = WindowSession(window, _Opener(window, paths, settings, open_db, notices, probe),
                            paths, settings, language, translators)
    place(window)
    try:
        code = app.exec()
    finally:
        current.end()
    return code


class WindowSession:
    """The window of the person signed in, and the way to the next person's.

    Signing out (File > Sign out) closes the window as a quit does (saving, waiting for every
    write, saying what waits for the server), closes the person's store, and shows a new
    window asking who signs in: the next user works in their own store without a restart.
    """

    def __init__(self, window: MainWindow, opener: _Opener, paths: Paths, settings: Settings,
                 language: str, translators: list[QTranslator] | None = None) -> None:
        self.window = window
        self.opener = opener
        self._paths = paths
        self._settings = settings
        self._language = language
        self.translators = list(translators or [])
        self._follow(window)

    def _follow(self, window: MainWindow) -> None:
        window.signed_out.connect(self.next_user)
        window.language_wanted.connect(self.relanguage)

    def relanguage(self, setting: str) -> None:
        """Speak `setting`'s language at once: the translators change, and the window is
        built again over the same open store (every label is made in its constructor), back
        on the account that was open. The old window saves and stops first, as on quitting,
        and closes after the new one shows, so the application does not end."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        for translator in self.translators:
            app.removeTranslator(translator)
        self._language = resolve_language(setting)
        self.translators = install(app, self._language)
        old, db = self.window, self.opener.db
        account = old.open_account_id()
        window = MainWindow(self._settings, self._paths, self._language)
        opener = _Opener(window, self._paths, self._settings,
                         None if db is None else (lambda: db), ())
        if db is not None:
            opener.db = db
            window.sign_out_action.setEnabled(old.sign_out_action.isEnabled())
            if account is not None:
                window.ready.connect(lambda: window.open_account(account),
                                     Qt.ConnectionType.SingleShotConnection)
        self.window, self.opener = window, opener
        self._follow(window)
        place(window)
        old.replace_close()
        old.deleteLater()

    def next_user(self) -> None:
        """The old window has saved and stopped; its store closes, a new window asks who
        signs in (shown first, so the application does not end with the old one)."""
        old = self.opener.db
        self.opener.db = None
        if old is not None:
            from app.services.login import sign_out

            sign_out(old)
        previous = self.window
        window = MainWindow(self._settings, self._paths, self._language)
        self.window = window
        self.opener = _Opener(window, self._paths, self._settings, None, ())
        self._follow(window)
        place(window)
        previous.deleteLater()  # once its close is done: its views hold the closed store

    def end(self) -> None:
        """The loop ended: stop the window's work and close the store."""
        self.window.finish_work()  # the loop may end without a close (the probe, a quit)
        if self.opener.db is not None:
            from app.services.login import sign_out

            sign_out(self.opener.db)
