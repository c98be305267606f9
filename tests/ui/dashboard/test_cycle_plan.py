"""A cycle plan pulled from the server shows on the rep's figures ("Cycle plan until …: n of
m calls") and on the account ("n of 6 calls this quarter · Visit: n of 4"), driven
through the real window."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.store.accounts import Account
from app.store.cycle_plans import CyclePlan
from app.store.database import Database
from app.store.interactions import Interaction
from app.synced_columns import utcnow
from app.ui import format as fmt
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account
from tests.ui.dashboard.test_view import open_figures


def _quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    after = dt.date(start.year + (start.month == 10), 1 if start.month == 10
                    else start.month + 3, 1)
    return start, after - dt.timedelta(days=1)


def _publish(db: Database, territory: Territory) -> tuple[dt.date, dt.date, str]:
    """The doctor's own target (6, 4 of them in person) and 2 for every A account."""
    start, end = _quarter(dt.date.today())
    with db.write() as s:
        s.info["from_server"] = True
        territory_id = s.scalar(select(Account.territory_id).where(
            Account.id == territory.doctor_id))
        for account, segment, channel, calls in (
                (territory.doctor_id, None, None, 6),
                (territory.doctor_id, None, "in_person", 4),
                (None, "A", None, 2)):
            s.add(CyclePlan(territory_id=territory_id, account_id=account, segment=segment,
                            channel=channel, period_start=start, period_end=end, calls=calls,
                            published_by=territory.rep_id, published_at=utcnow(),
                            version=1))
        s.add(Interaction(account_id=territory.doctor_id, owner_id=territory.rep_id,
                          channel="in_person", status="submitted", start_at=utcnow(),
                          subject="Visit", submitted_at=utcnow()))
    return start, end, str(territory_id)


def test_the_account_shows_its_calls_against_its_cycle_plan(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    assert not window.account.cycle.isVisible()  # no plan yet: nothing said
    start, _end, _t = _publish(ui_db, territory)
    with ui_db.write() as s:
        done = s.scalar(select(func.count()).where(
            Interaction.account_id == territory.doctor_id, Interaction.status == "submitted",
            Interaction.deleted.is_(False),
            Interaction.start_at >= dt.datetime.combine(start, dt.time())))
        in_person = s.scalar(select(func.count()).where(
            Interaction.account_id == territory.doctor_id, Interaction.status == "submitted",
            Interaction.channel == "in_person", Interaction.deleted.is_(False),
            Interaction.start_at >= dt.datetime.combine(start, dt.time())))
    wait_for_account(qtbot, window, territory.hospital_id)
    wait_for_account(qtbot, window, territory.doctor_id)
    label = window.account.cycle
    assert label.isVisible()
    assert label.text() == f"{done} of 6 calls this quarter · Visit: {in_person} of 4"


def test_the_figures_show_the_territorys_cycle_plan(
        qtbot, window: MainWindow, ui_db: Database, territory: Territory) -> None:
    figures = open_figures(qtbot, window)
    assert not figures.calls.cycle.isVisible()
    _start, end, territory_id = _publish(ui_db, territory)
    with ui_db.write() as s:
        # Every A account but the doctor gets 2, the doctor its own 6.
        a_accounts = s.scalar(select(func.count()).where(
            Account.territory_id == territory_id, Account.segment == "A",
            Account.deleted.is_(False)))
    with qtbot.waitSignal(figures.loaded):
        figures.refresh()
    text = figures.calls.cycle.text()
    assert figures.calls.cycle.isVisible()
    assert text.startswith(f"Cycle plan until {fmt.date_text(end)}: ")
    assert text.endswith(f" of {fmt.number_text(float((a_accounts - 1) * 2 + 6), 0)} calls")
