"""`fieldrep _selfcheck` answers for this installation: stores, a PDF page, an HTML slide, the
training process.

The frozen build runs the same command on the built executable (tests/test_build_app.py);
here it runs on this checkout, in a process of its own as a person would run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_self_check_passes_and_says_what_it_checked(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "app", "_selfcheck"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["frozen"] is False
    assert report["stores"] == "plain and encrypted stores opened"
    assert report["pdf"].startswith("PDF page drawn")
    assert report["html"].startswith("HTML slide laid out")
    assert report["training"].startswith("training process started: scikit-learn ")
    assert Path(report["resources"]) == ROOT / "resources"
