"""The Today list of suggestions and the next steps after a call, driven with qtbot over a
demo territory (real widgets, real database, real engine)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from PySide6.QtCore import QDateTime, Qt

from app.demo.territory import DemoSummary, generate
from app.engine import ControlReport, Kpi
from app.services.calls import plan_call
from app.services.suggestions import Item, Recommender
from app.services.visit_slots import to_local, to_utc
from app.store.accounts import ChannelConsent
from app.store.database import Database
from app.store.interactions import DiscussedKeyMessage, Interaction
from app.store.queries import current_user
from app.store.reference import KeyMessage
from app.store.suggestions import Suggestion as SuggestionRow
from app.ui.operations import Operations
from app.ui.views.home import HomeView
from app.ui.views.suggestion_accept import AcceptVisitDialog
from app.ui.views.suggestions import ControlReportDialog, NextStepsDialog, SuggestionPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def demo(db: Database) -> DemoSummary:
    return generate(db, accounts=200, seed=5, years=1, today=dt.date.today())


@pytest.fixture
def ops(qtbot: Any, db: Database) -> Iterator[Operations]:
    operations = Operations(db)
    yield operations
    operations.wait()
    while operations.pending:
        qtbot.wait(1)
        operations.wait()
    operations.deleteLater()


@pytest.fixture
def home(qtbot: Any, ops: Operations, demo: DemoSummary) -> HomeView:
    view = HomeView(ops, Recommender())
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    with qtbot.waitSignal(view.suggestions_loaded, timeout=60_000):
        view.refresh()
    return view


def test_today_lists_doctors_with_their_reasons(home: HomeView) -> None:
    rows = home.suggested.list
    assert rows.topLevelItemCount() > 0
    first = rows.topLevelItem(0)
    assert first is not None and first.text(0) and first.text(1)
    assert first.text(4)  # the reasons, in words


def accept(qtbot: Any, panel: SuggestionPanel) -> None:
    """Accept the selected suggestion; a visit asks when, and Enter takes the proposal."""
    before = panel.slot_dialog
    with qtbot.waitSignal(panel.answered, timeout=10_000):
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.slot_dialog is not before or not panel.isEnabled()
                        or panel.message.text() != "", timeout=10_000)
        if panel.slot_dialog is not before and panel.slot_dialog is not None:
            qtbot.keyClick(panel.slot_dialog, Qt.Key.Key_Return)


def select_visit(panel: SuggestionPanel, db: Database, *, planned: bool) -> Item:
    """Select a visit suggestion whose doctor has (or has not) an open call already."""
    with db.read() as session:
        open_for = set(session.scalars(select(Interaction.account_id).where(
            Interaction.status.in_(("planned", "draft")), Interaction.deleted.is_(False))))
    for row in range(panel.list.topLevelItemCount()):
        item = panel._items[row]
        if item.action in ("call", "remote_call") and item.owner_role == "rep" \
                and (item.account_id in open_for) == planned:
            panel.list.setCurrentItem(panel.list.topLevelItem(row))
            return item
    raise AssertionError("the demo territory has no such suggestion")


def open_calls(db: Database) -> list[tuple[dt.datetime, int | None]]:
    with db.read() as session:
        return [(to_local(start), minutes) for start, minutes in session.execute(
            select(Interaction.start_at, Interaction.duration_min).where(
                Interaction.status.in_(("planned", "draft")),
                Interaction.deleted.is_(False)))]


def test_accept_proposes_a_free_slot_the_rep_changes_in_one_step(
        qtbot: Any, home: HomeView, db: Database) -> None:
    panel = home.suggested
    item = select_visit(panel, db, planned=False)
    busy = open_calls(db)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.slot_dialog is not None and panel.slot_dialog.isVisible(),
                    timeout=10_000)
    dialog = panel.slot_dialog
    assert isinstance(dialog, AcceptVisitDialog)
    proposed = dialog.start()
    assert proposed >= dt.datetime.now().replace(second=0, microsecond=0)
    assert proposed.weekday() < 5 and dt.time(8) <= proposed.time() <= dt.time(17, 30)
    assert proposed.date() >= item.due
    assert all(not (start <= proposed < start + dt.timedelta(minutes=minutes or 30))
               for start, minutes in busy)
    chosen = (proposed + dt.timedelta(days=1)).replace(hour=14, minute=30)
    dialog.when.setFocus()
    dialog.when.setDateTime(QDateTime(chosen))
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    with qtbot.waitSignal(panel.answered, timeout=10_000):
        qtbot.keyClick(dialog.when, Qt.Key.Key_Return)
    with db.read() as session:
        row = session.get(SuggestionRow, item.id)
        assert row is not None and row.status == "accepted" and row.result_id
        call = session.get(Interaction, row.result_id)
        assert call is not None and call.status == "planned"
        assert (to_local(call.start_at), call.channel) == (chosen, "phone")


def test_accept_joins_the_visit_already_planned_and_the_plan_refreshes(
        qtbot: Any, home: HomeView, db: Database) -> None:
    panel = home.suggested
    first = next(panel._items[row] for row in range(panel.list.topLevelItemCount())
                 if panel._items[row].action in ("call", "remote_call")
                 and panel._items[row].owner_role == "rep")
    with db.write() as session:  # the rep has planned a visit to this doctor already
        user = current_user(session.connection())
        assert user is not None
        plan_call(session, user.id, first.account_id, to_utc(dt.datetime.combine(
            dt.date.today() + dt.timedelta(days=1), dt.time(10, 0))))
    item = select_visit(panel, db, planned=True)
    with db.read() as session:
        before = session.scalar(select(func.count()).select_from(Interaction))
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.slot_dialog is not None and panel.slot_dialog.isVisible(),
                    timeout=10_000)
    assert "already has a call planned" in panel.slot_dialog.note.text()
    with qtbot.waitSignal(home.loaded, timeout=10_000):  # Today's lists read again
        qtbot.keyClick(panel.slot_dialog, Qt.Key.Key_Return)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == before
        row = session.get(SuggestionRow, item.id)
        assert row is not None and row.status == "accepted"
        joined = session.get(Interaction, row.result_id)
        assert joined is not None and joined.account_id == item.account_id


def test_dismiss_needs_a_reason(qtbot: Any, home: HomeView, db: Database) -> None:
    panel = home.suggested
    suggestion_id = panel.list.current_id()
    assert not panel.dismiss_button.isEnabled()
    qtbot.keyClicks(panel.reason, "Im Urlaub bis Monatsende")
    assert panel.dismiss_button.isEnabled()
    with qtbot.waitSignal(panel.answered):
        qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert panel.reason.text() == ""
    with db.read() as session:
        row = session.get(SuggestionRow, suggestion_id)
        assert row is not None
        assert (row.status, row.status_reason) == ("dismissed", "Im Urlaub bis Monatsende")


def test_after_a_submitted_seminar_next_steps_appear(qtbot: Any, home: HomeView,
                                                     ops: Operations, db: Database,
                                                     demo: DemoSummary) -> None:
    engine = home.recommender.engine
    assert engine is not None
    account_id = next(a.account_id for a in engine.features.accounts
                      if engine.persona_of(a.account_id).name == "evidence_driven"
                      and not engine.in_control(a.account_id)
                      and not engine.open.get(a.account_id)
                      and engine.features.contacts_in_window(
                          engine.features.row(a.account_id) or 0, dt.date.today()) == 0)
    with db.write() as session:
        call = Interaction(account_id=account_id, owner_id=demo.rep_id, channel="event",
                           status="submitted",
                           start_at=dt.datetime.now() - dt.timedelta(hours=3),
                           duration_min=90, submitted_at=dt.datetime.now())
        session.add(call)
        session.flush()
        call_id = call.id
    dialog = NextStepsDialog(ops, home.recommender, call_id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.panel.loaded, timeout=20_000) as loaded:
        pass
    assert loaded.args and loaded.args[0] > 0
    assert dialog.panel.list.topLevelItem(0).text(4)
    accept(qtbot, dialog.panel)
    with db.read() as session:
        statuses = set(session.scalars(select(SuggestionRow.status).where(
            SuggestionRow.after_call_id == call_id)))
    assert "accepted" in statuses


def test_the_control_report_is_shown(qtbot: Any, home: HomeView, ops: Operations) -> None:
    dialog = ControlReportDialog(ops, home.recommender)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 3, timeout=20_000)
    assert "%" in dialog.table.topLevelItem(0).text(1)


def test_the_control_report_says_plainly_what_is_not_yet_significant(
        qtbot: Any, home: HomeView, ops: Operations) -> None:
    dialog = ControlReportDialog(ops, home.recommender)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 3, timeout=20_000)
    unsure = Kpi("response", 0.31, 0.28, 400, 40, 0.03, -0.05, 0.11)
    clear = Kpi("reach", 0.9, 0.6, 400, 40, 0.3, 0.15, 0.45)
    dialog._show(ControlReport(360, 40, (clear, unsure)))
    texts = [dialog.table.topLevelItem(i).text(3) for i in range(2)]
    assert "not yet significant" not in texts[0]
    assert texts[1].endswith("not yet significant") and "+3" in texts[1]
    assert "No difference is significant yet" not in dialog.summary.text()
    dialog._show(ControlReport(360, 40, (unsure,)))
    assert "No difference is significant yet" in dialog.summary.text()


def test_the_account_shows_its_persona_with_evidence(qtbot: Any, home: HomeView,
                                                     ops: Operations) -> None:
    from app.ui.views.account.view import AccountView

    engine = home.recommender.engine
    assert engine is not None
    account_id = next(a.account_id for a in engine.features.accounts
                      if engine.persona_of(a.account_id).name is not None)
    view = AccountView(ops, "en")
    view.recommender = home.recommender
    qtbot.addWidget(view)
    view.show()
    view.show_account(account_id)
    qtbot.waitUntil(view.persona.isVisible, timeout=20_000)  # once the engine is trained
    said = view.persona.persona.text()
    # In a rep's words: what the doctor is like and how settled that is, no model jargon.
    assert said.startswith(("Looks for study data", "Wants short, practical", "Likes digital"))
    assert "persona" not in said and "%" not in said
    assert view.persona.evidence.text().startswith("•")


@pytest.mark.parametrize("confidence", [0.0, 0.59, 0.6, 0.84, 0.85, 0.99, 1.0])
def test_a_persona_is_said_in_a_reps_words_and_never_as_certain(confidence: float) -> None:
    from app.ui.views.suggestions import persona_in_words

    for persona in ("evidence_driven", "pragmatic", "digital_affine"):
        said = persona_in_words(persona, confidence)
        assert "persona" not in said and "%" not in said and "100" not in said


def test_reasons_never_promise_certainty_or_speak_jargon() -> None:
    from app.engine import Reason
    from app.ui.views.suggestions import reason_text

    sure = reason_text(Reason("Prefers {channel} ({percent} % expected)",
                              {"channel": "in_person", "percent": 100}))
    assert "99 %" in sure and "100" not in sure
    persona = reason_text(Reason("Behaves like the {persona} persona",
                                 {"persona": "evidence_driven"}))
    assert persona == "Looks for study data and evidence"


def submitted_call(db: Database, demo: DemoSummary, account_id: str,
                   topic: str | None = None) -> str:
    with db.write() as session:
        call = Interaction(account_id=account_id, owner_id=demo.rep_id, channel="in_person",
                           status="submitted",
                           start_at=dt.datetime.now() - dt.timedelta(hours=1),
                           duration_min=20, submitted_at=dt.datetime.now(),
                           follow_up="Bring the full study")
        session.add(call)
        session.flush()
        if topic is not None:
            message = session.scalars(select(KeyMessage).where(KeyMessage.topic == topic)
                                      ).first()
            assert message is not None
            session.add(DiscussedKeyMessage(interaction_id=call.id,
                                            key_message_id=message.id, reaction="positive"))
        return call.id


def next_steps(qtbot: Any, ops: Operations, home: HomeView, call_id: str) -> NextStepsDialog:
    dialog = NextStepsDialog(ops, home.recommender, call_id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.explained, timeout=20_000):
        pass
    assert dialog.panel.list.topLevelItemCount() == 0
    return dialog


def test_no_next_steps_says_why(qtbot: Any, home: HomeView, ops: Operations, db: Database,
                                demo: DemoSummary) -> None:
    """Interest in a study and a follow-up, from a doctor without e-mail consent: the
    study rule is named with what does not fit; a held-out doctor is said to be one."""
    engine = home.recommender.engine
    assert engine is not None
    with db.read() as session:
        emailable = set(session.scalars(select(ChannelConsent.account_id).where(
            ChannelConsent.channel == "email", ChannelConsent.consent == "granted")))
    treated = next(a.account_id for a in engine.features.accounts
                   if a.kind == "hcp" and not engine.in_control(a.account_id)
                   and a.account_id not in emailable)
    dialog = next_steps(qtbot, ops, home, submitted_call(db, demo, treated, "study"))
    assert "send the publication" in dialog.status.text()
    assert "consent" in dialog.status.text()
    held_out = next(a.account_id for a in engine.features.accounts
                    if a.kind == "hcp" and engine.in_control(a.account_id))
    dialog = next_steps(qtbot, ops, home, submitted_call(db, demo, held_out))
    assert "control group" in dialog.status.text()
