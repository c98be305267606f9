"""From a doctor to the practice or hospital through an affiliation, and back to the doctor:
Alt+Left and the back button return along the way the rep came (they went to the accounts
list and the doctor was lost), and the button names where it leads."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.main_window import MainWindow
from tests.ui.conftest import Territory, wait_for_account


def open_first_affiliation(qtbot, window: MainWindow) -> None:
    view = window.account
    view.affiliations.list.setFocus()
    view.affiliations.list.setCurrentRow(0)
    with qtbot.waitSignal(view.history_shown):
        qtbot.keyClick(view.affiliations.list, Qt.Key.Key_Return)


def test_alt_left_from_an_affiliated_practice_returns_to_the_doctor(
        qtbot, window: MainWindow, territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    view = window.account
    assert view.back.text() == "Accounts"
    open_first_affiliation(qtbot, window)
    assert view.name.text() == "Klinikum München Nord"
    assert view.back.text() == "Dr. med. Jürgen Müller"

    with qtbot.waitSignal(view.history_shown):
        qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.stack.currentWidget() is view
    assert view.account_id == territory.doctor_id
    assert view.back.text() == "Accounts"

    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.stack.currentWidget() is window.accounts


def test_the_back_button_follows_the_same_way_and_a_fresh_open_forgets_it(
        qtbot, window: MainWindow, territory: Territory) -> None:
    wait_for_account(qtbot, window, territory.doctor_id)
    view = window.account
    open_first_affiliation(qtbot, window)
    with qtbot.waitSignal(view.history_shown):
        qtbot.mouseClick(view.back, Qt.MouseButton.LeftButton)
    assert view.account_id == territory.doctor_id

    open_first_affiliation(qtbot, window)
    window.show_home()  # the rep leaves; an account opened afresh leads back to the list
    practice = view.account_id
    assert practice is not None
    window.open_account(practice)
    assert view.back.text() == "Accounts"
    qtbot.mouseClick(view.back, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.accounts
