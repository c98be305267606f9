"""What each role gets in the window besides the common screens (issue 8):

- rep: File › Escalate a medical question (on an account), and a notification when one of
  their inquiries changes with a sync;
- MSL: the desk, shown first, with a Medical menu for its actions, and a notification when
  new inquiries arrive;
- manager: the team's figures per rep and the key accounts, shown first (Ctrl+6), and the
  team's escalations, read-only.

Kept apart from the main window, which only asks `install` once the user is known and
routes the rail keys and pages this module registers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.i18n import tr
from app.services.escalations import Notice, news
from app.ui.notifier import Notifier

if TYPE_CHECKING:
    from app.store.queries import CurrentUser
    from app.ui.main_window import MainWindow
    from app.ui.views.account.change_requests import ChangeRequestDialog
    from app.ui.views.change_requests import ChangeRequestsView
    from app.ui.views.dashboard.team import TeamView
    from app.ui.views.dashboard.view import DashboardView
    from app.ui.views.msl.desk import MslDesk
    from app.ui.views.plan.calendar import CalendarView
    from app.ui.views.plan.contact import PlanContactDialog
    from app.ui.views.plan.route import RouteView


class RoleScreens:
    """The role's extra pages (rail key -> page) and its notifications."""

    def __init__(self, window: MainWindow, user: CurrentUser) -> None:
        self.window, self.user = window, user
        self.pages: dict[str, QWidget] = {}
        self.desk: MslDesk | None = None
        self.calendar: CalendarView | None = None
        self.route: RouteView | None = None
        self.contact_dialog: PlanContactDialog | None = None
        self.figures: DashboardView | None = None
        self.team_home: TeamView | None = None
        self.steward: ChangeRequestsView | None = None
        self.new_doctor_dialog: ChangeRequestDialog | None = None
        self.notifier = Notifier(window.status.say, window)
        if user.role == "msl":
            self._desk(read_only=False)
        elif user.role == "manager":
            self._desk(read_only=True)
            self._team_home()
        elif user.role == "rep":
            self._rep_menu()
            self._figures()
        elif user.role == "steward":
            self._steward()
        if user.role not in ("manager", "steward"):  # they plan no contacts of their own
            self._plan()
        if self.team_home is not None:
            self.show("team_home")  # the manager's first screen
        window.sync.finished.connect(lambda _report: self.after_sync())
        # The first look only takes note of what is there (nothing is news yet).
        self.after_sync()

    def _desk(self, *, read_only: bool) -> None:
        from app.ui.views.msl.desk import MslDesk

        window = self.window
        desk = MslDesk(window.ops, read_only=read_only)
        desk.user_id = self.user.id
        desk.server = lambda: (window.sync.server_url(), dict(window.sync.client_options))
        desk.account_opened.connect(window.open_account)
        window.stack.addWidget(desk)
        key = "team" if read_only else "desk"
        label = tr("Team") if read_only else tr("Desk")
        tip = tr("The team's escalations (Ctrl+4)") if read_only \
            else tr("Medical inquiries (Ctrl+4)")
        window.rail.add(key, "medical", label, tip)
        window.rail.fit_width()
        self.pages[key] = desk
        self.desk = desk
        menu = window.menuBar().addMenu(tr("&Team") if read_only else tr("&Medical"))
        menu.addAction(self._action(label, "Ctrl+4", lambda: self.show(key)))
        if not read_only:
            menu.addSeparator()
            for text, slot in ((tr("&Take over"), desk.take_over_selected),
                               (tr("Record &answer…"), desk.answer_selected),
                               (tr("&Hand back…"), desk.hand_back_selected),
                               (tr("&Close the inquiry"), desk.close_selected)):
                menu.addAction(self._action(text, "", slot))
        desk.refresh()
        if not read_only:
            self.show(key)  # the MSL's first screen

    def _plan(self) -> None:
        """The user's plan: the week's calendar and the day's route (reps and MSLs plan
        their own contacts), and "Plan a contact…" on the account."""
        from app.ui.views.plan.calendar import CalendarView
        from app.ui.views.plan.route import RouteView

        window = self.window
        calendar = CalendarView(window.ops)
        route = RouteView(window.ops, lambda: str(window.settings.get("route_start")))
        calendar.account_opened.connect(window.open_account)
        calendar.changed.connect(route.refresh)
        route.changed.connect(calendar.refresh)
        for key, page, icon_name, label, tip in (
                ("calendar", calendar, "planned", tr("Calendar"),
                 tr("The week's planned contacts and tasks")),
                ("route", route, "in_person", tr("Route"), tr("The day's visits in order"))):
            window.stack.addWidget(page)
            window.rail.add(key, icon_name, label, tip)
            self.pages[key] = page
        window.rail.fit_width()
        self.calendar, self.route = calendar, route
        window.account.plan_requested.connect(self.plan_contact)

    def plan_contact(self, account_id: str, account_name: str) -> None:
        from app.ui.views.plan.contact import PlanContactDialog

        shown = self.window.account.detail
        hours = shown.opening_hours if shown is not None and shown.id == account_id else None
        dialog = PlanContactDialog(self.window.ops, account_id, account_name,
                                   parent=self.window, opening_hours=hours)
        for page in (self.calendar, self.route):
            if page is not None:
                dialog.accepted.connect(page.refresh)
        dialog.open()
        self.contact_dialog = dialog

    def _rep_menu(self) -> None:
        window = self.window
        window.account.change_requests.set_can_request(True)  # master data: ask the steward
        window.file_menu.insertAction(window.sync_action, self._action(
            tr("Request a &new doctor…"), "", self.request_new_doctor))
        action = self._action(tr("&Escalate a medical question…"), "Ctrl+E",
                              window.escalate)
        window.file_menu.insertAction(window.sync_action, action)

    def request_new_doctor(self) -> None:
        """A doctor the rep's accounts lack: a request to the data steward."""
        from app.ui.views.account.change_requests import ChangeRequestDialog

        dialog = ChangeRequestDialog(self.window.ops, self.user.id, None,
                                     self.window.language, parent=self.window)
        dialog.open()
        self.new_doctor_dialog = dialog

    def _steward(self) -> None:
        """The data steward's change requests (Ctrl+4), shown first: read from the server."""
        from app.ui.views.change_requests import ChangeRequestsView

        window = self.window
        view = ChangeRequestsView(window.ops)
        view.server = lambda: (window.sync.server_url(), dict(window.sync.client_options))
        window.stack.addWidget(view)
        window.rail.add("change_requests", "edit", tr("Requests"),
                        tr("Master-data change requests to decide (Ctrl+4)"))
        window.rail.fit_width()
        self.pages["change_requests"] = view
        self.steward = view
        self._action(tr("Requests"), "Ctrl+4", lambda: self.show("change_requests"))
        self.show("change_requests")

    def _figures(self) -> None:
        """The rep's figures: a screen of its own on the rail (Ctrl+6)."""
        from app.ui.views.dashboard.view import DashboardView

        window = self.window
        figures = DashboardView(window.ops, window.language)
        figures.user_id = self.user.id
        figures.accounts_requested.connect(self._filtered_accounts)
        window.stack.addWidget(figures)
        window.rail.add("figures", "chart", tr("Figures"),
                        tr("Calls, reach, coverage and sales (Ctrl+6)"))
        window.rail.fit_width()
        self.pages["figures"] = figures
        self.figures = figures
        self._action(tr("Figures"), "Ctrl+6", lambda: self.show("figures"))

    def _team_home(self) -> None:
        """The manager's home: the team's figures and key accounts (Ctrl+6), shown first."""
        from app.ui.views.dashboard.team import TeamView

        window = self.window
        team = TeamView(window.ops)
        team.rep_requested.connect(self._rep_accounts)
        team.account_opened.connect(window.open_account)
        window.stack.addWidget(team)
        window.rail.add("team_home", "chart", tr("Team figures"),
                        tr("Calls, coverage and reactions per rep; key accounts (Ctrl+6)"))
        window.rail.fit_width()
        self.pages["team_home"] = team
        self.team_home = team
        self._action(tr("Team figures"), "Ctrl+6", lambda: self.show("team_home"))

    def _rep_accounts(self, territory_id: str) -> None:
        """A manager's drill-down: the accounts of one rep's territory."""
        self.window.show_accounts()
        self.window.accounts.show_filtered(territory_id=territory_id)

    def _filtered_accounts(self, by: str, value: str) -> None:
        self.window.show_accounts()
        self.window.accounts.show_filtered(
            city=value if by == "city" else None,
            specialty_id=value if by == "specialty" else None)

    def _action(self, text: str, shortcut: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def show(self, key: str) -> None:
        page = self.pages[key]
        self.window.show_page(page)
        if page is self.desk:
            self.desk.refresh()
        elif page is self.steward:
            self.steward.refresh()
        elif page is self.route or page is self.calendar:
            page.refresh()

    def key_of(self, page: QWidget | None) -> str | None:
        return next((k for k, p in self.pages.items() if p is page), None)

    def after_sync(self) -> None:
        """Refresh the desk and tell the user what changed."""
        if self.desk is not None:
            self.desk.refresh()
        for figures in (self.figures, self.team_home):
            if figures is not None and figures.isVisible():
                figures.refresh()  # redraws only if the sync changed the figures
        role, user_id = self.user.role, self.user.id

        def look(session: Session) -> list[Notice]:
            return news(session, role, user_id)

        self.window.ops.write(look, lambda notices: self.notifier.notify(notices, role))
        if self.window.account.account_id is not None:
            self.window.account.reload()
