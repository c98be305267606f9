"""The library screen: decks by product, their state, preview vs present, importing."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtWidgets import QMessageBox

from app.store.content import Presentation
from app.store.database import Database
from app.ui.operations import Operations
from app.ui.views.library.view import LibraryView
from tests.edetail.conftest import files, write_zip
from tests.ui.presenter.test_presentation import flat_manifest, import_deck, ops

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
    cards["Cardiozan in HFrEF"].present.click()  # imported here: a local preview
    notice = library.local_notice
    qtbot.waitUntil(notice.isVisible)
    with qtbot.waitSignal(library.present_requested) as asked:
        notice.defaultButton().click()
    assert asked.args == [cards["Cardiozan in HFrEF"].item.presentation_id]


def test_a_deck_imported_here_is_a_local_preview_and_says_so_before_presenting(
        qtbot: Any, library: LibraryView, ui_db: Database, tmp_path: Path) -> None:
    """Content must be approved centrally: a deck the server never sent is presented only as
    a local preview, whose capture stays on this laptop; the rep reads that first, and may
    decline. A deck from the server presents at once."""
    local = import_deck(ui_db, tmp_path, current(), "local.zip")
    served = import_deck(ui_db, tmp_path, current(id="srv", title="From the server"), "s.zip")
    with ui_db.write() as session:
        session.info["from_server"] = True
        row = session.get(Presentation, served)
        assert row is not None
        row.version = 12
    load(qtbot, library)
    cards = {card.item.presentation_id: card for card in library.cards}
    assert cards[local].local.isVisibleTo(cards[local])
    assert not cards[served].local.isVisibleTo(cards[served])
    assert "not sent to the server" in cards[local].local.toolTip()

    with qtbot.waitSignal(library.present_requested) as asked:
        cards[served].present.click()
    assert asked.args == [served]

    with qtbot.assertNotEmitted(library.present_requested):
        cards[local].present.click()
        notice = library.local_notice
        qtbot.waitUntil(notice.isVisible)
        assert "stays on this laptop" in notice.text()
        notice.button(QMessageBox.StandardButton.Cancel).click()


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
                                                   tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"this is not a zip at all")
    caplog.set_level(logging.INFO, logger="app.ui.operations")
    with qtbot.waitSignal(library.import_failed) as failed:
        library.import_file(broken)
    assert failed.args[0].startswith("Nothing was imported.")
    assert library.message.isVisible() and library.import_button.isEnabled()
    # The log says why in one line; a refusal is no bug, so no traceback.
    logged = [r for r in caplog.records if r.name == "app.ui.operations"]
    assert len(logged) == 1 and logged[0].exc_info is None
    assert logged[0].getMessage().startswith("refused: ") and "broken.zip" in logged[0].getMessage()


def test_ctrl_3_opens_the_library_from_the_rail(qtbot: Any, window: Any) -> None:
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.library.loaded):
        qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_3,
                       Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.library
    assert window.rail.current() == "library"


def clm_folder(folder: Path) -> Path:
    """CLM content as shipped: a zip per key message (one without a thumbnail), a shared
    folder, and an ordering file that lists two of the three."""
    from tests.edetail.conftest import png_bytes

    folder.mkdir()
    for name, thumb in (("KM_A", True), ("KM_B", True), ("KM_C", False)):
        members = {"index.html": f"<html><head><title>{name} page</title></head>"
                                 f"<body>{name}</body></html>".encode()}
        if thumb:
            members["thumb.png"] = png_bytes("#abcdef", 40, 20)
        write_zip(folder / f"{name}.zip", members)
    (folder / "shared").mkdir()
    (folder / "shared" / "brand.css").write_text("body { color: navy }")
    (folder / "order.txt").write_text("KM_B | CZ-2 | safety\nKM_A | CZ-1 | efficacy\n",
                                      encoding="utf-8")
    return folder


def open_clm(qtbot: Any, library: LibraryView, folder: Path) -> Any:
    library.import_path(folder)
    qtbot.waitUntil(lambda: library.clm_dialog is not None and library.clm_dialog.isVisible())
    return library.clm_dialog


def test_clm_key_messages_are_imported_in_the_order_chosen(
        qtbot: Any, library: LibraryView, ui_db: Database, tmp_path: Path) -> None:
    from sqlalchemy import select

    from PySide6.QtCore import Qt

    from app.edetail.package import content_store
    from app.store.content import Slide

    load(qtbot, library)
    dialog = open_clm(qtbot, library, clm_folder(tmp_path / "Cardiozan_CLM"))
    order = dialog.order
    rows = [(order.item(r).text(), order.item(r).checkState()) for r in range(order.count())]
    assert rows == [("KM_B", Qt.CheckState.Checked), ("KM_A", Qt.CheckState.Checked),
                    ("KM_C", Qt.CheckState.Unchecked)]
    assert dialog.title.text() == "Cardiozan CLM" and dialog.code.text() == "cardiozan-clm"
    dialog.product.setCurrentIndex(dialog.product.findText("Cardiozan"))
    order.item(2).setCheckState(Qt.CheckState.Checked)
    order.setCurrentRow(2)
    dialog.move_selected(-1)
    dialog.move_selected(-1)  # KM_C first now
    with qtbot.waitSignal(library.imported, timeout=20_000) as done:
        dialog.import_button.click()
    result = done.args[0]
    with ui_db.read() as session:
        slides = session.scalars(select(Slide).where(
            Slide.presentation_id == result.presentation_id).order_by(Slide.position)).all()
        assert [(s.code, s.key_message, s.topic) for s in slides] == [
            ("KM_C", "KM_C", "general"), ("KM_B", "CZ-2", "safety"),
            ("KM_A", "CZ-1", "efficacy")]
        assert slides[0].title == "KM_C page"
        assert all(content_store(ui_db).has(s.thumbnail_sha256) for s in slides)  # drawn


def test_a_key_message_without_its_shared_files_is_imported_with_a_warning(
        qtbot: Any, library: LibraryView, tmp_path: Path) -> None:
    from tests.edetail.conftest import png_bytes

    lone = write_zip(tmp_path / "KM_Alone.zip", {
        "index.html": b'<html><head><title>Alone</title><link rel="stylesheet" '
                      b'href="../shared/brand.css"></head><body><img src="img/chart.png">'
                      b"</body></html>",
        "thumb.png": png_bytes("#abcdef", 40, 20)})
    load(qtbot, library)
    dialog = open_clm(qtbot, library, lone)
    dialog.product.setCurrentIndex(dialog.product.findText("Cardiozan"))
    with qtbot.waitSignal(library.imported, timeout=20_000) as done:
        dialog.import_button.click()
    assert done.args[0].missing_files == ("KM_Alone/img/chart.png", "shared/brand.css")
    text = library.message.text()
    assert "link to files that are not in it" in text
    assert "KM_Alone/img/chart.png, shared/brand.css" in text
    assert library.message.property("kind") == "error"


def test_the_clm_dialog_keeps_what_was_typed_until_it_is_complete(
        qtbot: Any, library: LibraryView, tmp_path: Path) -> None:
    dialog = open_clm(qtbot, library, clm_folder(tmp_path / "deck"))
    dialog.title.clear()
    dialog.version.setText("7")
    dialog.import_button.click()
    assert dialog.isVisible() and dialog.error.text() == "Give the presentation a title."
    assert dialog.version.text() == "7"
    dialog.reject()


def test_a_folder_without_key_messages_says_so(qtbot: Any, library: LibraryView,
                                               tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with qtbot.waitSignal(library.import_failed) as failed:
        library.import_path(empty)
    assert "no key messages" in failed.args[0]
    assert library.clm_dialog is None
