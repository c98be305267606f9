"""Why an account was given its persona, in words the rep can check against the history."""

from __future__ import annotations

import numpy as np

from app.engine.facts import TOPICS, Reason
from app.engine.features import BEHAVIOUR_COLUMNS, CHANNEL_INDEX, TOPIC_INDEX, Features
from app.engine.learn import SIGNATURES, TrainedModel


def persona_evidence(model: TrainedModel, features: Features, i: int, persona: str,
                     limit: int = 3) -> tuple[Reason, ...]:
    """The behaviour that points most to `persona`, strongest first."""
    behaviour = features.behaviour(rows=[i])[0]
    scaled = (behaviour - np.asarray(model.mean)) / np.asarray(model.scale)
    weights = SIGNATURES[persona]
    ranked = sorted(((scaled[BEHAVIOUR_COLUMNS.index(col)] * w, col)
                     for col, w in weights.items()), reverse=True)
    out: list[Reason] = []
    for strength, column in ranked:
        if strength <= 0 or len(out) >= limit:
            break
        reason = _words(features, i, column)
        if reason is not None:
            out.append(reason)
    return tuple(out)


def _words(features: Features, i: int, column: str) -> Reason | None:
    kind, name = column.split(":", 1)
    if kind == "net":
        t = TOPIC_INDEX[name]
        pos, neg = int(features.positive[i, t]), int(features.negative[i, t])
        total = int(features.reactions[i, t])
        if pos >= neg:
            return Reason("Reacted positively to {topic} {count} of {total} times",
                          {"topic": name, "count": pos, "total": total})
        return Reason("Reacted negatively to {topic} {count} of {total} times",
                      {"topic": name, "count": neg, "total": total})
    c = CHANNEL_INDEX.get(name)
    if kind == "rate" and c is not None:
        return Reason("Responded to {count} of {total} contacts by {channel}",
                      {"count": int(features.responses[i, c]),
                       "total": int(features.contacts[i, c]), "channel": name})
    if kind == "length" and c is not None and features.timed[i, c]:
        mean = features.minutes[i, c] / features.timed[i, c]
        overall = features.minutes[:, c].sum() / max(features.timed[:, c].sum(), 1.0)
        return Reason("{channel} contacts last {minutes} min (territory: {average} min)",
                      {"channel": name, "minutes": round(mean), "average": round(overall)})
    if kind == "stated" and c is not None and features.stated[i, c] > 0:
        return Reason("States {channel} as a preferred channel", {"channel": name})
    if kind == "mix" and c is not None:
        total = int(features.contacts[i].sum())
        return Reason("{count} of {total} contacts by {channel}",
                      {"count": int(features.contacts[i, c]), "total": total,
                       "channel": name})
    if kind == "dwell" and name in TOPICS:
        return Reason("Lingers on {topic} slides", {"topic": name})
    return None


