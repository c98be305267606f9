"""F1 lists the keys that exist: the window's actions (a role's included), the call
report's, the presenter's and the conflicts list's, each of which really acts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from app.ui.help_keys import CALL_REPORT_KEYS, PRESENTER_KEYS, action_keys
from app.ui.main_window import MainWindow
from app.ui.operations import Operations
from tests.ui.presenter.test_presentation import FakeClock, deck_id, ops, start

__all__ = ["deck_id", "ops"]


def native(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def test_f1_lists_every_shortcut_of_the_window_and_the_screens(qtbot: Any,
                                                               window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "shortcuts_box", None) is not None
                    and window.shortcuts_box.isVisible())
    text = window.shortcuts_box.text()
    for keys in ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+5", "Ctrl+E", "Ctrl+F", "Ctrl+N",
                 "Alt+Left", "F5", "Ctrl+Q", "Ctrl+S", "Ctrl+Return", "Esc", "Del", "M"):
        assert f"<b>{native(keys)}</b>" in text, keys
    assert "Escalate a medical question" in text and "&amp;" not in text
    listed = {keys.toString() for keys, _text in action_keys(window)}
    shortcuts = {a.shortcut().toString() for a in window.actions() if not a.shortcut().isEmpty()}
    assert shortcuts <= listed  # nothing with a key is left out
    window.shortcuts_box.close()


def test_the_call_report_binds_the_keys_the_help_lists() -> None:
    from app.ui.views.call_report.view import CallReportView

    for _keys, method, _text in CALL_REPORT_KEYS:
        assert callable(getattr(CallReportView, method))


def test_every_presenter_key_in_the_help_acts(qtbot: Any, ops: Operations,
                                              deck_id: str) -> None:
    """Each key the help names is taken by a real presenter's key handler (Esc last: it
    ends the showing)."""
    presenter = start(qtbot, ops, deck_id, clock=FakeClock())
    ordered = sorted(PRESENTER_KEYS, key=lambda row: row[0] == "Esc")
    for keys, _text in ordered:
        key = QKeySequence(keys)[0].key()
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
        if keys == "Esc":
            with qtbot.waitSignal(presenter.finished, timeout=10_000):
                assert presenter._key(event)
        else:
            assert presenter._key(event), keys
