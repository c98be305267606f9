"""Content made for tablets presents on a laptop as on its tablet: taps from a mouse, the
page scaled to the screen with its aspect kept, and Esc ending from inside the slide.

WebEngine offscreen, as in test_html_stage.py (same skip and log rules).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.store.database import Database
from app.ui.operations import Operations
from app.ui.views.presenter.presentation import Presenter
from tests.ui.presenter.html_decks import one_page_deck, run_js
from tests.ui.presenter.test_presentation import ops, start

try:
    import PySide6.QtWebEngineWidgets  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the machine
    pytest.skip(f"QtWebEngine cannot be imported here ({exc}); CI installs its libraries",
                allow_module_level=True)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "QRhiGles2: Failed to create (temporary )?context", "Failed to create RHI for backend.*",
    "GPUInfo not initialized.*")]
__all__ = ["ops"]

TABLET_PAGE = b"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=1024, height=768, user-scalable=no">
<style>html, body { margin: 0; } #dose { position: absolute; left: 0; top: 0;
  width: 1024px; height: 768px; }</style>
<script>
window.taps = 0; window.clicks = 0;
document.addEventListener('DOMContentLoaded', function () {
  var button = document.getElementById('dose');
  button.addEventListener('touchstart', function () { window.started = true; });
  button.addEventListener('touchend', function (e) { window.taps += 1; e.preventDefault(); });
  button.addEventListener('click', function () { window.clicks += 1; });
});
</script></head><body><div id="dose">10 mg</div></body></html>"""


@pytest.fixture
def tablet_deck(ui_db: Database, tmp_path: Path) -> str:
    return one_page_deck(ui_db, tmp_path, TABLET_PAGE, "tablet")


def shown(qtbot: Any, ops: Operations, deck: str) -> Presenter:
    presenter = start(qtbot, ops, deck)
    assert presenter.audience is not None
    presenter.audience.resize(1366, 768)
    presenter.go_to(3)
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "typeof window.taps") == "number",
                    timeout=10_000)
    return presenter


def test_a_mouse_press_taps_touch_only_content_once(qtbot: Any, ops: Operations,
                                                   tablet_deck: str) -> None:
    presenter = shown(qtbot, ops, tablet_deck)
    assert presenter.html is not None and presenter.html.view is not None
    target = presenter.html.view.focusProxy()
    qtbot.waitUntil(target.isVisible, timeout=5_000)
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "window.taps") == 1, timeout=10_000)
    assert run_js(qtbot, presenter, "window.started") is True
    # The page cancelled its touchend, so the click a tablet would not send is not sent.
    assert run_js(qtbot, presenter, "window.clicks") == 0
    with qtbot.waitSignal(presenter.finished):
        presenter.end()


def test_a_1024_by_768_slide_fills_a_wide_screen_keeping_its_aspect(
        qtbot: Any, ops: Operations, tablet_deck: str) -> None:
    presenter = shown(qtbot, ops, tablet_deck)
    stage = presenter.html
    assert stage is not None and stage.view is not None and stage.frame is not None
    qtbot.waitUntil(lambda: stage.frame is not None and stage.frame.slide_size is not None,
                    timeout=10_000)
    frame, view = stage.frame, stage.view
    assert (frame.width(), frame.height()) == (1366, 768)
    assert (view.width(), view.height()) == (1024, 768)
    assert view.x() == (1366 - 1024) // 2 and view.y() == 0
    # The page sees its own 1024×768, whatever the screen.
    assert run_js(qtbot, presenter, "window.innerWidth + 'x' + window.innerHeight") == "1024x768"
    frame.resize(1920, 1080)
    assert abs(view.zoomFactor() - 1080 / 768) < 1e-6
    assert (view.width(), view.height()) == (1440, 1080) and view.x() == 240
    with qtbot.waitSignal(presenter.finished):
        presenter.end()


def test_esc_ends_the_presentation_while_the_html_slide_has_focus(
        qtbot: Any, ops: Operations, tablet_deck: str) -> None:
    presenter = shown(qtbot, ops, tablet_deck)
    assert presenter.html is not None and presenter.html.view is not None
    target = presenter.html.view.focusProxy()
    target.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target, timeout=5_000)
    with qtbot.waitSignal(presenter.finished, timeout=10_000):
        qtbot.keyClick(target, Qt.Key.Key_Escape)
