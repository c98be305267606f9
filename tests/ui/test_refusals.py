"""Refused changes are as visible as conflicts: one refusal from the real demo server, driven
to the status bar and the list, read in words, and dismissed.

The refusal is a real one: a manager's laptop (read-only role) changes a doctor's phone
number; the services on the laptop let it, the server says no. Before, the reason sat in
`local_state` and the bar said "All changes synced".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent

from app.config import Paths, Settings
from app.demo.server import CREDENTIALS, DemoServer
from app.services.login import login
from app.store import refusals
from app.store.database import Database, open_database
from app.store.queries import Pending
from app.sync.auth import client_for
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from app.ui.status import pending_text
from app.ui.views.conflicts import ConflictsDialog
from app.ui.views.refusals import reason_words
from tests.demo_server import nth_account, sync
from tests.ui.test_conflicts import set_contact

pytestmark = pytest.mark.gui
TIMEOUT = 20_000


@pytest.fixture
def manager_laptop(demo: DemoServer, tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "manager" / "fieldrep.sqlite")
    manager = next(c for c in CREDENTIALS if c.username == "manager")
    with client_for(db, demo.url) as client:
        assert login(db, client, manager.username, manager.password).online
    sync(db, demo)
    yield db
    db.close()


def test_a_refused_change_shows_in_the_bar_and_the_list_in_words(
        qtbot: Any, demo: DemoServer, manager_laptop: Database, tmp_path: Path) -> None:
    db = manager_laptop
    account = nth_account(db, 3)
    with db.read() as session:
        name = session.execute(text("SELECT name FROM accounts WHERE id = :a"),
                               {"a": account}).scalar_one()
    set_contact(db, account, phone="089 999 999")
    report = sync(db, demo)
    assert report.push.rejected == 2  # the change and the audit entry that goes with it

    folder = tmp_path / "window"  # no server set: the window does not sync by itself
    folder.mkdir()
    main: MainWindow = create_main_window(db, Settings(folder), Paths(folder))
    main.show()
    qtbot.waitExposed(main)
    try:
        # The bar says so, and never "All changes synced".
        qtbot.waitUntil(main.status.refused.isVisible, timeout=TIMEOUT)
        assert main.status.refused.text() == "1 refused change"
        assert main.status.pending.text.text() != "All changes synced"

        main.status.refused.click()
        view = main.findChild(ConflictsDialog)
        assert view is not None
        panel = view.refused
        qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 1, timeout=TIMEOUT)
        assert view.tabs.currentWidget() is panel
        row = panel.list.topLevelItem(0)
        assert row is not None
        what, todo = reason_words("your role has read-only access")
        assert [row.text(i) for i in range(1, 5)] == [
            f"Account: {name}", "Changes to: Phone", what, todo]
        assert what == "Your role may read this data but not change it."
        for column in range(5):  # no codes, no reprs, no server internals
            assert not any(mark in row.text(column) for mark in ("{", "'", "read-only access"))

        # "Open the record" goes to the account, to edit it again.
        assert panel.open_button.isEnabled()
        with qtbot.waitSignal(main.account.history_shown, timeout=TIMEOUT):
            panel.open_button.click()
        assert main.account.account_id == account
        # the dialog steps aside for the account (closed, and deleted once closed)
        assert not shiboken6.isValid(view) or not view.isVisible()

        main.status.refused.click()
        view = next(d for d in main.findChildren(ConflictsDialog) if d.isVisible())
        panel = view.refused
        qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 1, timeout=TIMEOUT)
        with qtbot.waitSignal(view.changed, timeout=TIMEOUT):
            panel.dismiss_button.click()
        qtbot.waitUntil(panel.empty.isVisible, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: not main.status.refused.isVisible(), timeout=TIMEOUT)
        assert "refused" not in main.status.pending.text.text()
        with db.read() as session:
            assert refusals.open_count(session.connection()) == 0
        view.close()
    finally:
        main.close()
        main.ops.wait()
        main.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_bar_never_says_all_synced_while_a_refusal_is_open(qapp: Any) -> None:
    nothing = Pending(0, None)
    assert pending_text(nothing, synced=True) == "All changes synced"
    assert pending_text(nothing, synced=True, refused=1) == "Sent, but 1 change was refused"
    assert pending_text(nothing, synced=True, refused=3) == "Sent, but 3 changes were refused"


def test_every_server_reason_reads_in_words_with_a_next_step() -> None:
    """The server's reasons (server/sync/push.py and the escalation rules) all map to a
    sentence and a next step; an unknown one still gets both, never the raw text."""
    reasons = [
        "submitted calls are locked: this change was not applied",
        "ended presentation sessions are locked: this change was not applied",
        "this account is not in your territories", "your role has read-only access",
        "tasks rows of other users cannot be written",
        "this row was deleted on the server meanwhile",
        "accounts is master data: it is changed on the server only",
        "unknown interaction: the server has not received it",
        "the server could not store this row (FOREIGN KEY constraint failed)",
        "this medical inquiry is closed", "something new the server says",
    ]
    for reason in reasons:
        what, todo = reason_words(reason)
        assert what and todo and what != reason and reason not in todo
