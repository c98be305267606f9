"""The call report's "not received" box: a visit the doctor did not receive, recorded from
the keyboard in seconds, with nothing discussed, and locked once submitted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from PySide6.QtCore import Qt

from app.services.calls import CallForm
from app.store.base import CallStatus, utcnow
from app.store.database import Database
from app.ui.operations import Operations
from app.ui.views.call_report.view import CallReportView
from app.ui.views.conflicts import field_name
from tests.factories import World
from tests.services.test_calls_not_received import NOTHING_DISCUSSED
from tests.ui.call_report.test_view import (
    SAVE_WAIT,
    TIMEOUT,
    draft,
    fill_sample,
    focused,
    open_view,
    operations_over,
    press,
    stored_call,
    submit_and_wait_for_errors,
    type_text,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def ops(qtbot, db: Database) -> Iterator[Operations]:
    with operations_over(qtbot, db) as operations:
        yield operations


def resting(view: CallReportView) -> bool:
    """The sections of what was discussed and handed over rest, and the report says why."""
    sections = (view.products, view.key_messages, view.samples)
    disabled = not any(s.isEnabled() for s in sections)
    enabled = all(s.isEnabled() for s in sections)
    assert disabled or enabled, "the three sections rest together"
    assert view.not_received_reason.isVisible() == disabled
    return disabled


def test_a_visit_not_received_from_the_keyboard(qtbot, db: Database, ops: Operations,
                                                world: World) -> None:
    view = open_view(qtbot, ops, world)
    assert focused() is view.details.channel
    press(qtbot, Qt.Key.Key_Tab, times=3)
    assert focused() is view.details.not_received
    assert not resting(view)
    press(qtbot, Qt.Key.Key_Space)
    assert view.details.not_received.isChecked() and resting(view)
    assert view.not_received_reason.text() == (
        "Not received: no products, key messages or samples to record.")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.details.subject
    press(qtbot, Qt.Key.Key_Tab, times=2)  # attendees, then past the resting sections
    assert focused() is view.notes.notes
    type_text(qtbot, "Practice closed for the afternoon.")

    with qtbot.waitSignal(view.submitted, timeout=TIMEOUT) as blocker:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    form, status = stored_call(db, blocker.args[0])
    assert status == CallStatus.SUBMITTED and form.not_received is True
    assert (form.products, form.key_messages, form.samples) == ([], {}, [])
    assert form.notes == "Practice closed for the afternoon."
    assert view.read_only
    box = view.details.not_received
    assert box.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert box.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_alt_r_ticks_the_box(qtbot, db: Database, ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.details.not_received.isChecked, timeout=TIMEOUT)  # an animated click
    assert resting(view)
    assert focused() is view.details.not_received


def test_what_was_entered_rests_and_comes_back(qtbot, db: Database, ops: Operations,
                                               world: World) -> None:
    view = open_view(qtbot, ops, world)
    fill_sample(view, 2)
    with qtbot.waitSignal(view.saved, timeout=TIMEOUT):
        view.details.not_received.setChecked(True)
    call_id = view.call_id or ""
    qtbot.waitUntil(lambda: not view._drafts.dirty, timeout=TIMEOUT)
    qtbot.wait(SAVE_WAIT)
    form, _ = stored_call(db, call_id)
    assert form.not_received and (form.products, form.samples) == ([], [])
    # Unticked, the report holds the product and the sample as they were, and saves them.
    with qtbot.waitSignal(view.saved, timeout=TIMEOUT):
        view.details.not_received.setChecked(False)
    qtbot.waitUntil(lambda: stored_call(db, call_id)[0].products == [world.promoted.id],
                    timeout=TIMEOUT)
    form, _ = stored_call(db, call_id)
    assert not form.not_received and [s.lot for s in form.samples] == ["L1"]
    assert not resting(view)


def test_only_a_visit_in_person_shows_the_box(qtbot, db: Database, ops: Operations,
                                              world: World) -> None:
    view = open_view(qtbot, ops, world)
    box = view.details.not_received
    box.setChecked(True)
    type_text(qtbot, "Ph")  # the focus starts on the channel
    assert view.details.channel.currentData() == "phone"
    assert not box.isVisible() and not resting(view)
    with qtbot.waitSignal(view.saved, timeout=TIMEOUT):
        view.save_now()
    assert stored_call(db, view.call_id or "")[0].not_received is False
    view.details.channel.setCurrentIndex(view.details.channel.findData("in_person"))
    assert box.isVisible() and box.isChecked() and resting(view)


def test_a_stored_draft_breaking_the_rule_is_refused_at_the_box(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    """A draft from elsewhere (another laptop's sync) with a product on a visit not received:
    the words show at the box, where the rep can act (untick it, and the product shows)."""
    start = utcnow().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    call_id = draft(db, world, CallForm(account_id=world.doctor.id, channel="in_person",
                                        start_at=start, not_received=True,
                                        products=[world.promoted.id]))
    view = open_view(qtbot, ops, world, call_id=call_id)
    assert view.details.not_received.isChecked() and resting(view)
    submit_and_wait_for_errors(qtbot, view)
    assert view.details.not_received_error.text() == NOTHING_DISCUSSED
    assert focused() is view.details.not_received
    assert stored_call(db, call_id)[1] == CallStatus.DRAFT


def test_a_submitted_visit_not_received_reopens_locked(qtbot, db: Database,
                                                       ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    view.details.not_received.setChecked(True)
    with qtbot.waitSignal(view.submitted, timeout=TIMEOUT) as blocker:
        view.submit()
    view.close()
    again = open_view(qtbot, ops, world, call_id=blocker.args[0])
    assert again.read_only and again.details.not_received.isChecked() and resting(again)


def test_samples_on_a_visit_not_received_never_reach_the_submission(
        qtbot, db: Database, ops: Operations, world: World) -> None:
    """A sample row without a lot would stop a submission; resting, it does not."""
    view = open_view(qtbot, ops, world)
    fill_sample(view, 1)
    view.samples.rows[0].lot.clear()
    with qtbot.assertNotEmitted(view.submitted, wait=200):
        view.submit()
    assert view.samples.rows[0].error.isVisible()
    view.details.not_received.setChecked(True)
    with qtbot.waitSignal(view.submitted, timeout=TIMEOUT) as blocker:
        view.submit()
    form, _ = stored_call(db, blocker.args[0])
    assert form.not_received and form.samples == [] and form.products == []


def test_a_conflict_on_the_outcome_names_it(language: str) -> None:
    """Two laptops of the rep disagreeing on it: the conflicts list says what, in words."""
    assert field_name("not_received") == {"en": "Not received",
                                          "de": "Nicht empfangen"}[language]
