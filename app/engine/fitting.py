"""The three fits the engine learns with, in plain numpy: k-means, a ridge-penalised logistic
regression and the best one-to-one assignment of a small square score matrix.

Why not scikit-learn and SciPy: importing them costs a laptop ~130 MB of resident memory for
the rest of the session (measured: `import sklearn` alone took RSS from 107 to 215 MB), for
fits over a few thousand behaviour vectors and a regression over some twenty indicator
columns. Here each is a few lines, with the same objective as the library's:

- `kmeans`: Lloyd's iterations from k-means++ seeds, the best of `n_init` starts by inertia;
- `logistic`: minimises `0.5 * |w|^2 + c * sum(log loss)` (intercept free), as
  `LogisticRegression(C=c)` does, by Newton's method over the DISTINCT rows of the design
  with their counts of answers and silences: the design is indicators and small counts, so a
  million touchpoints are a few hundred distinct rows and the fit never holds a copy per
  touchpoint;
- `best_assignment`: the permutation of the largest total score (three personas: six).
"""

from __future__ import annotations

import itertools

import numpy as np


def kmeans(x: np.ndarray, k: int, *, n_init: int = 4, seed: int = 0,
           max_iter: int = 300, tol: float = 1e-4) -> np.ndarray:
    """Cluster centres (k x columns) of the rows of `x`: the best of `n_init` runs."""
    rng = np.random.default_rng(seed)
    threshold = tol * float(np.mean(np.var(x, axis=0))) if len(x) else 0.0
    best: tuple[float, np.ndarray] | None = None
    for _ in range(n_init):
        centres = _seeds(x, k, rng)
        for _ in range(max_iter):
            label = _nearest(x, centres)[0]
            moved = centres.copy()
            for j in range(k):
                members = x[label == j]
                if len(members):
                    moved[j] = members.mean(axis=0)
            shift = float(((moved - centres) ** 2).sum())
            centres = moved
            if shift <= threshold:
                break
        inertia = float(_nearest(x, centres)[1].sum())
        if best is None or inertia < best[0]:
            best = (inertia, centres)
    assert best is not None
    return best[1]


def _nearest(x: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the nearest centre and its squared distance."""
    distance = ((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    label = distance.argmin(axis=1)
    return label, distance[np.arange(len(x)), label]


def _seeds(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++: each next seed drawn with probability of its squared distance."""
    centres = [x[rng.integers(len(x))]]
    closest = ((x - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = closest.sum()
        pick = rng.choice(len(x), p=closest / total) if total > 0 else rng.integers(len(x))
        centres.append(x[pick])
        closest = np.minimum(closest, ((x - x[pick]) ** 2).sum(axis=1))
    return np.array(centres, dtype=float)


def logistic(x: np.ndarray, y: np.ndarray, *, c: float = 1.0,
             max_iter: int = 100) -> tuple[np.ndarray, float]:
    """(coefficients, intercept) of P(y) = sigmoid(x @ w + b), L2-penalised like
    `LogisticRegression(C=c)`; fitted on the distinct rows of `x` weighted by their counts."""
    rows, inverse = np.unique(x, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    answered = np.bincount(inverse, weights=y.astype(float), minlength=len(rows))
    seen = np.bincount(inverse, minlength=len(rows)).astype(float)
    design = np.hstack([rows, np.ones((len(rows), 1))])
    width = design.shape[1]
    penalty = np.eye(width)
    penalty[-1, -1] = 0.0  # the intercept is not penalised
    theta = np.zeros(width)
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-(design @ theta)))
        gradient = c * design.T @ (seen * p - answered) + penalty @ theta
        hessian = c * (design.T * (seen * p * (1.0 - p))) @ design + penalty
        step = np.linalg.solve(hessian + 1e-9 * np.eye(width), gradient)
        theta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def best_assignment(score: np.ndarray) -> list[int]:
    """For each row of a small square `score`, its column: the one-to-one choice of the
    largest total (rows beyond the columns get none: -1)."""
    n_rows, n_cols = score.shape
    best: tuple[float, tuple[int, ...]] | None = None
    for columns in itertools.permutations(range(n_cols), min(n_rows, n_cols)):
        total = float(sum(score[r, c] for r, c in enumerate(columns)))
        if best is None or total > best[0]:
            best = (total, columns)
    assert best is not None
    return [*best[1], *([-1] * (n_rows - len(best[1])))]
