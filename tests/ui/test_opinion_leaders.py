"""New opinion leaders on the rep's Today, driven through the real window: a head of
department nobody called appears with the reasons in words, in English and German, read
again only when the store changed, and opens by keyboard; an MSL's and a manager's Today
do not offer them."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from app.store.accounts import Account, Affiliation
from app.store.base import AccountKind
from app.store.database import Database
from app.synced_columns import utcnow
from app.ui.main_window import MainWindow
from app.ui.views.opinion_leaders import OpinionLeadersCard
from tests.ui import test_escalations
from tests.ui.conftest import Territory, wait_for_account
from tests.ui.test_both_languages import Walk

role_window = test_escalations.role_window  # the main window signed in as a role (a fixture)


def add_head_of_department(ui_db: Database, territory: Territory) -> str:
    """Prof. Berg heads cardiology at St. Marien and works at the Klinikum too; never
    called. Dr. Müller (called a week ago) works at St. Marien as well."""
    with ui_db.write() as session:
        session.info["from_server"] = True
        marien = Account(kind=AccountKind.HCO.value, name="Kardiologie – St. Marien",
                         version=90)
        berg = Account(kind=AccountKind.HCP.value, title="Prof. Dr.", first_name="Eva",
                       last_name="Berg", name="Prof. Dr. Eva Berg", segment="A", version=91)
        session.add_all([marien, berg])
        session.flush()
        session.add_all([
            Affiliation(hcp_id=berg.id, hco_id=marien.id, role="Chefärztin", version=92),
            Affiliation(hcp_id=berg.id, hco_id=territory.hospital_id, role="Konsiliarärztin",
                        version=93),
            Affiliation(hcp_id=territory.doctor_id, hco_id=marien.id, role="Oberarzt",
                        version=94)])
        return berg.id


def refreshed(qtbot, card: OpinionLeadersCard, window: MainWindow) -> None:
    with qtbot.waitSignal(card.loaded, timeout=10_000):
        window.home.refresh_calls()


def test_a_head_of_department_nobody_called_is_a_new_opinion_leader(
        qtbot, language: str, window: MainWindow, ui_db: Database,
        territory: Territory) -> None:
    card = window.home.leaders
    refreshed(qtbot, card, window)
    assert card.isVisible()
    assert card.list.topLevelItemCount() == 0 and card.list.isHidden()
    reads = card.reads
    refreshed(qtbot, card, window)
    assert card.reads == reads  # nothing changed: nothing read again
    berg = add_head_of_department(ui_db, territory)
    refreshed(qtbot, card, window)
    assert card.reads == reads + 1
    assert card.list.topLevelItemCount() == 1
    item = card.list.topLevelItem(0)
    assert item.text(0) == "Prof. Dr. Eva Berg"
    if language == "de":
        assert item.text(1) == ("Chefärztin, Kardiologie – St. Marien · 2 Zugehörigkeiten · "
                                "noch nie besucht")
    else:
        assert item.text(1) == ("Chefärztin at Kardiologie – St. Marien · 2 affiliations · "
                                "never called")
    walk = Walk(qtbot, language)  # no English in German, no raw codes, no doubled Alt keys
    walk.check("Today", window)
    assert walk.problems == [], "\n".join(walk.problems)
    card.list.setFocus()
    card.list.setCurrentItem(item)
    with qtbot.waitSignal(window.account.history_shown, timeout=10_000):
        qtbot.keyClick(card.list, Qt.Key.Key_Return)
    assert window.account.account_id == berg


@pytest.mark.parametrize("role_window", ["msl", "manager"], indirect=True)
def test_only_a_reps_today_offers_opinion_leaders(qtbot, role_window, ui_db: Database,
                                                   territory: Territory) -> None:
    window, _user = role_window
    add_head_of_department(ui_db, territory)
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        window.home.refresh_calls()
    assert window.home.leaders.isHidden() and window.home.leaders.reads == 0


def test_a_doctor_called_since_leaves_the_list(qtbot, window: MainWindow, ui_db: Database,
                                               territory: Territory) -> None:
    card = window.home.leaders
    berg = add_head_of_department(ui_db, territory)
    refreshed(qtbot, card, window)
    assert card.list.topLevelItemCount() == 1
    wait_for_account(qtbot, window, berg)
    with ui_db.write() as session:  # a call submitted on another laptop, pulled
        session.info["from_server"] = True
        row = session.get(Account, berg)
        assert row is not None
        row.last_contact_at, row.version = utcnow(), 95
    window.show_home()
    refreshed(qtbot, card, window)
    assert card.list.topLevelItemCount() == 0
    assert "No new opinion leaders" in card.status.text()
