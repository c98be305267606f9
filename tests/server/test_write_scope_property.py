"""Property: no mutation touching an account outside the caller's write scope is ever applied.

Entities x roles x foreign references, against a real server (SQLite and PostgreSQL): a rep,
an MSL and a manager push generated rows of every pushable entity, new or replacing a stored
one, whose account references (direct, through a parent row, or an audit entry's subject)
are drawn from their own accounts and from others': another territory's doctor and
institution, an institution the rep only reads through an affiliation. Whatever the server
applies must reference, before and after, only accounts the caller may write, computed here
from the database (a rep: the accounts of their territories; an MSL: those of the open
inquiries they hold); and rows with an owner stay their owner's.

The default run is a few seconds; `-m slow` runs the long profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import master_data
from app.access import ACCESS, Right
from app.contract import ENTITIES, Merge
from app.ids import uuid7
from server.escalations.routing import cover
from server.models import (
    Account,
    KeyMessage,
    MedicalInquiry,
    Presentation,
    Slide,
    Territory,
    TerritoryAssignment,
    TerritoryProduct,
)
from server.sync.wire import table_of
from tests.server.conftest import Client, Live
from tests.server.test_escalations import ANSWER, product
from tests.server.test_sync_push import call_fields, mutation, push

PUSHABLE = sorted(name for name, e in ENTITIES.items() if e.merge is not Merge.SERVER_OWNED)
OPEN = ("routed", "queued", "in_progress", "answered", "handed_back")
AT = "2026-11-20T10:00:00"


@dataclass
class Caller:
    client: Client
    user_id: str
    role: str


@dataclass
class World:
    callers: list[Caller]
    other_user: str
    accounts: list[str]
    territories: list[str]
    rows: dict[str, list[str]]  # entity -> ids of stored rows to replace or refer to
    product: str
    key_message: str
    presentation: str
    slide: str


def me(client: Client) -> str:
    return str(client.get("/api/v1/me").json()["id"])


def applied(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert all(r["status"] in ("applied", "conflict") for r in results), results
    return results


@pytest.fixture(scope="module")
def world(live: Live) -> World:
    """Territory A (rep A, an MSL covering it), territory B (rep B, another MSL); A's
    doctor is affiliated with B's institution, so rep A reads it without owning it."""
    ta, tb = live.territory(), live.territory()
    area = f"Area {uuid7()[-6:]}"
    drug = product(live, area, ta)
    content = {"key_message": uuid7(), "presentation": uuid7(), "slide": uuid7()}
    with live.db.writing() as s:
        s.add(TerritoryProduct(territory_id=s.scalar(select(Territory.id).where(
            Territory.code == tb)), product_id=drug, version=1))
        s.add(KeyMessage(id=content["key_message"], product_id=drug, code="KM1",
                         title="Efficacy", topic="efficacy", version=1))
        s.add(Presentation(id=content["presentation"], code=f"P-{uuid7()[-8:]}",
                           content_version="1", title="Deck", product_id=drug,
                           approval_state="approved", package_sha256="0" * 64,
                           tree_sha256="0" * 64, version=1))
        s.flush()
        s.add(Slide(id=content["slide"], presentation_id=content["presentation"], position=1,
                    code="S1", title="One", key_message="KM1", topic="efficacy", kind="pdf",
                    file="deck.pdf", asset_sha256="0" * 64, thumbnail_sha256="0" * 64,
                    version=1))
    boss_name = live.user("manager")
    names = {"a": live.user("rep", (ta,), manager=boss_name),
             "b": live.user("rep", (tb,), manager=boss_name),
             "m": live.user("msl"), "m2": live.user("msl")}
    with live.db.writing() as s:
        cover(s, names["m"], ta, area)
        cover(s, names["m2"], tb, area)
    a, b, m, m2 = (live.login(names[k]) for k in ("a", "b", "m", "m2"))
    boss = live.login(boss_name)
    ids = {k: me(c) for k, c in (("a", a), ("b", b), ("m", m), ("m2", m2))}
    a_hcp, a_hco = live.account(ta, "hcp"), live.account(ta, "hco")
    b_hcp, b_hco = live.account(tb, "hcp"), live.account(tb, "hco")
    live.affiliate(a_hcp, b_hco)
    rows: dict[str, list[str]] = {}

    def made(client: Client, entity: str, fields: dict[str, Any]) -> str:
        row_id = uuid7()
        applied(push(client, mutation(entity, row_id, fields)))
        rows.setdefault(entity, []).append(row_id)
        return row_id

    calls = {who: made(c, "interactions", call_fields(acc, ids[who]))
             for who, c, acc in (("a", a, a_hcp), ("b", b, b_hcp))}
    for who, c, acc in (("a", a, a_hcp), ("b", b, b_hcp)):
        made(c, "addresses", {"account_id": acc, "line1": "Hauptstr. 1", "city": "München"})
        made(c, "tasks", {"account_id": acc, "owner_id": ids[who], "subject": "follow up"})
        made(c, "attendees", {"interaction_id": calls[who], "name": "Dr. Other"})
        made(c, "presentation_sessions", {"account_id": acc, "user_id": ids[who],
                                          "presentation_id": content["presentation"],
                                          "started_at": AT,
                                          "interaction_id": calls[who]})
        made(c, "channel_consents", {"account_id": acc, "channel": "email",
                                     "consent": "granted"})
        made(c, "suggestions", suggestion(acc, ids[who], calls[who]))
        made(c, "medical_inquiries", inquiry(acc, drug, ids[who]))
    for client, inquiry_id in zip((m, m2), rows["medical_inquiries"], strict=True):
        made(client, "medical_answers", {"inquiry_id": inquiry_id, "answered_at": AT,
                                         "channel": "phone", "answer": ANSWER})
    made(m, "interactions", call_fields(a_hcp, ids["m"], status="submitted", channel="phone",
                                        submitted_at=AT))
    with live.db.reading() as s:
        rows["affiliations"] = [
            r for r, in s.execute(select(table_of("affiliations").c.id).where(
                table_of("affiliations").c.hcp_id == a_hcp))]
    callers = [Caller(a, ids["a"], "rep"), Caller(m, ids["m"], "msl"),
               Caller(boss, me(boss), "manager")]
    with live.db.reading() as s:
        territory_ids = [str(s.scalar(select(Territory.id).where(Territory.code == code)))
                         for code in (ta, tb)]
    return World(callers, ids["b"], [a_hcp, a_hco, b_hcp, b_hco], territory_ids, rows, drug,
                 **content)


