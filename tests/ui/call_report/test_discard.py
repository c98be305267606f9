"""Discarding a draft from the call report: asked first, Cancel keeps it, Discard throws it
away (tombstones) and closes the report; a submitted call offers no such button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services import calls
from app.services.calls import CallForm
from app.store.base import utcnow
from app.store.database import Database
from app.store.interactions import Interaction
from app.ui.operations import Operations
from tests.factories import World
from tests.ui.call_report.test_view import TIMEOUT, open_view, operations_over

pytestmark = pytest.mark.gui


@pytest.fixture
def ops(qtbot, db: Database) -> Iterator[Operations]:
    with operations_over(qtbot, db) as operations:
        yield operations


def a_draft(db: Database, world: World) -> str:
    with db.write() as session:
        return calls.save_draft(session, world.rep.id, CallForm(
            account_id=world.doctor.id, start_at=utcnow(), notes="wrong doctor"))


def answer(qtbot, view, choice: str) -> None:
    qtbot.mouseClick(view.discard_button, Qt.MouseButton.LeftButton)
    box = view.discard_box
    assert box is not None and box.isVisible()
    if choice == "cancel":
        box.button(QMessageBox.StandardButton.Cancel).click()
    else:
        [confirm] = [b for b in box.buttons()
                     if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole]
        confirm.click()


def test_cancel_keeps_the_draft_and_discard_throws_it_away(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    call_id = a_draft(db, world)
    view = open_view(qtbot, ops, world, call_id=call_id)
    assert view.discard_button.isVisible()
    answer(qtbot, view, "cancel")
    qtbot.wait(100)
    with db.read() as session:
        assert not session.get(Interaction, call_id).deleted  # type: ignore[union-attr]
    assert view.isVisible()
    with qtbot.waitSignal(view.closed, timeout=TIMEOUT):
        answer(qtbot, view, "discard")
    with db.read() as session:
        assert session.get(Interaction, call_id).deleted  # type: ignore[union-attr]


def test_a_submitted_call_offers_no_discard(qtbot, db: Database, ops: Operations,
                                           world: World) -> None:
    call_id = a_draft(db, world)
    with db.write() as session:
        calls.submit_call(session, world.rep.id, call_id)
    view = open_view(qtbot, ops, world, call_id=call_id)
    assert view.read_only and not view.discard_button.isVisible()
