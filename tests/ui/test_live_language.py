"""The language chosen in the settings applies at once (it needed a restart): the window is
built again in it over the same open store, back on the account that was open."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QDialogButtonBox
from shiboken6 import isValid

from app.config import Paths, Settings
from app.store.database import Database
from app.ui.application import WindowSession, _Opener
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory

pytestmark = pytest.mark.gui
TIMEOUT = 30_000


def choose_language(qtbot: QtBot, session: WindowSession, code: str) -> MainWindow:
    """Pick `code` in the settings of the session's window and save with the keyboard."""
    old = session.window
    dialog = old.open_settings()
    qtbot.waitExposed(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData(code))
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.window is not old, timeout=TIMEOUT)
    new = session.window
    qtbot.waitUntil(lambda: hasattr(new, "ops") and new.user is not None, timeout=TIMEOUT)
    assert new.isVisible()
    qtbot.waitUntil(lambda: not isValid(old), timeout=TIMEOUT)  # the old window is gone
    return new


def test_the_language_changes_at_once_on_the_same_account(
        qtbot: QtBot, ui_db: Database, settings: Settings, tmp_path: Path,
        territory: Territory) -> None:
    paths = Paths(tmp_path)
    first = MainWindow(settings, paths, "en")
    session = WindowSession(first, _Opener(first, paths, settings, lambda: ui_db, ()), paths,
                            settings, "en")
    windows = [first]
    first.resize(1280, 760)
    first.show()
    try:
        qtbot.waitUntil(lambda: hasattr(first, "ops") and first.user is not None,
                        timeout=TIMEOUT)
        with qtbot.waitSignal(first.account.history_shown, timeout=TIMEOUT):
            first.open_account(territory.doctor_id)
        assert first.menuBar().actions()[0].text() == "&File"

        german = choose_language(qtbot, session, "de")
        windows.append(german)
        assert german.menuBar().actions()[0].text() == "&Datei"
        qtbot.waitUntil(lambda: german.account.account_id == territory.doctor_id
                        and german.stack.currentWidget() is german.account, timeout=TIMEOUT)
        assert german.account.history_title.text().startswith("Verlauf")
        assert settings.get("language") == "de"

        english = choose_language(qtbot, session, "en")
        windows.append(english)
        assert english.menuBar().actions()[0].text() == "&File"
    finally:
        session.window.close()
        session.window.ops.wait()
        for window in windows:
            if isValid(window):
                window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
