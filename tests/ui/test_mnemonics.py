"""Alt+letter reaches one thing per window, in English and in German.

A translation moves the marked letter: "Add sa&mple" and "Due &on" were fine in English, and
in German "Muster &hinzufügen"/"Fällig a&m" took the same key as another field. The test walks
what a window really shows (buttons, labels with a buddy, check boxes, group boxes) in both
languages and fails on any letter used twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

from app.store.database import Database
from app.ui.operations import Operations
from tests.factories import World
from tests.ui.call_report.test_view import open_view, operations_over

pytestmark = pytest.mark.gui

MARK = re.compile(r"(?<!&)&([^&\s])")


def mnemonics(window: QWidget) -> Counter[str]:
    """The Alt letters of the visible widgets of `window`."""
    found: Counter[str] = Counter()
    texts = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or labelled:
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
    for text in texts:
        mark = MARK.search(text.replace("&&", ""))
        if mark:
            found[mark.group(1).lower()] += 1
    return found


@pytest.fixture
def ops(qtbot, db: Database) -> Iterator[Operations]:
    with operations_over(qtbot, db) as operations:
        yield operations


def test_the_call_report_has_one_alt_letter_each(qtbot, language: str, db: Database,
                                                 ops: Operations, world: World) -> None:
    view = open_view(qtbot, ops, world)
    view.samples.add_button.click()  # a sample line shows its own fields too
    qtbot.wait(50)
    used = mnemonics(view)
    assert len(used) > 8, used  # the test sees the report's fields
    assert [letter for letter, count in used.items() if count > 1] == []


def test_the_escalation_dialog_has_one_alt_letter_each(qtbot, language: str, db: Database,
                                                       ops: Operations, world: World) -> None:
    from app.ui.views.escalation.dialog import EscalationDialog

    dialog = EscalationDialog(ops, world.rep.id, world.doctor.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    used = mnemonics(dialog)
    assert [letter for letter, count in used.items() if count > 1] == []


def test_the_settings_dialog_has_one_alt_letter_each(qtbot, language: str, settings,
                                                     tmp_path) -> None:
    from app.config import Paths
    from app.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings, Paths(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    used = mnemonics(dialog)
    assert [letter for letter, count in used.items() if count > 1] == []


def test_each_menu_of_the_window_has_one_alt_letter_each(qtbot, language: str, settings,
                                                         tmp_path) -> None:
    """The window's menus, the File menu's sign-out included: in German "Kontakt &erfassen"
    and "&Einstellungen" both took E."""
    from app.config import Paths
    from app.ui.main_window import MainWindow

    window = MainWindow(settings, Paths(tmp_path), language)
    qtbot.addWidget(window)
    menus = [action.menu() for action in window.menuBar().actions()]
    for menu in [m for m in menus if m is not None]:
        used: Counter[str] = Counter()
        for action in menu.actions():
            mark = MARK.search(action.text().replace("&&", ""))
            if mark:
                used[mark.group(1).lower()] += 1
        assert [letter for letter, count in used.items() if count > 1] == [], menu.title()
