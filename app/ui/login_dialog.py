"""The small login: server address, user name, password; the check runs off the GUI thread.

`app.services.login.login` talks to the server (or checks the local verifier offline), so it
runs on a worker; its error arrives in words under the fields. A successful login stores the
server address in the settings and emits `logged_in`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui.operations import run_in_background
from app.ui.settings_dialog import server_url_error
from app.ui.sync_runner import error_text

if TYPE_CHECKING:
    from app.config import Settings
    from app.store.database import Database


class LoginDialog(QDialog):
    logged_in = Signal(object)  # LoginResult

    def __init__(self, db: Database, settings: Settings, parent: QWidget | None = None,
                 **client_options: Any) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Log in to sync"))
        self._db = db
        self._settings = settings
        self._options = client_options
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.server = QLineEdit(str(settings.get("server_url") or ""))
        self.server.setPlaceholderText("https://crm.example.com")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow(tr("Server address"), self.server)
        form.addRow(tr("User name"), self.user)
        form.addRow(tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(tr("Log in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.user if self.server.text() else self.server).setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def submit(self) -> None:
        server = self.server.text().strip().rstrip("/")
        problem = server_url_error(server)
        if not server:
            problem = tr("Enter the address of the Fieldrep server.")
        if problem is not None:
            self._say(problem)
            return
        self._say(tr("Logging in…"))
        self.buttons.setEnabled(False)
        db, options = self._db, dict(self._options)
        user, password = self.user.text(), self.password.text()

        def work() -> Any:
            from app.services.login import login
            from app.sync.auth import client_for

            return login(db, client_for(db, server, **options), user, password)

        def done(result: object) -> None:
            self._settings.set("server_url", server)
            self._settings.save()
            self.buttons.setEnabled(True)
            self._say("")
            self.logged_in.emit(result)
            self.accept()

        def failed(error: BaseException) -> None:
            self.buttons.setEnabled(True)
            self._say(error_text(error))

        run_in_background(self, self._pool, work, done, failed, expected=(Exception,))

    def done(self, result: int) -> None:
        self._pool.waitForDone()
        super().done(result)
