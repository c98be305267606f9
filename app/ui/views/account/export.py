"""The account view's data-protection export: what this laptop holds about the doctor, as
a JSON file the rep can hand over for a subject-access request (app/services/gdpr.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.services.gdpr import write_export
from app.ui.operations import Operations, describe
from app.ui.parts import muted


class DataExport(QWidget):
    """A button under the doctor's profile, and a line that says how the export went.
    Hidden for institutions: data-protection requests concern people."""

    finished = Signal(str)  # the sentence shown: the file written, or what went wrong

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.account_id: str | None = None
        self.button = QPushButton(tr("Export data for a data-protection request…"))
        self.button.setToolTip(tr("Write everything this laptop holds about the doctor to a "
                                  "JSON file (GDPR subject-access request)."))
        self.button.clicked.connect(self.choose_file)
        self.result = muted(wrap=True)
        self.result.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.result)

    def show_account(self, account_id: str, kind: str) -> None:
        self.account_id = account_id
        self.result.hide()
        self.setVisible(kind == "hcp")

    def choose_file(self) -> QFileDialog:
        """Ask where to save (modeless; returned for tests); the export follows."""
        dialog = QFileDialog(self, tr("Export data"),
                             str(Path.home() / f"fieldrep-{self.account_id}.json"),
                             tr("JSON files (*.json)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(lambda chosen: self.export_to(Path(chosen)))
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        """Write the export in the background; `finished` says how it went."""
        account_id = self.account_id
        if account_id is None:
            return
        self._ops.read(lambda session: write_export(session, account_id, path),
                       lambda counts: self._say(tr(
                           "Saved {path} ({rows} rows). Hand it over securely: it holds "
                           "personal data.", path=str(path), rows=sum(counts.values()))),
                       lambda error: self._say(describe(error)))

    def _say(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()
        self.finished.emit(text)
