"""Subjects the app wrote itself read in the reader's language: an English "Medical inquiry
answered" (written by an MSL's English laptop) or "Visit (suggested): …" sat in a German
rep's history. The rep's own subjects are shown as written."""

from __future__ import annotations

import pytest

from app.store.database import Database
from app.store.queries import account_history
from app.ui.views.account.view import Timeline
from tests.factories import World
from tests.services.test_calls import form_for, submitted

pytestmark = pytest.mark.gui

SHOWN = {"en": ("Medical inquiry answered", "Visit (suggested): Cardio deck"),
         "de": ("Medizinische Anfrage beantwortet", "Besuch (Vorschlag): Cardio deck")}


def test_the_apps_own_subjects_read_in_the_language_and_the_reps_as_written(
        qtbot, language: str, db: Database, world: World) -> None:
    stored = ("Medical inquiry answered", "Visit (suggested): Cardio deck",
              "Visit (suggested) at the practice")
    for day, subject in enumerate(stored, start=2):
        form = form_for(world, start_at=f"2026-03-0{day} 10:00")
        form.subject = subject
        form.notes = ""
        submitted(db, world, form)
    with db.read() as session:
        entries = account_history(session.connection(), world.doctor.id)

    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.fill(entries)
    notes = [timeline.topLevelItem(i).text(5) for i in range(timeline.topLevelItemCount())]
    assert notes == ["Visit (suggested) at the practice", *reversed(SHOWN[language])]
