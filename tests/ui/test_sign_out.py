"""Signing out and switching user without a restart: File > Sign out closes the person's
window and store as a quit does, and a new window asks who signs in; the next person works
in their own store (a real sync peer on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from shiboken6 import isValid

from app.config import Paths, Settings
from app.ids import uuid7
from app.ui.application import WindowSession, _Opener
from app.ui.login_dialog import SignInDialog
from app.ui.main_window import MainWindow
from tests.sync.protocol_server import ProtocolServer

PASSWORD = "geheim-123"
TIMEOUT = 30_000


@pytest.fixture
def peer() -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    server.start()
    server.add_user("rep", PASSWORD, uuid7())
    server.add_user("kollegin", PASSWORD, uuid7())
    yield server
    server.stop()


def sign_in(qtbot: QtBot, session: WindowSession, server: str, user: str) -> None:
    """Answer the sign-in the session's window asks for, by keyboard."""
    qtbot.waitUntil(lambda: session.opener.sign_in is not None
                    and session.opener.sign_in.isVisible(), timeout=TIMEOUT)
    dialog = session.opener.sign_in
    assert isinstance(dialog, SignInDialog)
    dialog.server.setText(server)
    dialog.user.setText(user)
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    window = session.window
    qtbot.waitUntil(lambda: session.opener.db is not None and hasattr(window, "ops"),
                    timeout=TIMEOUT)


def test_sign_out_asks_who_is_next_and_opens_their_own_store(
        qtbot: QtBot, tmp_path: Path, peer: ProtocolServer) -> None:
    settings = Settings(tmp_path)
    paths = Paths(tmp_path)
    first = MainWindow(settings, paths)
    session = WindowSession(first, _Opener(first, paths, settings, None, ()), paths,
                            settings, "en")
    assert not first.sign_out_action.isEnabled(), "nobody to sign out before a sign-in"
    first.resize(1024, 700)
    first.show()
    try:
        sign_in(qtbot, session, peer.url, "rep")
        assert first.sign_out_action.isEnabled()
        rep_db = session.opener.db
        assert rep_db is not None
        qtbot.waitUntil(lambda: first.ops.pending == 0 and not first.sync.running,
                        timeout=TIMEOUT)

        first.sign_out_action.trigger()

        def prompted() -> bool:
            return first.quit_prompt is not None and first.quit_prompt.isVisible()

        qtbot.waitUntil(lambda: session.window is not first or prompted(), timeout=TIMEOUT)
        if session.window is first:  # changes wait for the server: kept for later
            assert first.quit_prompt is not None
            first.quit_prompt.quit_button.click()
        qtbot.waitUntil(lambda: session.window is not first, timeout=TIMEOUT)
        assert session.window.isVisible()
        qtbot.waitUntil(lambda: not isValid(first), timeout=TIMEOUT)  # the old window goes
        assert session.opener.db is None

        sign_in(qtbot, session, peer.url, "kollegin")
        assert session.opener.db is not None and session.opener.db.path != rep_db.path
        assert session.window.sign_out_action.isEnabled()
    finally:
        window = session.window
        window.close()
        session.end()
        for each in (first, window):
            if isValid(each):
                each.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
