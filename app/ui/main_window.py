"""The main window: navigation, the stack of screens, menus and the status bar.

It only wires views together: each view reads its own data through Operations and tells,
by a signal carrying ids, what the rep wants to open; this window decides where that shows.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import __version__
from app.config import Paths, Settings
from app.i18n import tr
from app.ui.help_keys import help_text
from app.ui.icons import app_icon
from app.ui.nav import NavRail
from app.ui.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.edetail.summary import CallFragment
    from app.store.queries import CurrentUser
    from app.sync.run import SyncReport
    from app.ui.operations import Operations
    from app.ui.outbox_watch import OutboxWatch
    from app.ui.reports import ReportHost, ReportPage
    from app.ui.roles import RoleScreens
    from app.ui.status import StatusPanel
    from app.ui.sync_runner import SyncRunner
    from app.ui.views.conflicts import ConflictsDialog
    from app.ui.views.library.view import LibraryView
    from app.ui.views.presenter.launch import PresentationLauncher


class MainWindow(QMainWindow):
    """Built in two steps so the window paints before the store is loaded.

    The frame (rail, menus, an "opening" page) needs only Qt; `attach()` then adds the views
    over the opened database. Importing SQLAlchemy and opening the file take longer than
    painting a window (docs/platform.md), and a rep should see Fieldrep at once.
    """

    #: Emitted once the views are attached and the first data is on its way.
    ready = Signal()
    #: The person signed out: the window has saved and stopped its work, and closes.
    signed_out = Signal()
    #: The language was changed in the settings (its code or "system"): the application
    #: builds the window again in it (app/ui/application.py).
    language_wanted = Signal(str)

    def __init__(self, settings: Settings, paths: Paths, language: str = "en") -> None:
        super().__init__()
        self._settings = settings
        self._paths = paths
        self._language = language
        self._closing = False
        self._closed = False
        self._quit_confirmed = False  # the rep was told what waits for the server
        self._signing_out = False  # the close is a sign-out: another person comes next
        self.quit_prompt: QMessageBox | None = None
        self.user: CurrentUser | None = None
        self.roles: RoleScreens | None = None  # the role's extra screens (app/ui/roles.py)
        #: The accounts left through an affiliation, (id, name), newest last: Alt+Left and
        #: the account's back button return along it before going to the accounts list.
        self._account_trail: list[tuple[str, str]] = []
        self.setWindowTitle("Fieldrep")
        self.setWindowIcon(app_icon())

        self.stack = QStackedWidget()
        self.opening = QLabel(tr("Opening your data…"))
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening)

        self.rail = NavRail()
        self.rail.add("today", "today", tr("Today"), tr("Today (Ctrl+1)"))
        self.rail.add("accounts", "accounts", tr("Accounts"), tr("Accounts (Ctrl+2)"))
        self.rail.add("library", "library", tr("Library"), tr("Library (Ctrl+3)"))
        settings_button = self.rail.add_bottom("settings", tr("Settings"),
                                               tr("Settings (Ctrl+,)"))
        settings_button.clicked.connect(self.open_settings)
        self.rail.fit_width()
        self.rail.setEnabled(False)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar()
        self._make_menus()
        self._view_actions = [a for a in self.actions() if a is not self.settings_action
                              and a is not self.quit_action]
        for action in self._view_actions:
            action.setEnabled(False)

    @property
    def settings(self) -> Settings:
        """The data folder's settings (the screens a role adds read theirs here)."""
        return self._settings

    def attach(self, ops: Operations) -> None:
        """Add the screens over the opened database (imported here, after the first paint)."""
        from app.services.suggestions import Recommender
        from app.ui.reports import ReportHost
        from app.ui.status import StatusPanel
        from app.ui.views.account.listing import AccountsView
        from app.ui.views.account.view import AccountView
        from app.ui.views.home import HomeView
        from app.ui.views.library.view import LibraryView
        from app.ui.views.presenter.launch import PresentationLauncher

        self.ops = ops
        ops.setParent(self)
        self.home: HomeView = HomeView(ops, Recommender())
        self.accounts: AccountsView = AccountsView(ops, self._language)
        self.account: AccountView = AccountView(ops, self._language)
        self.account.recommender = self.home.recommender
        self.library: LibraryView = LibraryView(ops)
        self.presentations: PresentationLauncher = PresentationLauncher(ops, self)
        for view in (self.home, self.accounts, self.account, self.library):
            self.stack.addWidget(view)
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        self.reports: ReportHost = ReportHost(ops, self.stack, self)
        self.status: StatusPanel = StatusPanel(ops, self.statusBar())
        self.status.user_loaded.connect(self._user_loaded)
        self._attach_sync(ops)
        self.rail.selected.connect(self._rail_selected)
        self.rail.setEnabled(True)
        for action in self._view_actions:
            action.setEnabled(True)
        self._connect_views()
        self.stack.setCurrentWidget(self.home)
        self.stack.currentChanged.connect(self._page_changed)
        self._page_changed(self.stack.currentIndex())
        self.home.refresh()
        self.status.refresh()
        self.ready.emit()

    # -- menus and shortcuts ---------------------------------------------------------------

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file = self.file_menu = bar.addMenu(tr("&File"))
        self.log_call_action = self._action(tr("&Log a call"), "Ctrl+N", self.log_call)
        file.addAction(self.log_call_action)
        self.sync_action = self._action(tr("S&ync now"), "F5", self.sync_now)
        file.addAction(self.sync_action)
        self.conflicts_action = QAction(tr("Sync &conflicts…"), self)
        self.conflicts_action.triggered.connect(self.open_conflicts)
        self.addAction(self.conflicts_action)
        file.addAction(self.conflicts_action)
        file.addSeparator()
        self.settings_action = self._action(tr("&Settings…"), "Ctrl+,", self.open_settings)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        file.addAction(self.settings_action)
        file.addSeparator()
        # Signing out leads to the sign-in of the next person (app/ui/application.py); only
        # a store opened by signing in has someone to sign out (the application enables it).
        self.sign_out_action = QAction(tr("Sign &out / switch user…"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.sign_out_action.setEnabled(False)
        file.addAction(self.sign_out_action)
        self.quit_action = self._action(tr("&Quit"), "Ctrl+Q", self.request_quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file.addAction(self.quit_action)

        go = bar.addMenu(tr("&Go"))
        go.addAction(self._action(tr("&Today"), "Ctrl+1", self.show_home))
        go.addAction(self._action(tr("&Accounts"), "Ctrl+2", self.show_accounts))
        go.addAction(self._action(tr("&Library"), "Ctrl+3", self.show_library))
        go.addAction(self._action(tr("&Find an account"), "Ctrl+F", self.find_account))
        go.addAction(self._action(tr("&Control groups"), "Ctrl+5", self.show_control_report))
        go.addSeparator()
        go.addAction(self._action(tr("&Back"), "Alt+Left", self.go_back))

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(self._action(tr("&Keyboard shortcuts"), "F1",
                                         self.show_shortcuts))
        about = QAction(tr("&About Fieldrep"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _connect_views(self) -> None:
        self.home.call_opened.connect(self.open_call)
        self.home.account_opened.connect(self.open_account)
        self.accounts.account_opened.connect(self.open_account)
        self.account.account_opened.connect(self._open_affiliated)
        self.account.call_opened.connect(self.open_call)
        self.account.log_call_requested.connect(self.log_call)
        self.account.back_requested.connect(self._account_back)
        self.reports.finished.connect(self._report_finished)
        self.account.present_requested.connect(self.present_for_account)
        self.library.present_requested.connect(self._present_from_library)
        self.library.preview_requested.connect(
            lambda pid: self.presentations.present(pid, preview=True))
        self.presentations.report_wanted.connect(self._report_with_presentation)

    # -- sync ------------------------------------------------------------------------------

    def _attach_sync(self, ops: Operations) -> None:
        from app.ui.outbox_watch import OutboxWatch
        from app.ui.sync_runner import SyncRunner

        self.sync: SyncRunner = SyncRunner(ops.db, self._settings, self)
        self.sync.started.connect(self.status.sync_started)
        self.sync.progress.connect(self.status.sync_progress)
        self.sync.reached.connect(self.status.set_online)
        self.sync.finished.connect(self._synced)
        self.sync.failed.connect(lambda _message: self.status.sync_ended())
        self.sync.login_required.connect(self.open_login)
        self.status.cancel_requested.connect(self.cancel_sync)
        self.status.conflicts_requested.connect(self.open_conflicts)
        self.status.sign_in_requested.connect(self.open_login)
        self.status.refusals_requested.connect(lambda: self.open_conflicts().show_refusals())
        # Every committed local write, from any screen or service, refreshes the count and
        # schedules the sync: one path, from the outbox itself (app/ui/outbox_watch.py).
        self.changes: OutboxWatch = OutboxWatch(ops.db, self)
        self.changes.changed.connect(self.status.refresh)
        self.changes.changed.connect(self.sync.local_write)
        self.sync.start_auto()
        self.sync.sync_auto()  # at start: a token and a server set mean sync at once

    def _synced(self, report: SyncReport) -> None:
        """After a sync: the status bar, and when rows arrived, Today's calls, tasks and
        suggestions and the accounts list (on a new laptop the first sync brings the
        territory, the drafts and the planned calls the day is made from)."""
        self.status.sync_ended()
        if report.pull.rows and not self._closing:
            self.home.recommender.history_changed()
            self.home.refresh()
            self.accounts.mark_stale()

    def cancel_sync(self) -> None:
        """Stop the running sync at its next safe point (between batches and pages)."""
        if self.sync.running:
            self.status.sync_cancelling()
            self.sync.cancel()

    def open_conflicts(self) -> ConflictsDialog:
        """The conflicts and refused changes of past syncs: read and settle each."""
        from app.ui.views.conflicts import ConflictsDialog

        dialog = ConflictsDialog(self.ops, self.user.id if self.user else None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._data_changed)
        dialog.changed.connect(self.status.refresh)  # a dismissed refusal changes no outbox
        dialog.account_opened.connect(self.open_account)
        dialog.open()
        return dialog

    def _data_changed(self) -> None:
        """Rows changed behind the views (a reapplied conflict): show them fresh."""
        self.accounts.mark_stale()
        if self.account.account_id is not None:
            self.account.reload()

    def sync_now(self) -> None:
        """Sync with the server now (F5); without a server or a login, ask for one."""
        self.sync.sync_now()

    def open_login(self) -> QWidget:
        from app.ui.login_dialog import LoginDialog

        dialog = LoginDialog(self.ops.db, self._settings, self, **self.sync.client_options)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.logged_in.connect(lambda _result: self.sync.sync_now())
        dialog.logged_in.connect(lambda _result: self.status.refresh())
        dialog.open()
        return dialog

    # -- navigation ------------------------------------------------------------------------

    def _show(self, page: QWidget) -> None:
        """Make `page` current; leaving a call report saves and closes it."""
        if self.reports.current() is not None and page is not self.reports.current():
            self.reports.close_all()
        if page is not self.account:
            self._set_trail([])  # a way back through affiliations ends where the rep left it
        self.stack.setCurrentWidget(page)

    def _page_changed(self, _index: int) -> None:
        page = self.stack.currentWidget()
        role_key = self.roles.key_of(page) if self.roles else None
        self.rail.set_current(role_key or ("today" if page is self.home else
                                           "library" if page is self.library else "accounts"))
        self.log_call_action.setEnabled(page is self.account and not self.account.read_only)

    def _rail_selected(self, key: str) -> None:
        if key == "today":
            self.show_home()
        elif key == "library":
            self.show_library()
        elif self.roles is not None and key in self.roles.pages:
            self.roles.show(key)
        else:
            self.show_accounts()

    @property
    def language(self) -> str:
        """The language the window speaks ("en", "de")."""
        return self._language

    def show_page(self, page: QWidget) -> None:
        """Show a page another module added (a role's screen)."""
        self._show(page)

    def show_home(self) -> None:
        self._show(self.home)

    def show_accounts(self) -> None:
        self._show(self.accounts)

    def show_library(self) -> None:
        self._show(self.library)
        self.library.refresh()

    def find_account(self) -> None:
        self.show_accounts()
        self.accounts.focus_search()

    def open_account(self, account_id: str) -> None:
        if account_id != self.account.account_id:
            self._set_trail([])  # opened afresh (list, Today, desk): back leads to the list
        self._show_account(account_id)

    def _show_account(self, account_id: str) -> None:
        self._show(self.account)
        self.account.show_account(account_id)
        self.account.focus_history()

    def _open_affiliated(self, account_id: str) -> None:
        """An affiliation opened from the account on screen: the way back leads to it."""
        current, detail = self.account.account_id, self.account.detail
        trail = list(self._account_trail)
        if current is not None and current != account_id:
            trail.append((current, detail.name if detail is not None else ""))
        self._set_trail(trail)
        self._show_account(account_id)

    def _set_trail(self, trail: list[tuple[str, str]]) -> None:
        """Keep the way back and say on the account's back button where it leads."""
        self._account_trail = trail
        if not hasattr(self, "account"):
            return
        if trail:
            name = trail[-1][1]
            self.account.back.setText(name or tr("Back"))
            self.account.back.setToolTip(tr("Back to {name} (Alt+Left)", name=name))
        else:
            self.account.back.setText(tr("Accounts"))
            self.account.back.setToolTip(tr("Back to the accounts list (Alt+Left)"))

    def _account_back(self) -> None:
        """From an account: to the account it was opened from, else to the accounts list."""
        if self._account_trail:
            trail = list(self._account_trail)
            account_id, _name = trail.pop()
            self._set_trail(trail)
            self._show_account(account_id)
        else:
            self.show_accounts()

    def go_back(self) -> None:
        page = self.reports.current()
        if page is not None:
            page.report.close_report()
        elif self.stack.currentWidget() is self.account:
            self._account_back()

    def log_call(self) -> ReportPage | None:
        """A new call report for the open account (Ctrl+N)."""
        if self.stack.currentWidget() is not self.account or self.account.account_id is None:
            return None
        return self._wired(self.reports.open(self.user.id if self.user else None,
                                             self.account.account_id))

    def escalate(self) -> QDialog | None:
        """Escalate a medical question (Ctrl+E) for the doctor on screen: the open call
        report's doctor first (the question was raised in that call), else the account shown;
        elsewhere no doctor is in view, so the status bar says where to go."""
        page = self.reports.current()
        if page is not None:
            page.report.escalate()
            return None  # the report saves first, then opens its own dialog
        if self.stack.currentWidget() is self.account and self.account.account_id:
            return self.account.escalate()
        self.status.say(
            tr("Open an account or a call report to escalate a medical question."), 6000)
        return None

    def open_call(self, account_id: str, call_id: str) -> ReportPage:
        """Open a stored call: drafts and planned calls to edit, submitted ones to read."""
        return self._wired(self.reports.open(self.user.id if self.user else None, account_id,
                                             call_id))

    # -- presenting ------------------------------------------------------------------------

    def _wired(self, page: ReportPage) -> ReportPage:
        """A report's "Present…" shows an e-detail whose capture fills that report."""
        report = page.report
        submitted = getattr(report, "submitted", None)
        if submitted is not None and not report.property("nextStepsWired"):
            report.setProperty("nextStepsWired", True)
            submitted.connect(self.propose_next_steps)
        asked = getattr(report, "present_requested", None)  # stand-ins may lack it
        if asked is not None and not report.property("presentWired"):
            report.setProperty("presentWired", True)
            asked.connect(lambda: self.presentations.choose(
                page.account_id, self.user.id if self.user else None, report))
        return page

    def propose_next_steps(self, call_id: str) -> QDialog:
        """After a call was submitted: the next steps the engine proposes, to accept or
        dismiss (a window beside the main one, so the rep can keep working)."""
        from app.ui.views.suggestions import NextStepsDialog

        dialog = NextStepsDialog(self.ops, self.home.recommender, call_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.panel.answered.connect(lambda _kind: self.home.refresh())
        dialog.show()
        self.next_steps = dialog
        return dialog

    def show_control_report(self) -> QDialog:
        """Treated vs control accounts: do the suggestions work?"""
        from app.ui.views.suggestions import ControlReportDialog

        dialog = ControlReportDialog(self.ops, self.home.recommender, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def present_for_account(self, account_id: str) -> None:
        self.presentations.choose(account_id, self.user.id if self.user else None)

    def _present_from_library(self, presentation_id: str) -> QDialog:
        """Ask whom the deck is shown to (or anonymous) before it starts; with a doctor, the
        call report opens with the capture at the end, as from the account."""
        from app.ui.views.present_to import AudiencePicker

        picker = AudiencePicker(self.ops, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        user_id = self.user.id if self.user else None
        picker.chosen.connect(lambda account_id: self.presentations.present_to(
            presentation_id, account_id=account_id, user_id=user_id))
        self.audience_picker = picker
        picker.open()
        return picker

    def _report_with_presentation(self, account_id: str, fragment: CallFragment) -> None:
        """An e-detail shown from the account screen: the call to log opens with it."""
        self.open_account(account_id)
        page = self.log_call()
        if page is not None:
            page.report.take_presentation(fragment)

    def _report_finished(self, account_id: str, was_current: bool) -> None:
        if self._closing:
            return
        self.status.refresh()
        self.home.refresh()
        self.accounts.mark_stale()
        if was_current:
            self.open_account(account_id)
        elif self.account.account_id == account_id:
            self.account.reload()

    def _user_loaded(self, user: CurrentUser | None) -> None:
        self.user = user
        self.account.user_id = user.id if user else None
        # The manager reads the team's accounts and writes nothing (app/access.py): no action
        # is offered that the server would refuse.
        self.account.set_read_only(user is not None and user.role == "manager")
        self._page_changed(self.stack.currentIndex())
        # Role screens and menus (rep, MSL, manager), once the user is known.
        if user is not None and self.roles is None and not self._closing:
            from app.ui.roles import RoleScreens

            self.roles = RoleScreens(self, user)
            self._page_changed(self.stack.currentIndex())

    # -- dialogs ---------------------------------------------------------------------------

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self._settings, self._paths, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.language_changed.connect(self.language_wanted)
        dialog.open()
        return dialog

    def show_shortcuts(self) -> None:
        """F1: the keys that exist now, the role's menus included (app/ui/help_keys.py)."""
        box = QMessageBox(QMessageBox.Icon.Information, tr("Keyboard shortcuts"),
                          help_text(self), QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_box = box
        box.open()

    def show_about(self) -> None:
        QMessageBox.about(
            self, tr("About Fieldrep"),
            tr("<h3>Fieldrep {version}</h3><p>Your accounts, calls and samples, on this "
               "laptop, with or without a network.</p>", version=__version__)
            + f"<p>{tr('Data folder')}: {self._paths.data_dir}</p>" + help_text(self))

    # -- closing ---------------------------------------------------------------------------

    def finish_work(self) -> None:
        """Stop the sync and wait for every queued read and write (an import, a save)
        before the database closes; the threads must not outlive the application."""
        if not hasattr(self, "ops"):
            return
        self.sync.shutdown()
        self.ops.wait()

    def open_account_id(self) -> str | None:
        """The account on screen (or behind the open call report), if any."""
        if not hasattr(self, "account"):
            return None
        page = self.stack.currentWidget()
        if page is self.account or self.reports.current() is not None:
            return self.account.account_id
        return None

    def replace_close(self) -> None:
        """Close for a window that takes this one's place over the same store (the language
        changed): everything saved and stopped as on quitting, nothing to ask."""
        self._quit_confirmed = True
        self.close()

    def sign_out(self) -> None:
        """Leave this store for the next person: closed as a quit is (what waits for the
        server said first), then `signed_out`."""
        self._signing_out = True
        self.request_quit()

    def request_quit(self) -> None:
        """Quit (Ctrl+Q, the window's close button): when changes wait for the server,
        first say how many and that they are kept (app/ui/quit_prompt.py)."""
        from app.store.queries import pending_changes

        if not hasattr(self, "ops") or self._quit_confirmed:
            self._quit_now()
            return
        for page in self.reports.pages:
            page.report.save_now()  # an open report's last keys are counted too

        def count(session: Session) -> int:
            return pending_changes(session.connection()).count

        self.ops.write(count, self._ask_quit)  # after those saves, on the writer

    def _ask_quit(self, count: int) -> None:
        if count == 0:
            self._quit_now()
            return
        from app.ui.quit_prompt import QuitPrompt

        prompt = QuitPrompt(count, self)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.buttonClicked.connect(lambda button: (
            self._quit_now() if button is prompt.quit_button
            else self._stay(sync=button is prompt.sync_button)))
        self.quit_prompt = prompt
        prompt.open()

    def _stay(self, *, sync: bool) -> None:
        """The rep chose to stay (and maybe sync first): a sign-out asked for is off too."""
        self._signing_out = False
        if sync:
            self.sync_now()

    def _quit_now(self) -> None:
        self._quit_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Let open reports save, then wait for every write: no draft is lost on quit."""
        if self._closed:
            event.accept()
            return
        if event.spontaneous() and not self._quit_confirmed and hasattr(self, "ops"):
            event.ignore()  # the close button: say what waits first, as Ctrl+Q does
            self.request_quit()
            return
        self._closing = True
        if not hasattr(self, "ops"):  # closed before the data was open: nothing to save
            self._closed = True
            super().closeEvent(event)
            return
        if self.presentations.presenter is not None:
            self.presentations.presenter.end()  # its capture is written before we go
        self.reports.close_all()
        self.sync.shutdown()
        self.ops.wait()
        self.changes.close()
        # Deliver the answers of finished operations now, while the views that asked for
        # them still exist (they are queued to the GUI thread, and the window goes next).
        while self.ops.pending:
            QCoreApplication.sendPostedEvents()
            self.ops.wait()
        gc.unfreeze()  # what start-up built may be collected again (`application.run`)
        self._closed = True
        if self._signing_out:
            self.signed_out.emit()  # the next window opens before this one goes
        super().closeEvent(event)
