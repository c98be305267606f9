"""Touchpoints outside systems reported show in the account's history beside the calls,
labelled by kind in the rep's language, and open nothing (no call report is behind them)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.store.database import Database
from app.store.touchpoints import Touchpoint
from app.ui.main_window import MainWindow
from app.ui.views.account.view import ID_ROLE
from tests.ui.conftest import Territory, wait_for_account

WEBINAR = dt.datetime(2100, 1, 2, 18, 0)  # newer than every call of the template
OPENED = dt.datetime(2000, 1, 2, 9, 0)  # older than every call


@pytest.fixture
def reported(ui_db: Database, territory: Territory) -> dict[str, str]:
    """Two touchpoints as the pull writes them (from the server: nothing to send)."""
    ids = {}
    with ui_db.write() as session:
        session.info["from_server"] = True
        for kind, at, title in (("webinar_attended", WEBINAR, "Renal outcomes webinar"),
                                ("email_opened", OPENED, "Study CZ-RENAL-07")):
            row = Touchpoint(account_id=territory.doctor_id, kind=kind, occurred_at=at,
                             source="marketing", event_id=kind, title=title, version=1)
            session.add(row)
            session.flush()
            ids[kind] = row.id
    return ids


@pytest.mark.parametrize(("language", "labels"), [
    ("en", ("Webinar attended", "E-mail opened", "Reported")),
    ("de", ("Webinar besucht", "E-Mail geöffnet", "Gemeldet")),
], indirect=["language"])
def test_reported_touchpoints_sit_in_the_history_by_date(
        qtbot, language: str, labels: tuple[str, str, str], reported: dict[str, str],
        window: MainWindow, territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    timeline = window.account.timeline
    rows = [timeline.topLevelItem(i) for i in range(timeline.topLevelItemCount())]

    assert len(rows) == 6, "the four calls and the two touchpoints"
    first, last = rows[0], rows[-1]
    assert (first.text(1), first.text(2), first.text(5), first.text(6)) == (
        labels[0], labels[2], "Renal outcomes webinar", "marketing")
    assert (last.text(1), last.text(2), last.text(5)) == (
        labels[1], labels[2], "Study CZ-RENAL-07")
    assert [r.data(0, ID_ROLE) for r in (first, last)] == [
        reported["webinar_attended"], reported["email_opened"]]

    with qtbot.assertNotEmitted(window.account.call_opened):
        timeline.itemActivated.emit(first, 0)
    with qtbot.waitSignal(window.account.call_opened):
        timeline.itemActivated.emit(rows[1], 0)
