"""The main window: navigation, shortcuts, call reports as pages, status bar, settings."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import ClassVar

import pytest

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from app.config import Settings
from app.ui.application import freeze_startup_objects
from app.ui.main_window import MainWindow
from app.ui.operations import Operations
from tests.ui.conftest import Territory, wait_for_account


class FakeReport(QWidget):
    """Stands in for CallReportView with exactly its interface (views/call_report.py)."""

    submitted = Signal(str)
    saved = Signal(str)
    closed = Signal()
    made: ClassVar[list[FakeReport]] = []

    def __init__(self, ops: Operations, user_id: str | None, account_id: str,
                 call_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.args = (user_id, account_id, call_id)
        self.close_calls = 0
        FakeReport.made.append(self)

    def close_report(self) -> None:
        self.close_calls += 1
        self.closed.emit()


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[FakeReport]:
    module = types.ModuleType("app.ui.views.call_report.view")
    module.CallReportView = FakeReport  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.ui.views.call_report.view", module)
    FakeReport.made = []
    return FakeReport.made


def press(qtbot, window: MainWindow, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.ControlModifier) -> None:
    target = window.focusWidget() or window
    qtbot.keyClick(target, key, modifier)


def test_rail_and_shortcuts_navigate(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.stack.currentWidget() is window.home
    assert window.rail.current() == "today"

    with qtbot.waitSignal(window.accounts.page_loaded):
        press(qtbot, window, Qt.Key.Key_2)
    assert window.stack.currentWidget() is window.accounts
    assert window.rail.current() == "accounts"

    press(qtbot, window, Qt.Key.Key_1)
    assert window.stack.currentWidget() is window.home
    assert window.rail.current() == "today"

    press(qtbot, window, Qt.Key.Key_F)
    assert window.stack.currentWidget() is window.accounts
    assert window.accounts.search.hasFocus()


def test_today_lists_drafts_and_plans(qtbot, window: MainWindow, territory: Territory) -> None:
    home = window.home
    with qtbot.waitSignal(home.loaded):
        home.refresh()
    assert home.title.text() in {"Good morning, Lena", "Good afternoon, Lena",
                                 "Good evening, Lena"}
    draft = home.drafts.topLevelItem(0)
    assert draft.text(1) == "Dr. med. Jürgen Müller"
    assert draft.text(3) == "Phone call"
    assert home.planned.topLevelItem(0).text(1) == "Dr. med. Anna Schäfer"


def test_a_draft_opens_from_today_and_back_returns_to_its_account(
        qtbot, window: MainWindow, territory: Territory, reports: list[FakeReport]) -> None:
    home = window.home
    qtbot.waitUntil(lambda: home.drafts.topLevelItemCount() == 1)

    home.drafts.itemActivated.emit(home.drafts.topLevelItem(0), 0)

    assert [r.args for r in reports] == [(territory.rep_id, territory.doctor_id,
                                          territory.draft_id)]
    page = window.reports.current()
    assert page is not None and page.report is reports[0]
    with qtbot.waitSignal(window.account.history_shown):
        qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    assert reports[0].close_calls == 1
    assert window.stack.currentWidget() is window.account
    assert window.account.account_id == territory.doctor_id
    assert window.reports.pages == []


def test_ctrl_n_logs_a_call_and_submitting_returns_to_the_account(
        qtbot, window: MainWindow, territory: Territory, reports: list[FakeReport]) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    press(qtbot, window, Qt.Key.Key_N)

    assert [r.args for r in reports] == [(territory.rep_id, territory.doctor_id, None)]
    with qtbot.waitSignal(window.account.history_shown), \
            qtbot.waitSignal(window.status.refreshed):
        reports[0].submitted.emit("a-call-id")
    assert window.stack.currentWidget() is window.account
    assert window.reports.pages == []


def test_an_open_report_saves_when_the_rep_leaves_it_or_quits(
        qtbot, window: MainWindow, territory: Territory, reports: list[FakeReport]) -> None:
    window.open_call(territory.doctor_id, territory.draft_id)
    window.show_home()
    assert reports[0].close_calls == 1
    assert window.stack.currentWidget() is window.home  # leaving does not pull back

    window.open_call(territory.doctor_id, territory.draft_id)
    reports[1].closed.disconnect()  # a report still saving when the window closes
    window.close()
    assert reports[1].close_calls == 1


def test_the_call_report_opens_as_a_page_and_closes_back_to_the_account(
        qtbot, window: MainWindow, territory: Territory) -> None:
    from app.ui.views.call_report.view import CallReportView

    home = window.home
    qtbot.waitUntil(lambda: home.drafts.topLevelItemCount() == 1)
    home.drafts.itemActivated.emit(home.drafts.topLevelItem(0), 0)
    page = window.reports.current()
    assert page is not None and isinstance(page.report, CallReportView)
    with qtbot.waitSignal(page.report.loaded):
        pass  # the draft is read in the background; its answer is still queued

    with qtbot.waitSignal(window.account.history_shown):
        qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.account
    assert window.reports.pages == []


def test_status_bar_shows_pending_changes_after_a_write(qtbot, window: MainWindow,
                                                       territory: Territory) -> None:
    assert window.status.pending.text.text() == "All changes saved on this laptop"
    wait_for_account(qtbot, window, territory.doctor_id)
    dialog = window.account.edit_consent()
    assert dialog is not None
    phone = next(r for r in dialog.rows if r.channel == "phone")
    phone.consent.setCurrentIndex(phone.consent.findData("withdrawn"))

    with qtbot.waitSignal(window.status.refreshed):
        dialog.save()

    text = window.status.pending.text.text()
    assert "changes waiting to sync · oldest " in text


def test_settings_dialog_saves_the_language(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.server.setText("ftp://nope")
    dialog.save()
    assert dialog.server_error.isVisibleTo(dialog)
    assert Settings(tmp_path).get("language") == "system"  # nothing saved yet

    dialog.server.setText("https://crm.example.com:8443/")
    dialog.save()

    stored = Settings(tmp_path)
    assert stored.get("language") == "de"
    assert stored.get("server_url") == "https://crm.example.com:8443"


def test_probe_prints_first_paint_then_memory(tmp_path: Path,
                                              template: tuple[Path, Territory]) -> None:
    shutil.copy(template[0], tmp_path / "fieldrep.sqlite")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(tmp_path), "--probe"],
                            capture_output=True, text=True, timeout=60, env=env, check=False,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "painted"
    assert json.loads(lines[-1])["rss_mb"] > 0


def test_startup_objects_leave_the_collectors_rounds_until_the_window_closes(
        qtbot, window: MainWindow) -> None:
    gc.unfreeze()
    freeze_startup_objects()
    assert gc.get_freeze_count() > 0
    window.close()
    assert gc.get_freeze_count() == 0


def test_quitting_with_unsent_changes_says_how_many_and_that_they_are_kept(
        qtbot, window: MainWindow, ui_db, territory: Territory) -> None:
    from sqlalchemy import text

    from app.services import calls

    with ui_db.write() as session:
        for hours in (1, 2):
            calls.plan_call(session, territory.rep_id, territory.doctor_id,
                            f"2026-12-01T0{hours}:00:00")
        waiting = session.execute(text("SELECT count(*) FROM outbox")).scalar_one()
    assert waiting >= 2
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: window.quit_prompt is not None and window.quit_prompt.isVisible())
    prompt = window.quit_prompt
    assert f"{waiting} changes" in prompt.text() and "kept" in prompt.text()
    qtbot.mouseClick(prompt.stay_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert window.isVisible()  # Cancel stays
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: window.quit_prompt is not prompt and window.quit_prompt is not None
                    and window.quit_prompt.isVisible())
    qtbot.mouseClick(window.quit_prompt.quit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    with ui_db.read() as session:  # kept for the next sync
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar_one() == waiting


def test_the_colours_change_at_once(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from app.ui.application import DARK, apply_theme

    app = QApplication.instance()
    before = app.palette().color(QPalette.ColorRole.Window)
    try:
        dialog = window.open_settings()
        qtbot.waitExposed(dialog)
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        dialog.save()
        dark = QColor(DARK[QPalette.ColorRole.Window])
        assert app.palette().color(QPalette.ColorRole.Window) == dark
        qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window) == dark)
        assert Settings(tmp_path).get("theme") == "dark"
    finally:
        apply_theme(app, "dark" if before.lightness() < 128 else "light")
