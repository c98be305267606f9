"""The server refuses a visit marked not received that records anything discussed, or that
was no visit in person, with the laptop's sentence: a real server on SQLite and PostgreSQL,
spoken to as a modified client would."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from app import compliance
from app.ids import uuid7
from app.services import calls
from app.services.errors import ValidationError
from app.store.database import Database
from tests.factories import World
from tests.server.conftest import Live
from tests.server.test_compliance import (
    SIGNATURE,
    Call,
    Shop,
    call_mutations,
    is_submitted,
    refused,
    shop,
)
from tests.server.test_sync_push import mutation, pull_all, push
from tests.services.test_calls_not_received import IN_PERSON_ONLY, NOTHING_DISCUSSED

NOW = dt.datetime(2026, 6, 1, 12, 0)


def not_received(s: Shop, call: Call) -> tuple[str, list[dict[str, Any]]]:
    """The call's mutations with the draft marked not received; (call id, mutations)."""
    mutations = call_mutations(s, call)
    mutations[0]["fields"]["not_received"] = True
    return mutations[0]["row_id"], mutations


def test_a_submitted_visit_not_received_with_samples_is_refused(live: Live) -> None:
    s = shop(live)
    call_id, mutations = not_received(s, Call(samples=((s.promoted, 1, None),)))
    results = push(s.client, *mutations)
    assert all(r["status"] == "applied" for r in results[:-1]), results
    assert results[-1]["reason"] == NOTHING_DISCUSSED
    assert not is_submitted(live, call_id)


@pytest.mark.parametrize("part", ["products", "key_messages"])
def test_a_visit_not_received_with_products_or_key_messages_is_refused(
        live: Live, part: str) -> None:
    s = shop(live)
    call = Call(products=(s.promoted,)) if part == "products" else Call(
        products=(s.promoted,), key_messages=(s.promoted_message,))
    call_id, mutations = not_received(s, call)
    refused(push(s.client, *mutations)[-1], NOTHING_DISCUSSED)
    assert not is_submitted(live, call_id)


def test_only_a_visit_in_person_can_be_not_received(live: Live) -> None:
    s = shop(live)
    call_id, mutations = not_received(s, Call(channel="phone", signature=None,
                                              signer_name=None))
    assert push(s.client, *mutations)[-1]["reason"] == IN_PERSON_ONLY
    assert not is_submitted(live, call_id)


def test_a_visit_not_received_is_submitted_and_reaches_the_other_laptop(live: Live) -> None:
    s = shop(live)
    call_id, mutations = not_received(s, Call(signature=None, signer_name=None))
    answer = push(s.client, *mutations)[-1]
    assert answer["status"] == "applied", answer
    assert answer["row"]["not_received"] is True and is_submitted(live, call_id)
    other = live.login(s.client.get("/api/v1/me").json()["username"], "laptop-2")
    [row] = [c["row"] for c in pull_all(other)["changes"]
             if c["entity"] == "interactions" and c["row"]["id"] == call_id]
    assert row["not_received"] is True
    # Locked like the rest of the call: the outcome cannot be taken back.
    late = push(s.client, mutation("interactions", call_id, {"not_received": False},
                                   base=answer["row"]["version"]))[0]
    assert late["status"] != "applied", late


def test_a_sample_sent_after_the_submission_in_the_same_push_is_refused(live: Live) -> None:
    s = shop(live)
    call_id, mutations = not_received(s, Call())
    sample = mutation("samples", uuid7(), {"interaction_id": call_id, "account_id": s.account,
                                           "product_id": s.promoted, "lot": "L",
                                           "quantity": 1})
    results = push(s.client, *mutations, sample)
    assert results[-2]["status"] == "applied" and is_submitted(live, call_id)
    refused(results[-1], NOTHING_DISCUSSED)


def test_the_laptop_and_the_server_refuse_with_the_same_sentence(
        live: Live, db: Database, world: World) -> None:
    s = shop(live, account_name=world.doctor.name)  # the sentences name no product
    base = calls.CallForm(account_id=world.doctor.id, start_at="2026-03-02 10:00",
                          not_received=True, signature=SIGNATURE, signer_name="Dr. Müller")
    cases = [
        (dataclasses.replace(base, samples=[calls.SampleLine(world.promoted.id, "L", 1)]),
         Call(samples=((s.promoted, 1, None),))),
        (dataclasses.replace(base, channel="video"), Call(channel="video")),
    ]
    for form, pushed in cases:
        with db.write() as session:
            call_id = calls.save_draft(session, world.rep.id, form)
        with pytest.raises(ValidationError) as caught, db.write() as session:
            calls.submit_call(session, world.rep.id, call_id, now=NOW)
        laptop = compliance.refusal(caught.value.errors)
        server = push(s.client, *not_received(s, pushed)[1])[-1]
        assert server["status"] == "rejected"
        assert server["reason"] == laptop, (server["reason"], laptop)
