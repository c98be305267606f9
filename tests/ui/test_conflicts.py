"""The conflicts view on a real conflict: two laptops of the demo rep change the same field
of one doctor before either syncs, through a real server process on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from PySide6.QtCore import QCoreApplication, QEvent, Qt

from app.config import Paths, Settings
from app.demo.server import DemoServer
from app.services.accounts import update_contact
from app.store import conflicts
from app.store.database import Database
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from app.ui.operations import Operations
from app.ui.views.conflicts import ConflictsDialog
from tests.demo_server import laptop, nth_account, sync


@pytest.fixture
def laptops(demo: DemoServer, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    first, second = laptop(tmp_path / "one", demo), laptop(tmp_path / "two", demo)
    sync(first, demo)
    sync(second, demo)
    yield first, second
    first.close()
    second.close()


def account_field(db: Database, account: str, field: str) -> object:
    with db.read() as session:
        return session.execute(text(f"SELECT {field} FROM accounts WHERE id = :a"),
                               {"a": account}).scalar()


def set_contact(db: Database, account: str, **change: str | None) -> None:
    """The account's contact form saved with one field changed, as the account view does."""
    with db.write() as session:
        current = dict(session.execute(text(
            "SELECT email, phone, notes FROM accounts WHERE id = :a"), {"a": account}
        ).one()._mapping)
        update_contact(session, None, account, **{**current, **change})


def open_conflicts(db: Database) -> list[conflicts.Conflict]:
    with db.read() as session:
        return conflicts.listed(session.connection())


def outbox_fields(db: Database, account: str) -> list[str]:
    with db.read() as session:
        return [r[0] for r in session.execute(text(
            "SELECT fields FROM outbox WHERE row_id = :a"), {"a": account})]


@pytest.fixture
def dialog(qtbot, laptops: tuple[Database, Database]) -> Iterator[ConflictsDialog]:
    ops = Operations(laptops[1])
    view = ConflictsDialog(ops, None)
    qtbot.addWidget(view)
    yield view
    ops.wait()
    ops.deleteLater()  # its thread pools end with it


def test_the_lost_value_is_shown_beside_the_kept_one_and_reapplied_in_one_action(
        qtbot, demo: DemoServer, laptops: tuple[Database, Database]) -> None:
    first, second = laptops
    account = nth_account(first, 7)
    name = account_field(first, account, "name")
    set_contact(first, account, phone="089 111 111")
    set_contact(second, account, phone="089 222 222")  # offline, before the first synced
    sync(first, demo)
    report = sync(second, demo)
    assert report.push.conflicts == 1
    assert account_field(second, account, "phone") == "089 111 111"  # the server's rule

    ops = Operations(second)
    view = ConflictsDialog(ops, None)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1)
    row = view.list.topLevelItem(0)
    assert row is not None
    assert [row.text(i) for i in range(1, 6)] == [
        "this laptop", f"Account: {name}", "Phone", "089 111 111", "089 222 222"]
    assert view.list.hasFocus() and view.reapply_button.isEnabled()
    # Every column is in view at the dialog's size: nothing to scroll to.
    header = view.list.header()
    for column in range(view.list.columnCount()):
        assert header.sectionViewportPosition(column) + header.sectionSize(column) \
            <= view.list.viewport().width(), column
    assert view.list.horizontalScrollBar().maximum() == 0

    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.empty.isVisible)
    # The empty state takes the list's place at the top, not the middle of the dialog.
    tab = view.tabs.currentWidget()
    text_top = view.empty.mapTo(tab, view.empty.contentsRect().topLeft()).y()
    assert text_top < tab.height() // 3
    assert not view.reapply_button.isVisible()
    assert account_field(second, account, "phone") == "089 222 222"
    assert any("089 222 222" in f for f in outbox_fields(second, account))
    assert open_conflicts(second) == []
    ops.wait()

    # The reapplied value is a normal edit: it syncs, and the other laptop gets it.
    assert sync(second, demo).push.applied >= 1
    sync(first, demo)
    assert account_field(first, account, "phone") == "089 222 222"


def test_a_dismissed_conflict_leaves_the_list_and_changes_nothing(
        qtbot, demo: DemoServer, laptops: tuple[Database, Database],
        dialog: ConflictsDialog) -> None:
    first, second = laptops
    account = nth_account(first, 9)
    set_contact(first, account, notes="Erster Laptop: lieber dienstags.")
    set_contact(second, account, notes="Zweiter Laptop: lieber donnerstags.")
    sync(first, demo)
    sync(second, demo)  # notes are the rep's own: the last push wins
    assert account_field(second, account, "notes") == "Zweiter Laptop: lieber donnerstags."
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() >= 1)
    mine = [c for c in dialog.conflicts if c.row_id == account]
    assert [(c.field, c.winning, c.losing) for c in mine] == [
        ("notes", "Zweiter Laptop: lieber donnerstags.", "Erster Laptop: lieber dienstags.")]
    item = next(dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())
                if dialog.list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == mine[0].id)
    assert item.text(1) == "another device"
    dialog.list.setCurrentItem(item)
    with qtbot.waitSignal(dialog.changed):
        qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: all(c.row_id != account for c in dialog.conflicts))
    assert outbox_fields(second, account) == []
    assert account_field(second, account, "notes") == "Zweiter Laptop: lieber donnerstags."


def test_the_status_bar_counts_conflicts_and_opens_the_view(
        qtbot, demo: DemoServer, laptops: tuple[Database, Database], tmp_path: Path) -> None:
    first, second = laptops
    account = nth_account(first, 11)
    set_contact(first, account, email="praxis-eins@example.org")
    set_contact(second, account, email="praxis-zwei@example.org")
    sync(first, demo)
    sync(second, demo)
    window_dir = tmp_path / "window"  # no server set: the window does not sync by itself
    window_dir.mkdir()
    main: MainWindow = create_main_window(second, Settings(window_dir), Paths(window_dir))
    main.show()
    qtbot.waitExposed(main)
    try:
        qtbot.waitUntil(main.status.conflicts.isVisible)
        assert main.status.conflicts.text() == "1 conflict"
        main.status.conflicts.click()
        view = main.findChild(ConflictsDialog)
        assert view is not None
        qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1)
        with qtbot.waitSignal(view.changed):
            view.reapply_button.click()
        qtbot.waitUntil(lambda: not main.status.conflicts.isVisible())
        view.close()
    finally:
        main.close()
        main.ops.wait()
        main.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
