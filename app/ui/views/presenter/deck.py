"""What the presenter needs of a presentation, read once before the first slide.

Read in one transaction off the GUI thread (Operations); the presenter then only touches
files (the content store) and Qt, so a slide change never waits for the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.edetail.capture import presentable_problem
from app.edetail.errors import CaptureError
from app.edetail.package import content_store, files_present
from app.i18n import tr
from app.store.content import Presentation
from app.store.database import Database
from app.ui.views.presenter.clm_calls import Held, held_records


@dataclass(frozen=True)
class DeckSlide:
    """One slide as the presenter shows it: where its file is and what it asks."""

    slide_id: str
    position: int
    title: str
    key_message: str
    kind: str  # "pdf", "image" or "html"
    file: str  # its path inside the package (for HTML: relative to the laid-out tree)
    asset: Path
    page: int | None
    thumbnail: Path
    questions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Deck:
    presentation_id: str
    title: str
    tree_sha256: str
    slides: list[DeckSlide]
    problem: str | None  # why it may not be presented today; None when it may
    held: Held = field(default_factory=Held)  # what its CLM content may read

    @property
    def has_html(self) -> bool:
        return any(s.kind == "html" for s in self.slides)


def load_deck(session: Session, db: Database, presentation_id: str, today: dt.date, *,
              account_id: str | None = None, user_id: str | None = None) -> Deck:
    """The deck `presentation_id` with its files' paths and what its content may read of
    the doctor (`account_id`) and the rep (`user_id`); CaptureError when it is gone."""
    presentation = session.get(Presentation, presentation_id)
    if presentation is None or presentation.deleted:
        raise CaptureError(tr("This presentation is not on this laptop."))
    store = content_store(db)
    if not files_present(store, presentation):
        raise CaptureError(tr("The files of “{title}” are not on this laptop (withdrawn, or "
                              "not yet downloaded): sync to fetch them.",
                              title=presentation.title))
    slides = [DeckSlide(slide_id=s.id, position=s.position, title=s.title,
                        key_message=s.key_message, kind=s.kind, file=s.file,
                        asset=store.path(s.asset_sha256), page=s.page,
                        thumbnail=store.path(s.thumbnail_sha256),
                        questions=list(json.loads(s.questions or "[]")))
              for s in presentation.slides if not s.deleted]
    held = held_records(
        session, account_id, user_id,
        {"Id": presentation.id, "Name": presentation.title},
        {s.slide_id: {"Id": s.slide_id, "Name": s.title, "Media_File_Name_vod__c": s.key_message}
         for s in slides})
    return Deck(presentation_id=presentation.id, title=presentation.title,
                tree_sha256=presentation.tree_sha256, slides=slides,
                problem=presentable_problem(presentation, today), held=held)
