"""Adding a synced entity takes its declarations, a model per store and a migration per
store, nothing else: `tests/sync/new_entity.py` registers one and syncs it through a real
server process (its own process, so the contract of this one stays as it is)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_entity_known_only_to_its_declaration_syncs(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "tests.sync.new_entity", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "visit_notes synced" in run.stdout
