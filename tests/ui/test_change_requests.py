"""Change requests on real widgets (docs/change-requests.md): the rep's "Request a change…"
dialog on the account (a bad postcode explained beside its field and nothing saved; a good
request saved, queued and shown pending, then withdrawn; the steward's reason shown), in
English and German; and the data steward's list against a real server on 127.0.0.1, which
accepts and rejects with a reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from PySide6.QtCore import Qt

from app.services import change_requests
from app.store.change_requests import ChangeRequest
from app.store.database import Database
from app.store.reference import User
from app.ui.main_window import MainWindow
from app.ui.operations import Operations
from app.ui.views.account.change_requests import ChangeRequestDialog
from app.ui.views.change_requests import ChangeRequestsView
from app.ui.views.refusals import reason_words
from server.models import Account as ServerAccount
from server.models import ChangeRequest as ServerChangeRequest
from tests.sync.test_change_requests import Server, server  # noqa: F401 - the fixture
from tests.sync.test_escalation_round_trip import laptop, sync
from tests.ui.conftest import Territory, wait_for_account
from tests.ui.test_escalations import role_window  # noqa: F401 - the fixture

pytestmark = pytest.mark.gui


def requests_in(db: Database) -> list[ChangeRequest]:
    with db.read() as session:
        return list(session.scalars(select(ChangeRequest)))


def open_dialog(qtbot, window: MainWindow) -> ChangeRequestDialog:
    card = window.account.change_requests
    assert card.request.isVisible()  # the rep is offered it
    qtbot.mouseClick(card.request, Qt.MouseButton.LeftButton)
    dialog = card.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.save_button.isEnabled)
    return dialog


def test_the_rep_requests_a_change_and_withdraws_it(qtbot, window: MainWindow, ui_db: Database,
                                                    territory: Territory,
                                                    language: str) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    dialog = open_dialog(qtbot, window)
    # The master-data fields with the laptop's values.
    assert dialog.edits["last_name"].text() == "Müller"
    assert dialog.edits["city"].text()
    dialog.edits["postcode"].setText("8033")
    dialog.edits["last_name"].setText("Müller-Brandt")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.errors["postcode"].isVisible)
    words = "fünf Ziffern" if language == "de" else "five digits"
    assert words in dialog.errors["postcode"].text()
    assert requests_in(ui_db) == []  # nothing saved

    dialog.edits["postcode"].setText(dialog.form_data.current["postcode"] or "")  # type: ignore[union-attr]
    dialog.comment.setPlainText("Hat geheiratet.")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [request] = requests_in(ui_db)
    assert request.status == "pending" and request.account_id == territory.doctor_id
    assert json.loads(request.changes) == {"last_name": {"old": "Müller",
                                                         "new": "Müller-Brandt"}}
    with ui_db.read() as session:  # queued for the next sync
        queued = session.execute(text("SELECT count(*) FROM outbox WHERE entity = "
                                      "'change_requests'")).scalar()
    assert queued == 1

    card = window.account.change_requests
    qtbot.waitUntil(lambda: card.list.topLevelItemCount() == 1)
    row = card.list.topLevelItem(0)
    assert row is not None
    assert row.text(1) == ("Offen" if language == "de" else "Pending")
    assert "Müller-Brandt" in row.text(2)
    assert card.withdraw_button.isVisible()
    qtbot.mouseClick(card.withdraw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: requests_in(ui_db)[0].status == "withdrawn")
    qtbot.waitUntil(lambda: card.list.topLevelItem(0) is not None and card.list.topLevelItem(
        0).text(1) == ("Vom Außendienst zurückgezogen" if language == "de"
                          else "Withdrawn by the rep"))
    assert not card.withdraw_button.isVisible()


def test_the_stewards_reason_is_shown_on_the_account(qtbot, window: MainWindow,
                                                     ui_db: Database,
                                                     territory: Territory) -> None:
    with ui_db.write() as session:
        request_id = change_requests.propose_change(session, territory.rep_id,
                                                    territory.doctor_id, {"phone": "089 1"})
        row = session.get(ChangeRequest, request_id)
        assert row is not None
        row.status, row.reason = "rejected", "Die Nummer gehört zur Klinik"
    wait_for_account(qtbot, window, territory.doctor_id)
    card = window.account.change_requests
    qtbot.waitUntil(lambda: card.list.topLevelItemCount() == 1)
    assert "Die Nummer gehört zur Klinik" in card.detail.text()
    assert not card.withdraw_button.isVisible()


@pytest.mark.parametrize("role_window", ["manager", "msl"], indirect=True)
def test_a_manager_or_msl_is_not_offered_a_change_request(
        qtbot, role_window, territory: Territory) -> None:  # noqa: F811 - the fixture
    window, _user = role_window
    wait_for_account(qtbot, window, territory.doctor_id)
    assert not window.account.change_requests.request.isVisible()


@pytest.fixture
def steward_view(qtbot, server: Server, tmp_path: Path  # noqa: F811 - the fixture
                 ) -> Iterator[tuple[ChangeRequestsView, str, str]]:
    rep, anna = laptop(tmp_path / "rep.sqlite", server.base, "anna")
    sync(rep, server.base)
    with rep.write() as session:
        first = change_requests.propose_change(session, anna, server.account,
                                               {"first_name": "Jörg"})
        second = change_requests.propose_change(session, anna, server.account,
                                                {"phone": "089 777"}, "Neue Nummer")
    sync(rep, server.base)
    desk, _stella = laptop(tmp_path / "steward.sqlite", server.base, "stella")
    ops = Operations(desk)
    view = ChangeRequestsView(ops)
    view.server = lambda: (server.base, {})
    qtbot.addWidget(view)
    view.show()
    yield view, first, second
    ops.wait()
    ops.deleteLater()
    desk.close()
    rep.close()


def test_the_steward_accepts_and_rejects_with_a_reason(
        qtbot, steward_view: tuple[ChangeRequestsView, str, str],
        server: Server) -> None:  # noqa: F811 - the fixture
    view, first, second = steward_view
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert view.list.topLevelItemCount() == 2
    row = view.list.topLevelItem(0)
    assert row is not None and row.text(1) == "Dr. Jürgen Müller" and row.text(3) == "anna"
    field = view.fields.topLevelItem(0)
    assert field is not None
    assert [field.text(i) for i in range(4)] == ["First name", "Jürgen", "Jörg", "Jürgen"]

    with qtbot.waitSignal(view.decided, timeout=10_000) as decided:
        qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    assert decided.args == [first]
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=10_000)
    assert "Neue Nummer" in view.comment.text()
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)  # no reason yet
    qtbot.waitUntil(view.message.isVisible, timeout=10_000)
    assert "reason" in view.message.text()
    view.reason.setText("Nummer gehört zur Klinik")
    with qtbot.waitSignal(view.decided, timeout=10_000):
        qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.empty.isVisible, timeout=10_000)
    with server.db.reading() as s:
        account = s.get(ServerAccount, server.account)
        assert account is not None and account.first_name == "Jörg"
        rejected = s.get(ServerChangeRequest, second)
        assert rejected is not None and rejected.reason == "Nummer gehört zur Klinik"


def test_a_refused_request_says_the_servers_words(language: str) -> None:
    """A request the server refused (an older laptop let a bad value through) reads, in the
    refused-changes list, with the server's sentence and what to do."""
    what, todo = reason_words("change request refused: postcode must be five digits "
                              "(German postcode), not 8033X")
    assert "8033X" in what
    assert ("Änderungsantrag" if language == "de" else "change request") in what
    assert ("erneut" if language == "de" else "request the change again") in todo


def test_the_rep_requests_a_new_doctor(qtbot, window: MainWindow, ui_db: Database,
                                       territory: Territory) -> None:
    roles = window.roles
    assert roles is not None
    roles.request_new_doctor()
    dialog = roles.new_doctor_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert all(edit.text() == "" for edit in dialog.edits.values())
    dialog.edits["last_name"].setText("Neumann")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.errors["city"].isVisible)  # a new doctor needs a city
    assert requests_in(ui_db) == []
    dialog.edits["city"].setText("München")
    dialog.edits["postcode"].setText("80335")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [request] = requests_in(ui_db)
    assert (request.kind, request.account_id, request.status) == ("new_account", None,
                                                                  "pending")
    with ui_db.read() as session:
        rep = session.get(User, territory.rep_id)
        assert rep is not None and request.territory_id == rep.territory_id
    assert json.loads(request.changes)["last_name"] == {"old": None, "new": "Neumann"}
