"""The server refuses what the laptop refuses on submit, with the same sentence (app.compliance).

A real server on SQLite and on PostgreSQL, spoken to as a modified client would: every call
here is pushed without the laptop's checks. Each refusal is named after the rule it enforces;
the last test puts a laptop (the real service on its own store) and the server side by side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from app import compliance
from app.ids import uuid7
from app.services import calls
from app.services.errors import ValidationError
from app.store.database import Database
from server.db import next_versions
from server.models import ChannelConsent, Interaction, KeyMessage, Product, Territory
from server.models import TerritoryProduct as Promotable
from tests.factories import World
from tests.server.conftest import Client, Live
from tests.server.test_sync_push import mutation, push

SIGNATURE = json.dumps([[[0.1, 0.2], [0.3, 0.4]]])
START = "2026-03-02T10:00:00"
LIMIT = 10


@dataclass
class Shop:
    """A rep, the rep's doctor, and a catalog: one promotable product with samples and a key
    message, one product of another territory with its key message."""

    client: Client
    user_id: str
    territory: str
    account: str
    promoted: str
    promoted_message: str
    other: str
    other_message: str
    promoted_name: str
    other_name: str


def shop(live: Live, *, account_name: str = "Dr. Test", promoted_name: str | None = None,
         other_name: str | None = None, device: str = "laptop-1") -> Shop:
    territory = live.territory()
    client = live.login(live.user("rep", (territory,)), device)
    user_id = client.get("/api/v1/me").json()["id"]
    account = live.account(territory, name=account_name)
    names = (promoted_name or f"Promoted {uuid7()[-6:]}", other_name or f"Other {uuid7()[-6:]}")
    with live.db.writing() as s:
        version = next_versions(s)
        tid = s.scalar(select(Territory.id).where(Territory.code == territory))
        products = [Product(id=uuid7(), name=name, therapeutic_area="Kardiologie",
                            yearly_sample_limit=LIMIT, version=version) for name in names]
        s.add_all(products)
        s.flush()
        messages = [KeyMessage(id=uuid7(), product_id=p.id, code=f"KM-{i}", title="t",
                               topic="study", version=version) for i, p in enumerate(products)]
        s.add_all([*messages, Promotable(territory_id=tid, product_id=products[0].id,
                                         version=version)])
    return Shop(client, user_id, territory, account, products[0].id, messages[0].id,
                products[1].id, messages[1].id, *names)


def second_device(live: Live, s: Shop) -> Shop:
    """The same rep on another laptop (one that has not pulled the first one's calls)."""
    name = s.client.get("/api/v1/me").json()["username"]
    return dataclasses.replace(s, client=live.login(name, "laptop-2"))


@dataclass
class Call:
    channel: str = "in_person"
    products: tuple[str, ...] = ()
    key_messages: tuple[str, ...] = ()
    samples: tuple[tuple[str, int, str | None], ...] = ()  # product, quantity, recipient
    attendees: tuple[str, ...] = ()  # account ids
    signature: str | None = SIGNATURE
    signer_name: str | None = "Dr. Müller"
    start_at: str = START


def call_mutations(s: Shop, call: Call, call_id: str | None = None) -> list[dict[str, Any]]:
    """What a laptop pushes for a call: the draft, its parts, then the submission."""
    call_id = call_id or uuid7()
    out = [mutation("interactions", call_id, {
        "account_id": s.account, "owner_id": s.user_id, "channel": call.channel,
        "status": "draft", "start_at": call.start_at})]
    out += [mutation("discussed_products", uuid7(), {"interaction_id": call_id,
                                                    "product_id": p, "position": i})
            for i, p in enumerate(call.products, start=1)]
    out += [mutation("discussed_key_messages", uuid7(), {
        "interaction_id": call_id, "key_message_id": k, "reaction": "positive"})
        for k in call.key_messages]
    out += [mutation("samples", uuid7(), {
        "interaction_id": call_id, "account_id": recipient or s.account, "product_id": p,
        "lot": f"LOT-{i}", "quantity": q}) for i, (p, q, recipient) in enumerate(call.samples)]
    out += [mutation("attendees", uuid7(), {"interaction_id": call_id, "account_id": a,
                                            "name": "Dr. Guest"}) for a in call.attendees]
    out.append(mutation("interactions", call_id, {
        "status": "submitted", "submitted_at": "2026-03-02T11:00:00",
        "signature": call.signature, "signer_name": call.signer_name}))
    return out


def submit(s: Shop, call: Call) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Push the call; (the parts' answers, the submission's answer)."""
    results = push(s.client, *call_mutations(s, call))
    assert all(r["status"] == "applied" for r in results[:-1]), results
    return results[:-1], results[-1]


def is_submitted(live: Live, call_id: str) -> bool:
    with live.db.reading() as session:
        row = session.get(Interaction, call_id)
        return row is not None and row.status == "submitted"


def refused(answer: dict[str, Any], sentence: str) -> None:
    assert answer["status"] == "rejected", answer
    assert sentence in answer["reason"], answer["reason"]


def test_a_compliant_call_with_samples_is_submitted(live: Live) -> None:
    s = shop(live)
    _, answer = submit(s, Call(products=(s.promoted,), key_messages=(s.promoted_message,),
                               samples=((s.promoted, LIMIT, None),)))
    assert answer["status"] == "applied", answer
    assert answer["row"]["status"] == "submitted"


def test_an_e_mail_call_without_e_mail_consent_is_refused(live: Live) -> None:
    s = shop(live, account_name="Dr. Anna Schäfer")
    _, answer = submit(s, Call(channel="email"))
    refused(answer, "Dr. Anna Schäfer has not consented to e-mail. Record the consent first, "
                    "or choose another channel.")
    with live.db.writing() as session:
        session.add(ChannelConsent(account_id=s.account, channel="email", consent="granted",
                                   version=next_versions(session)))
    assert submit(s, Call(channel="email"))[1]["status"] == "applied"


def test_a_product_the_territory_may_not_promote_is_refused(live: Live) -> None:
    s = shop(live)
    _, answer = submit(s, Call(products=(s.other,)))
    assert answer["reason"] == f"Not approved for promotion in this territory: {s.other_name}."
    refused(answer, s.other_name)


def test_a_key_message_of_a_product_not_discussed_is_refused(live: Live) -> None:
    s = shop(live)
    _, answer = submit(s, Call(products=(s.promoted,), key_messages=(s.other_message,)))
    refused(answer, "A key message belongs to a product that is not among the products "
                    "discussed.")


def test_samples_without_signature_and_signer_are_refused(live: Live) -> None:
    s = shop(live)
    _, answer = submit(s, Call(products=(s.promoted,), samples=((s.promoted, 9999, None),),
                               signature=None, signer_name=None))
    refused(answer, "Samples need the recipient's signature.")
    refused(answer, "Enter the name of the person who signed.")
    refused(answer, f"Over the yearly limit for {s.promoted_name}: 0 of 10 given in 2026, "
                    "10 left.")
    # Any text is not a signature: at least one drawn line.
    _, answer = submit(s, Call(samples=((s.promoted, 1, None),), signature='"signed"'))
    assert answer["reason"] == "Samples need the recipient's signature."


def test_samples_outside_a_visit_or_an_event_are_refused(live: Live) -> None:
    s = shop(live)
    _, answer = submit(s, Call(channel="phone", samples=((s.promoted, 1, None),)))
    assert answer["reason"] == "Samples can only be handed over in person."
    assert submit(s, Call(channel="event", samples=((s.promoted, 1, None),)))[1][
        "status"] == "applied"


def test_samples_over_the_yearly_limit_across_two_devices_are_refused(live: Live) -> None:
    first = shop(live)
    second = second_device(live, first)
    assert submit(first, Call(samples=((first.promoted, 6, None),)))[1]["status"] == "applied"
    # The second laptop never saw those 6: the server counts them.
    _, answer = submit(second, Call(samples=((first.promoted, 3, None),
                                             (first.promoted, 2, None))))
    assert answer["reason"] == (f"Over the yearly limit for {first.promoted_name}: 6 of 10 "
                                "given in 2026, 4 left.")
    # Another year, or what is left, is fine.
    assert submit(second, Call(samples=((first.promoted, 4, None),)))[1]["status"] == "applied"
    assert submit(second, Call(samples=((first.promoted, 10, None),),
                               start_at="2027-01-04T09:00:00"))[1]["status"] == "applied"


def _foreign_part_never_lands(live: Live, s: Shop, call: Call, sentence: str) -> None:
    """A part naming another territory's account is refused, alone (its own write scope) or
    with the submission (this rule): never on a submitted call."""
    mutations = call_mutations(s, call)
    results = push(s.client, *mutations)
    call_id = mutations[0]["row_id"]
    parts = [r for m, r in zip(mutations, results, strict=True)
             if m["entity"] in ("samples", "attendees")]
    if all(r["status"] == "applied" for r in parts):
        refused(results[-1], sentence)
        assert not is_submitted(live, call_id)
    else:
        assert is_submitted(live, call_id)
    # Sent after the submission in the same push, too.
    mutations = call_mutations(s, dataclasses.replace(call, samples=(), attendees=()))
    part = next(m for m in call_mutations(s, call) if m["entity"] in ("samples", "attendees"))
    part["fields"]["interaction_id"] = mutations[0]["row_id"]
    results = push(s.client, *mutations, part)
    assert results[-2]["status"] == "applied"
    assert results[-1]["status"] == "rejected", results[-1]


def test_a_sample_recipient_of_another_territory_is_refused(live: Live) -> None:
    s = shop(live)
    foreign = live.account(live.territory(), name="Dr. Elsewhere")
    _foreign_part_never_lands(live, s, Call(samples=((s.promoted, 1, foreign),)),
                              "Samples can only be given to accounts of your territories.")


def test_an_attendee_of_another_territory_is_refused(live: Live) -> None:
    s = shop(live)
    foreign = live.account(live.territory(), name="Dr. Elsewhere")
    _foreign_part_never_lands(live, s, Call(attendees=(foreign,)),
                              "An attendee is not an account of your territories: remove "
                              "the attendee.")


def test_parts_sent_after_the_submission_in_the_same_push_are_checked(live: Live) -> None:
    s = shop(live)
    mutations = call_mutations(s, Call(channel="phone", signature=None, signer_name=None))
    call_id = mutations[0]["row_id"]
    late = [mutation("samples", uuid7(), {"interaction_id": call_id, "account_id": s.account,
                                          "product_id": s.promoted, "lot": "L", "quantity": 1}),
            mutation("discussed_products", uuid7(), {"interaction_id": call_id,
                                                     "product_id": s.other, "position": 1}),
            mutation("discussed_products", uuid7(), {"interaction_id": call_id,
                                                     "product_id": s.promoted, "position": 2})]
    results = push(s.client, *mutations, *late)
    assert results[-4]["status"] == "applied" and is_submitted(live, call_id)
    assert results[-3]["reason"] == (
        "Samples need the recipient's signature. Enter the name of the person who signed. "
        "Samples can only be handed over in person.")
    assert results[-2]["reason"] == (
        f"Not approved for promotion in this territory: {s.other_name}.")
    assert results[-1]["status"] == "applied"


# --- the laptop and the server side by side -------------------------------------------

NOW = dt.datetime(2026, 6, 1, 12, 0)


def _laptop_refusal(db: Database, world: World, form: calls.CallForm) -> str:
    with db.write() as session:
        call_id = calls.save_draft(session, world.rep.id, form)
    with pytest.raises(ValidationError) as caught, db.write() as session:
        calls.submit_call(session, world.rep.id, call_id, now=NOW)
    return compliance.refusal(caught.value.errors)


def _laptop_submits(db: Database, world: World, form: calls.CallForm) -> None:
    with db.write() as session:
        call_id = calls.save_draft(session, world.rep.id, form)
    with db.write() as session:
        calls.submit_call(session, world.rep.id, call_id, now=NOW)


def test_the_laptop_and_the_server_refuse_with_the_same_sentence(
        live: Live, db: Database, world: World) -> None:
    s = shop(live, account_name=world.doctor_no_email.name, promoted_name=world.promoted.name,
             other_name=world.other.name)
    assert world.promoted.yearly_sample_limit == LIMIT

    def form(**changes: Any) -> calls.CallForm:
        base = calls.CallForm(account_id=world.doctor_no_email.id,
                              start_at="2026-03-02 10:00", signature=SIGNATURE,
                              signer_name="Dr. Müller")
        return dataclasses.replace(base, **changes)

    def sample(quantity: int) -> list[calls.SampleLine]:
        return [calls.SampleLine(world.promoted.id, "LOT-1", quantity)]

    cases = [
        (form(channel="email"), Call(channel="email")),
        (form(products=[world.other.id]), Call(products=(s.other,))),
        (form(products=[world.promoted.id], key_messages={world.key_message.id: None},
              samples=sample(2), signature=None, signer_name=None, channel="phone"),
         Call(products=(s.promoted,), key_messages=(s.promoted_message,),
              samples=((s.promoted, 2, None),), signature=None, signer_name=None,
              channel="phone")),
        (form(products=[], key_messages={world.key_message.id: None}),
         Call(key_messages=(s.promoted_message,))),
    ]
    for laptop_form, pushed in cases:
        laptop = _laptop_refusal(db, world, laptop_form)
        server = submit(s, pushed)[1]
        assert server["status"] == "rejected"
        assert server["reason"] == laptop, (server["reason"], laptop)
    # The yearly limit: 6 given on each side, then 5 more refused alike.
    _laptop_submits(db, world, form(samples=sample(6)))
    assert submit(s, Call(samples=((s.promoted, 6, None),)))[1]["status"] == "applied"
    laptop = _laptop_refusal(db, world, form(samples=sample(5)))
    assert submit(s, Call(samples=((s.promoted, 5, None),)))[1]["reason"] == laptop
    assert laptop == f"Over the yearly limit for {world.promoted.name}: 6 of 10 given in " \
                     "2026, 4 left."
