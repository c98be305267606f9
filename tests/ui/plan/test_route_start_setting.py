"""The start of the day's route in the settings dialog: checked, saved, refused in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Paths, Settings
from app.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> SettingsDialog:  # type: ignore[no-untyped-def]
    made = SettingsDialog(Settings(tmp_path), Paths(tmp_path))
    qtbot.addWidget(made)
    return made


def test_a_place_is_saved(dialog: SettingsDialog, tmp_path: Path) -> None:
    dialog.route_start.setText(" 50.94, 6.96 ")
    dialog.save()
    assert Settings(tmp_path).get("route_start") == "50.94, 6.96"


def test_a_wrong_place_is_refused_and_nothing_saved(dialog: SettingsDialog,
                                                    tmp_path: Path) -> None:
    dialog.route_start.setText("Köln Dom")
    dialog.save()
    assert dialog.route_start_error.isVisibleTo(dialog)
    assert "latitude and longitude" in dialog.route_start_error.text()
    assert not (tmp_path / "settings.json").exists()
