"""The layering of docs/architecture.md as a test: the architecture cannot rot silently.

import-linter checks the contracts in pyproject.toml ((ui, demo) -> services ->
sync/engine/edetail -> store; nothing below imports app.ui). It can only forbid whole external
packages, so Qt widgets (a submodule of PySide6) are checked here by reading every module's
imports.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BELOW_UI = ["store", "services", "engine", "edetail", "sync", "content_format"]
WIDGET_MODULES = ("PySide6.QtWidgets", "PySide6.QtWebEngineWidgets", "PySide6.QtPdfWidgets",
                  "pyqtgraph")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_qt_widgets_below_the_ui() -> None:
    offenders = []
    for package in BELOW_UI:
        for path in sorted((ROOT / "app" / package).rglob("*.py")):
            bad = sorted(n for n in _imports(path) if n.startswith(WIDGET_MODULES)
                         or n == "app.ui" or n.startswith("app.ui."))
            if bad:
                offenders.append(f"{path.relative_to(ROOT)}: {', '.join(bad)}")
    assert not offenders, "Qt widgets or app.ui imported below the UI:\n" + "\n".join(offenders)


def test_import_linter_contracts_hold() -> None:
    linter = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([linter, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
