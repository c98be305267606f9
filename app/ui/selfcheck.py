"""`fieldrep _selfcheck`: does this installation work? One JSON line, exit 0 or 1.

A frozen build (build.spec) or an installed wheel can lack what a source checkout always
has: a Qt plugin, QtWebEngine's helper process and its resources, SQLCipher's library, a
migration script, the demo decks. Each check below uses the part the way the app does, on
throwaway files in a temporary folder: a plain and an encrypted store opened (migrated), a
PDF page of a bundled demo deck drawn by the laptop's renderer, an HTML slide of the other
deck laid out by WebEngine offscreen, the engine's training process started (the app
started as a child of itself, scikit-learn found there). scripts/build_app.py runs it on
every build; support can run it on a laptop that misbehaves (it touches no data of the
rep's).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.config import resources_dir

HTML_TIMEOUT_S = 60.0


def _stores(folder: Path) -> str:
    from app.store.database import check_key, open_database

    plain = open_database(folder / "plain.sqlite")
    plain.close()
    key = os.urandom(32)
    encrypted = open_database(folder / "encrypted.sqlite", key)
    encrypted.close()
    check_key(folder / "encrypted.sqlite", key)  # SQLCipher really encrypted it
    if (folder / "encrypted.sqlite").read_bytes()[:16] == b"SQLite format 3\x00":
        raise RuntimeError("the encrypted store was written in the clear")
    return "plain and encrypted stores opened"


def _deck_file(folder: Path, deck: str, suffix: str) -> Path:
    with zipfile.ZipFile(resources_dir() / "content" / deck) as zf:
        name = next(n for n in zf.namelist() if n.endswith(suffix))
        return Path(zf.extract(name, folder))


def _pdf(folder: Path) -> str:
    from app.edetail.thumbnails import QtSlideRenderer

    png = QtSlideRenderer().pdf_page(_deck_file(folder, "cardiovel-heart-failure.zip", ".pdf"),
                                     1)
    if not png.startswith(b"\x89PNG"):
        raise RuntimeError("the PDF page was not drawn")
    return f"PDF page drawn ({len(png)} bytes of PNG)"


def _html(folder: Path) -> str:
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

    page_file = _deck_file(folder, "glucaria-clm.zip", "index.html")
    profile = QWebEngineProfile()  # off the record: nothing written anywhere
    page = QWebEnginePage(profile)
    loop = QEventLoop()
    result: dict[str, Any] = {}

    def answered(key: str) -> Callable[[object], None]:
        def keep(value: object) -> None:
            result[key] = value
            loop.quit()
        return keep

    page.loadFinished.connect(answered("loaded"))
    QTimer.singleShot(int(HTML_TIMEOUT_S * 1000), loop.quit)
    page.setHtml(page_file.read_text(encoding="utf-8"), QUrl("about:blank"))
    loop.exec()
    if not result.get("loaded"):
        raise RuntimeError("WebEngine did not load the HTML slide")
    page.runJavaScript("document.body.getBoundingClientRect().height",
                       0, answered("height"))
    QTimer.singleShot(int(HTML_TIMEOUT_S * 1000), loop.quit)
    loop.exec()
    page.deleteLater()
    if not result.get("height"):
        raise RuntimeError("WebEngine laid out nothing of the HTML slide")
    return f"HTML slide laid out ({result['height']:.0f} px high)"


def _training(_folder: Path) -> str:
    from app.services.training import check_child

    return check_child()


def run() -> int:
    """Run every check, print {check: what happened or why not} as JSON; 0 when all passed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.views.presenter.scheme import prepare_webengine

    prepare_webengine()  # before the application, as the app does
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["fieldrep"])
    checks: dict[str, Callable[[Path], str]] = {"stores": _stores, "pdf": _pdf, "html": _html,
                                                "training": _training}
    report: dict[str, Any] = {"frozen": bool(getattr(sys, "frozen", False)),
                              "resources": str(resources_dir())}
    failed = False
    with tempfile.TemporaryDirectory(prefix="fieldrep-selfcheck-") as tmp:
        for name, check in checks.items():
            started = time.perf_counter()
            try:
                report[name] = check(Path(tmp))
            except Exception as exc:  # every failure is the report's answer
                failed = True
                report[name] = f"FAILED: {type(exc).__name__}: {exc}"
            report[f"{name}_ms"] = round((time.perf_counter() - started) * 1000)
    print(json.dumps(report, ensure_ascii=False), flush=True)
    del app
    return 1 if failed else 0
