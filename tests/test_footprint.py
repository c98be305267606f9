"""The laptop's resident memory: what starting the window imports.

scikit-learn and SciPy cost ~130 MB of RSS once imported and stay for the session; the engine
imports them only to train a model (`app.engine.learn.train`). WebEngine is loaded only when
an HTML slide is shown.
Checked in a fresh interpreter: what earlier tests imported must not hide an import here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sklearn", "scipy", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineCore",
         "pyqtgraph")

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from app.ui.application import create_main_window
import app.engine, app.services.suggestions
from app.engine.learn import train
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in {"sklearn", "scipy",
      "pyqtgraph"} or m.startswith("PySide6.QtWebEngine"))))
"""


def test_the_window_and_the_engine_import_nothing_heavy() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1:] in ([], [""]), out.stdout
