"""The settings a rep can change: language, colours, data folder, server address, and the
company certificate authority the server's certificate is checked against.

The colours apply at once, and so does the language: `language_changed` asks the window to be
built again in the new language over the same open store (app/ui/application.py). The data
folder is read once at start-up (the database is already open), so the dialog says plainly
that it applies from the next start instead of half-applying it now.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
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
from app.services.errors import ValidationError
from app.services.plan import parse_start
from app.sync.transport import refusal
from app.ui.parts import muted

SERVER_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?/?$")


def server_url_error(value: str) -> str | None:
    """Why `value` is not a server address, or None (empty means: no server).

    Plain http:// is refused here already, as the sync would refuse it (except to this
    computer, where the demo server runs): passwords and doctors' data need https."""
    if not value:
        return None
    if not SERVER_URL.match(value):
        return tr("Enter an address like https://crm.example.com, or leave it empty.")
    return refusal(value)


def ca_bundle_error(value: str) -> str | None:
    """Why `value` cannot be the company CA file, or None (empty: the public authorities)."""
    if not value or Path(value).expanduser().is_file():
        return None
    return tr("There is no file {path}. Choose the certificate authority file (PEM) your IT "
              "department gave you, or leave the field empty.", path=value)


def route_start_error(value: str) -> str | None:
    try:
        parse_start(value)
    except ValidationError as error:
        return " ".join(error.errors.values())
    return None


class SettingsDialog(QDialog):
    #: The language was changed and saved (its code, or "system"): the window follows.
    language_changed = Signal(str)

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
        self.ca_bundle = QLineEdit(settings.get("ca_bundle"))
        self.ca_bundle.setAccessibleName(tr("Company certificate authority"))
        choose_ca = QPushButton(tr("Choose…"))
        choose_ca.clicked.connect(self._choose_ca_bundle)
        ca_row = QHBoxLayout()
        ca_row.setSpacing(8)
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(choose_ca)
        self.ca_bundle_error = QLabel()
        self.ca_bundle_error.setObjectName("fieldError")
        self.ca_bundle_error.setWordWrap(True)
        self.ca_bundle_error.hide()

        self.route_start = QLineEdit(settings.get("route_start"),
                                     placeholderText=tr("e.g. 50.94, 6.96"))
        self.route_start.setAccessibleName(tr("Start of the day's route"))
        self.route_start_error = QLabel()
        self.route_start_error.setObjectName("fieldError")
        self.route_start_error.setWordWrap(True)
        self.route_start_error.hide()

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(tr("Language"), self.language)
        form.addRow("", muted(tr("The language and the colours change at once."), wrap=True))
        form.addRow(tr("Colours"), self.theme)
        form.addRow(tr("Data folder"), folder)
        form.addRow("", muted(tr("Where your accounts and calls are kept on this laptop. "
                                 "A new folder is used from the next start; the current data "
                                 "stays where it is."), wrap=True))
        form.addRow(tr("Server address"), self.server)
        form.addRow("", self.server_error)
        form.addRow(tr("Company certificate authority"), ca_row)
        form.addRow("", self.ca_bundle_error)
        form.addRow("", muted(tr("Only if your company signs its servers' certificates "
                                 "itself: the certificate authority file (PEM) from your IT "
                                 "department. Leave it empty otherwise."), wrap=True))
        form.addRow(tr("Start of the day's route"), self.route_start)
        form.addRow("", self.route_start_error)
        form.addRow("", muted(tr("Where your working day starts and ends, as latitude and "
                                 "longitude. Empty: the route starts at the first visit."),
                              wrap=True))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Choose the data folder"),
                                                  self.data_dir.text())
        if chosen:
            self.data_dir.setText(chosen)

    def _choose_ca_bundle(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, tr("Choose the certificate authority file"), self.ca_bundle.text(),
            tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if chosen:
            self.ca_bundle.setText(chosen)

    def save(self) -> None:
        server = self.server.text().strip()
        ca_bundle = self.ca_bundle.text().strip()
        invalid = None
        for field, label, error in ((self.server, self.server_error, server_url_error(server)),
                                    (self.ca_bundle, self.ca_bundle_error,
                                     ca_bundle_error(ca_bundle)),
                                    (self.route_start, self.route_start_error,
                                     route_start_error(self.route_start.text()))):
            label.setText(error or "")
            label.setVisible(error is not None)
            invalid = invalid or (field if error is not None else None)
        if invalid is not None:
            invalid.setFocus()
            return
        language_changed = self.language.currentData() != self._settings.get("language")
        self._settings.set("language", self.language.currentData())
        if self.theme.currentData() != self._settings.get("theme"):
            from app.ui.application import apply_theme

            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, self.theme.currentData())
        self._settings.set("theme", self.theme.currentData())
        self._settings.set("server_url", server.rstrip("/"))
        self._settings.set("ca_bundle", str(Path(ca_bundle).expanduser()) if ca_bundle else "")
        self._settings.set("route_start", self.route_start.text().strip())
        self._settings.save()
        folder = Path(self.data_dir.text().strip()).expanduser()
        if self.data_dir.text().strip() and folder != self._paths.data_dir:
            remember_data_dir(folder)
        self.accept()
        if language_changed:
            self.language_changed.emit(self.language.currentData())
