"""A long affiliation (practice, role, city) wraps in the account's side column instead of
being cut off at its edge."""

from __future__ import annotations

from sqlalchemy import update

from app.store.accounts import Account
from app.store.database import Database
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account

LONG = "Gemeinschaftspraxis für Innere Medizin und Kardiologie am Klinikum München Nord"


def test_a_long_affiliation_wraps_in_the_side_column(qtbot, window: MainWindow,
                                                     ui_db: Database,
                                                     territory: Territory) -> None:
    with ui_db.write() as session:
        session.execute(update(Account).where(Account.id == territory.hospital_id)
                        .values(name=LONG))
    wait_for_account(qtbot, window, territory.doctor_id)
    listing = window.account.affiliations.list
    item = listing.item(0)
    assert item.text().startswith(LONG)
    qtbot.waitUntil(lambda: listing.viewport().width() > 0)
    assert listing.visualItemRect(item).width() <= listing.viewport().width()
    assert not listing.horizontalScrollBar().isVisible()
    assert listing.visualItemRect(item).height() > listing.fontMetrics().height() * 1.5
