"""Decks that ran before the sandbox still run in it: the demo's and CLM key messages.

The demo deck (resources/content/glucaria-clm.zip) with its shared stylesheet, shared
script and inline `onclick=` answers; and CLM content as other players ship it: a folder of
key messages with a `shared` folder holding a stylesheet and a JavaScript library that
talks to its player the way Veeva's does (`document.location = "veeva:gotoSlide(...)"`),
inline scripts and styles, pictures from files and from `data:` URLs, and a JSON file the
slide loads itself. Run alone: `pytest tests/ui/presenter/test_clm.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.content_format.clm import ClmInfo
from app.edetail.clm import import_clm
from app.edetail.package import import_package
from app.store.content import SlideView
from app.store.database import Database
from app.store.reference import Product
from app.ui.operations import Operations
from app.ui.views.presenter.presentation import Presenter
from tests.edetail.conftest import png_bytes
from tests.ui.presenter.test_html_stage import run_js
from tests.ui.presenter.test_presentation import FakeClock, finish, ops, start

try:
    import PySide6.QtWebEngineWidgets  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the machine
    pytest.skip(f"QtWebEngine cannot be imported here ({exc}); CI installs its libraries",
                allow_module_level=True)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "QRhiGles2: Failed to create (temporary )?context", "Failed to create RHI for backend.*",
    "GPUInfo not initialized.*")]
__all__ = ["ops"]

DEMO = Path(__file__).resolve().parents[3] / "resources" / "content" / "glucaria-clm.zip"

#: A player library in the style of Veeva's: requests are `veeva:` URLs the page navigates
#: to, the arguments URL-encoded, as its version 4 does outside Engage and Windows.
LIBRARY = b"""
var com; if (com == null) com = {};
if (com.veeva == undefined) com.veeva = {};
com.veeva.clm = {
  runAPIRequest: function (request) {
    document.location = 'veeva:' + encodeURIComponent(request.replace(/^veeva:/, ''));
  },
  gotoSlide: function (keyMessage, presentation) {
    this.runAPIRequest(presentation ? 'veeva:gotoSlide(' + keyMessage + ',' + presentation + ')'
                                    : 'veeva:gotoSlide(' + keyMessage + ')');
  },
  nextSlide: function () { this.runAPIRequest('veeva:nextSlide()'); },
  prevSlide: function () { this.runAPIRequest('veeva:prevSlide()'); }
};
"""

DOT = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
       "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def key_message(title: str, script: str) -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="../shared/brand.css">
<script src="../shared/veeva-library.js"></script>
<style>p {{ font-size: 30px }}</style></head>
<body><h1 style="margin: 0">{title}</h1><p>text</p>
<img id="chart" src="img/chart.png"><img id="dot" src="{DOT}">
<script>window.inlineRan = true; {script}</script></body></html>""".encode()


@pytest.fixture
def clm_deck(ui_db: Database, tmp_path: Path) -> str:
    source = tmp_path / "clm"
    for name, script in (
            ("KM_Intro", "function onward() { com.veeva.clm.gotoSlide('KM_Data.zip', 'CZ'); }"),
            ("KM_Data", "function back() { com.veeva.clm.prevSlide(); }"
                        "function plain() { document.location = 'veeva:gotoSlide(KM_Intro.zip)'; }"
                        "fetch('data.json').then(function (r) { return r.json(); })"
                        ".then(function (d) { window.study = d.study; });")):
        (source / name / "img").mkdir(parents=True)
        (source / name / "index.html").write_bytes(key_message(name, script))
        (source / name / "img" / "chart.png").write_bytes(png_bytes())
    (source / "KM_Data" / "data.json").write_text('{"study": "PARADIGM"}')
    (source / "shared").mkdir()
    (source / "shared" / "brand.css").write_text("h1 { color: rgb(200, 0, 0) }")
    (source / "shared" / "veeva-library.js").write_bytes(LIBRARY)
    (source / "order.txt").write_text("KM_Intro\nKM_Data\n")
    info = ClmInfo(id="cz-clm", version="1", title="Cardiozan CLM", product="Cardiozan",
                   valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31))
    return import_clm(ui_db, source, info).presentation_id


def loaded(qtbot: Any, presenter: Presenter) -> None:
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "window.inlineRan === true"),
                    timeout=10_000)


def test_clm_key_messages_run_unchanged(qtbot: Any, ops: Operations, clm_deck: str) -> None:
    presenter = start(qtbot, ops, clm_deck, clock=FakeClock())
    loaded(qtbot, presenter)
    assert run_js(qtbot, presenter,
                  "getComputedStyle(document.querySelector('h1')).color") == "rgb(200, 0, 0)"
    qtbot.waitUntil(lambda: run_js(
        qtbot, presenter, "document.getElementById('chart').naturalWidth > 0 && "
                          "document.getElementById('dot').naturalWidth === 1"), timeout=10_000)
    assert run_js(qtbot, presenter, "getComputedStyle(document.querySelector('p')).fontSize"
                  ) == "30px"

    with qtbot.waitSignal(presenter.slide_changed) as moved:
        run_js(qtbot, presenter, "onward(); 1")  # veeva:gotoSlide(KM_Data.zip,CZ), encoded
    assert moved.args == [1]
    loaded(qtbot, presenter)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "window.study") == "PARADIGM",
                    timeout=10_000)
    with qtbot.waitSignal(presenter.slide_changed) as moved:
        run_js(qtbot, presenter, "back(); 1")
    assert moved.args == [0]
    presenter.go_to(1)
    loaded(qtbot, presenter)
    with qtbot.waitSignal(presenter.slide_changed) as moved:
        run_js(qtbot, presenter, "plain(); 1")  # written by hand, not encoded
    assert moved.args == [0]
    finish(qtbot, presenter)


def test_the_demo_deck_runs_and_answers(qtbot: Any, ops: Operations, ui_db: Database) -> None:
    with ui_db.write() as session:
        session.info["from_server"] = True
        session.add(Product(name="Glucaria", therapeutic_area="diabetes"))
    deck = import_package(ui_db, DEMO).presentation_id
    presenter = start(qtbot, ops, deck, clock=FakeClock())
    assert presenter.deck is not None
    last = len(presenter.deck.slides) - 1
    presenter.go_to(last)  # "Ihre Einschätzung": four questions, answered by onclick=
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    assert run_js(qtbot, presenter,
                  "getComputedStyle(document.querySelector('header')).color"
                  ) == "rgb(255, 255, 255)"  # the shared stylesheet applies
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "typeof fieldrepAnswer") == "function",
                    timeout=10_000)
    run_js(qtbot, presenter, "document.querySelector('button').click(); 1")

    def answered() -> bool:
        ops.wait()
        with ui_db.read() as session:
            view = session.scalars(select(SlideView).order_by(SlideView.started_at.desc(),
                                                              SlideView.id.desc())).first()
            return view is not None and json.loads(view.answers or "{}") == {"q-use": "Ja"}

    qtbot.waitUntil(answered, timeout=10_000)
    finish(qtbot, presenter)
