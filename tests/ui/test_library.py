"""The library screen: decks by product, their state, preview vs present, importing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.store.database import Database
from app.ui.operations import Operations
from app.ui.views.library import LibraryView
from tests.edetail.conftest import files, write_zip
from tests.ui.test_presenter import flat_manifest, import_deck, ops

__all__ = ["ops"]
THIS_YEAR = dt.date.today().year


def current(**changes: Any) -> dict[str, Any]:
    """A manifest valid around today, whenever the tests run."""
    data = flat_manifest(valid_from=f"{THIS_YEAR - 1}-01-01",
                         valid_until=f"{THIS_YEAR + 1}-12-31")
    data.update(changes)
    return data


@pytest.fixture
def library(qtbot: Any, ops: Operations) -> LibraryView:
    view = LibraryView(ops)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    return view


def load(qtbot: Any, view: LibraryView) -> None:
    with qtbot.waitSignal(view.loaded):
        view.refresh()


def test_an_empty_library_says_how_to_fill_it(qtbot: Any, library: LibraryView) -> None:
    load(qtbot, library)
    assert library.pages.currentWidget() is library.empty
    assert library.empty.action.isVisible()


def test_decks_show_their_state_and_only_approved_ones_present(
        qtbot: Any, library: LibraryView, ui_db: Database, tmp_path: Path) -> None:
    import_deck(ui_db, tmp_path, current(), "ok.zip")
    import_deck(ui_db, tmp_path, current(id="old", valid_until=f"{THIS_YEAR - 1}-06-30",
                                         title="Old deck"), "old.zip")
    import_deck(ui_db, tmp_path, current(id="wd", approval_state="withdrawn",
                                         title="Withdrawn deck"), "wd.zip")
    load(qtbot, library)
    cards = {card.item.title: card for card in library.cards}
    assert set(cards) == {"Cardiozan in HFrEF", "Old deck", "Withdrawn deck"}
    assert cards["Cardiozan in HFrEF"].present.isEnabled()
    assert cards["Old deck"].state.text() == "Expired"
    assert not cards["Old deck"].present.isEnabled()
    assert "expired" in cards["Old deck"].present.toolTip()
    assert cards["Withdrawn deck"].state.text() == "Withdrawn, may not be shown"
    assert all(card.preview.isEnabled() for card in cards.values())
    with qtbot.waitSignal(library.preview_requested) as asked:
        cards["Old deck"].preview.click()
    assert asked.args == [cards["Old deck"].item.presentation_id]
    with qtbot.waitSignal(library.present_requested) as asked:
        cards["Cardiozan in HFrEF"].present.click()
    assert asked.args == [cards["Cardiozan in HFrEF"].item.presentation_id]


def test_importing_a_package_shows_it(qtbot: Any, library: LibraryView,
                                      tmp_path: Path) -> None:
    load(qtbot, library)
    members = files()
    members["manifest.json"] = json.dumps(current()).encode()
    package = write_zip(tmp_path / "deck.zip", members)
    with qtbot.waitSignal(library.loaded, timeout=10_000):
        library.import_file(package)
    assert [card.item.title for card in library.cards] == ["Cardiozan in HFrEF"]
    assert "imported" in library.message.text()
    assert not library.cards[0].findChild(object, "libraryCover").pixmap().isNull()


def test_a_refused_package_says_why_in_plain_words(qtbot: Any, library: LibraryView,
                                                   tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"this is not a zip at all")
    with qtbot.waitSignal(library.import_failed) as failed:
        library.import_file(broken)
    assert failed.args[0].startswith("Nothing was imported.")
    assert library.message.isVisible() and library.import_button.isEnabled()


def test_ctrl_3_opens_the_library_from_the_rail(qtbot: Any, window: Any) -> None:
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.library.loaded):
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_3,
                       Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.library
    assert window.rail.current() == "library"
