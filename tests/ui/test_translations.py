"""Every word the app shows has a German translation, and German is what a German rep sees."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QToolButton

from app.config import Paths, Settings, resources_dir
from app.i18n import CONTEXT
from app.store.database import Database
from app.ui.application import configure, create_main_window
from app.ui.translation import install

APP = Path(__file__).resolve().parents[2] / "app"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def translated_by_others(path: Path) -> bool:
    """The call report's engineer translates these, in call_report.ts."""
    relative = path.relative_to(APP).as_posix()
    return relative.startswith("ui/widgets/") or relative.startswith("ui/views/call_report")


def source_strings() -> Iterator[tuple[str, str]]:
    """(file, text) of every tr("...") call with a string constant in app/."""
    for path in sorted(APP.rglob("*.py")):
        if translated_by_others(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                yield path.relative_to(APP).as_posix(), node.args[0].value


def german() -> dict[str, str]:
    messages: dict[str, str] = {}
    for path in sorted((resources_dir() / "translations" / "de").glob("*.ts")):
        for context in ET.parse(path).getroot().iter("context"):
            if context.findtext("name") != CONTEXT:
                continue
            for message in context.iter("message"):
                node = message.find("translation")
                if node is not None and node.text and node.get("type") is None:
                    messages[message.findtext("source") or ""] = node.text
    return messages


def test_every_string_has_a_german_translation() -> None:
    known = german()
    missing = sorted({f"{file}: {text!r}" for file, text in source_strings()
                      if text not in known})
    assert not missing, "No German for:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders() -> None:
    wrong = [source for source, target in german().items()
             if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(target))]
    assert not wrong


@pytest.fixture
def german_app(qapp: QApplication) -> Iterator[None]:
    before = QLocale()
    translators = install(qapp, "de")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)


def test_the_german_ui_speaks_german(qtbot, german_app: None, ui_db: Database,
                                     settings: Settings, tmp_path: Path) -> None:
    window = create_main_window(ui_db, settings, Paths(tmp_path), "de")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.user is not None)

    assert window.menuBar().actions()[0].text() == "&Datei"
    assert [b.text() for b in window.rail.findChildren(QToolButton)] == [
        "Heute", "Konten", "Bibliothek", "Einstellungen", "Kennzahlen", "Kalender", "Route"]
    with qtbot.waitSignal(window.accounts.page_loaded):
        window.show_accounts()
    assert window.accounts.count_label.text() == "303 Konten"
    assert window.accounts.model.headerData(1, Qt.Orientation.Horizontal) == "Fachrichtung"
    assert window.status.pending.text.text() == "Alle Änderungen auf diesem Laptop gespeichert"
    window.close()


def test_qt_own_words_are_german_too(qtbot, german_app: None) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(box)
    button = box.button(QDialogButtonBox.StandardButton.Save)
    assert button is not None and button.text() == "Speichern"


def test_the_style_sheet_applies_without_warnings(qtbot, qapp: QApplication, ui_db: Database,
                                                  settings: Settings, tmp_path: Path) -> None:
    """configure() on the real app: Qt warns (and the test fails) on a bad style sheet."""
    palette, font, style = qapp.palette(), qapp.font(), qapp.styleSheet()
    try:
        settings.set("theme", "dark")
        configure(qapp, settings)
        window = create_main_window(ui_db, settings, Paths(tmp_path))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert qapp.palette().window().color().lightness() < 60
        window.close()
    finally:
        qapp.setStyleSheet(style)
        qapp.setPalette(palette)
        qapp.setFont(font)


def test_the_translation_files_agree_with_each_other() -> None:
    """A source text in two .ts files must read the same in both (the last file loaded wins)."""
    import xml.etree.ElementTree as ET

    from app.config import resources_dir

    seen: dict[str, tuple[str, str]] = {}
    conflicts = []
    for path in sorted((resources_dir() / "translations" / "de").glob("*.ts")):
        for message in ET.parse(path).getroot().iter("message"):
            source, translation = message.findtext("source"), message.findtext("translation")
            if source is None or translation is None:
                continue
            if source in seen and seen[source][0] != translation:
                conflicts.append(f"{source!r}: {seen[source][1]} and {path.name} differ")
            seen.setdefault(source, (translation, path.name))
    assert not conflicts, "\n".join(conflicts)


def test_figures_are_written_as_german_writes_them(german_app: None) -> None:
    from app.ui import format as fmt

    assert fmt.percent_text(0.894) == "89,4 %"
    assert fmt.number_text(-0.2, signed=True) == "\u22120,2"
    assert fmt.number_text(4.5, signed=True) == "+4,5"
    assert fmt.number_text(-0.04, signed=True) == "0,0"  # no "-0,0"
    assert fmt.number_text(12345.67, 2) == "12.345,67"



@pytest.mark.parametrize("lang", ["en", "de"])
def test_stored_codes_are_shown_as_labels(qapp: QApplication, lang: str) -> None:
    """An urgency or an answer channel is a label ("High urgency", "Brief"), never the stored
    code ("high", "letter") in either language."""
    from app.services.escalations import channel_text, urgency_text
    from app.store.escalations import AnswerChannel, Urgency

    translators = install(qapp, "de") if lang == "de" else []
    try:
        shown = [(u.value, urgency_text(u.value)) for u in Urgency]
        shown += [(c.value, channel_text(c.value)) for c in AnswerChannel]
        for code, label in shown:
            assert label != code and label[0].isupper(), (code, label)
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_english_writes_numbers_as_english_does(qapp: QApplication) -> None:
    """On a system of another language, or the bare C locale (no grouping), the English UI
    still writes "2,000 accounts"."""
    from app.ui.format import count_text

    before = QLocale()
    try:
        install(qapp, "en")
        assert count_text(2000, "1 account", "{count} accounts") == "2,000 accounts"
    finally:
        QLocale.setDefault(before)
