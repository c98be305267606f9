"""The simulated doctors: reproducible, drawn from the demo's hidden truth, showing the traits
an engine must find (channel preferences, topics, the frequency effect), and the field
world's traits at their sources' shares when switched on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest

from benchmarks.world.simulator import (
    CHANNELS,
    EMAIL,
    FIELD_ACCESS,
    FIELD_LOW_RESPONDERS,
    FIELD_STATED_RIGHT,
    GRANTED,
    IN_PERSON,
    PERSONAS,
    PRODUCTS,
    Action,
    SimOptions,
    Simulator,
    parse_persona_mix,
)

OPTIONS = SimOptions(seed=11, accounts=150, history_weeks=26)


def test_the_same_seed_gives_the_same_territory_history_and_answers() -> None:
    first, second = Simulator(OPTIONS), Simulator(OPTIONS)
    assert first.accounts == second.accounts
    assert first.history == second.history
    assert first.truth() == second.truth()
    account = first.accounts[0].account_id
    action = Action(account, IN_PERSON, first.accounts[0].products[0],
                    f"DECK-{PRODUCTS[first.accounts[0].products[0]].messages[0][0][:2]}")
    at = dt.datetime.combine(OPTIONS.start, dt.time(10))
    assert first.respond(action, at) == second.respond(action, at)
    other = Simulator(dataclasses.replace(OPTIONS, seed=12))
    assert other.history != first.history
    assert [t.persona for t in other.truth().values()] != \
        [t.persona for t in first.truth().values()]


def test_a_doctor_answers_the_same_whatever_happens_to_other_doctors() -> None:
    """Common random numbers: two policies on one seed meet the same luck per doctor."""
    alone, crowded = Simulator(OPTIONS), Simulator(OPTIONS)
    at = dt.datetime.combine(OPTIONS.start, dt.time(10))
    target = alone.accounts[3]
    product = next(p for p in target.products if p != "Oncotrix")
    deck = f"DECK-{PRODUCTS[product].messages[0][0][:2]}"
    for other in crowded.accounts[:3]:
        crowded.respond(Action(other.account_id, IN_PERSON, product, deck), at)
    mine = Action(target.account_id, IN_PERSON, product, deck)
    assert alone.respond(mine, at).key_messages == crowded.respond(mine, at).key_messages


def test_the_persona_mix_is_an_option() -> None:
    mix = parse_persona_mix("evidence_driven=0,pragmatic=0,digital_affine=1")
    sim = Simulator(SimOptions(seed=3, accounts=60, persona_mix=mix, history_weeks=0))
    assert {t.persona for t in sim.truth().values()} == {"digital_affine"}
    assert sim.history == []
    assert parse_persona_mix("demo") is None
    with pytest.raises(ValueError, match="NAME=SHARE"):
        parse_persona_mix("skeptical=1")
    with pytest.raises(ValueError, match="noise"):
        SimOptions(noise=1.5)


def test_channel_preferences_show_in_the_history() -> None:
    """Digital doctors are reached by e-mail far more often, and answer it better."""
    sim = Simulator(SimOptions(seed=5, accounts=600, history_weeks=52, noise=0.2))
    truth = sim.truth()
    share: dict[str, Counter[str]] = {name: Counter() for name in PERSONAS}
    for record in sim.history:
        share[truth[record.account_id].persona][record.channel] += 1
    mail = {name: c[EMAIL] / sum(c.values()) for name, c in share.items()}
    assert mail["digital_affine"] > 2 * mail["pragmatic"]
    assert mail["digital_affine"] > 2 * mail["evidence_driven"]

    def rate(preferred: bool) -> float:
        records = [r for r in sim.history
                   if (r.channel == truth[r.account_id].preferred_channel) == preferred]
        return sum(r.positive for r in records) / len(records)

    assert rate(True) > rate(False) + 0.1
    # What the doctors told the rep about their preferred channel is in the consents.
    told = [a for a in sim.accounts if any(c.preferred for c in a.consents.values())]
    assert 0.6 < len(told) / len(sim.accounts) < 0.8
    assert all(a.consents[truth[a.account_id].preferred_channel].preferred for a in told)


def test_topics_and_dwell_times_give_the_persona_away() -> None:
    sim = Simulator(SimOptions(seed=5, accounts=400, history_weeks=52, noise=0.2))
    truth = sim.truth()
    dwell: dict[tuple[str, str], list[int]] = {}
    for record in sim.history:
        for view in record.slide_views:
            key = (truth[record.account_id].persona, view.topic)
            dwell.setdefault(key, []).append(view.duration_ms)

    def mean(key: tuple[str, str]) -> float:
        return sum(dwell[key]) / len(dwell[key])

    assert mean(("evidence_driven", "study")) > 3 * mean(("pragmatic", "study"))
    assert mean(("digital_affine", "patient-support")) > \
        1.5 * mean(("digital_affine", "efficacy"))


def test_too_many_contacts_lower_the_response() -> None:
    """The dose makes it: the same doctors answer worse when contacted weekly."""
    def positives(per_month: int) -> float:
        sim = Simulator(SimOptions(seed=9, accounts=300, history_weeks=0, noise=0.0))
        start = dt.datetime.combine(sim.options.start, dt.time(10))
        hits = total = 0
        for account in sim.accounts:
            product = [p for p in account.products if p != "Oncotrix"]
            if not product:
                continue
            deck = f"DECK-{PRODUCTS[product[0]].messages[0][0][:2]}"
            for i in range(per_month * 3):
                record = sim.respond(Action(account.account_id, IN_PERSON, product[0], deck),
                                     start + dt.timedelta(days=i * 30 / per_month))
                hits += sum(m.reaction == "positive" for m in record.key_messages)
                total += len(record.key_messages)
        return hits / total

    assert positives(1) > positives(6) + 0.15


def test_the_engine_sees_no_hidden_field() -> None:
    sim = Simulator(SimOptions(seed=2, accounts=20, history_weeks=8))
    hidden = {"persona", "preferred_channel", "responsiveness", "contact_cap_per_month",
              "affinity"}
    for account in sim.accounts:
        assert hidden.isdisjoint(f.name for f in dataclasses.fields(account))
    for record in sim.history:
        assert hidden.isdisjoint(f.name for f in dataclasses.fields(record))
    assert {r.channel for r in sim.history} <= set(CHANNELS)


FIELD = SimOptions(seed=31, accounts=600, history_weeks=26, stated_right=FIELD_STATED_RIGHT,
                   access=FIELD_ACCESS, low_responders=FIELD_LOW_RESPONDERS,
                   field_email=True, carryover=True, own_tolerance=True)


def test_the_field_world_has_its_sources_shares() -> None:
    sim = Simulator(FIELD)
    truth = sim.truth().values()
    told = [t for t in truth if t.stated_channel is not None]
    right = sum(t.stated_channel == t.preferred_channel for t in told) / len(told)
    assert 0.34 <= right <= 0.50  # 38 % UK, 45 % DE
    access = Counter(t.access for t in truth)
    assert abs(access["accessible"] / len(truth) - 0.47) < 0.06
    assert abs(access["severely restricted"] / len(truth) - 0.17) < 0.05
    assert abs(sum(t.low_responder for t in truth) / len(truth) - 0.25) < 0.05
    emails = [r for r in sim.history if r.channel == EMAIL]
    opened = sum(bool(r.email_opened) for r in emails) / len(emails)
    clicked = sum(bool(r.email_clicked) for r in emails) / len(emails)
    assert 0.27 <= opened <= 0.48 and 0.01 <= clicked <= 0.08
    # A stated channel the doctor does not answer in is still one he granted.
    accounts = {a.account_id: a for a in sim.accounts}
    assert all(accounts[t.account_id].consents[t.stated_channel].consent == GRANTED
               and accounts[t.account_id].consents[t.stated_channel].preferred for t in told)


def test_the_home_world_has_none_of_the_traits() -> None:
    sim = Simulator(OPTIONS)
    truth = sim.truth().values()
    assert all(t.stated_channel in (None, t.preferred_channel) for t in truth)
    assert not any(t.low_responder or t.access != "accessible" for t in truth)
    assert not any(r.failed_visit for r in sim.history)
    emails = [r for r in sim.history if r.channel == EMAIL]
    assert sum(bool(r.email_opened) for r in emails) / len(emails) > 0.8  # not the field's


def test_a_failed_visit_is_recorded_as_such_and_is_no_contact() -> None:
    sim = Simulator(dataclasses.replace(FIELD, history_weeks=0))
    doctor = next(t for t in sim.truth().values() if t.access == "severely restricted")
    account = next(a for a in sim.accounts if a.account_id == doctor.account_id)
    product = next(p for p in account.products if p != "Oncotrix")
    deck = f"DECK-{PRODUCTS[product].messages[0][0][:2]}"
    at = dt.datetime.combine(FIELD.start, dt.time(10))
    records = [sim.respond(Action(doctor.account_id, IN_PERSON, product, deck),
                           at + dt.timedelta(days=7 * k)) for k in range(10)]
    failed = [r for r in records if r.failed_visit]
    assert len(failed) >= 6  # nine in ten fail
    assert all(m.reaction is None for r in failed for m in r.key_messages)
    assert all(r.duration_min is None and not r.positive for r in failed)
    last = records[-1].start_at
    assert sim.contacts_in_window(doctor.account_id, last) == sum(
        not r.failed_visit for r in records if (last - r.start_at).days < 30)


def test_low_responders_barely_answer_and_carryover_lifts_later_answers() -> None:
    sim = Simulator(FIELD)
    truth = sim.truth()
    low = [r for r in sim.history if truth[r.account_id].low_responder and not r.failed_visit]
    rest = [r for r in sim.history if not truth[r.account_id].low_responder
            and not r.failed_visit]
    assert sum(r.positive for r in low) / len(low) < 0.5 * sum(r.positive for r in rest) \
        / len(rest)
    with_carry = Simulator(dataclasses.replace(OPTIONS, carryover=True))
    without = Simulator(OPTIONS)
    rate = [sum(r.positive for r in s.history) / len(s.history) for s in (with_carry, without)]
    assert rate[0] > rate[1] + 0.03


def test_own_tolerance_is_per_doctor_within_the_personas_ceiling() -> None:
    truth = Simulator(dataclasses.replace(OPTIONS, own_tolerance=True,
                                          history_weeks=0)).truth().values()
    assert all(1 <= t.contact_cap_per_month <= PERSONAS[t.persona].cap[1] for t in truth)
    digital = [t.contact_cap_per_month for t in truth if t.persona == "digital_affine"]
    assert min(digital) == 1  # the home world's digital doctors tolerate 2 at least
