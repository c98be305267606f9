"""A small territory of doctors with planted personas, for the engine's tests.

The personas' channel affinities and favoured topics come from the demo generator's table
(app.demo.territory.PERSONAS): tests use them to plant behaviour and to check what the
engine recovers; the engine itself only ever sees the touchpoints.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from app.demo.territory import PERSONAS
from app.engine import AccountFacts, Catalog, ContentItem, Reaction, Touchpoint

CHANNELS = ("in_person", "phone", "video", "email", "event")
TOPICS = ("study", "efficacy", "safety", "dosing", "patient-support")
TODAY = dt.date(2026, 6, 1)


@dataclass
class Territory:
    accounts: list[AccountFacts]
    touchpoints: list[Touchpoint]
    truth: dict[str, str]  # account id -> planted persona
    preferred: dict[str, str]
    catalog: Catalog


def catalog() -> Catalog:
    return Catalog(
        promotable_products=frozenset({"p1", "p2"}),
        content=(
            ContentItem("c-study", "VELOCITY-HF study", "p1", "study"),
            ContentItem("c-dosing", "Dosing card", "p1", "dosing"),
            ContentItem("c-support", "Patient programme", "p2", "patient-support"),
            ContentItem("c-old", "Expired leaflet", "p1", "efficacy",
                        valid_until=dt.date(2020, 1, 1)),
            ContentItem("c-draft", "Draft study", "p1", "study", approved=False),
            ContentItem("c-banned", "Oncology study", "p9", "study"),
        ),
        products={"p1": "Cardiovel", "p2": "Glucaria", "p9": "Oncotrix"},
    )


def territory(doctors: int = 150, weeks: int = 52, seed: int = 1) -> Territory:
    rng = random.Random(seed)
    names = list(PERSONAS)
    accounts, touches, truth, preferred = [], [], {}, {}
    start = dt.datetime.combine(TODAY, dt.time(9)) - dt.timedelta(weeks=weeks)
    for n in range(doctors):
        persona = PERSONAS[rng.choices(names, [PERSONAS[p].weight for p in names])[0]]
        account_id = f"a{n:05d}"
        truth[account_id] = persona.name
        best = max(persona.affinity, key=lambda c: persona.affinity[c])
        preferred[account_id] = best
        consents = {c: rng.choice(("granted", "granted", "unknown", "withdrawn"))
                    for c in CHANNELS}
        if persona.name == "digital_affine":
            consents["email"] = "granted"
        accounts.append(AccountFacts(account_id, "hcp", rng.choice("ABC"), "KARD",
                                     rng.random(), consents, name=f"Dr. {n}"))
        responsiveness = rng.uniform(0.35, 0.65)
        for _ in range(rng.randint(6, 14)):
            channel = rng.choices(CHANNELS, [0.5 * persona.affinity[c] + 0.1 for c in CHANNELS])[0]
            at = start + dt.timedelta(days=rng.uniform(0, weeks * 7))
            base = responsiveness + 0.8 * (persona.affinity[channel] - 0.2)
            low, high = persona.minutes.get(channel, (1, 2))
            reactions = []
            for topic in rng.sample(TOPICS, 1 if channel == "email" else 2):
                p = base + (0.3 if topic in persona.favoured
                            else -0.3 if topic in persona.disliked else 0.0)
                u = rng.random()
                reactions.append(Reaction(topic, "positive" if u < p - 0.15
                                          else "negative" if u > p + 0.25 else "neutral", "p1"))
            touches.append(Touchpoint(
                account_id, at, channel,
                None if channel == "email" else rng.randint(low, high), tuple(reactions),
                opened=(reactions[0].reaction != "negative") if channel == "email" else None))
    return Territory(accounts, touches, truth, preferred, catalog())
