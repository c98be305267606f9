"""Reassigning from the MSL's desk, against a real server on 127.0.0.1: the desk asks the
server, which hands the inquiry to the other MSL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from PySide6.QtCore import QCoreApplication, QEvent

from app.config import Paths, Settings
from app.services import escalations
from app.services.escalations import EscalationForm
from app.store.journal import LocalState
from app.ui.application import create_main_window
from server.db import Database as ServerDatabase
from server.models import MedicalInquiry as ServerInquiry
from tests.sync.test_escalation_round_trip import Server, cover_ben, laptop, server, sync

pytestmark = pytest.mark.gui
__all__ = ["server"]  # the fixture, shared with the round trip


def test_the_desk_reassigns_through_the_server(qtbot, server: Server, tmp_path: Path) -> None:
    rep, rep_id = laptop(tmp_path / "rep.sqlite", server.base, "joerg")
    sync(rep, server.base)
    with rep.write() as session:
        inquiry_id = escalations.escalate(session, rep_id, EscalationForm(
            account_id=server.account, product_id=server.product,
            question="Wechselwirkung mit Digoxin?", consent_to_contact=True))
    sync(rep, server.base)
    rep.close()
    cover_ben(tmp_path)
    msl, msl_id = laptop(tmp_path / "msl" / "fieldrep.sqlite", server.base, "marta")
    sync(msl, server.base)
    with msl.write() as session:  # the signed-in user, as the login of the window sets it
        session.merge(LocalState(key="current_user_id", value=msl_id))
    settings = Settings(tmp_path / "msl")
    settings.set("server_url", server.base)
    window = create_main_window(msl, settings, Paths(tmp_path / "msl"))
    try:
        window.show()
        qtbot.waitUntil(lambda: window.roles is not None and window.roles.desk is not None
                        and window.roles.desk.detail is not None, timeout=10_000)
        desk = window.roles.desk  # type: ignore[union-attr]
        assert desk is not None and desk.reassign.isEnabled()
        desk.reassign_selected()
        qtbot.waitUntil(lambda: desk.dialog is not None and desk.dialog.isVisible())
        dialog = desk.dialog
        assert dialog is not None
        ben = dialog.target.findData("ben")  # type: ignore[union-attr]
        assert ben >= 0
        dialog.target.setCurrentIndex(ben)  # type: ignore[union-attr]
        with qtbot.waitSignal(dialog.finished, timeout=10_000):
            dialog.buttons.accepted.emit()
        db = ServerDatabase(f"sqlite:///{tmp_path / 'server.sqlite3'}")
        try:
            with db.reading() as session:
                holder = session.scalar(select(ServerInquiry.assigned_to)
                                        .where(ServerInquiry.id == inquiry_id))
                assert holder is not None and holder != msl_id
        finally:
            db.dispose()
    finally:
        window.close()
        window.ops.wait()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        msl.close()