def suggestion(account: str, owner: str, call: str) -> dict[str, Any]:
    return {"account_id": account, "owner_role": "rep", "owner_id": owner, "action": "call",
            "channel": "in_person", "due_date": "2026-11-25", "expires_on": "2026-12-25",
            "priority": 1.0, "after_call_id": call}


def inquiry(account: str, drug: str, raised_by: str) -> dict[str, Any]:
    return {"account_id": account, "product_id": drug, "raised_by": raised_by,
            "raised_at": AT, "question": "Dialysis?", "urgency": "high",
            "answer_channel": "phone", "consent_to_contact": True, "status": "raised"}


def template(entity: str, w: World, pick: Any, caller: Caller) -> dict[str, Any]:
    """Valid values for a new row of `entity`, every reference drawn by `pick`."""
    owner = pick(st.sampled_from([caller.user_id, w.other_user]))

    def ref(entity_: str) -> str:
        pool = w.accounts if entity_ == "accounts" else w.rows.get(entity_, [uuid7()])
        return str(pick(st.sampled_from(pool)))

    account = ref("accounts")
    call = ref("interactions")
    session = ref("presentation_sessions")
    values: dict[str, dict[str, Any]] = {
        "accounts": {"kind": pick(st.sampled_from(["hcp", "hco"])), "name": "Dr. Generated",
                     "territory_id": pick(st.sampled_from(w.territories))},
        "addresses": {"account_id": account, "line1": "x", "city": "y"},
        "external_ids": {"account_id": account, "system": "GEN", "value": uuid7()},
        "affiliations": {"hcp_id": account, "hco_id": ref("accounts")},
        "channel_consents": {"account_id": account, "channel": "phone", "consent": "granted"},
        "interactions": call_fields(account, owner,
                                    status=pick(st.sampled_from(["draft", "submitted"])),
                                    address_id=ref("addresses")),
        "attendees": {"interaction_id": call, "account_id": account, "name": "Dr. X"},
        "discussed_products": {"interaction_id": call, "product_id": w.product,
                               "position": 1},
        "discussed_key_messages": {"interaction_id": call, "key_message_id": w.key_message},
        "samples": {"interaction_id": call, "account_id": account, "product_id": w.product,
                    "lot": "L1", "quantity": 1},
        "tasks": {"account_id": account, "owner_id": owner, "subject": "s",
                  "interaction_id": call},
        "audit_log": {"at": AT, "user_id": owner, "action": "x.updated",
                      **pick(st.sampled_from(
                          [{"entity": "accounts", "row_id": a} for a in w.accounts]
                          + [{"entity": e, "row_id": r} for e in
                             ("interactions", "medical_inquiries", "tasks")
                             for r in w.rows[e]]))},
        "presentation_sessions": {"account_id": account, "user_id": owner,
                                  "presentation_id": w.presentation, "started_at": AT,
                                  "interaction_id": call},
        "slide_views": {"session_id": session, "slide_id": w.slide, "started_at": AT},
        "clickstream_events": {"session_id": session, "slide_id": w.slide, "at": AT},
        "medical_inquiries": inquiry(account, w.product, owner),
        "medical_answers": {"inquiry_id": ref("medical_inquiries"), "author_id": owner,
                            "answered_at": AT, "channel": "phone", "answer": "a"},
        "suggestions": suggestion(account, owner, call),
        "emails": {"interaction_id": call, "account_id": account, "template_id": uuid7(),
                   "to_address": "doctor@example.org"},
        "change_requests": {"account_id": account, "kind": "change",
                            "territory_id": pick(st.sampled_from(w.territories)),
                            "changes": master_data.encode({"city": ("y", "Potsdam")}),
                            "requested_by": owner, "requested_at": AT, "status": "pending"},
    }
    return values[entity]


