"""Priority per account: potential, expected response in the doctor's own channel (learned
from his answers, with the channel he stated as a prior they can overturn), time since the
last contact, damped as the contacts of the last 30 days approach the cap.

Vectorised over all accounts (numpy), so 5,000 accounts rescore in milliseconds; the reasons
in words are the largest terms of the sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.facts import CHANNELS, TOPICS, AccountScore, Reason
from app.engine.features import MISSED_IN_A_ROW, Features
from app.engine.learn import PERSONAS, TrainedModel

W_POTENTIAL = 0.30
W_RESPONSE = 0.45
W_RECENCY = 0.25
RECENCY_DAYS = 42.0  # six weeks without contact count as fully due
VISIT = CHANNELS.index("in_person")
SHRINK = 3.0  # pseudo-contacts of the persona's rates in an account's own rates
#: What a doctor's statement of his channel is worth: as much as this many answers in it.
#: Doctors often name a channel they do not answer in (field surveys find the stated and the
#: actual channel agree for well under half of them), so a statement is a head start that
#: a few answers elsewhere, and silence in it, overturn.
STATED_ANSWERS = 2.0


@dataclass
class Scores:
    """Everything one rescore computes, one row per account (arrays)."""

    persona: np.ndarray  # index into PERSONAS, -1 = none
    confidence: np.ndarray
    channel: np.ndarray  # [n x channels] expected response
    topic: np.ndarray  # [n x topics] share of positive reactions expected
    preferred: np.ndarray  # the doctor's own channel, learned (`own_channel`)
    stated: np.ndarray  # whether `preferred` is also the channel he stated
    said: np.ndarray  # the channel he stated (index; -1: none)
    failed: np.ndarray  # visits at which he did not receive the rep
    missed: np.ndarray  # of those, since the last visit he received
    instead: np.ndarray  # the channel that reaches him best other than a visit (-1: none)
    recent: np.ndarray  # contacts in the last 30 days
    cap: np.ndarray  # his own tolerance, learned (contacts per 30 days)
    ceiling: np.ndarray  # the rule set's cap his tolerance is learned under
    days: np.ndarray  # days since any contact (NaN: never)
    parts: np.ndarray  # [n x 3] potential, response, recency terms
    priority: np.ndarray


def assign_personas(model: TrainedModel, features: Features, min_contacts: int = 3,
                    ) -> tuple[np.ndarray, np.ndarray]:
    persona, confidence = model.assign(features.behaviour())
    known = features.is_hcp & (features.contacts.sum(axis=1) >= min_contacts) \
        & (model.trained_on > 0)
    # Integer even when empty (a laptop before its first sync): the result indexes arrays.
    return (np.where(known, persona, -1).astype(int),
            np.where(known, confidence, 0.0).astype(float))


def score(model: TrainedModel, features: Features, persona: np.ndarray,
          confidence: np.ndarray, caps: np.ndarray, penalty: np.ndarray,
          today: dt.date, rows: Sequence[int] | None = None,
          ceiling: np.ndarray | None = None) -> Scores:
    """Scores on `today` of every account, or of `rows` only (one new call rescores one
    row). `persona`, `confidence`, `caps` (each one's tolerance), `penalty` and `ceiling`
    (the rule set's cap; `caps` where not given) cover every account."""
    sel: Any = slice(None) if rows is None else np.asarray(rows, dtype=int)
    ceiling = (caps if ceiling is None else ceiling)[sel]
    persona, confidence, caps = persona[sel], confidence[sel], caps[sel]
    n = len(persona)
    recent = features.recent_counts(today, rows=None if rows is None else list(rows))
    pooled = np.where(persona >= 0, persona, 0)
    prior = prior_response(model, persona, recent)
    contacts, answers = features.contacts[sel], features.responses[sel]
    # Doctors differ in how readily they answer at all, whatever the channel: his answers
    # against what his persona would have given on the same contacts lift or lower the
    # prior of every channel, so a few contacts in one channel borrow from all the others.
    usual = prior_response(model, persona, np.zeros(n))
    lift = (answers.sum(axis=1) + SHRINK) / ((contacts * usual).sum(axis=1) + SHRINK)
    prior = np.clip(prior * lift[:, None], 0.0, 0.98)
    channel = (answers + SHRINK * prior) / (contacts + SHRINK)
    # A visit he does not receive gets no answer: restricted access learned from the
    # failed visits moves him to the channels that reach him.
    channel[:, VISIT] *= 1.0 - features.visits_failing(sel)
    channel = channel * penalty[sel]
    preferred, told, said = own_channel(model, features, sel)
    best_rate = channel[np.arange(n), preferred]
    topic_prior = np.asarray(model.topic_rate)[pooled] if n else np.zeros((0, len(TOPICS)))
    topic = (features.positive[sel] + SHRINK * topic_prior) / (features.reactions[sel] + SHRINK)
    days = features.days_since_any(today)[sel]
    recency = np.where(np.isnan(days), 1.0, np.clip(days / RECENCY_DAYS, 0.0, 1.0))
    parts = np.column_stack([W_POTENTIAL * features.potential[sel],
                             W_RESPONSE * np.clip(best_rate, 0.0, 1.0),
                             W_RECENCY * recency])
    headroom = np.clip(1.0 - recent / np.maximum(caps, 1.0), 0.0, 1.0)
    priority = parts.sum(axis=1) * (0.4 + 0.6 * headroom)
    others = np.where(features.allowed[sel], channel, -np.inf)
    others[:, VISIT] = -np.inf
    instead = np.where(np.isfinite(others).any(axis=1), others.argmax(axis=1), -1) \
        if n else np.zeros(0, dtype=int)
    return Scores(persona, confidence, channel, topic, preferred, told, said,
                  features.failed[sel].copy(), features.missed[sel].copy(),
                  instead.astype(int), recent, caps, ceiling, days, parts, priority)


def prior_response(model: TrainedModel, persona: np.ndarray,
                   recent: np.ndarray) -> np.ndarray:
    """The model's response per channel for each row's persona (the mean of all personas
    where none is known) after `recent` contacts in the last 30 days."""
    n = len(persona)
    if not n:
        return np.zeros((0, len(CHANNELS)))
    prior = model.response(np.where(persona >= 0, persona, 0), recent)
    if (persona < 0).any():
        mean = np.mean([model.response(np.full(n, p), recent) for p in range(len(PERSONAS))],
                       axis=0)
        prior = np.where((persona >= 0)[:, None], prior, mean)
    return prior


def own_channel(model: TrainedModel, features: Features, sel: Any,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each doctor's own channel, whether it is the one he stated, and the one he stated
    (-1: none).

    Among the channels he granted consent for (or, with none granted, those allowed; a
    stated channel always), the one his answers make most likely to be his own. The model
    knows how much more often doctors answer in their own channel than in others
    (`TrainedModel.preference_rates`); each answer in a channel counts for it and each
    contact without one against it (a failed visit too). The channel he stated starts
    `STATED_ANSWERS` answers ahead: a prior, not a verdict. Without a statement, the number
    of contacts in a channel weighs a little (a rep's habit follows the doctor somewhat).
    """
    allowed = features.allowed[sel]
    said = np.where(allowed, features.stated[sel], 0.0)
    told = said.max(axis=1) > 0.0 if len(said) else np.zeros(0, dtype=bool)
    named = np.where(told, said.argmax(axis=1) if len(said) else np.zeros(0, dtype=int), -1)
    own, other = model.preference_rates
    yes = np.log(own / other)
    contacts, answers = features.contacts[sel], features.responses[sel]
    no = np.log((1.0 - own) / (1.0 - other))
    evidence = answers * yes + (contacts - answers) * no
    # A visit he did not receive says a visit does not reach him, as a silence would.
    evidence[:, VISIT] += features.failed[sel] * no
    # Where he stated none, the rep's habit (how often a channel was used) is weak evidence
    # too; where he did, the statement is the head start, and the habit is the rep's.
    rows = np.nonzero(told)[0]
    evidence += np.where(told[:, None], 0.0, np.log(contacts + 1.0))
    evidence[rows, named[rows]] += STATED_ANSWERS * yes
    granted = features.granted[sel] & allowed
    pool = np.where(granted.any(axis=1, keepdims=True), granted, allowed)
    pool[rows, named[rows]] = True
    learned = np.where(pool, evidence, -np.inf).argmax(axis=1)
    return learned, told & (learned == named), named


def patch(scores: Scores, rows: Sequence[int], fresh: Scores) -> None:
    """Write the scores of `rows` (computed alone) into the scores of every account."""
    index = np.asarray(rows, dtype=int)
    for name in ("persona", "confidence", "channel", "topic", "preferred", "stated", "said",
                 "failed", "missed", "instead", "recent", "cap", "ceiling", "days", "parts",
                 "priority"):
        getattr(scores, name)[index] = getattr(fresh, name)


def reasons(scores: Scores, i: int, potential: float,
            channel: str | None = None) -> tuple[Reason, ...]:
    """The top factors of one account's priority, in words, largest first; the response
    named is that of `channel` (the suggestion's) or else of the doctor's channel."""
    parts = scores.parts[i]
    preferred = CHANNELS[int(scores.preferred[i])]
    if channel is None or channel not in CHANNELS:
        channel = preferred
    rate = float(scores.channel[i, CHANNELS.index(channel)])
    values = {"channel": channel, "percent": round(min(rate, 1.0) * 100)}
    said = int(scores.said[i])
    if channel != preferred:
        response = Reason("Responds well to {channel} ({percent} % expected)", values)
    elif scores.stated[i]:
        response = Reason("Prefers {channel} ({percent} % expected)", values)
    elif said >= 0:
        response = Reason("States {stated}, but answers {channel} ({percent} % expected)",
                          {**values, "stated": CHANNELS[said]})
    else:
        response = Reason("Responds best to {channel} ({percent} % expected)", values)
    days = scores.days[i]
    candidates = [
        (parts[0], Reason("Potential {percent} %", {"percent": round(potential * 100)})),
        (parts[1], response),
        (parts[2], Reason("Never contacted") if np.isnan(days)
         else Reason("No contact for {days} days", {"days": int(days)})),
    ]
    candidates.sort(key=lambda item: -item[0])
    out = [reason for _, reason in candidates]
    missed, instead = int(scores.missed[i]), int(scores.instead[i])
    if scores.failed[i] >= 2 and not (missed >= MISSED_IN_A_ROW and instead >= 0):
        out.insert(1, Reason("Did not receive the rep at {count} visits",
                             {"count": int(scores.failed[i])}))
    persona = int(scores.persona[i])
    if persona >= 0:
        out.insert(1, Reason("Behaves like the {persona} persona",
                             {"persona": PERSONAS[persona]}))
    if missed >= MISSED_IN_A_ROW and instead >= 0:
        # What the rep can do about it comes first: his door is closed to visits now.
        out.insert(0, Reason("Did not receive the last {count} visits: try {channel}",
                             {"count": missed, "channel": CHANNELS[instead]}))
    if scores.cap[i] < scores.ceiling[i]:
        out.append(Reason("Answers less after {cap} contacts in 30 days (learned)",
                          {"cap": int(scores.cap[i])}))
    elif scores.recent[i] >= max(scores.cap[i] - 1, 1):
        out.append(Reason("Contacted {count} times in 30 days (cap {cap})",
                          {"count": int(scores.recent[i]), "cap": int(scores.cap[i])}))
    return tuple(out[:4])


def account_score(scores: Scores, i: int, account_id: str, potential: float) -> AccountScore:
    persona = int(scores.persona[i])
    return AccountScore(
        account_id, float(scores.priority[i]), PERSONAS[persona] if persona >= 0 else None,
        CHANNELS[int(scores.preferred[i])],
        {c: float(scores.channel[i, k]) for k, c in enumerate(CHANNELS)},
        {t: float(scores.topic[i, k]) for k, t in enumerate(TOPICS)},
        reasons(scores, i, potential))
