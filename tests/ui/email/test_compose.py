"""The compose dialog: approved, valid templates only; the exact text the doctor gets; a
paragraph only where the template has a slot, refused with a link in it; e-mail consent shown;
Send queues a submitted call of channel e-mail with its part in the outbox and the history."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from app.store.accounts import Account
from app.store.email import Email, EmailTemplate
from app.store.interactions import Interaction
from app.store.journal import OutboxMutation
from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account

BODY = ("{salutation}\n\nThe renal study is out: https://example.com/renal\n\n{paragraph}\n\n"
        "Kind regards\n")


def _templates(window: MainWindow, territory: Territory) -> str:
    with window.ops.db.write() as session:
        doctor = session.get(Account, territory.doctor_id)
        assert doctor is not None
        doctor.email, doctor.preferred_language = "mueller@praxis.test", "en"
        approved = EmailTemplate(code="renal", product_id=_product(session), topic="study",
                                 subject="Renal data", body=BODY, approval_state="approved",
                                 variants=json.dumps({"evidence_driven": BODY.replace(
                                     "is out", "is published with its full methods")}))
        session.add_all([approved, EmailTemplate(
            code="draft", product_id=_product(session), topic="study", subject="Draft one",
            body=BODY, approval_state="draft"), EmailTemplate(
            code="old", product_id=_product(session), topic="study", subject="Old one",
            body=BODY, approval_state="approved",
            valid_until=dt.date.today() - dt.timedelta(days=1))])
        session.flush()
        return approved.id


def _product(session) -> str:  # type: ignore[no-untyped-def]
    from app.store.reference import Product

    found = session.scalar(select(Product.id).where(Product.name == "Cardiozan"))
    assert found is not None
    return found


def test_compose_shows_the_exact_text_and_queues_the_email(qtbot, window: MainWindow,
                                                           territory: Territory) -> None:
    template = _templates(window, territory)
    wait_for_account(qtbot, window, territory.doctor_id)
    dialog = window.account.compose_email()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.text.toPlainText() != "" and dialog.send.isEnabled())

    assert [dialog.template.itemText(i) for i in range(dialog.template.count())] == [
        "Renal data"], "approved and valid today only"
    assert dialog.to.text() == "mueller@praxis.test"
    assert dialog.consent.text().startswith("E-mail consent granted on")
    assert dialog.text.toPlainText().startswith("Dear Dr. med. Müller,\n\nThe renal study is out")
    assert dialog.paragraph.isVisibleTo(dialog)

    dialog.variant.setCurrentIndex(dialog.variant.findData("evidence_driven"))
    qtbot.waitUntil(lambda: "full methods" in dialog.text.toPlainText())

    qtbot.keyClicks(dialog.paragraph, "More on www.elsewhere.example")
    qtbot.waitUntil(lambda: "may not contain links" in dialog.problems.text())
    assert not dialog.send.isEnabled()

    dialog.paragraph.setPlainText("As discussed on Tuesday.")
    qtbot.waitUntil(lambda: "As discussed on Tuesday." in dialog.text.toPlainText()
                    and dialog.send.isEnabled())
    shown = dialog.text.toPlainText()
    with qtbot.waitSignal(window.account.history_shown):
        dialog.send.click()

    with window.ops.db.read() as session:
        call = session.scalar(select(Interaction).where(Interaction.channel == "email"))
        assert call is not None and call.status == "submitted" and call.notes == shown
        email = session.scalar(select(Email))
        assert email is not None
        assert (email.template_id, email.variant, email.paragraph) == (
            template, "evidence_driven", "As discussed on Tuesday.")
        queued = [m.entity for m in session.scalars(select(OutboxMutation).order_by(
            OutboxMutation.seq)) if m.row_id in (call.id, email.id)]
        assert queued == ["interactions", "emails", "interactions"]
    timeline = window.account.timeline
    assert any(timeline.topLevelItem(i).text(5).startswith("Renal data")
               for i in range(timeline.topLevelItemCount()))


def test_without_consent_nothing_can_be_sent(qtbot, window: MainWindow,
                                             territory: Territory) -> None:
    from app.store.accounts import ChannelConsent

    _templates(window, territory)
    with window.ops.db.write() as session:
        consent = session.scalar(select(ChannelConsent).where(
            ChannelConsent.account_id == territory.doctor_id, ChannelConsent.channel == "email"))
        assert consent is not None
        consent.consent, consent.consent_date = "withdrawn", dt.date(2026, 3, 1)
        consent.source = "unsubscribe link"
    wait_for_account(qtbot, window, territory.doctor_id)
    dialog = window.account.compose_email()
    assert dialog is not None
    qtbot.waitUntil(lambda: "has not consented to e-mail" in dialog.problems.text())
    assert dialog.consent.text() == (
        "E-mail consent withdrawn on 2026-03-01 (unsubscribe link).")
    assert not dialog.send.isEnabled()
