"""The small logins: server address, user name, password; the check runs off the GUI thread.

`SignInDialog` opens Fieldrep: `app.services.login.sign_in` asks the server (or, offline,
unlocks the user's encrypted store with the password), so it runs on a worker; its error
arrives in words under the fields. When the server's password changed since the store was
locked, a field for the previous password appears. `LoginDialog` renews the token of the
user already signed in (a sync asked for the password again). Either stores the server
address in the settings on success.
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
    from pathlib import Path

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


class SignInDialog(QDialog):
    """Who works with Fieldrep now: opens (or creates) that user's own encrypted store."""

    signed_in = Signal(object)  # app.services.login.SignedIn

    def __init__(self, data_dir: Path, settings: Settings, parent: QWidget | None = None,
                 **client_options: Any) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sign in to Fieldrep"))
        self._data_dir = data_dir
        self._settings = settings
        self._options = client_options
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.server = QLineEdit(str(settings.get("server_url") or ""))
        self.server.setPlaceholderText("https://crm.example.com")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.previous = QLineEdit()
        self.previous.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.form = QFormLayout()
        self.form.addRow(tr("Server address"), self.server)
        self.form.addRow(tr("User name"), self.user)
        self.form.addRow(tr("Password"), self.password)
        self.form.addRow(tr("Previous password"), self.previous)
        self.form.setRowVisible(self.previous, False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.user.setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def submit(self) -> None:
        server = self.server.text().strip().rstrip("/")
        problem = server_url_error(server) if server else None
        if problem is not None:
            self._say(problem)
            return
        self._say(tr("Signing in…"))
        self.buttons.setEnabled(False)
        data_dir, options = self._data_dir, dict(self._options)
        user, password = self.user.text(), self.password.text()
        previous = self.previous.text() or None
        days = int(self._settings.get("offline_login_days"))

        def work() -> Any:
            from app.services.login import sign_in
            from app.sync.client import SyncClient

            def connect(device: str) -> SyncClient:
                return SyncClient(server, device_id=device, **options)

            return sign_in(data_dir, user, password, connect if server else None,
                           previous_password=previous, offline_days=days)

        def done(result: object) -> None:
            if server:
                self._settings.set("server_url", server)
                self._settings.save()
            self.buttons.setEnabled(True)
            self._say("")
            self.signed_in.emit(result)
            self.accept()

        def failed(error: BaseException) -> None:
            from app.services.login import PreviousPasswordNeededError

            self.buttons.setEnabled(True)
            if isinstance(error, PreviousPasswordNeededError):
                self.form.setRowVisible(self.previous, True)
                self.previous.setFocus()
            self._say(error_text(error))

        run_in_background(self, self._pool, work, done, failed, expected=(Exception,))

    def done(self, result: int) -> None:
        self._pool.waitForDone()
        super().done(result)
