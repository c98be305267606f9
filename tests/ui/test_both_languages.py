"""Every screen, walked in English and in German: no English left in the German UI, no stored
code shown raw (in either language), and one Alt letter per key in every window.

The single-dialog tests (test_mnemonics.py, test_translations.py) check a few dialogs and the
catalogue; this one walks what a person reaches from the main window on the demo territory —
Today, the accounts list, an account, a call report, the library, the tasks, the settings,
the conflicts, the escalation dialog and the next steps — and reads every text a widget
shows: labels, buttons, tabs, headers, cells, combo-box items, placeholders, window titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from app.config import Paths, Settings
from app.store.database import Database
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from tests.ui.test_mnemonics import mnemonics

pytestmark = pytest.mark.gui

#: English words that never belong in a German screen (whole words, any case). Short and
#: common, so a forgotten tr() or an English text stored and shown as-is is caught; none is
#: also a German word ("in", "Form", "Not" are).
ENGLISH = {"the", "and", "with", "account", "accounts", "call", "calls", "draft", "drafts",
           "planned", "visit", "open", "save", "cancel", "settings", "today", "sample",
           "samples", "task", "tasks", "due", "none", "asked", "answered", "suggested",
           "signed", "phone", "letter", "urgency", "high", "urgent", "standard",
           "search", "more", "than", "library", "of", "to", "is"}

#: Stored codes that must reach a person as a label: whole texts that are exactly a code,
#: or any snake_case identifier inside a text.
CODES = {"in_person", "remote", "event", "standard", "high", "urgent", "visit", "phone",
         "email", "letter", "draft", "submitted", "planned", "open", "done", "rep", "msl",
         "manager", "granted", "denied", "not_asked", "positive", "negative", "neutral"}
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
TAG = re.compile(r"<[^>]+>")


def _columns(model: QAbstractItemModel) -> int:
    """A list model has one column (Qt hides its columnCount from Python)."""
    return 1 if isinstance(model, QAbstractListModel) else model.columnCount()


def _texts_of(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel):
        yield TAG.sub(" ", widget.text())
    elif isinstance(widget, QAbstractButton):
        yield widget.text()
        yield widget.toolTip()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, (QLineEdit, QTextEdit)):
        yield widget.placeholderText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QTabWidget):
        yield from (widget.tabText(i) for i in range(widget.count()))
    if isinstance(widget, QTreeWidget):
        header = widget.headerItem()
        yield from (header.text(c) for c in range(header.columnCount()))
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        for column in range(_columns(widget.model())):
            yield str(widget.model().headerData(column, Qt.Orientation.Horizontal) or "")
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for row in range(min(model.rowCount(), 30)):
            for column in range(_columns(model)):
                yield str(model.index(row, column).data() or "")


def shown_texts(window: QWidget) -> list[str]:
    """What the visible widgets of `window` show (at most 30 rows of each list)."""
    texts = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        if widget is window or widget.isVisibleTo(window):
            texts.extend(t.replace("&", "") for t in _texts_of(widget) if t)
    return texts


def raw_codes(texts: list[str]) -> list[str]:
    return [t for t in texts if t.strip() in CODES or SNAKE.search(t)]


def english_words(texts: list[str]) -> list[str]:
    return [t for t in texts if any(w.lower() in ENGLISH for w in WORD.findall(t))]


def duplicate_letters(window: QWidget) -> list[str]:
    return [letter for letter, count in mnemonics(window).items() if count > 1]


class Walk:
    """The windows a person reaches, each checked as it shows."""

    def __init__(self, qtbot, language: str) -> None:
        self.qtbot = qtbot
        self.language = language
        self.problems: list[str] = []

    def check(self, name: str, window: QWidget) -> None:
        texts = shown_texts(window)
        assert len(texts) > 3, (name, texts)  # the walk really reads the screen
        self.problems += [f"{name}: raw code {t!r}" for t in raw_codes(texts)]
        if self.language == "de":
            self.problems += [f"{name}: English {t!r}" for t in english_words(texts)]
        self.problems += [f"{name}: Alt+{letter} twice" for letter in duplicate_letters(window)]


@pytest.fixture
def main(qtbot, ui_db: Database, settings: Settings, tmp_path: Path,
         language: str) -> Iterator[MainWindow]:
    window = create_main_window(ui_db, settings, Paths(tmp_path), language)
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.user is not None)
    qtbot.waitUntil(lambda: window.ops.pending == 0, timeout=30_000)
    yield window
    window.close()
    window.ops.wait()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_every_screen_speaks_the_language_without_raw_codes(
        qtbot, language: str, main: MainWindow, settings: Settings, tmp_path: Path) -> None:
    walk = Walk(qtbot, language)
    qtbot.waitUntil(lambda: main.home.suggested.list.topLevelItemCount() > 0, timeout=30_000)
    walk.check("Today", main)

    with qtbot.waitSignal(main.accounts.page_loaded):
        main.show_accounts()
    walk.check("Accounts", main)

    account_id = main.accounts.first_account_id()
    assert account_id is not None
    main.open_account(account_id)
    qtbot.waitUntil(lambda: main.account.detail is not None)
    qtbot.waitUntil(lambda: main.ops.pending == 0)
    walk.check("Account", main)

    dialog = main.account.escalate()
    assert dialog is not None
    qtbot.waitUntil(lambda: main.ops.pending == 0)
    walk.check("Escalation", dialog)
    dialog.reject()

    page = main.log_call()
    assert page is not None
    qtbot.waitUntil(lambda: main.ops.pending == 0)
    walk.check("Call report", main)
    main.reports.close_all()

    main.show_library()
    qtbot.waitUntil(lambda: main.ops.pending == 0)
    walk.check("Library", main)

    dialog = main.open_settings()
    walk.check("Settings", dialog)
    dialog.reject()

    conflicts = main.open_conflicts()
    qtbot.waitUntil(lambda: main.ops.pending == 0)
    walk.check("Conflicts", conflicts)
    conflicts.show_refusals()
    walk.check("Refused changes", conflicts)
    conflicts.close()

    from app.ui.login_dialog import SignInDialog

    sign_in = SignInDialog(tmp_path, settings, main)
    sign_in.open()
    walk.check("Sign-in", sign_in)
    sign_in.reject()

    report = main.show_control_report()
    qtbot.waitUntil(lambda: main.ops.pending == 0)
    walk.check("Control groups", report)
    report.close()

    assert walk.problems == [], "\n".join(walk.problems)


def test_the_walk_sees_english_raw_codes_and_doubled_letters(qtbot, ui_db: Database) -> None:
    """The checks themselves: each finds what it is for on a made-up window."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    for text in ("&Speichern", "&Senden", "in_person", "Save the call", "urgent"):
        layout.addWidget(QPushButton(text))
    window.show()
    walk = Walk(qtbot, "de")
    walk.check("Made up", window)
    assert "Made up: raw code 'in_person'" in walk.problems
    assert "Made up: raw code 'urgent'" in walk.problems
    assert "Made up: English 'Save the call'" in walk.problems
    assert "Made up: Alt+s twice" in walk.problems
