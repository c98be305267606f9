"""The sign-in Fieldrep starts with: its words on failure, an unlocked store on success."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QWidget

from app.config import Settings
from app.ids import uuid7
from app.services.login import SignedIn
from app.ui.login_dialog import SignInDialog
from tests.sync.protocol_server import ProtocolServer

PASSWORD = "geheim-123"


@pytest.fixture
def peer() -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    server.start()
    server.add_user("rep", PASSWORD, uuid7())
    yield server
    server.stop()


def test_without_a_server_the_first_sign_in_says_it_needs_one(qtbot: QtBot, tmp_path: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    dialog = SignInDialog(tmp_path, Settings(tmp_path), window)
    dialog.user.setText("rep")
    dialog.password.setText(PASSWORD)
    with qtbot.assertNotEmitted(dialog.signed_in, wait=50):
        dialog.submit()
        qtbot.waitUntil(lambda: "needs a connection" in dialog.message.text())
    assert not any(p.suffix == ".sqlite" for p in tmp_path.rglob("*"))


def test_signing_in_opens_the_user_s_encrypted_store(qtbot: QtBot, tmp_path: Path,
                                                     peer: ProtocolServer) -> None:
    settings = Settings(tmp_path)
    window = QWidget()  # as the app parents it to its main window
    qtbot.addWidget(window)
    dialog = SignInDialog(tmp_path, settings, window)
    dialog.server.setText(peer.url)
    dialog.user.setText("rep")
    dialog.password.setText("wrong")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.message.text() == "The user name or password is wrong.")
    assert not dialog.form.isRowVisible(dialog.previous)

    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=20_000) as signal:
        dialog.submit()
    signed = signal.args[0]
    assert isinstance(signed, SignedIn)
    try:
        assert signed.result.online and signed.result.username == "rep"
        assert settings.get("server_url") == peer.url
    finally:
        signed.db.close()
    with contextlib.closing(sqlite3.connect(signed.store.database)) as conn, \
            pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM local_state").fetchone()
