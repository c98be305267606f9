"""The account screen: profile, consent through the dialog, affiliations, the timeline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from PySide6.QtCore import Qt

from app.store.accounts import ChannelConsent
from app.ui.main_window import MainWindow
from app.ui.views.account.consent_dialog import ConsentDialog
from app.ui.views.account.view import ID_ROLE
from tests.ui.conftest import Territory, wait_for_account


def form_values(window: MainWindow) -> dict[str, str]:
    form = window.account.profile.form
    return {form.itemAt(row, form.ItemRole.LabelRole).widget().text():
            form.itemAt(row, form.ItemRole.FieldRole).widget().text()
            for row in range(form.rowCount())}


def test_profile_header_and_affiliations(qtbot, window: MainWindow,
                                         territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    view = window.account

    assert view.name.text() == "Dr. med. Jürgen Müller"
    assert view.subtitle.text() == "Healthcare professional · Cardiology · Segment A"
    values = form_values(window)
    assert values["Address"] == "Hauptstraße 1\n80331 München"
    assert values["LANR"] == "123456701"
    email_row = view.channels.table.findItems("E-mail", Qt.MatchFlag.MatchExactly)[0].row()
    assert view.channels.table.item(email_row, 1).text() == "Granted"

    hospital = view.affiliations.list.item(0)
    assert hospital.text() == "Klinikum München Nord · Oberarzt · München"
    with qtbot.waitSignal(view.history_shown):
        view.affiliations.list.itemActivated.emit(hospital)
    assert view.name.text() == "Klinikum München Nord"
    assert view.affiliations.list.item(0).data(ID_ROLE) == territory.doctor_id


def test_timeline_shows_the_whole_history_newest_first(qtbot, window: MainWindow,
                                                       territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    timeline = window.account.timeline

    rows = [timeline.topLevelItem(i) for i in range(timeline.topLevelItemCount())]
    assert [r.text(2) for r in rows] == ["Draft", "Submitted", "Submitted", "Submitted"]
    assert rows[0].data(0, ID_ROLE) == territory.draft_id
    assert rows[1].text(3) == "Cardiozan"
    assert rows[1].text(5) == "Samples and study update — Talked about samples and study update."
    assert rows[3].text(5).startswith("First visit")
    assert window.account.history_title.text() == "History (4)"


def open_dialog(qtbot, window: MainWindow, territory: Territory) -> ConsentDialog:
    wait_for_account(qtbot, window, territory.doctor_id)
    dialog = window.account.edit_consent()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def row(dialog: ConsentDialog, channel: str):
    return next(r for r in dialog.rows if r.channel == channel)


def test_consent_edited_in_the_dialog_is_written(qtbot, window: MainWindow,
                                                 territory: Territory) -> None:
    dialog = open_dialog(qtbot, window, territory)
    phone = row(dialog, "phone")
    assert not phone.date.isEnabled()
    phone.consent.setCurrentIndex(phone.consent.findData("granted"))
    assert phone.date.isEnabled()
    phone.source.setText("verbal")
    phone.rank.setCurrentIndex(phone.rank.findData(1))

    with qtbot.waitSignal(window.account.history_shown):  # saved, then the account re-read
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    with window.ops.db.read() as session:
        stored = session.scalars(select(ChannelConsent).where(
            ChannelConsent.account_id == territory.doctor_id)).all()
    by_channel = {c.channel: c for c in stored}
    assert by_channel["phone"].consent == "granted"
    assert by_channel["phone"].consent_date == dt.date.today()
    assert by_channel["phone"].source == "verbal"
    assert (by_channel["phone"].preferred, by_channel["phone"].preference_rank) == (True, 1)
    assert by_channel["email"].consent == "granted"  # untouched
    table = window.account.channels.table
    phone_row = table.findItems("Phone call", Qt.MatchFlag.MatchExactly)[0].row()
    assert table.item(phone_row, 1).text().startswith("Granted on ")
    assert table.item(phone_row, 2).text() == "1"


def test_the_dialog_asks_for_e_detailing_tracking_consent(qtbot, window: MainWindow,
                                                          territory: Territory) -> None:
    """The clm_tracking consent decides whether a presentation's capture names the doctor
    (app/edetail/capture.py); it is asked like a channel's consent, without a rank."""
    from app.edetail.capture import tracking_consent

    dialog = open_dialog(qtbot, window, territory)
    tracking = dialog.tracking
    assert tracking.channel == "clm_tracking" and tracking.rank.isHidden()
    assert tracking.name.text() == "E-detailing tracking"
    tracking.consent.setCurrentIndex(tracking.consent.findData("withdrawn"))
    with qtbot.waitSignal(window.account.history_shown):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    with window.ops.db.read() as session:
        stored = session.scalars(select(ChannelConsent).where(
            ChannelConsent.account_id == territory.doctor_id,
            ChannelConsent.channel == "clm_tracking")).one()
        assert stored.consent == "withdrawn" and not stored.preferred
        assert not tracking_consent(session, territory.doctor_id)  # captures: anonymous


def test_the_same_rank_twice_is_refused_beside_the_ranks(qtbot, window: MainWindow,
                                                         territory: Territory) -> None:
    def stored() -> list[tuple[str, str, int | None, str]]:
        with window.ops.db.read() as session:
            return [(c.channel, c.consent, c.preference_rank, str(c.updated_at))
                    for c in session.scalars(select(ChannelConsent).where(
                        ChannelConsent.account_id == territory.doctor_id)
                        .order_by(ChannelConsent.channel))]

    dialog = open_dialog(qtbot, window, territory)
    before = stored()
    for channel in ("phone", "video"):
        rank = row(dialog, channel).rank
        rank.setCurrentIndex(rank.findData(2))

    dialog.save()

    assert dialog.isVisible()
    assert dialog.rank_error.isVisibleTo(dialog)
    assert dialog.rank_error.text() == "Give each rank to one channel only."
    # Nothing was written: once the window's own reads are done, the rows are as they were.
    qtbot.waitUntil(lambda: window.ops.pending == 0)
    assert stored() == before
    dialog.reject()


def test_service_errors_appear_next_to_their_channel(qtbot, window: MainWindow,
                                                     territory: Territory) -> None:
    dialog = open_dialog(qtbot, window, territory)
    dialog.show_errors({"email.consent_date": "The consent date cannot be in the future.",
                        "ranked_channels.0": "A channel is listed twice.",
                        "other": "Something else."})

    assert row(dialog, "email").error.text() == "The consent date cannot be in the future."
    assert row(dialog, "email").error.isVisibleTo(dialog)
    assert not row(dialog, "phone").error.isVisibleTo(dialog)
    assert dialog.rank_error.text() == "A channel is listed twice."
    assert dialog.general_error.text() == "Something else."
    dialog.reject()
