"""The engine's own fits reach the optimum of the objective scikit-learn's would (the app no
longer imports it: `tests/test_footprint.py`)."""

from __future__ import annotations

import itertools

import numpy as np

from app.engine.fitting import best_assignment, kmeans, logistic
from app.engine.learn import design


def test_logistic_meets_the_optimum_of_its_penalised_loss() -> None:
    rng = np.random.default_rng(3)
    n = 30000
    x = design(rng.integers(0, 3, n), rng.integers(0, 5, n),
               rng.integers(0, 6, n).astype(float))
    truth = rng.normal(size=x.shape[1]) * 0.6
    y = rng.random(n) < 1.0 / (1.0 + np.exp(-(x @ truth - 0.4)))
    c = 10.0
    w, b = logistic(x, y, c=c)
    p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    # The gradient of 0.5|w|^2 + c * log loss vanishes at the optimum (intercept unpenalised).
    assert np.abs(w + c * x.T @ (p - y)).max() < 1e-5
    assert abs(c * float((p - y).sum())) < 1e-5
    # Fitted on distinct rows with counts, it recovers the planted response (the indicators
    # and the intercept are collinear, so probabilities, not coefficients, are compared).
    planted = 1.0 / (1.0 + np.exp(-(x @ truth - 0.4)))
    assert np.abs(p - planted).max() < 0.06


def test_kmeans_finds_planted_clusters_whatever_the_seed() -> None:
    rng = np.random.default_rng(5)
    centres = np.array([[0.0, 0.0, 0.0], [6.0, 0.0, 1.0], [0.0, 6.0, -1.0]])
    x = np.vstack([rng.normal(c, 0.7, (400, 3)) for c in centres])
    for seed in range(4):
        found = kmeans(x, 3, n_init=4, seed=seed)
        order = sorted(range(3), key=lambda j: tuple(found[j].round(0)))
        assert np.abs(found[order] - centres[sorted(range(3), key=lambda j: tuple(
            centres[j]))]).max() < 0.15


def test_best_assignment_is_the_largest_total() -> None:
    rng = np.random.default_rng(8)
    for _ in range(50):
        score = rng.normal(size=(3, 3))
        chosen = best_assignment(score)
        best = max(itertools.permutations(range(3)),
                   key=lambda cols: sum(score[r, c] for r, c in enumerate(cols)))
        assert chosen == list(best)
