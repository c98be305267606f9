"""The server runs where Qt cannot be imported (a server install has no PySide6).

import-linter (pyproject) proves no module of the server imports Qt by name; this proves it
at run time, lazy imports included: the CLI adds a content package, the path that once drew
thumbnails with QtPdf, in a process where importing PySide6 or shiboken6 fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from server.cli import main
from server.db import Database
from server.models import Slide

ROOT = Path(__file__).resolve().parents[2]
DECK = ROOT / "resources" / "content" / "cardiovel-heart-failure.zip"

WITHOUT_QT = """
import importlib.abc, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is not installed on a server")
        return None

sys.meta_path.insert(0, NoQt())
from server.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def _server(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FIELDREP_SERVER_DSN"}
    return subprocess.run([sys.executable, "-c", WITHOUT_QT, "--data-dir", str(data_dir), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_content_add_checks_a_package_without_qt(tmp_path: Path) -> None:
    for command in (["init"], ["product", "add", "Cardiovel", "--area", "Cardiology"],
                    ["content", "add", str(DECK)]):
        done = _server(tmp_path, *command)
        assert done.returncode == 0, done.stderr
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    try:
        with db.reading() as session:
            thumbs = {s.code: s.thumbnail_sha256 for s in session.query(Slide)}
    finally:
        db.engine.dispose()
    assert thumbs  # the deck's slides are there, each thumbnail its own or left to laptops
    assert all(len(t) in (0, 64) for t in thumbs.values())


def test_a_package_refused_without_qt_says_why(tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path), "init"]) == 0
    assert _server(tmp_path, "product", "add", "Cardiovel", "--area", "Cardiology"
                   ).returncode == 0
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    done = _server(tmp_path, "content", "add", str(broken))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "PySide6" not in done.stderr
    assert done.stderr.strip()
