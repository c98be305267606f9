"""benchmarks/store.py keeps what a probe measured when the machine kills it: a spawn killed
after it painted still counts, it is retried for its memory figure, and the report names it."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks import store

#: A probe that paints, then is killed (SIGKILL, as a loaded machine's OOM killer does) on
#: every second spawn before it reports its memory; the other spawns finish normally.
FLAKY = """
import json, os, pathlib, sys
counter = pathlib.Path(sys.argv[1])
n = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(n + 1))
print("painted", flush=True)
if n % 2 == 0:
    os.kill(os.getpid(), 9)
print(json.dumps({"rss_mb": 111.5}), flush=True)
"""


def test_a_probe_killed_after_painting_is_retried_and_named(tmp_path: Path) -> None:
    command = [sys.executable, "-c", FLAKY, str(tmp_path / "spawns")]
    seconds, rss, failures = store.measure_runs(command, want_rss=True, label="app")
    assert len(seconds) == store.PAINT_RUNS  # every run's paint was measured
    assert rss == [111.5] * store.PAINT_RUNS  # the retry brought each memory figure
    assert len(failures) == store.PAINT_RUNS
    assert all(f.startswith(f"app run {i + 1} attempt 1: exit code -9, painted=True")
               for i, f in enumerate(failures))


def test_a_probe_that_never_reports_leaves_its_paint_and_says_why(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import os; print('painted', flush=True); os._exit(3)"]
    seconds, rss, failures = store.measure_runs(command, want_rss=True, label="app")
    assert len(seconds) == store.PAINT_RUNS and rss == []
    assert len(failures) == store.PAINT_RUNS * store.PAINT_ATTEMPTS
    assert "exit code 3, painted=True, rss=False" in failures[-1]
