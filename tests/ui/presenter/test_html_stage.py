"""HTML5 slides in QtWebEngine: the page's script calls the bridge, the rows appear.

Run alone with `pytest tests/ui/presenter/test_html_stage.py` (or `-m gui`). As root, WebEngine
needs `--no-sandbox` (tests/conftest.py sets QTWEBENGINE_CHROMIUM_FLAGS); where WebEngine
cannot be imported at all the module is skipped with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.config import resources_dir
from app.edetail.package import content_dir, import_package
from app.store.content import ClickstreamEvent, SlideView
from app.store.database import Database
from app.store.reference import Product
from app.ui.operations import Operations
from tests.ui.presenter.html_decks import one_page_deck, run_js
from tests.ui.presenter.test_presentation import FakeClock, finish, ops, start

try:
    import PySide6.QtWebEngineWidgets  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the machine
    pytest.skip(f"QtWebEngine cannot be imported here ({exc}); CI installs its libraries",
                allow_module_level=True)

# Offscreen there is no GPU: Chromium's compositor says so on every start (docs/platform.md,
# "harmless log noise"); only these exact messages are let through, any other still fails.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "QRhiGles2: Failed to create (temporary )?context", "Failed to create RHI for backend.*",
    "GPUInfo not initialized.*")]
__all__ = ["ops"]

PAGE = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Dosing</title>
<script>
function answerAll() {
  window.fieldrep.answer('q1', 'yes');
  window.fieldrep.answer('q2', 'CKD');
  window.fieldrep.answer('q2', 'elderly');
  window.fieldrep.answer('q3', 4);
}
function veevaRecord() {
  com.veeva.clm.createRecord('Call_Clickstream_vod__c', {
    Track_Element_Id_vod__c: 'btn-dose', Track_Element_Type_vod__c: 'button',
    Question_vod__c: 'Which dose?', Answer_vod__c: '10 mg', Usage_Duration_vod__c: 12
  }, function (result) { window.recorded = result.success; });
}
function veevaBack() { com.veeva.clm.gotoSlide('CZ-1.zip', 'cz-hf'); }
</script></head><body><h1>Dosing</h1></body></html>"""


@pytest.fixture
def html_deck(ui_db: Database, tmp_path: Path) -> str:
    return one_page_deck(ui_db, tmp_path, PAGE, "html")


def test_a_slide_script_drives_the_bridge(qtbot: Any, ops: Operations, ui_db: Database,
                                          html_deck: str) -> None:
    clock = FakeClock()
    presenter = start(qtbot, ops, html_deck, clock=clock)
    presenter.go_to(3)
    stage = presenter.html
    assert stage is not None and stage.view is not None and stage.view.isVisible()
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "typeof window.fieldrep") == "object",
                    timeout=10_000)
    run_js(qtbot, presenter, "answerAll(); veevaRecord(); 1")
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "window.recorded === true"),
                    timeout=10_000)
    ops.wait()
    with ui_db.read() as session:
        view = session.scalars(select(SlideView).order_by(SlideView.started_at.desc(),
                                                          SlideView.id.desc())).first()
        assert view is not None
        assert json.loads(view.answers) == {"q1": "yes", "q2": ["elderly", "CKD"], "q3": 4}
        click = session.scalars(select(ClickstreamEvent)).one()
        assert (click.track_element_id, click.track_element_type, click.question,
                click.answer, click.usage_duration_s) == ("btn-dose", "button",
                                                          "Which dose?", "10 mg", 12)
        assert click.slide_id == view.slide_id
    with qtbot.waitSignal(presenter.slide_changed) as moved:
        run_js(qtbot, presenter, "veevaBack(); 1")
    assert moved.args == [0] and presenter.index == 0
    finish(qtbot, presenter)


def test_the_old_laid_out_decks_are_removed(qtbot: Any, ops: Operations, ui_db: Database,
                                            html_deck: str) -> None:
    """Decks used to be laid out as hard links under content/present/, which kept a
    withdrawn deck's files on disk; the presenter removes that folder."""
    old = content_dir(ui_db) / "present" / ("0" * 64) / "slides" / "q"
    old.mkdir(parents=True)
    (old / "index.html").write_bytes(PAGE)
    presenter = start(qtbot, ops, html_deck, clock=FakeClock())
    assert not (content_dir(ui_db) / "present").exists()
    finish(qtbot, presenter)


@pytest.fixture
def glucaria_deck(ui_db: Database) -> str:
    """The demo's own HTML deck: its last slide asks four questions, one in free text that
    its page reports on `change` (when the field loses focus), as many CLM pages do."""
    with ui_db.write() as session:
        session.add(Product(name="Glucaria", therapeutic_area="Diabetes"))
    return import_package(ui_db, resources_dir() / "content" / "glucaria-clm.zip"
                          ).presentation_id


def test_a_typed_answer_is_kept_when_the_rep_ends_without_leaving_the_field(
        qtbot: Any, ops: Operations, ui_db: Database, glucaria_deck: str) -> None:
    """The rep types the doctor's wish into the slide's text field and ends the
    presentation straight away: the answer is stored and reaches the call notes."""
    presenter = start(qtbot, ops, glucaria_deck, clock=FakeClock())
    presenter.go_to(3)
    stage = presenter.html
    assert stage is not None and stage.view is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "typeof window.fieldrep") == "object",
                    timeout=10_000)
    run_js(qtbot, presenter, "document.querySelector('button').click();"
                             "document.getElementById('q-more').focus(); 1")
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "document.activeElement.id") == "q-more")
    typist = stage.view.focusProxy() or stage.view
    qtbot.keyClicks(typist, "Nierendaten")
    qtbot.waitUntil(lambda: run_js(qtbot, presenter,
                                   "document.getElementById('q-more').value") == "Nierendaten")
    assert presenter.panel is not None
    with qtbot.waitSignal(presenter.finished, timeout=10_000) as ended:
        qtbot.mouseClick(presenter.panel.findChild(QPushButton, "endPresentation"),
                         Qt.MouseButton.LeftButton)
    fragment = ended.args[0]
    with ui_db.read() as session:
        answers = [json.loads(v.answers or "{}") for v in session.scalars(select(SlideView))]
    assert {"q-use": "Ja", "q-more": "Nierendaten"} in answers
    assert fragment is not None and "Was möchten Sie noch wissen?: Nierendaten" in \
        fragment.notes
