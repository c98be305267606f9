"""The call report on real widgets: keyboard-only entry, errors at the field, autosave.

Every test drives the view through an Operations over the test's database, so saves and
submits really run on the worker threads and arrive back through the event loop.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

import shiboken6
from PySide6.QtCore import QDateTime, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.services import calls
from app.services.calls import CallForm, SampleLine
from app.store import queries
from app.store.base import CallStatus, utcnow
from app.store.database import Database, open_database
from app.store.interactions import Interaction
from app.store.reference import KeyMessage, Product, TerritoryProduct
from app.ui.operations import Operations
from app.ui.views.call_report.fields import ErrorLabel
from app.ui.views.call_report.view import CallReportView
from tests.factories import World

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[3]
OUR_MODULES = [
    "app/ui/views/call_report/view.py",
    "app/ui/views/call_report/drafts.py",
    "app/ui/views/call_report/fields.py",
    "app/ui/views/call_report/products.py",
    "app/ui/views/call_report/samples.py",
    "app/ui/views/call_report/sections.py",
    "app/ui/widgets/signature_pad.py",
]
TIMEOUT = 5000
SAVE_WAIT = 700  # longer than the autosave delay


#: The views opened over each Operations (by id), deleted with it.
_VIEWS: dict[int, list[CallReportView]] = {}


@contextlib.contextmanager
def operations_over(qtbot, db: Database) -> Iterator[Operations]:
    """Operations, and the views over them, closed and deleted on this (the GUI) thread.

    A parentless widget is owned by its Python wrapper, and PySide may drop the last
    reference to that wrapper on a worker thread (closures of finished connections are
    released during a later emit there): the widget would be destroyed on that thread,
    its timers left to fire on freed memory. So nothing is left for Python to free.
    """
    operations = Operations(db)
    try:
        yield operations
    finally:
        views = [v for v in _VIEWS.pop(id(operations), []) if shiboken6.isValid(v)]
        for view in views:
            view.close()  # a real close: pending edits are saved
        assert operations.wait()
        qtbot.waitUntil(lambda: operations.pending == 0)  # results delivered, too
        for view in views:
            shiboken6.delete(view)
        shiboken6.delete(operations)


@pytest.fixture
def ops(qtbot, db: Database) -> Iterator[Operations]:
    with operations_over(qtbot, db) as operations:
        yield operations


@pytest.fixture
def lipidor(db: Database, world: World) -> Product:
    """A second promotable product with a key message, to check the priority order."""
    with db.write() as session:
        session.info["from_server"] = True
        product = Product(name="Lipidor", therapeutic_area="Cardiology", yearly_sample_limit=6)
        session.add(product)
        session.flush()
        session.add_all([
            TerritoryProduct(territory_id=world.territory.id, product_id=product.id),
            KeyMessage(product_id=product.id, position=1, code="LP-1",
                       title="LDL target in 12 weeks", topic="efficacy"),
        ])
    return product


def new_view(ops: Operations, world: World, account_id: str | None = None,
             call_id: str | None = None) -> CallReportView:
    view = CallReportView(ops, world.rep.id, account_id or world.doctor.id, call_id)
    _VIEWS.setdefault(id(ops), []).append(view)
    return view


def open_view(qtbot, ops: Operations, world: World, account_id: str | None = None,
              call_id: str | None = None) -> CallReportView:
    view = new_view(ops, world, account_id, call_id)
    view.resize(1280, 720)
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.show()
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=TIMEOUT)
    return view


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    """Keys go wherever the focus is, as they would for the rep."""
    for _ in range(times):
        qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def sign(qtbot, view: CallReportView) -> None:
    canvas = view.samples.pad.canvas
    view.scroll_area.ensureWidgetVisible(canvas)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(30, 90))
    for step in range(1, 12):
        qtbot.mouseMove(canvas, QPoint(30 + step * 20, 90 - (step % 3) * 15))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(270, 80))


def stored_call(db: Database, call_id: str) -> tuple[CallForm, str]:
    with db.read() as session:
        return calls.load_form(session, call_id)


def draft(db: Database, world: World, form: CallForm) -> str:
    with db.write() as session:
        return calls.save_draft(session, world.rep.id, form)


def test_a_whole_call_from_the_keyboard(qtbot, db: Database, ops: Operations, world: World,
                                        lipidor: Product) -> None:
    view = open_view(qtbot, ops, world)
    assert focused() is view.details.channel
    press(qtbot, Qt.Key.Key_Tab, times=2)
    assert focused() is view.details.duration
    type_text(qtbot, "20")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.details.not_received  # left unticked: he received the rep
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Heart failure update")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Schwester Anna")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.products.picker
    type_text(qtbot, "Lip")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "Car")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Tab)  # the Add button is disabled: nothing left to add
    assert focused() is view.products.list
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # Cardiozan first
    press(qtbot, Qt.Key.Key_Tab)
    assert focused().accessibleName() == "Fewer events in HFrEF"
    type_text(qtbot, "Pos")
    press(qtbot, Qt.Key.Key_Tab, times=2)  # Lipidor's message stays "Not discussed"
    assert focused() is view.samples.add_button
    press(qtbot, Qt.Key.Key_Space)
    assert focused() is view.samples.rows[0].product
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "L2405A")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "3")
    press(qtbot, Qt.Key.Key_Tab, times=3)  # the row's remove button, "Add sample"
    assert focused() is view.samples.signer
    assert view.samples.signer.text() == world.doctor.name
    sign(qtbot, view)
    press(qtbot, Qt.Key.Key_Tab, times=2)  # the pad's Clear button
    assert focused() is view.notes.notes
    type_text(qtbot, "Interested in the elderly subgroup.")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Bring the study")

    with qtbot.waitSignal(view.submitted, timeout=TIMEOUT) as blocker:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    call_id = blocker.args[0]
    form, status = stored_call(db, call_id)
    assert status == CallStatus.SUBMITTED
    assert form.products == [world.promoted.id, lipidor.id]
    assert form.key_messages == {world.key_message.id: "positive"}
    assert form.samples == [SampleLine(world.promoted.id, "L2405A", 3)]
    assert json.loads(form.signature or "[]")[0]
    assert form.signer_name == world.doctor.name
    assert (form.duration_min, form.subject) == (20, "Heart failure update")
    assert form.attendees == ["Schwester Anna"]
    assert (form.notes, form.follow_up) == ("Interested in the elderly subgroup.",
                                            "Bring the study")
    assert view.read_only
    assert view.locked_banner.isVisible()
    assert view.notes.notes.isReadOnly()
    assert not view.submit_button.isVisible()


def fill_sample(view: CallReportView, quantity: int) -> None:
    view.products.picker.setEditText("Cardiozan")
    view.products.add_current()
    view.samples.add_row()
    row = view.samples.rows[0]
    row.lot.setText("L1")
    row.quantity.setValue(quantity)


def submit_and_wait_for_errors(qtbot, view: CallReportView) -> None:
    view.submit()
    qtbot.waitUntil(view.summary.isVisible, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: view.status.text() == "Not submitted", timeout=TIMEOUT)


def test_a_sample_without_signature_is_refused_at_the_signature(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    fill_sample(view, 2)
    submit_and_wait_for_errors(qtbot, view)
    assert view.samples.signature_error.isVisible()
    assert "signature" in view.samples.signature_error.text()
    assert "signature" in view.summary.text()
    assert focused() is view.samples.pad.canvas
    assert view.call_id is not None
    assert stored_call(db, view.call_id)[1] == CallStatus.DRAFT
    assert not view.read_only

    sign(qtbot, view)  # fixing it and submitting again works
    with qtbot.waitSignal(view.submitted, timeout=TIMEOUT):
        view.submit()
    assert not view.samples.signature_error.isVisible()


def test_an_over_limit_quantity_is_refused_under_the_quantity(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    fill_sample(view, 11)
    sign(qtbot, view)
    submit_and_wait_for_errors(qtbot, view)
    row = view.samples.rows[0]
    qtbot.waitUntil(row.error.isVisible, timeout=TIMEOUT)
    assert "yearly limit" in row.error.text()
    assert focused() is row.quantity
    assert not view.samples.signature_error.isVisible()
    assert stored_call(db, view.call_id or "")[1] == CallStatus.DRAFT


def test_e_mail_without_consent_is_refused_at_the_channel(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world, account_id=world.doctor_no_email.id)
    type_text(qtbot, "E-m")  # the focus starts on the channel
    assert view.details.channel.currentData() == "email"
    submit_and_wait_for_errors(qtbot, view)
    (message,) = [label.text() for label in view.details.findChildren(ErrorLabel)
                  if label.isVisible()]
    assert "consented to e-mail" in message
    assert focused() is view.details.channel
    assert stored_call(db, view.call_id or "")[1] == CallStatus.DRAFT


def test_a_sample_row_without_lot_is_caught_before_submitting(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    fill_sample(view, 1)
    view.samples.rows[0].lot.clear()
    with qtbot.assertNotEmitted(view.submitted, wait=200):
        view.submit()
    assert "lot number" in view.samples.rows[0].error.text()
    assert focused() is view.samples.rows[0].lot


def test_typing_survives_a_crash(qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    view.notes.notes.setFocus()
    with qtbot.waitSignal(view.saved, timeout=TIMEOUT) as blocker:
        type_text(qtbot, "Asked about renal dosing.")
    call_id = blocker.args[0]
    view.details.subject.setFocus()
    with qtbot.waitSignal(view.saved, timeout=TIMEOUT):
        type_text(qtbot, "Follow-up visit")

    gone: list[bool] = []
    view.destroyed.connect(lambda: gone.append(True))
    view.deleteLater()  # no close_report(), no save on closing: the process "dies" here
    qtbot.waitUntil(lambda: bool(gone), timeout=TIMEOUT)
    assert ops.wait()

    reopened_db = open_database(db.path)
    try:
        with operations_over(qtbot, reopened_db) as reopened_ops:
            view = open_view(qtbot, reopened_ops, world, call_id=call_id)
            assert view.notes.notes.toPlainText() == "Asked about renal dosing."
            assert view.details.subject.text() == "Follow-up visit"
            assert not view.read_only
            with reopened_db.read() as session:
                todo = queries.agenda(session.connection(),
                                      until=utcnow() + dt.timedelta(days=1),
                                      owner_id=world.rep.id)
            assert [(e.call_id, e.status) for e in todo] == [(call_id, CallStatus.DRAFT)]
            view.close()
    finally:
        reopened_db.close()


def test_a_draft_reopens_with_every_field_and_without_saving(
        qtbot, db: Database, ops: Operations, world: World, lipidor: Product) -> None:
    start = utcnow().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    call_id = draft(db, world, CallForm(
        account_id=world.doctor.id, channel="in_person", start_at=start, duration_min=30,
        subject="Lipids", notes="Line one\nLine two", follow_up="Send study",
        follow_up_date=dt.date(2031, 5, 4), products=[lipidor.id, world.promoted.id],
        key_messages={world.key_message.id: "negative"},
        samples=[SampleLine(world.promoted.id, "L7", 2)], attendees=["A", "B"],
        signature="[[[0.1,0.1],[0.2,0.2]]]", signer_name="Dr. Müller"))

    view = new_view(ops, world, call_id=call_id)
    with qtbot.assertNotEmitted(view.saved, wait=SAVE_WAIT), \
            qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        view.show()
    assert view.products.selected_ids() == [lipidor.id, world.promoted.id]
    assert view.details.duration.value() == 30
    assert view.details.attendees.text() == "A, B"
    assert view.notes.due.isChecked()
    assert view.notes.due_date.date().toString("yyyy-MM-dd") == "2031-05-04"
    assert view.samples.rows[0].lot.text() == "L7"
    assert not view.samples.pad.is_empty()
    form = CallForm(account_id=world.doctor.id)
    view.key_messages.collect(form)
    assert form.key_messages == {world.key_message.id: "negative"}
    view.details.collect(form)
    assert form.start_at == start.replace(tzinfo=dt.UTC)
    assert view.status.text() == "Draft"


def test_a_submitted_call_is_read_only_and_never_saved(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    call_id = draft(db, world, CallForm(account_id=world.doctor.id, start_at=utcnow(),
                                        products=[world.promoted.id], notes="Final"))
    with db.write() as session:
        calls.submit_call(session, world.rep.id, call_id)

    view = open_view(qtbot, ops, world, call_id=call_id)
    assert view.read_only
    assert view.locked_banner.isVisible()
    assert view.locked_banner.text().startswith("Submitted and locked on")
    assert not view.submit_button.isVisible()
    with qtbot.assertNotEmitted(view.saved, wait=SAVE_WAIT), \
            qtbot.assertNotEmitted(view.submitted):
        qtbot.keyClicks(view.notes.notes, " more")
        qtbot.keyClicks(view.details.subject, "x")
        view.samples.pad.canvas.setFocus()
        qtbot.keyClick(view.notes.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(view.notes.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert view.notes.notes.toPlainText() == "Final"
    assert ops.pending == 0
    with qtbot.waitSignal(view.closed, timeout=TIMEOUT):
        qtbot.keyClick(view.notes.notes, Qt.Key.Key_Escape)


def test_saves_never_overlap_so_one_call_is_created(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    view.details.subject.setFocus()
    ids: list[str] = []
    view.saved.connect(ids.append)
    type_text(qtbot, "a")
    view.save_now()  # the first save is in flight, the call id still unknown
    type_text(qtbot, "b")
    view.save_now()
    type_text(qtbot, "c")
    qtbot.waitUntil(lambda: len(ids) == 2, timeout=TIMEOUT)
    assert ids[0] == ids[1]
    with db.read() as session:
        count = session.scalar(select(func.count()).select_from(Interaction))
    assert count == 1
    assert stored_call(db, ids[0])[0].subject == "abc"


def test_leaving_the_report_saves_at_once(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    """Focus moving elsewhere in the window (another page, the sidebar) saves at once."""
    window = QWidget()
    elsewhere = QLineEdit(window)
    view = new_view(ops, world)
    view.setParent(window)
    layout = QVBoxLayout(window)
    layout.addWidget(elsewhere)
    layout.addWidget(view)
    window.resize(1280, 760)
    with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is view.details.channel, timeout=TIMEOUT)
    view.notes.notes.setFocus()
    type_text(qtbot, "Typed, then left")
    assert view.status.text() == ""  # waiting for the autosave delay
    with qtbot.waitSignal(view.saved, timeout=TIMEOUT):
        elsewhere.setFocus()
        assert view.status.text() == "Saving…"  # at once, not after the delay
    assert stored_call(db, view.call_id or "")[0].notes == "Typed, then left"
    shiboken6.delete(window)  # and the view in it


def test_escape_saves_pending_edits_then_closes(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    view.notes.notes.setFocus()
    type_text(qtbot, "Last words")
    with qtbot.waitSignal(view.closed, timeout=TIMEOUT):
        press(qtbot, Qt.Key.Key_Escape)
    assert view.call_id is not None
    assert stored_call(db, view.call_id)[0].notes == "Last words"


def test_closing_an_untouched_report_creates_no_call(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    with qtbot.waitSignal(view.closed, timeout=TIMEOUT):
        view.close_report()
    assert view.call_id is None
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 0


def _tr_strings(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr"
            and node.args and isinstance(node.args[0], ast.Constant)}


def test_every_string_has_a_german_translation() -> None:
    ts = ET.parse(ROOT / "resources/translations/de/call_report.ts").getroot()
    assert [c.findtext("name") for c in ts.iter("context")] == ["Fieldrep"]
    german = {m.findtext("source"): m.findtext("translation") for m in ts.iter("message")}
    wanted = set().union(*(_tr_strings(ROOT / module) for module in OUR_MODULES))
    assert wanted - german.keys() == set()
    for source in wanted:
        translation = german[source] or ""
        assert translation.strip(), source
        assert set(re.findall(r"{\w+}", translation)) == set(re.findall(r"{\w+}", source))
        assert source.count("&") == translation.count("&"), source


def test_the_error_banner_goes_once_the_time_is_fixed(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    """A visit planned for later cannot be submitted yet; moving its time to the past (the
    visit took place earlier) clears the banner at the save, not only at the next submit."""
    start = utcnow().replace(second=0, microsecond=0) + dt.timedelta(hours=3)
    with db.write() as session:
        call_id = calls.plan_call(session, world.rep.id, world.doctor.id, start)
    view = open_view(qtbot, ops, world, call_id=call_id)
    submit_and_wait_for_errors(qtbot, view)
    assert "taken place" in view.summary.text()
    earlier = QDateTime.currentDateTime().addSecs(-3600)
    view.details.when.setFocus()
    with qtbot.waitSignal(view.saved, timeout=TIMEOUT):
        view.details.when.setDateTime(earlier)
    qtbot.waitUntil(lambda: not view.summary.isVisible(), timeout=TIMEOUT)
    with qtbot.waitSignal(view.submitted, timeout=TIMEOUT):
        view.submit()
