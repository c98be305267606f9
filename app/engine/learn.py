"""The learned part: personas from behaviour, response by persona, channel and frequency.

Trained with scikit-learn on this laptop's history (in the background, with progress;
imported only when a model is trained, since scikit-learn and SciPy cost ~130 MB of memory a
laptop that opens a stored model never needs: docs/memory.md), and kept as plain numbers
(`TrainedModel.to_json`): a model can be stored, synced or shipped from the server as JSON,
never as a pickle, so loading a model can never run code.

- Personas: k-means over the behaviour vectors (`Features.behaviour`), scaled; each cluster
  is named after the seeds' persona whose signature (what the persona is known for: the
  evidence-driven like studies and long talks, the pragmatic short visits and dosing, the
  digitally affine e-mail and video) fits its centre best, one name per cluster.
- Responsiveness groups: whether the territory holds doctors who barely answer anything is
  a question for the data, not an assumption: a mixture of one or two groups of answer
  rates over the doctors' contacts, the number chosen by BIC. Where two groups are found and
  the low one answers at most a quarter as often (`BARELY_RATIO`),
  a doctor the low group explains best (posterior >= `BARELY_POSTERIOR`) is "barely
  responsive": that is what the rep is told, instead of a persona his few answers cannot
  support.
- Tolerance: how many contacts in 30 days each doctor takes before he answers less. The
  territory's fatigue (how much less a doctor answers a contact beyond his tolerance, against
  his own answers to his first contacts: `fatigue_ratio`) is learned at training; each
  doctor's tolerance is then the level his answers by dose level make likely, never above
  the rule set's ceiling, which stands until his answers speak against it (`tolerance`).
- Response: a logistic regression per touchpoint of "the doctor responded" on persona x
  channel and the contacts of the 30 days before it per persona, so "the dose makes it" is
  learned (a negative slope), and it gives each channel's expected response per persona.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.facts import TOPICS
from app.engine.features import BEHAVIOUR_COLUMNS, C, Features, T

PERSONAS = ("evidence_driven", "pragmatic", "digital_affine")
#: The behaviour group of doctors who barely answer anything (never a persona of the rules).
BARELY = "barely_responsive"
BARELY_POSTERIOR = 0.8
#: What "barely" means: the low group answers at most a quarter as often as the others (a
#: group answering half as often is merely less responsive, and keeps its persona).
BARELY_RATIO = 0.25
MODEL_FORMAT = 3
#: Response in the channel a doctor stated and in his other channels, before any history
#: (the learned rates replace it: `preference_rates`).
PREFERENCE_PRIOR = (0.75, 0.5)
MIN_CONTACTS = 3  # fewer contacts: too little behaviour to name a persona
#: Contacts beyond the first in their 30 days, weighed by the doctor's own first-contact
#: answer rate, below which the territory's fatigue is not learned (too few to tell).
FATIGUE_EVIDENCE = 30.0
#: A tolerance below the ceiling is taken only when the doctor's answers make the ceiling
#: and every level between this unlikely (posterior under this share, uniform prior).
KEEP_CEILING = 0.2

#: What each persona is known for (docs/demo-data.md), as weights over behaviour columns.
SIGNATURES: dict[str, dict[str, float]] = {
    "evidence_driven": {"net:study": 1.0, "net:efficacy": 1.0, "net:patient-support": -0.7,
                        "length:in_person": 0.8, "length:video": 0.5, "rate:event": 0.5,
                        "stated:event": 0.5, "dwell:study": 0.5},
    "pragmatic": {"net:dosing": 1.0, "net:safety": 1.0, "net:study": -0.7,
                  "length:in_person": -0.8, "length:phone": -0.5, "rate:phone": 0.6,
                  "stated:phone": 0.5, "mix:phone": 0.3},
    "digital_affine": {"net:patient-support": 1.0, "rate:email": 1.0, "rate:video": 0.6,
                       "stated:email": 1.0, "stated:video": 0.5, "mix:email": 0.4},
}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TrainedModel:
    """Everything learned, as plain numbers."""

    mean: list[float]
    scale: list[float]
    centroids: list[list[float]]  # scaled behaviour space, one per persona in `names`
    names: list[str]
    channel_rate: list[list[float]]  # [persona][channel] expected response (no recent contacts)
    topic_rate: list[list[float]]  # [persona][topic] share of positive reactions
    coef: list[float]  # logistic regression over `design`
    intercept: float
    trained_on: int  # touchpoints
    #: Response in the channel a doctor stated, and in his others (doctors who stated one):
    #: how much a channel's answers say about it being a doctor's own (`own_channel`).
    preference_rates: tuple[float, float] = PREFERENCE_PRIOR
    #: The two groups of answer rates (low rate, high rate, share of the low group), or
    #: None where the data shows one group only (`responsiveness_groups`).
    responders: tuple[float, float, float] | None = None
    #: The answer rate of a contact one beyond a doctor's tolerance, relative to one within
    #: it (`fatigue_ratio`; 1.0: no fatigue learned, every doctor keeps the ceiling).
    fatigue: float = 1.0

    def to_json(self) -> str:
        return json.dumps({"format": MODEL_FORMAT, **self.__dict__})

    @staticmethod
    def from_json(text: str) -> TrainedModel:
        """A model from JSON; anything malformed is a ValueError, nothing is executed."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.pop("format", None) != MODEL_FORMAT:
            raise ValueError(f"not a Fieldrep model (format {MODEL_FORMAT})")
        try:
            rates = data.pop("preference_rates")
            groups = data.pop("responders")
            fatigue = float(data.pop("fatigue", 1.0))  # a model stored before it was learned
            model = TrainedModel(
                **data, preference_rates=(float(rates[0]), float(rates[1])), fatigue=fatigue,
                responders=None if groups is None else (
                    float(groups[0]), float(groups[1]), float(groups[2])))
        except (TypeError, KeyError, IndexError, ValueError) as error:
            raise ValueError(f"malformed model: {error}") from error
        width = len(BEHAVIOUR_COLUMNS)
        if (len(model.mean) != width or len(model.scale) != width
                or any(len(c) != width for c in model.centroids)
                or len(model.names) != len(model.centroids)
                or any(n not in PERSONAS for n in model.names)
                or len(model.coef) != design_width()
                or len(rates) != 2
                or (model.responders is not None
                    and not 0.0 < model.responders[0] < model.responders[1] < 1.0)
                or not 0.0 < model.preference_rates[1] < model.preference_rates[0] < 1.0
                or not 0.0 < model.fatigue <= 1.0):
            raise ValueError("malformed model: sizes do not match this build")
        return model

    # ---- use ---------------------------------------------------------------------------

    def assign(self, behaviour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Persona index (into PERSONAS) and confidence per row."""
        scaled = (behaviour - np.asarray(self.mean)) / np.asarray(self.scale)
        centres = np.asarray(self.centroids)
        distance = ((scaled[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        weights = np.exp(-(distance - distance.min(axis=1, keepdims=True)) / 2.0)
        weights /= weights.sum(axis=1, keepdims=True)
        best = weights.argmax(axis=1)
        persona = np.array([PERSONAS.index(self.names[b]) for b in best])
        return persona, weights.max(axis=1)

    def barely(self, answers: np.ndarray, contacts: np.ndarray) -> np.ndarray:
        """Per row: the posterior of the low-responding group given his answers out of his
        contacts (0 where the model found one group only)."""
        if self.responders is None:
            return np.zeros(len(answers))
        low, high, share = self.responders
        misses = contacts - answers
        log_low = np.log(share) + answers * np.log(low) + misses * np.log(1.0 - low)
        log_high = np.log(1.0 - share) + answers * np.log(high) + misses * np.log(1.0 - high)
        return 1.0 / (1.0 + np.exp(np.clip(log_high - log_low, -50.0, 50.0)))

    def response(self, persona: np.ndarray, recent: np.ndarray) -> np.ndarray:
        """Expected response per channel [rows x channels] at the given recent contacts."""
        rows = np.repeat(np.arange(len(persona)), C)
        channels = np.tile(np.arange(C), len(persona))
        x = design(persona[rows], channels, recent[rows].astype(float))
        z = x @ np.asarray(self.coef) + self.intercept
        return (1.0 / (1.0 + np.exp(-z))).reshape(len(persona), C)


def design_width() -> int:
    return len(PERSONAS) * C + len(PERSONAS)


def design(persona: np.ndarray, channel: np.ndarray, recent: np.ndarray) -> np.ndarray:
    """persona x channel indicators, then recent contacts per persona (the dose effect)."""
    n = len(persona)
    x = np.zeros((n, design_width()))
    x[np.arange(n), persona * C + channel] = 1.0
    x[np.arange(n), len(PERSONAS) * C + persona] = recent
    return x


def name_clusters(centroids: np.ndarray) -> list[str]:
    """One persona name per cluster centre: the best overall fit of centres to signatures."""
    weights = np.zeros((len(PERSONAS), len(BEHAVIOUR_COLUMNS)))
    for p, name in enumerate(PERSONAS):
        for column, weight in SIGNATURES[name].items():
            weights[p, BEHAVIOUR_COLUMNS.index(column)] = weight
    fit = centroids @ weights.T  # clusters x personas
    from scipy.optimize import linear_sum_assignment  # see the module's docstring

    rows, cols = linear_sum_assignment(-fit)
    names = [""] * len(centroids)
    for r, c in zip(rows, cols, strict=True):
        names[r] = PERSONAS[c]
    return names


def train(features: Features, progress: Progress | None = None, seed: int = 0) -> TrainedModel:
    """Learn personas and response from the counted history."""
    report = progress or (lambda done, total: None)
    report(0, 4)
    if len(features.accounts) < len(PERSONAS):
        report(4, 4)
        return untrained()  # too few accounts to tell personas apart (or fatigue)
    behaviour = features.behaviour()
    enough = features.is_hcp & (features.contacts.sum(axis=1) >= MIN_CONTACTS)
    sample = behaviour[enough] if enough.sum() >= len(PERSONAS) * 5 else behaviour
    mean = sample.mean(axis=0)
    scale = sample.std(axis=0)
    scale[scale < 1e-6] = 1.0
    scaled = (sample - mean) / scale
    if len(np.unique(scaled.round(9), axis=0)) < len(PERSONAS):
        report(4, 4)
        # Too few distinct behaviours to tell personas apart; their tolerance may still show.
        return dataclasses.replace(untrained(), fatigue=fatigue_ratio(features))
    report(1, 4)
    from sklearn.cluster import KMeans  # see the module's docstring

    centroids = KMeans(n_clusters=len(PERSONAS), n_init=4, random_state=seed
                       ).fit(scaled).cluster_centers_
    names = name_clusters(centroids)
    report(2, 4)
    model = TrainedModel(mean.tolist(), scale.tolist(), centroids.tolist(), names,
                         [], [], [0.0] * design_width(), 0.0, len(features.sample_row))
    persona, _ = model.assign(behaviour)
    persona = np.where(features.is_hcp, persona, 1)  # institutions count as pragmatic
    topic_rate = []
    for p in range(len(PERSONAS)):
        rows = persona == p
        topic_rate.append(((features.positive[rows].sum(axis=0) + 1.0)
                           / (features.reactions[rows].sum(axis=0) + 3.0)).tolist())
    coef, intercept = [0.0] * design_width(), 0.0
    if features.sample_row:
        rows = np.asarray(features.sample_row)
        y = np.asarray(features.sample_response, dtype=bool)
        x = design(persona[rows], np.asarray(features.sample_channel),
                   features.sample_recent())
        if y.any() and not y.all():
            from sklearn.linear_model import LogisticRegression

            regression = LogisticRegression(C=10.0, max_iter=300).fit(x, y)
            coef, intercept = regression.coef_[0].tolist(), float(regression.intercept_[0])
    report(3, 4)
    model = TrainedModel(model.mean, model.scale, model.centroids, names, [], topic_rate,
                         coef, intercept, len(features.sample_row))
    zero = np.zeros(len(PERSONAS))
    channel_rate = model.response(np.arange(len(PERSONAS)), zero).tolist()
    report(4, 4)
    return TrainedModel(model.mean, model.scale, model.centroids, names, channel_rate,
                        topic_rate, coef, intercept, len(features.sample_row),
                        preference_rates(features),
                        responsiveness_groups(features.responses.sum(axis=1)[enough],
                                              features.contacts.sum(axis=1)[enough]),
                        fatigue_ratio(features))


def _first_rate(features: Features, sel: Any = slice(None)) -> np.ndarray:
    """Each doctor's answer rate to a contact that was his only one in 30 days, pulled
    towards the territory's by two pseudo-contacts."""
    contacts, answers = features.dose_contacts, features.dose_answers
    overall = (answers[:, 0].sum() + 1.0) / (contacts[:, 0].sum() + 2.0)
    return (answers[sel, 0] + 2.0 * overall) / (contacts[sel, 0] + 2.0)


def fatigue_ratio(features: Features) -> float:
    """How much less doctors answer a contact that was not their first in 30 days, against
    each one's own first-contact rate (so the frequently contacted, often the keen ones, are
    compared with themselves). Where doctors tolerate more than one, a second contact is
    answered as a first and the ratio stays near 1; 1.0 where too few crowded contacts."""
    crowded = features.dose_contacts[:, 1:].sum(axis=1)
    expected = float((crowded * _first_rate(features)).sum())
    if expected < FATIGUE_EVIDENCE:
        return 1.0
    ratio = float(features.dose_answers[:, 1:].sum()) / expected
    return min(1.0, max(0.05, ratio))


def tolerance(features: Features, ceiling: np.ndarray, fatigue: float,
              rows: Sequence[int] | None = None) -> np.ndarray:
    """Each doctor's contacts per 30 days before he answers less, from 1 to his `ceiling`
    (the rule set's; never above it): the likelihood of his answers by dose level under each
    tolerance t (levels beyond t answered at `fatigue` ** (level - t) of the rate within),
    with a uniform prior; the ceiling stands unless his answers make it, and every level
    between, unlikely (`KEEP_CEILING`). Without fatigue learned, the ceiling."""
    sel: Any = slice(None) if rows is None else np.asarray(rows, dtype=int)
    ceiling = np.asarray(ceiling, dtype=float)[sel] if np.ndim(ceiling) else \
        np.full(len(features.dose_contacts[sel]), float(ceiling))
    top = int(ceiling.max()) if len(ceiling) else 0
    if fatigue >= 1.0 or top <= 1:
        return ceiling.copy()
    contacts, answers = features.dose_contacts[sel], features.dose_answers[sel]
    levels = np.arange(1, contacts.shape[1] + 1)
    overall = _first_rate(features, sel)
    loglik = np.full((len(ceiling), top), -np.inf)
    for t in range(1, top + 1):
        within = levels <= t
        rate = (answers[:, within].sum(axis=1) + 2.0 * overall) \
            / (contacts[:, within].sum(axis=1) + 2.0)
        q = np.clip(rate[:, None] * fatigue ** np.maximum(levels - t, 0)[None, :],
                    1e-3, 1 - 1e-3)
        ll = (answers * np.log(q) + (contacts - answers) * np.log(1.0 - q)).sum(axis=1)
        loglik[:, t - 1] = np.where(t <= ceiling, ll, -np.inf)
    posterior = np.exp(loglik - loglik.max(axis=1, keepdims=True))
    posterior /= posterior.sum(axis=1, keepdims=True)
    at_least = np.cumsum(posterior[:, ::-1], axis=1)[:, ::-1]  # P(T >= t)
    keep = at_least >= KEEP_CEILING
    return (keep * np.arange(1, top + 1)[None, :]).max(axis=1).astype(float)


def responsiveness_groups(answers: np.ndarray, contacts: np.ndarray, rounds: int = 200,
                          ) -> tuple[float, float, float] | None:
    """Two groups of answer rates (low, high, share of low) fitted to the doctors' answers
    out of their contacts (a binomial mixture, EM), or None where one group explains the
    data as well once the extra parameters are paid for (BIC)."""
    n = len(answers)
    if n < 20 or contacts.sum() <= 0:
        return None
    misses = contacts - answers
    one = np.clip(answers.sum() / contacts.sum(), 1e-4, 1 - 1e-4)
    ll_one = float((answers * np.log(one) + misses * np.log(1 - one)).sum())
    rate = answers / np.maximum(contacts, 1.0)
    low, high, share = (float(np.quantile(rate, 0.2)) * 0.5 + 1e-3,
                        float(np.quantile(rate, 0.8)), 0.3)
    ll_two = -np.inf
    for _ in range(rounds):
        low, high = min(max(low, 1e-4), 1 - 1e-4), min(max(high, 1e-4), 1 - 1e-4)
        log_low = np.log(share) + answers * np.log(low) + misses * np.log(1 - low)
        log_high = np.log(1 - share) + answers * np.log(high) + misses * np.log(1 - high)
        top = np.maximum(log_low, log_high)
        total = top + np.log(np.exp(log_low - top) + np.exp(log_high - top))
        ll_new = float(total.sum())
        weight = np.exp(log_low - total)
        share = min(max(float(weight.mean()), 1e-4), 1 - 1e-4)
        low = float((weight * answers).sum() / max((weight * contacts).sum(), 1e-9))
        high = float(((1 - weight) * answers).sum() / max(((1 - weight) * contacts).sum(), 1e-9))
        if abs(ll_new - ll_two) < 1e-6:
            break
        ll_two = ll_new
    if low > high:
        low, high, share = high, low, 1 - share
    bic_one, bic_two = -2 * ll_one + np.log(n), -2 * ll_two + 3 * np.log(n)
    if bic_two >= bic_one or not 0.0 < low <= BARELY_RATIO * high < 1.0:
        return None
    return low, high, share


def preference_rates(features: Features, weight: float = 20.0) -> tuple[float, float]:
    """Response in the stated channel and in the other channels of the doctors who stated
    one, each pulled towards `PREFERENCE_PRIOR` by `weight` pseudo-contacts. Where the
    history shows no lift (the stated channel answered no better), the prior stands: the
    lift is what makes answers evidence of a doctor's own channel."""
    told = features.stated.max(axis=1) > 0.0
    if not told.any():
        return PREFERENCE_PRIOR
    own = features.stated[told].argmax(axis=1)
    rows = np.arange(int(told.sum()))
    contacts, answers = features.contacts[told], features.responses[told]
    in_own, answered_own = contacts[rows, own].sum(), answers[rows, own].sum()
    in_other, answered_other = contacts.sum() - in_own, answers.sum() - answered_own
    prior_own, prior_other = PREFERENCE_PRIOR
    rate_own = (answered_own + weight * prior_own) / (in_own + weight)
    rate_other = (answered_other + weight * prior_other) / (in_other + weight)
    rate_own, rate_other = (min(max(r, 0.02), 0.98) for r in (rate_own, rate_other))
    if rate_own <= rate_other + 0.02:
        return PREFERENCE_PRIOR
    return float(rate_own), float(rate_other)


def untrained() -> TrainedModel:
    """A neutral model before any training: no personas, equal response everywhere."""
    width = len(BEHAVIOUR_COLUMNS)
    return TrainedModel([0.0] * width, [1.0] * width, [[0.0] * width], [PERSONAS[1]],
                        [[0.3] * C for _ in PERSONAS], [[1 / 3] * T for _ in PERSONAS],
                        [0.0] * design_width(), -0.85, 0, PREFERENCE_PRIOR, None)


__all__ = ["BARELY", "PERSONAS", "TOPICS", "TrainedModel", "fatigue_ratio", "tolerance", "train",
           "untrained"]
