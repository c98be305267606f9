"""Loading the German translation straight from Qt Linguist `.ts` files.

A QTranslator subclass answers from the parsed `.ts` XML, so the repository keeps only the
translators' source files (no compiled `.qm` committed, no build step). All `.ts` files of a
language folder are merged: each area of the UI keeps its own file. Qt's own strings (standard
buttons, dialogs) come from the `qtbase_*.qm` that PySide6 ships.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app import i18n
from app.config import resources_dir

LANGUAGES = ("en", "de")


class TsTranslator(QTranslator):
    def __init__(self, files: list[Path]) -> None:
        super().__init__()
        self._messages: dict[tuple[str, str], str] = {}
        for path in files:
            for context in ET.parse(path).getroot().iter("context"):
                name = context.findtext("name") or ""
                for message in context.iter("message"):
                    source = message.findtext("source")
                    node = message.find("translation")
                    if source is None or node is None or node.get("type") in {"unfinished",
                                                                             "obsolete"}:
                        continue
                    if node.text:
                        self._messages[(name, source)] = node.text

    def __len__(self) -> int:
        return len(self._messages)

    def isEmpty(self) -> bool:
        return not self._messages

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None (a null string), not "": Qt then asks the next translator (its own qtbase
        # German for standard buttons) instead of showing an empty label.
        return self._messages.get((context, source))


def resolve_language(setting: str) -> str:
    """'system' -> the system locale's language if we have it, else English."""
    if setting in LANGUAGES:
        return setting
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else "en"


def install(app: QApplication, language: str) -> list[QTranslator]:
    """Install the translators for `language`; returns them (keep them alive).

    Every layer's `tr` (app.i18n) then asks Qt's translators.
    """
    i18n.use(QCoreApplication.translate)
    installed: list[QTranslator] = []
    if language == "en":
        # Numbers and dates as English writes them ("2,000 accounts"), also on a system
        # whose locale is another language or the bare C locale (no grouping at all); an
        # English system locale (en_GB, en_IE) keeps its own dates.
        if QLocale.system().language() != QLocale.Language.English:
            QLocale.setDefault(QLocale(QLocale.Language.English,
                                       QLocale.Country.UnitedStates))
        return installed
    files = sorted((resources_dir() / "translations" / language).glob("*.ts"))
    ours = TsTranslator(files)
    qt_own = QTranslator()
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", qt_folder):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    app.installTranslator(ours)
    installed.append(ours)
    QLocale.setDefault(QLocale(language))
    return installed
