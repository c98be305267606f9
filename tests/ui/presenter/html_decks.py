"""HTML decks of one page for the presenter's tests, and JavaScript run in the shown page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.edetail.package import import_package
from app.store.database import Database
from app.ui.views.presenter.presentation import Presenter
from tests.edetail.conftest import files, manifest, write_zip


def one_page_deck(db: Database, folder: Path, page: bytes, name: str) -> str:
    """The test package with `page` as its HTML slide, imported; its presentation's id."""
    members = files()
    members["slides/q/index.html"] = page
    members["manifest.json"] = json.dumps(manifest()).encode()
    return import_package(db, write_zip(folder / f"{name}.zip", members)).presentation_id


def run_js(qtbot: Any, presenter: Presenter, script: str) -> Any:
    """`script`'s value in the audience's page, waited for."""
    assert presenter.html is not None and presenter.html.view is not None
    result: list[Any] = []
    presenter.html.view.page().runJavaScript(script, 0, result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=10_000)
    return result[0]
