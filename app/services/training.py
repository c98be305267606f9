"""Training the engine's model in a process of its own, so the app never holds scikit-learn.

A laptop without a stored model trains on its first Today (`Recommender.today`). Training
imports scikit-learn and SciPy, about 130 MB that stay in a process for as long as it runs
(docs/memory.md): in the window's process they were most of what a 300-account demo laptop
held beyond its 300 MB goal, for a k-means and a logistic regression that take seconds once
a day at most. So the model is learned in a short-lived child process (started with
`spawn`: a fresh interpreter that imports only the engine, never Qt or the window), which
reports its progress and answers the model as JSON — the form a model is stored and synced
in anyway, so nothing but plain numbers crosses back (`TrainedModel.from_json`). The child's
memory is given back to the system when it ends.

Where a child cannot be started or dies without an answer (a locked-down machine, a killed
process), the model is learned in this process as before: the rep gets suggestions either
way, and the log says why. An error of the training itself is the same error in both
places, so it is raised, not retried.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from app.engine.features import Features
from app.engine.learn import PERSONAS, TrainedModel, train

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
#: How long the parent waits between looks at the child (it also notices a dead child).
POLL_S = 0.2
#: Set to 1 to train in the app's own process: a machine whose policy forbids the app to
#: start processes, and the test suite, where each of some hundred trainings would start an
#: interpreter importing scikit-learn (~2 s each) while the app pays it once a day.
IN_PROCESS_ENV = "FIELDREP_TRAIN_IN_PROCESS"


class TrainingError(RuntimeError):
    """Training failed in the child: its own error, with the child's traceback."""


def train_apart(features: Features, progress: Progress | None = None, seed: int = 0,
                *, start: Callable[..., Any] | None = None) -> TrainedModel:
    """The model `learn.train` gives for `features`, learned in a child process.

    `start` makes the child process (tests pass one that fails, as a locked-down machine
    would); by default a `spawn` context's Process."""
    if len(features.accounts) < len(PERSONAS) or os.environ.get(IN_PROCESS_ENV) == "1":
        return train(features, progress, seed)  # too few accounts: no scikit-learn either
    report = progress or (lambda done, total: None)
    receiving, sending = multiprocessing.Pipe(duplex=False)
    make = start or multiprocessing.get_context("spawn").Process
    try:
        child = make(target=_child, args=(sending, features, seed), daemon=True,
                     name="fieldrep-training")
        child.start()
    except (OSError, RuntimeError, ValueError) as error:  # no child on this machine
        receiving.close()
        sending.close()
        log.warning("training in this process: no child process could be started (%s)",
                    error)
        return train(features, progress, seed)
    sending.close()  # the child holds its end; EOF here means it is gone
    try:
        return _receive(receiving, child, report)
    except EOFError:
        log.warning("training in this process: the training process ended without an "
                    "answer (exit code %s)", child.exitcode)
        return train(features, progress, seed)
    finally:
        receiving.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def _receive(receiving: Connection, child: Any, report: Progress) -> TrainedModel:
    while True:
        if not receiving.poll(POLL_S):
            if not child.is_alive() and not receiving.poll(0):
                raise EOFError
            continue
        kind, *payload = receiving.recv()
        if kind == "progress":
            report(*payload)
        elif kind == "model":
            return TrainedModel.from_json(payload[0])
        else:
            raise TrainingError(payload[0])


def _child(sending: Connection, features: Features, seed: int) -> None:
    """In the child: train, sending progress and then the model as JSON (or the error)."""
    try:
        model = train(features, lambda done, total: sending.send(("progress", done, total)),
                      seed)
        sending.send(("model", model.to_json()))
    except Exception:  # handed to the parent, which raises it
        sending.send(("error", traceback.format_exc(limit=20)))
    finally:
        sending.close()


def check_child(timeout_s: float = 120.0) -> str:
    """What `fieldrep _selfcheck` asks: can this installation start the training process,
    and does it find scikit-learn there? (A frozen build must be able to start itself as
    that process, and bundle scikit-learn.) Raises RuntimeError with what went wrong."""
    receiving, sending = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("spawn").Process(target=_versions, args=(sending,),
                                                         daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(timeout_s):
            raise RuntimeError("the training process did not answer")
        return str(receiving.recv())
    except EOFError:
        raise RuntimeError(f"the training process ended (exit code {child.exitcode})"
                           ) from None
    finally:
        receiving.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def _versions(sending: Connection) -> None:
    import scipy
    import sklearn

    sending.send(f"training process started: scikit-learn {sklearn.__version__}, "
                 f"SciPy {scipy.__version__}")
    sending.close()
