"""The account's history names a visit the doctor did not receive, in English and German."""

from __future__ import annotations

import pytest

from app.store.database import Database
from app.store.queries import account_history
from app.ui.views.account.view import ID_ROLE, Timeline
from tests.factories import World
from tests.services.test_calls import form_for, save, submitted
from tests.services.test_calls_not_received import not_received

pytestmark = pytest.mark.gui

WORDS = {"en": ("Not received", "Submitted", "Draft"),
         "de": ("Nicht empfangen", "Abgeschlossen", "Entwurf")}


def test_the_history_shows_a_visit_not_received(qtbot, language: str, db: Database,
                                                world: World) -> None:
    refused = submitted(db, world, not_received(world, start_at="2026-03-03 10:00"))
    received = submitted(db, world, form_for(world, start_at="2026-03-02 10:00"))
    unsent = save(db, world, not_received(world, start_at="2026-03-04 10:00"))
    with db.read() as session:
        entries = account_history(session.connection(), world.doctor.id)
    assert [(e.id, e.not_received) for e in entries] == [
        (unsent, True), (refused, True), (received, False)]

    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.fill(entries)
    rows = {timeline.topLevelItem(i).data(0, ID_ROLE): timeline.topLevelItem(i).text(2)
            for i in range(timeline.topLevelItemCount())}
    failed, took_place, draft = WORDS[language]
    # A draft is still work to finish: it says so until it is submitted.
    assert rows == {refused: failed, received: took_place, unsent: draft}
