"""Counting a history in bulk and one touchpoint at a time gives the same features."""

from __future__ import annotations

import numpy as np

from app.engine.features import Features
from tests.engine.planted import TODAY, territory


def test_bulk_and_one_by_one_agree() -> None:
    planted = territory(40, seed=9)
    ordered = sorted(planted.touchpoints, key=lambda t: t.at)
    bulk = Features(planted.accounts)
    bulk.add(ordered)
    single = Features(planted.accounts)
    for touch in ordered:
        single.add_one(touch)
    for name in ("contacts", "responses", "minutes", "timed", "positive", "negative",
                 "reactions", "dwell", "dwelled"):
        assert np.allclose(getattr(bulk, name), getattr(single, name)), name
    assert np.allclose(bulk.last, single.last, equal_nan=True)
    assert np.array_equal(bulk.recent_counts(TODAY), single.recent_counts(TODAY))
    assert np.allclose(bulk.behaviour(), single.behaviour())
    assert np.allclose(bulk.behaviour(rows=[3, 7]), bulk.behaviour()[[3, 7]])
    recent = bulk.sample_recent()
    assert len(recent) == len(ordered) and recent.min() >= 0
