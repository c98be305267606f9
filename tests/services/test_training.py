"""The engine's model learned in a child process: the same model as in the app's own process,
with its progress, scikit-learn never imported into the app, and a model all the same where no
child can be started or one dies."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from app.demo.territory import DemoSummary, generate
from app.engine.learn import train
from app.services import training
from app.services.suggestions import Recommender
from app.store.database import Database

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Here the child process is what is tested (tests/conftest.py trains in-process)."""
    monkeypatch.delenv(training.IN_PROCESS_ENV, raising=False)


@pytest.fixture
def demo(db: Database) -> DemoSummary:
    return generate(db, accounts=120, seed=5, years=1, today=TODAY)


def _features(db: Database, demo: DemoSummary) -> Any:
    recommender = Recommender()
    with db.read() as session:
        return recommender.engine_for(session, demo.rep_id).features


def test_the_child_learns_the_model_the_app_would_with_its_progress(
        db: Database, demo: DemoSummary) -> None:
    features = _features(db, demo)
    steps: list[tuple[int, int]] = []
    apart = training.train_apart(features, lambda done, total: steps.append((done, total)),
                                 seed=3)
    assert json.loads(apart.to_json()) == json.loads(train(features, None, 3).to_json())
    assert apart.trained_on > 0
    assert steps[0] == (0, 4) and steps[-1] == (4, 4)


class _Refused:
    """A machine where no process may be started."""

    def __init__(self, **_kwargs: Any) -> None:
        pass

    def start(self) -> None:
        raise OSError("operation not permitted")


class _Dies:
    """A child killed before it answers: a process that exits at once."""

    def __init__(self, **_kwargs: Any) -> None:
        self._process = multiprocessing.get_context("spawn").Process(target=_exit, daemon=True)

    def start(self) -> None:
        self._process.start()

    def is_alive(self) -> bool:
        return self._process.is_alive()

    @property
    def exitcode(self) -> int | None:
        return self._process.exitcode

    def join(self, timeout: float | None = None) -> None:
        self._process.join(timeout)

    def kill(self) -> None:  # pragma: no cover - it exits on its own
        self._process.kill()


def _exit() -> None:
    raise SystemExit(9)


@pytest.mark.parametrize("start", [_Refused, _Dies])
def test_without_a_child_the_model_is_learned_here_and_the_log_says_why(
        db: Database, demo: DemoSummary, start: Any, caplog: pytest.LogCaptureFixture) -> None:
    features = _features(db, demo)
    model = training.train_apart(features, None, seed=3, start=start)
    assert json.loads(model.to_json()) == json.loads(train(features, None, 3).to_json())
    assert "training in this process" in caplog.text


def test_an_error_of_the_training_is_raised_with_the_child_s_traceback(
        db: Database, demo: DemoSummary) -> None:
    features = _features(db, demo)
    features.sample_row = "not an array"  # what train() cannot read, in the child as here
    with pytest.raises(training.TrainingError, match="Traceback"):
        training.train_apart(features, None, seed=3)


def test_the_app_trains_its_first_today_without_importing_scikit_learn(
        tmp_path: Path) -> None:
    """A fresh interpreter, as the app is: a demo store, Today's first training through the
    recommender, then the modules loaded in this process."""
    script = textwrap.dedent(f"""
        import datetime as dt, json, sys
        from app.demo.territory import generate
        from app.services.suggestions import Recommender
        from app.store.database import open_database
        from pathlib import Path
        db = open_database(Path({str(tmp_path / "store.db")!r}))
        demo = generate(db, accounts=60, seed=5, years=1, today=dt.date(2026, 11, 23))
        with db.write() as session:
            model = Recommender().train(session, demo.rep_id)
        db.close()
        print(json.dumps({{"trained_on": model.trained_on,
                           "loaded": sorted(m for m in ("sklearn", "scipy")
                                            if m in sys.modules)}}))
    """)
    env = {k: v for k, v in os.environ.items() if k != training.IN_PROCESS_ENV}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=False, env=env)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["trained_on"] > 0
    assert got["loaded"] == []
