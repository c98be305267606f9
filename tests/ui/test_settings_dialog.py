"""The settings dialog says what a change does, and says it once: the language and the
colours apply at once (no closing line that contradicts the row above)."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtWidgets import QLabel

from app.config import Paths, Settings
from app.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


def test_the_dialog_says_the_colours_change_at_once_and_nothing_else(
        qtbot, settings: Settings, tmp_path: Path) -> None:
    dialog = SettingsDialog(settings, Paths(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert any("colours change at once" in text for text in texts)
    assert not [text for text in texts if "colours change the next time" in text.lower()
                or "language and colours" in text.lower()]
