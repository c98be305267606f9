"""The frozen app (build.spec) builds, starts and does what a rep's laptop needs.

Runs scripts/build_app.py, which builds the one-folder app with PyInstaller and drives the
built executable (not this Python): `--version`, the self-check (plain and encrypted store,
a PDF page drawn, an HTML slide laid out by WebEngine offscreen) and `fieldrep --probe demo`,
whose demo server is the executable's own `_server` command. Minutes long: marked `frozen`,
run by .ci/run as a step of its own (`pytest -m frozen`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.frozen
def test_the_frozen_app_builds_and_passes_its_smoke_test(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller", reason="the freeze extra: pip install -e '.[freeze]'")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_app.py"),
                           "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800, check=False)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(report, indent=1))  # size and build time, in CI's log
    assert {step: report.get(step) for step in ("build", "version", "selfcheck", "demo")} == {
        "build": "ok", "version": "ok", "selfcheck": "ok", "demo": "ok"}, report
    assert report["selfcheck_output"]["frozen"] is True
    assert Path(report["selfcheck_output"]["resources"]).is_relative_to(tmp_path)
    assert done.returncode == 0
