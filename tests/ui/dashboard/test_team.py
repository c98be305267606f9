"""The manager's home, driven through the real window signed in as a manager: the team's
figures shown first, redrawn only when the store changed, a rep (a click on the rep's bars,
or Enter on the rep's row) opening the accounts of the rep's territory, a key account
opening its account, nothing offered that a manager may not do; in English and German."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.store.accounts import Account
from app.store.database import Database
from app.store.interactions import Interaction
from app.store.reference import User
from app.synced_columns import utcnow
from app.ui import format as fmt
from app.ui.main_window import MainWindow
from app.ui.views.dashboard.team import TeamView
from tests.ui import test_escalations
from tests.ui.conftest import Territory
from tests.ui.test_both_languages import Walk

role_window = test_escalations.role_window  # the main window signed in as a role (a fixture)
MANAGER = pytest.mark.parametrize("role_window", ["manager"], indirect=True)


def team_home(qtbot, window: MainWindow) -> TeamView:
    assert window.roles is not None
    team = window.roles.team_home
    assert team is not None
    qtbot.waitUntil(lambda: team.redraws >= 1, timeout=10_000)
    return team


def rep_territory(ui_db: Database, rep_id: str) -> str:
    with ui_db.read() as session:
        user = session.get(User, rep_id)
        assert user is not None and user.territory_id is not None
        return user.territory_id


@MANAGER
def test_a_managers_home_is_the_team_redrawn_when_the_store_changed(
        qtbot, language: str, role_window, ui_db: Database, territory: Territory) -> None:
    window, _manager = role_window
    team = team_home(qtbot, window)
    assert window.stack.currentWidget() is team, "a manager's laptop opens on the team"
    assert window.rail.current() == "team_home"
    [rep] = team.team.reps
    assert (rep.user_id, rep.name) == (territory.rep_id, "Lena Vogel")
    table = team.team.view.table
    assert table.item(0, 0).text() == "Lena Vogel"
    assert table.horizontalHeaderItem(0).text() == ("Außendienst" if language == "de"
                                                    else "Rep")
    coverage = table.item(0, 9).text()
    assert coverage.endswith(" %" if language == "de" else "%")
    calls_week = int(table.item(0, 2).text())
    # The plan is the territory's: its 100 A, 100 B, 100 C doctors, two more A, a hospital.
    plan = (103 * 22 + 100 * 12 + 100 * 6) / 12
    assert rep.plan_month == pytest.approx(plan)
    with qtbot.waitSignal(team.loaded):
        team.refresh()
    assert team.redraws == 1  # nothing changed: nothing read again, nothing redrawn
    with ui_db.write() as session:
        session.info["from_server"] = True
        session.add(Interaction(account_id=territory.doctor_id, owner_id=territory.rep_id,
                                channel="phone", status="submitted", start_at=utcnow(),
                                subject="Quick question", submitted_at=utcnow(), version=50))
    with qtbot.waitSignal(team.loaded):
        team.refresh()
    assert team.redraws == 2
    assert int(table.item(0, 2).text()) == calls_week + 1
    walk = Walk(qtbot, language)  # no English in German, no raw codes, no doubled Alt keys
    walk.check("Team", window)
    team.team.view.flip()
    walk.check("Team as table", window)
    assert walk.problems == [], "\n".join(walk.problems)
    # The escalations are where they were.
    window.roles.show("team")
    assert window.rail.current() == "team"


@MANAGER
def test_a_click_on_a_reps_bars_opens_the_reps_accounts(
        qtbot, role_window, ui_db: Database, territory: Territory) -> None:
    window, _manager = role_window
    team = team_home(qtbot, window)
    card = team.team
    with qtbot.waitSignal(window.accounts.page_loaded, timeout=10_000):
        qtbot.mouseClick(card.plot.viewport(), Qt.MouseButton.LeftButton,
                         pos=card.bar_position(0).toPoint())
    assert window.stack.currentWidget() is window.accounts
    wanted = rep_territory(ui_db, territory.rep_id)
    assert window.accounts.current_query().filter.territory_id == wanted
    assert window.accounts.territory.currentData() == wanted
    assert window.accounts.territory.isVisible()  # the list says what it is filtered to
    with ui_db.read() as session:
        count = len(session.scalars(select(Account.id).where(
            Account.territory_id == wanted, Account.deleted.is_(False))).all())
    assert window.accounts.model.rowCount() == min(count, 200) and count > 300


@MANAGER
def test_by_keyboard_a_rep_row_and_a_key_account_open(
        qtbot, language: str, role_window, ui_db: Database, territory: Territory) -> None:
    window, _manager = role_window
    team = team_home(qtbot, window)
    view = team.team.view
    view.toggle.setFocus()
    qtbot.keyClick(view.toggle, Qt.Key.Key_Space)
    assert view.table.hasFocus()
    view.table.setCurrentCell(0, 0)
    with qtbot.waitSignal(window.accounts.page_loaded, timeout=10_000):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.accounts.current_query().filter.territory_id == rep_territory(
        ui_db, territory.rep_id)
    # Back home: the hospital is the key account, with its doctor and the team's calls.
    window.roles.show("team_home")
    keys = team.key_accounts.table
    assert keys.item(0, 0).text() == "Klinikum München Nord"
    assert keys.item(0, 2).text() == "1"
    assert keys.horizontalHeaderItem(2).text() == ("Ärzte" if language == "de" else "Doctors")
    last = fmt.date_text(fmt.local(utcnow() - dt.timedelta(days=7)).date())
    assert keys.item(0, 3).text() == last  # Dr. Müller's call a week ago
    assert int(keys.item(0, 4).text()) >= 2  # 7 and 30 days ago (90: by the hour)
    keys.setFocus()
    keys.setCurrentCell(0, 0)
    with qtbot.waitSignal(window.account.history_shown, timeout=10_000):
        qtbot.keyClick(keys, Qt.Key.Key_Return)
    assert window.account.account_id == territory.hospital_id


@MANAGER
def test_the_team_offers_a_manager_nothing_to_change(qtbot, role_window) -> None:
    window, _manager = role_window
    team = team_home(qtbot, window)
    buttons = [b for b in team.findChildren(QPushButton) if b.isVisible()]
    assert buttons and all(b is team.team.view.toggle for b in buttons)


def test_a_rep_has_no_team_home(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.roles is not None)
    assert window.roles.team_home is None and "team_home" not in window.roles.pages


@MANAGER
def test_an_account_opened_from_the_team_offers_a_manager_nothing_to_change(
        qtbot, role_window, territory: Territory) -> None:
    """The drill-down leads the manager to accounts: they read, they do not write (the server
    refuses a manager's change), so no write action is offered, and Ctrl+N does nothing."""
    window, _manager = role_window
    with qtbot.waitSignal(window.account.history_shown, timeout=10_000):
        window.open_account(territory.doctor_id)
    account = window.account
    for button in (account.log_call, account.present, account.plan_contact,
                   account.channels.edit, account.escalations.escalate):
        assert not button.isVisible(), button.text()
    assert not window.log_call_action.isEnabled()
    assert not account.tasks.done.isVisible()
    # Nor a calendar or route to plan contacts in: a manager has none of his own.
    assert window.roles is not None
    assert "calendar" not in window.roles.pages and "route" not in window.roles.pages


def test_a_reps_account_offers_the_reps_actions(qtbot, window: MainWindow,
                                                territory: Territory) -> None:
    qtbot.waitUntil(lambda: window.roles is not None)
    with qtbot.waitSignal(window.account.history_shown, timeout=10_000):
        window.open_account(territory.doctor_id)
    account = window.account
    for button in (account.log_call, account.present, account.plan_contact,
                   account.channels.edit):
        assert button.isVisible(), button.text()
    assert window.log_call_action.isEnabled()
