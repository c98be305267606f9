"""The settings a rep can change: language, colours, data folder, server address.

Language, theme and data folder are read once at start-up (the database is already open, and
every label is already translated), so the dialog says plainly that they apply from the next
start instead of half-applying them now.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import Paths, Settings, remember_data_dir
from app.i18n import tr
from app.ui.parts import muted

SERVER_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?/?$")


def server_url_error(value: str) -> str | None:
    """Why `value` is not a server address, or None (empty means: no server)."""
    if not value or SERVER_URL.match(value):
        return None
    return tr("Enter an address like https://crm.example.com or http://10.0.0.5:8080, "
              "or leave it empty.")


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self._settings = settings
        self._paths = paths

        self.language = QComboBox()
        for label, code in ((tr("Same as the system"), "system"), ("English", "en"),
                            ("Deutsch", "de")):
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(self.language.findData(settings.get("language")), 0))
        self.theme = QComboBox()
        for label, code in ((tr("Same as the system"), "system"), (tr("Light"), "light"),
                            (tr("Dark"), "dark")):
            self.theme.addItem(label, code)
        self.theme.setCurrentIndex(max(self.theme.findData(settings.get("theme")), 0))
        self.data_dir = QLineEdit(str(paths.data_dir))
        self.data_dir.setAccessibleName(tr("Data folder"))
        choose = QPushButton(tr("Choose…"))
        choose.clicked.connect(self._choose_folder)
        folder = QHBoxLayout()
        folder.setSpacing(8)
        folder.addWidget(self.data_dir, 1)
        folder.addWidget(choose)
        self.server = QLineEdit(settings.get("server_url"),
                                placeholderText="https://crm.example.com")
        self.server.setAccessibleName(tr("Server address"))
        self.server_error = QLabel()
        self.server_error.setObjectName("fieldError")
        self.server_error.setWordWrap(True)
        self.server_error.hide()

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Colours"), self.theme)
        form.addRow(tr("Data folder"), folder)
        form.addRow("", muted(tr("Where your accounts and calls are kept on this laptop. "
                                 "A new folder is used from the next start; the current data "
                                 "stays where it is."), wrap=True))
        form.addRow(tr("Server address"), self.server)
        form.addRow("", self.server_error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(form)
        layout.addWidget(muted(tr("Language and colours change the next time you start "
                                  "Fieldrep."), wrap=True))
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Choose the data folder"),
                                                  self.data_dir.text())
        if chosen:
            self.data_dir.setText(chosen)

    def save(self) -> None:
        server = self.server.text().strip()
        error = server_url_error(server)
        self.server_error.setText(error or "")
        self.server_error.setVisible(error is not None)
        if error is not None:
            self.server.setFocus()
            return
        self._settings.set("language", self.language.currentData())
        self._settings.set("theme", self.theme.currentData())
        self._settings.set("server_url", server.rstrip("/"))
        self._settings.save()
        folder = Path(self.data_dir.text().strip()).expanduser()
        if self.data_dir.text().strip() and folder != self._paths.data_dir:
            remember_data_dir(folder)
        self.accept()
