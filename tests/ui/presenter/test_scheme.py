"""What the slide scheme serves, and the bridge's budget, without a browser.

The URL forms a slide could use to climb out of its deck, each a key that finds nothing;
the Content-Type of what real CLM content is made of; the per-view call budget.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import QUrl

from app.ui.views.presenter.bridge import CallBudget
from app.ui.views.presenter.scheme import (
    DeckFiles,
    deck_url,
    mime_type,
    package_path,
    within_slide,
)


@pytest.fixture
def deck(tmp_path: Path) -> DeckFiles:
    stored = {}
    for rel in ("km1/index.html", "shared/brand.css", "shared/js/veeva-library.js"):
        path = tmp_path / "store" / rel.replace("/", "_")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel)
        stored[rel] = path
    (tmp_path / "fieldrep.sqlite").write_text("SQLite format 3")
    return DeckFiles(stored)


@pytest.mark.parametrize("url", [
    "fieldrep-content://deck/../fieldrep.sqlite",
    "fieldrep-content://deck/km1/../../fieldrep.sqlite",
    "fieldrep-content://deck/%2e%2e/fieldrep.sqlite",
    "fieldrep-content://deck/km1/%2e%2e%2f%2e%2e%2ffieldrep.sqlite",
    "fieldrep-content://deck/..%5c..%5cfieldrep.sqlite",
    "fieldrep-content://deck//etc/passwd",
    "fieldrep-content://deck/%2Fetc%2Fpasswd",
    "fieldrep-content://deck/km1/index.html%00.png",
    "fieldrep-content://other/km1/index.html",
    "fieldrep-content://deck:8080/km1/index.html",
    "fieldrep-content://user@deck/km1/index.html",
    "file:///etc/passwd",
    "http://127.0.0.1:8000/km1/index.html",
])
def test_nothing_outside_the_deck_is_served(deck: DeckFiles, url: str) -> None:
    assert deck.open(QUrl(url)) is None


def test_the_decks_files_are_served_with_their_types(deck: DeckFiles) -> None:
    found = deck.open(deck_url("shared/js/veeva-library.js"))
    assert found is not None
    content_type, device = found
    assert content_type == "text/javascript;charset=utf-8"
    assert bytes(device.readAll().data()) == b"shared/js/veeva-library.js"
    device.close()
    folder = deck.open(QUrl("fieldrep-content://deck/km1/"))  # a folder: its index.html
    assert folder is not None and folder[0] == "text/html;charset=utf-8"
    folder[1].close()
    assert package_path(deck_url("shared/brand.css")) == "shared/brand.css"


@pytest.mark.parametrize(("name", "expected"), [
    ("index.HTML", "text/html;charset=utf-8"), ("a.css", "text/css;charset=utf-8"),
    ("m.mjs", "text/javascript;charset=utf-8"), ("d.json", "application/json;charset=utf-8"),
    ("i.svg", "image/svg+xml;charset=utf-8"), ("p.png", "image/png"),
    ("p.jpeg", "image/jpeg"), ("f.woff2", "font/woff2"), ("v.mp4", "video/mp4"),
    ("a.mp3", "audio/mpeg"), ("x.unknown", "application/octet-stream"),
    ("no-suffix", "application/octet-stream"),
])
def test_mime_types(name: str, expected: str) -> None:
    assert mime_type(name) == expected


def test_the_budget_drops_the_excess_of_a_second_and_logs_once(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [100.0]
    budget = CallBudget(per_second=5, clock=lambda: now[0])
    budget.reset("slide-1")
    assert [budget.allow() for _ in range(8)] == [True] * 5 + [False] * 3
    now[0] += 0.5
    assert not budget.allow()  # still the same second
    now[0] += 0.6
    assert [budget.allow() for _ in range(6)] == [True] * 5 + [False]
    assert sum("more than 5 calls" in r.getMessage() for r in caplog.records) == 1
    budget.reset("slide-2")  # a new view: a fresh budget, logged again when exceeded
    assert [budget.allow() for _ in range(6)] == [True] * 5 + [False]
    assert sum("more than 5 calls" in r.getMessage() for r in caplog.records) == 2


@pytest.mark.parametrize(("page", "inside"), [
    ("/KM%201/index.html", True),  # key message names may have spaces: encoded in the URL
    ("/KM%201/details.html", True),  # a sub-page of the key message
    ("/KM%202/index.html", False),  # the next slide: its calls are not this slide's
    ("/shared/index.html", False),
    ("/KM%201", False),
])
def test_which_pages_speak_for_the_slide_on_screen(page: str, inside: bool) -> None:
    assert within_slide(page, "KM 1/index.html") is inside
