"""After an HTML presentation ends, WebEngine gives its memory back: the page, the profile
and Chromium's helper processes go, and this process with its children holds no more than
50 MB over what it held before the deck was opened (a session held 959 MB after one deck).

Run alone with `pytest tests/ui/test_presenter_memory.py` (or `-m gui`), like the other
WebEngine tests."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import Any

import pytest

from app.store.database import Database
from app.ui.operations import Operations
from tests.ui.presenter.test_html_stage import html_deck
from tests.ui.presenter.test_presentation import FakeClock, finish, ops, start

try:
    import PySide6.QtWebEngineWidgets  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the machine
    pytest.skip(f"QtWebEngine cannot be imported here ({exc}); CI installs its libraries",
                allow_module_level=True)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "QRhiGles2: Failed to create (temporary )?context", "Failed to create RHI for backend.*",
    "GPUInfo not initialized.*")]
__all__ = ["html_deck", "ops"]

ALLOWED_MB = 50.0


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:  # gone meanwhile
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out + [g for c in out for g in _children(c)]


def footprint() -> tuple[float, int]:
    """(RSS of this process and all its descendants in MB, how many descendants)."""
    me = os.getpid()
    children = _children(me)
    return _rss_mb(me) + sum(_rss_mb(c) for c in children), len(children)


def _present(qtbot: Any, ops: Operations, deck: str) -> tuple[float, int]:
    """Show the deck's HTML slide until it loaded, end; the footprint while it showed."""
    presenter = start(qtbot, ops, deck, clock=FakeClock())
    presenter.go_to(3)
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=30_000)
    during = footprint()
    finish(qtbot, presenter)
    presenter.deleteLater()
    return during


def _settled(qtbot: Any, before: float, helpers_before: int) -> tuple[float, int]:
    """The footprint once Chromium's processes for the page ended (or 30 s passed)."""
    deadline = time.monotonic() + 30.0
    while True:
        qtbot.wait(250)
        gc.collect()
        after, helpers = footprint()
        if (after <= before + ALLOWED_MB and helpers <= helpers_before) \
                or time.monotonic() > deadline:
            return after, helpers


def test_webengine_memory_is_given_back_after_each_html_deck(
        qtbot: Any, ops: Operations, ui_db: Database, html_deck: str) -> None:
    """The first deck starts Chromium: its two helper processes (~52 MB each) and its
    libraries stay while the app runs (docs/memory.md). Every deck after it gives back
    what it took: the page's renderer ends, the profile goes, nothing piles up."""
    gc.collect()
    _, helpers_idle = footprint()
    _, helpers_first = _present(qtbot, ops, html_deck)
    assert helpers_first > helpers_idle  # Chromium's renderer ran beside us
    started, helpers_started = _settled(qtbot, 0.0, helpers_first - 1)
    for _ in range(2):
        during, helpers_during = _present(qtbot, ops, html_deck)
        after, helpers_after = _settled(qtbot, started, helpers_started)
        figures = {"started": started, "during": during, "after": after,
                   "helpers": (helpers_idle, helpers_started, helpers_during, helpers_after)}
        assert helpers_during > helpers_started, figures
        assert after <= started + ALLOWED_MB, figures
        assert helpers_after <= helpers_started, figures
