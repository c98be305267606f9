"""The escalation dialog from the keyboard, and the product it starts with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt

from app.services import calls
from app.services.calls import CallForm
from app.store.base import utcnow
from app.store.database import Database
from app.store.escalations import MedicalInquiry
from app.store.reference import Product
from app.ui.operations import Operations
from app.ui.views.escalation.dialog import EscalationDialog, error_text
from tests.factories import World
from tests.ui.call_report import test_view as test_call_report
from tests.ui.call_report.test_view import operations_over

pytestmark = pytest.mark.gui
lipidor = test_call_report.lipidor  # a second promotable product (a fixture)


@pytest.fixture
def ops(qtbot, db: Database) -> Iterator[Operations]:
    with operations_over(qtbot, db) as operations:
        yield operations


def open_dialog(qtbot, ops: Operations, world: World,
                call_id: str | None = None) -> EscalationDialog:
    dialog = EscalationDialog(ops, world.rep.id, world.doctor.id, call_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.product.count() > 2)  # "Choose…" and both products
    return dialog


def test_from_a_call_the_product_discussed_is_chosen(qtbot, db: Database, ops: Operations,
                                                     world: World, lipidor: Product) -> None:
    with db.write() as session:
        call_id = calls.save_draft(session, world.rep.id, CallForm(
            account_id=world.doctor.id, start_at=utcnow(),
            products=[lipidor.id, world.promoted.id]))
    dialog = open_dialog(qtbot, ops, world, call_id)
    assert dialog.product.currentData() == lipidor.id
    # From the account, with two products to choose from, the rep chooses.
    plain = open_dialog(qtbot, ops, world)
    assert plain.product.currentData() is None


def test_enter_escalates_and_in_the_question_starts_a_line(
        qtbot, db: Database, ops: Operations, world: World, lipidor: Product) -> None:
    dialog = open_dialog(qtbot, ops, world)
    dialog.question.setFocus()
    qtbot.keyClicks(dialog.question, "Dosis bei Niereninsuffizienz?")
    qtbot.keyClick(dialog.question, Qt.Key.Key_Return)
    assert dialog.question.toPlainText().endswith("\n")
    dialog.product.setCurrentIndex(1)
    dialog.consent.setChecked(True)
    dialog.urgency.setFocus()
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog.urgency, Qt.Key.Key_Return)
    with db.read() as session:
        [row] = session.scalars(select(MedicalInquiry)).all()
    assert row.question.startswith("Dosis bei Niereninsuffizienz?")


def test_ctrl_return_escalates_from_the_question(qtbot, db: Database, ops: Operations,
                                                 world: World, lipidor: Product) -> None:
    dialog = open_dialog(qtbot, ops, world)
    dialog.question.setFocus()
    qtbot.keyClicks(dialog.question, "Wechselwirkung mit Marcumar?")
    qtbot.keyClick(dialog.question, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Nothing chosen yet: the errors are shown, nothing saved, the text kept.
    qtbot.waitUntil(lambda: bool(error_text(dialog.errors["product_id"])))
    assert dialog.question.toPlainText() == "Wechselwirkung mit Marcumar?"
    with db.read() as session:
        assert session.scalars(select(MedicalInquiry)).all() == []
