"""'Not signed in' offers the way to sign in: a click on "Sign in…" in the status bar asks
for the server and password (one had to know F5)."""

from __future__ import annotations

from sqlalchemy import delete

from PySide6.QtCore import Qt

from app.store.database import Database
from app.store.journal import LocalState
from app.ui.login_dialog import LoginDialog
from app.ui.main_window import MainWindow


def test_not_signed_in_offers_the_sign_in(qtbot, window: MainWindow, ui_db: Database) -> None:
    assert not window.status.sign_in.isVisible(), "a signed-in user is offered none"
    with ui_db.write() as session:
        session.execute(delete(LocalState).where(LocalState.key == "current_user_id"))
    with qtbot.waitSignal(window.status.user_loaded):
        window.status.refresh()
    assert window.status.user.text.text() == "Not signed in"
    qtbot.waitUntil(window.status.sign_in.isVisible)
    qtbot.mouseClick(window.status.sign_in, Qt.MouseButton.LeftButton)
    dialog = window.findChild(LoginDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.reject()
