"""The account screen's data-protection export: a file dialog, then the JSON file of what
this laptop holds about the doctor; a file that cannot be written is said in words."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account


def test_the_rep_exports_a_doctor_through_the_file_dialog(qtbot, window: MainWindow,
                                                          territory: Territory,
                                                          tmp_path: Path) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    export = window.account.data_export
    assert export.isVisible() and export.button.isEnabled()
    dialog = export.choose_file()
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    target = tmp_path / "mueller.json"
    dialog.selectFile(str(target))
    with qtbot.waitSignal(export.finished, timeout=10_000) as said:
        dialog.accept()
    assert said.args[0].startswith(f"Saved {target}")
    assert export.result.isVisible()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["subject"]["name"] == "Dr. med. Jürgen Müller"
    assert len(data["calls"]) == 4

    with qtbot.waitSignal(export.finished, timeout=10_000) as said:
        export.export_to(tmp_path / "no-such-folder" / "x.json")
    assert "could not be written" in said.args[0]


def test_institutions_offer_no_export(qtbot, window: MainWindow, territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.hospital_id)
    assert not window.account.data_export.isVisible()
