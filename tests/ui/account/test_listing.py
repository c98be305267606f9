"""The accounts list: search as you type, filters, sorting in SQL, paging, Enter opens."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from app.ui.accounts_model import COLUMNS, PAGE_SIZE
from app.ui.main_window import MainWindow
from tests.ui.conftest import EXTRA_ACCOUNTS, Territory

ACCOUNTS = EXTRA_ACCOUNTS + 3  # the two doctors of tests/factories and a hospital


def show_accounts(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.accounts.page_loaded):
        window.show_accounts()


def names(window: MainWindow) -> list[str]:
    model = window.accounts.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def column(window: MainWindow, key: str) -> list[str]:
    model = window.accounts.model
    return [model.index(row, COLUMNS.index(key)).data() for row in range(model.rowCount())]


def search(qtbot, window: MainWindow, typed: str) -> None:
    view = window.accounts
    with qtbot.waitSignal(view.page_loaded, timeout=2000):
        view.search.clear()
        if typed.isascii():
            qtbot.keyClicks(view.search, typed)
        else:  # QTest types ASCII only
            view.search.insert(typed)


def test_first_page_count_and_paging(qtbot, window: MainWindow) -> None:
    show_accounts(qtbot, window)
    view = window.accounts

    assert view.count_label.text() == f"{ACCOUNTS} accounts"
    assert view.model.rowCount() == PAGE_SIZE
    assert view.model.canFetchMore()

    view.table.scrollToBottom()  # the view asks for the next page itself
    qtbot.waitUntil(lambda: view.model.rowCount() == ACCOUNTS)
    assert not view.model.canFetchMore()
    assert len(set(view.model.account_id(r) for r in range(ACCOUNTS))) == ACCOUNTS


def test_search_as_you_type_finds_umlauts_by_transliteration(qtbot, window: MainWindow) -> None:
    show_accounts(qtbot, window)

    search(qtbot, window, "muel")
    assert names(window) == ["Dr. med. Jürgen Müller"]
    assert window.accounts.count_label.text() == "1 account"

    search(qtbot, window, "Schäfer Köln")
    assert names(window) == ["Dr. med. Anna Schäfer"]

    external_id = COLUMNS.index("external_id")
    assert window.accounts.table.isColumnHidden(external_id)  # a search by name
    search(qtbot, window, "123456701")  # the LANR
    assert names(window) == ["Dr. med. Jürgen Müller"]
    # The hit shows the number it was found by.
    assert not window.accounts.table.isColumnHidden(external_id)
    assert column(window, "external_id") == ["123456701"]
    assert window.accounts.model.headerData(
        external_id, Qt.Orientation.Horizontal) == "LANR / BSNR"


def test_an_older_answer_is_dropped_when_a_newer_query_runs(qtbot, window: MainWindow) -> None:
    show_accounts(qtbot, window)
    view = window.accounts
    view.search.setText("Schäfer")
    view.reload()
    view.search.setText("Müller")
    with qtbot.waitSignal(view.page_loaded):
        view.reload()
    qtbot.waitUntil(lambda: window.ops.pending == 0)
    assert names(window) == ["Dr. med. Jürgen Müller"]


def test_filters_narrow_the_list(qtbot, window: MainWindow) -> None:
    show_accounts(qtbot, window)
    view = window.accounts

    with qtbot.waitSignal(view.page_loaded):
        view.city.setCurrentIndex(view.city.findText("Köln"))
    assert names(window) == ["Dr. med. Anna Schäfer"]

    with qtbot.waitSignal(view.page_loaded):
        view.city.setCurrentIndex(0)
    with qtbot.waitSignal(view.page_loaded):
        view.segment.setCurrentIndex(view.segment.findData("B"))
    assert set(column(window, "segment")) == {"B"}
    with qtbot.waitSignal(view.page_loaded):
        view.specialty.setCurrentIndex(view.specialty.findText("General practice"))
    assert set(column(window, "specialty")) == {"General practice"}
    assert set(column(window, "segment")) == {"B"}


def test_no_match_says_what_to_do_and_clears(qtbot, window: MainWindow) -> None:
    show_accounts(qtbot, window)
    view = window.accounts

    search(qtbot, window, "xyzzy")
    assert view.results.currentWidget() is view.empty
    assert view.empty.headline.text() == "No account matches “xyzzy”."
    assert "clear the filters" in view.empty.hint.text()

    with qtbot.waitSignal(view.page_loaded):
        qtbot.mouseClick(view.empty.action, Qt.MouseButton.LeftButton)
    assert view.results.currentWidget() is view.table
    assert view.count_label.text() == f"{ACCOUNTS} accounts"


def click_header(qtbot, window: MainWindow, key: str) -> None:
    header = window.accounts.table.horizontalHeader()
    section = COLUMNS.index(key)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    with qtbot.waitSignal(window.accounts.page_loaded):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(x, header.height() // 2))


def test_clicking_a_header_sorts_in_sql(qtbot, window: MainWindow) -> None:
    show_accounts(qtbot, window)
    view = window.accounts
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == ACCOUNTS)

    click_header(qtbot, window, "city")
    cities = column(window, "city")
    assert cities[0] == "Augsburg"
    assert view.model.rowCount() == PAGE_SIZE  # a new query: first page again

    click_header(qtbot, window, "city")  # again: descending
    assert column(window, "city")[0] == "Stuttgart"

    click_header(qtbot, window, "postcode")
    postcodes = column(window, "postcode")
    assert postcodes == sorted(postcodes)


def test_enter_opens_the_account(qtbot, window: MainWindow, territory: Territory) -> None:
    show_accounts(qtbot, window)
    search(qtbot, window, "Müller")
    view = window.accounts

    qtbot.keyClick(view.search, Qt.Key.Key_Down)  # into the results, first row selected
    assert view.table.hasFocus()
    with qtbot.waitSignal(window.account.history_shown):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.account
    assert window.account.account_id == territory.doctor_id