def stored(live: Live, entity: str, row_id: Any) -> dict[str, Any] | None:
    if not isinstance(row_id, str):
        return None
    table = table_of(entity)
    with live.db.reading() as s:
        row = s.execute(select(table).where(table.c.id == row_id)).first()
    return dict(row._mapping) if row is not None else None


def referenced(live: Live, entity: str, state: dict[str, Any], depth: int = 0) -> set[str]:
    """The accounts a row references, read from the database through the declaration."""
    found: set[str] = set()
    for ref in ENTITIES[entity].refs:
        value = state.get(ref.column)
        if value is None:
            continue
        if ref.entity == "accounts":
            found.add(value)
        else:
            parent = stored(live, ref.entity, value)
            if parent is not None and depth < 4:
                found |= referenced(live, ref.entity, parent, depth + 1)
    about = ACCESS[entity].about
    if about is not None and state.get(about[0]) in ACCESS:
        target = stored(live, state[about[0]], state.get(about[1]))
        if target is not None:
            found |= referenced(live, state[about[0]], target, depth + 1)
            if state[about[0]] == "accounts":
                found.add(target["id"])
    return found


def writable(live: Live, caller: Caller) -> set[str]:
    """The caller's write scope, as the issue states it."""
    with live.db.reading() as s:
        if caller.role == "rep":
            return set(s.scalars(select(Account.id).where(Account.territory_id.in_(
                select(TerritoryAssignment.territory_id).where(
                    TerritoryAssignment.user_id == caller.user_id)))))
        if caller.role == "msl":
            return set(s.scalars(select(MedicalInquiry.account_id).where(
                MedicalInquiry.status.in_(OPEN), MedicalInquiry.deleted.is_(False),
                (MedicalInquiry.assigned_to == caller.user_id)
                | (MedicalInquiry.status == "queued"))))
        return set()


def attempt(live: Live, w: World, data: st.DataObject) -> None:
    caller = data.draw(st.sampled_from(w.callers), label="caller")
    entity = data.draw(st.sampled_from(PUSHABLE), label="entity")
    existing = w.rows.get(entity, []) + (w.accounts if entity == "accounts" else [])
    row_id = data.draw(st.sampled_from([uuid7(), *existing]) if existing else st.just(uuid7()),
                       label="row")
    fields = template(entity, w, data.draw, caller)
    before = stored(live, entity, row_id)
    op = "upsert"
    if before is not None:
        op = data.draw(st.sampled_from(["upsert", "delete"]), label="op")
        keep = data.draw(st.sets(st.sampled_from(sorted(fields)), min_size=1), label="fields")
        fields = {k: v for k, v in fields.items() if k in keep}
    scope = writable(live, caller)
    [result] = push(caller.client, mutation(
        entity, row_id, fields if op == "upsert" else None, op=op,
        base=before["version"] if before else 0))
    if result["status"] not in ("applied", "conflict"):
        assert result["reason"], result
        return
    after = stored(live, entity, result["row"]["id"])
    assert after is not None
    touched = referenced(live, entity, after) | (
        referenced(live, entity, before) if before else set())
    if entity == "accounts" and before is None:
        touched.discard(row_id)  # a new account: it must be in the caller's territory
        assert caller.role == "rep", result
        assert after["territory_id"] in territories_of(live, caller), result
    outside = touched - scope
    assert not outside, (f"{caller.role} {op} {entity} touched accounts outside the write "
                         f"scope: {sorted(outside)}; fields {fields}; answer {result}")
    assert any(Right.WRITE in r or Right.CREATE in r
               for r in [ACCESS[entity].rights[caller.role]]), (caller.role, entity, result)
    owner = ACCESS[entity].owner
    if owner is not None:
        assert after[owner] == caller.user_id, (entity, result)
        assert before is None or before[owner] in (None, caller.user_id), (entity, result)


def territories_of(live: Live, caller: Caller) -> set[str]:
    with live.db.reading() as s:
        return set(s.scalars(select(TerritoryAssignment.territory_id).where(
            TerritoryAssignment.user_id == caller.user_id)))


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_mutation_outside_the_write_scope_is_applied(live: Live, world: World,
                                                        data: st.DataObject) -> None:
    attempt(live, world, data)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_mutation_outside_the_write_scope_is_applied_long(live: Live, world: World,
                                                             data: st.DataObject) -> None:
    attempt(live, world, data)
