"""No value makes the server answer 5xx, and no value stalls a batch (docs/sync-protocol.md).

A real server on SQLite and on PostgreSQL. Every synced entity of the contract gets a row that
would be accepted, one field replaced by an extreme value (huge and tiny numbers, infinities,
dates at year 1 and 9999 with offsets, lone surrogates, NUL, long text, wrong shapes); it is
pushed together with a good mutation after it. The push must answer 200, the good mutation
must be applied (the batch went on), and a pull after it must answer 200 too (whatever was
stored can be sent back). The named cases below are the ones that answered 500 before.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, DateTime, Float, Integer, String, Text, select

from app import master_data
from app.contract import COMMON_FIELDS, ENTITIES, Merge
from app.ids import uuid7
from server.db import next_versions
from server.models import KeyMessage, Presentation, Product, Slide, Territory
from server.sync.wire import table_of
from tests.server.conftest import Client, Live
from tests.server.test_sync_push import SYNC, call_fields, mutation

#: Written in the body as this bare JSON number: Python's parser reads it as infinity.
HUGE_FLOAT = "1e400"
_HUGE_MARK = "__value_fuzz_1e400__"


@dataclass
class World:
    """One rep with rows of every kind to hang children on."""

    client: Client
    user_id: str
    territory_id: str
    account: str
    call: str
    session: str
    presentation: str
    slide: str
    product: str
    key_message: str
    live: Live
    territory: str = ""  # its code, for accounts the test adds
    cursor: str | None = None

    def template(self, entity: str) -> dict[str, Any]:
        """Fields of a new row of `entity` the server would take from this rep (or refuse for
        a business reason: master data, role); every field of the contract is present, so a
        replaced one is never the only thing wrong."""
        rows: dict[str, dict[str, Any]] = {
            "accounts": {"kind": "hcp", "name": "Dr. Fuzz", "territory_id": self.territory_id,
                         "potential": 0.5},
            "addresses": {"account_id": self.account, "line1": "x", "city": "y",
                          "latitude": 50.0, "longitude": 8.0, "is_primary": False},
            "external_ids": {"account_id": self.account, "system": "FUZZ", "value": uuid7()},
            "affiliations": {"hcp_id": self.account, "role": "x", "is_primary": False},
            "channel_consents": {"account_id": self.account, "channel": "phone",
                                 "consent": "granted", "consent_date": "2026-01-02",
                                 "preferred": False, "preference_rank": 1, "source": "x"},
            "interactions": call_fields(self.account, self.user_id, duration_min=30,
                                        follow_up_date="2026-12-01"),
            "attendees": {"interaction_id": self.call, "name": "Dr. A"},
            "discussed_products": {"interaction_id": self.call, "product_id": self.product,
                                   "position": 1},
            "discussed_key_messages": {"interaction_id": self.call,
                                       "key_message_id": self.key_message,
                                       "reaction": "positive"},
            "samples": {"interaction_id": self.call, "account_id": self.account,
                        "product_id": self.product, "lot": "L1", "quantity": 1},
            "tasks": {"account_id": self.account, "owner_id": self.user_id, "subject": "s",
                      "due_date": "2026-12-01", "status": "open"},
            "audit_log": {"at": "2026-11-20T10:00:00", "user_id": self.user_id,
                          "action": "x", "entity": "interactions", "row_id": self.call},
            "presentation_sessions": {"presentation_id": self.presentation,
                                      "account_id": self.account, "user_id": self.user_id,
                                      "started_at": "2026-11-20T10:00:00"},
            "slide_views": {"session_id": self.session, "slide_id": self.slide,
                            "started_at": "2026-11-20T10:00:00", "duration_ms": 10},
            "clickstream_events": {"session_id": self.session, "slide_id": self.slide,
                                   "at": "2026-11-20T10:00:00", "usage_duration_s": 3},
            "suggestions": {"account_id": self.account, "owner_role": "rep",
                            "owner_id": self.user_id, "action": "call",
                            "due_date": "2026-12-01", "expires_on": "2026-12-14",
                            "channel": "in_person", "priority": 0.5, "reasons": "[]",
                            "trigger": "x", "status": "open",
                            "rule_set_version": 1, "plan_step": 0},
            "change_requests": {"account_id": self.account, "kind": "change",
                                "territory_id": self.territory_id,
                                "changes": master_data.encode({"city": ("y", "Potsdam")}),
                                "requested_by": self.user_id,
                                "requested_at": "2026-11-20T10:00:00", "status": "pending"},
        }
        t = rows.get(entity, {})
        if entity == "affiliations":  # one per pair of accounts: a new institution each time,
            # in the rep's territory (an affiliation links two accounts the rep may write)
            t = {**t, "hco_id": self.live.account(self.territory, kind="hco", name="Clinic")}
        return dict(t)


def _world(live: Live) -> World:
    territory = live.territory()
    client = live.login(live.user("rep", (territory,)), "fuzz-laptop")
    user_id = client.get("/api/v1/me").json()["id"]
    account = live.account(territory)
    with live.db.writing() as s:
        version = next_versions(s)
        territory_id = s.scalar(select(Territory.id).where(Territory.code == territory))
        assert territory_id is not None
        product = Product(id=uuid7(), name=f"Fuzz {uuid7()}", therapeutic_area="x",
                          version=version)
        s.add(product)
        s.flush()
        presentation = Presentation(id=uuid7(), code="FUZZ", content_version="1",
                                    title="t", product_id=product.id,
                                    approval_state="approved", package_sha256="0" * 64,
                                    tree_sha256="0" * 64, version=version)
        s.add(presentation)
        s.flush()
        slide = Slide(id=uuid7(), presentation_id=presentation.id, position=1, code="S1",
                      title="t", key_message="KM", topic="study", kind="pdf", file="a.pdf",
                      asset_sha256="0" * 64, thumbnail_sha256="0" * 64, version=version)
        message = KeyMessage(id=uuid7(), product_id=product.id, code="KM", title="t",
                             topic="study", version=version)
        s.add_all([slide, message])
        ids = (territory_id, product.id, presentation.id, slide.id, message.id)
    world = World(client, user_id, ids[0], account, uuid7(), uuid7(), ids[2], ids[3], ids[1],
                  ids[4], live, territory)
    answers = _push(world, [
        mutation("interactions", world.call, call_fields(account, user_id)),
        mutation("presentation_sessions", world.session,
                 world.template("presentation_sessions")),
    ])
    assert [a["status"] for a in answers] == ["applied", "applied"], answers
    return world


@pytest.fixture(scope="module")
def world(live: Live) -> Iterator[World]:
    yield _world(live)


def _push(world: World, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Push as raw JSON: infinities and NaN as Python writes them, 1e400 as a bare number."""
    body = json.dumps({"mutations": mutations}, ensure_ascii=True)
    body = body.replace(json.dumps(_HUGE_MARK), HUGE_FLOAT)
    r = world.client.post("/api/v1/sync/push", data=body.encode("ascii"),
                          headers={**SYNC, "Content-Type": "application/json"})
    assert r.status_code == 200, (r.status_code, r.text[:500])
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def _pull_rest(world: World) -> None:
    """Pull every page after the last cursor: whatever was stored must go out again."""
    while True:
        params: dict[str, Any] = {"limit": 1000}
        if world.cursor:
            params["cursor"] = world.cursor
        r = world.client.get("/api/v1/sync/pull", params=params, headers=SYNC)
        assert r.status_code == 200, (r.status_code, r.text[:500])
        page = r.json()
        world.cursor = page["cursor"]
        if not page["more"]:
            return


def check_value(world: World, entity: str, name: str, value: Any) -> dict[str, Any]:
    """Push a row of `entity` with `name` = `value`, then a good call; the bad one's answer.

    Asserts: 200, the good call applied, and a later pull 200."""
    fields = {**world.template(entity), name: value}
    good = mutation("interactions", uuid7(), call_fields(world.account, world.user_id))
    bad, follow = _push(world, [mutation(entity, uuid7(), fields), good])
    assert follow["status"] == "applied", follow
    assert bad["status"] in ("applied", "rejected"), bad
    assert bad["status"] == "applied" or bad["reason"], bad
    _pull_rest(world)
    return bad


# Extreme values of every JSON shape. Text includes lone surrogates (category Cs) and NUL.
_ints = st.one_of(
    st.sampled_from([2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, -(2**63),
                     -(2**63) - 1, 2**64, 10**30, -(10**400), 0, -1]),
    st.integers())
_floats = st.one_of(st.sampled_from([_HUGE_MARK, 1e308, -1e308, 5e-324, -0.0]),
                    st.floats(allow_nan=True, allow_infinity=True))
_awkward_text = st.sampled_from(["\ud800", "a\udfffb", "\x00", "x" * 5000, "\U0010ffff", ""])
_text = st.one_of(_awkward_text, _awkward_text,
                  st.text(st.characters(blacklist_categories=()), max_size=40))
_years = st.sampled_from([1, 2, 1899, 1900, 1970, 2199, 2200, 9998, 9999])
_offsets = st.sampled_from(["", "Z", "+00:00", "+23:59", "-23:59", "+14:00", "-12:00"])
_datetimes = st.builds(lambda y, off: f"{y:04d}-12-31T23:59:59{off}", _years, _offsets) | \
    st.builds(lambda y, off: f"{y:04d}-01-01T00:00:00{off}", _years, _offsets)
_dates = st.builds(lambda y: f"{y:04d}-01-01", _years) | st.builds(
    lambda y: f"{y:04d}-12-31", _years)
_any = st.one_of(_ints, _floats, _text, _datetimes, _dates, st.booleans(), st.none(),
                 st.lists(st.integers(), max_size=2),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
#: Targets from the contract, so a new entity or field is fuzzed unasked: the fields of every
#: entity a laptop pushes (master data is refused before its values are looked at).
PUSHED = sorted(e for e, spec in ENTITIES.items() if spec.merge is not Merge.SERVER_OWNED)
TARGETS = sorted((e, f) for e in PUSHED for f in (*ENTITIES[e].fields, *COMMON_FIELDS))


def _extremes_for(entity: str, name: str) -> st.SearchStrategy[Any]:
    """Mostly extremes of the column's own type (those reach the database), sometimes any."""
    kind = table_of(entity).c[name].type
    own: st.SearchStrategy[Any] = _any
    if isinstance(kind, Integer):
        own = _ints
    elif isinstance(kind, Float):
        own = _floats | _ints
    elif isinstance(kind, DateTime):
        own = _datetimes
    elif isinstance(kind, Date):
        own = _dates
    elif isinstance(kind, String | Text):
        own = _text
    return st.one_of(own, own, own, _any)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[str, str, Any]:
    entity, name = draw(st.sampled_from(TARGETS))
    return entity, name, draw(_extremes_for(entity, name))


def _fuzz(world: World, case: tuple[str, str, Any]) -> None:
    check_value(world, *case)


_SETTINGS = {"deadline": None, "derandomize": False, "database": None,
             "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow]}


@settings(max_examples=40, **_SETTINGS)  # type: ignore[arg-type]
@given(case=_cases())
def test_no_value_answers_5xx_or_stalls_the_batch(world: World, case: tuple[str, str, Any]
                                                  ) -> None:
    _fuzz(world, case)


@pytest.mark.slow
@settings(max_examples=300, **_SETTINGS)  # type: ignore[arg-type]
@given(case=_cases())
def test_no_value_answers_5xx_or_stalls_the_batch_long(world: World,
                                                       case: tuple[str, str, Any]) -> None:
    _fuzz(world, case)


@pytest.mark.parametrize(("entity", "name", "value", "words"), [
    ("interactions", "start_at", "0001-01-01T00:00:00+01:00", "between the years"),
    ("interactions", "start_at", "9999-12-31T23:59:59-01:00", "between the years"),
    ("tasks", "due_date", "9999-12-31", "between the years"),
    ("interactions", "duration_min", 2**70, "out of range"),
    ("interactions", "duration_min", 2**40, "out of range"),  # fits SQLite, not PostgreSQL
    ("accounts", "potential", _HUGE_MARK, "finite number"),
    ("accounts", "potential", 10**400, "finite number"),
    ("interactions", "notes", "half a pair \ud800", "cannot be stored"),
    ("interactions", "notes", "nul\x00byte", "cannot be stored"),
    ("\ud800", "name", 1, "unknown entity"),
    ("interactions", "\udfff", 1, "unknown field"),
])
def test_values_that_answered_500_are_rejected_in_words(world: World, entity: str, name: str,
                                                        value: Any, words: str) -> None:
    bad = check_value(world, entity, name, value)
    assert bad["status"] == "rejected"
    assert words in bad["reason"], bad["reason"]


def test_a_base_version_beyond_bigint_is_rejected(world: World) -> None:
    m = mutation("interactions", world.call, {"notes": "x"}, base=2**64)
    bad, good = _push(world, [m, mutation("interactions", uuid7(),
                                          call_fields(world.account, world.user_id))])
    assert bad["status"] == "rejected" and "base_version" in bad["reason"]
    assert good["status"] == "applied"


@pytest.mark.parametrize("parts", [[2**63, 0, ""], [2**64 - 1, 0, ""], [1, 2**63, ""],
                                   [1, 0, "\x00"], [1, 0, "not-an-id"], [-5, 0, ""]])
def test_a_forged_cursor_is_a_4xx_in_words(world: World, parts: list[Any]) -> None:
    raw = json.dumps(parts).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    r = world.client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=SYNC)
    assert r.status_code == 400, r.text
    assert r.json() == {"error": "invalid cursor: pass the cursor of the previous page"}



@pytest.mark.parametrize("entity", [e for e in PUSHED
                                    if not e.startswith("medical_") and e != "emails"])
def test_the_rows_fuzzed_are_accepted_as_they_are(world: World, entity: str) -> None:
    """Each entity's row is applied unchanged, so a fuzzed field is what a refusal is about
    (medical inquiries and answers have rules of their own: test_escalations.py; so does an
    e-mail, which needs an approved template and the doctor's consent:
    tests/sync/test_email_guards.py)."""
    answer = _push(world, [mutation(entity, uuid7(), world.template(entity))])[0]
    assert answer["status"] == "applied", answer


@pytest.mark.parametrize("raw", [b"\x00" * 36, b"\xff" * 36, b"a\x00" * 18])
def test_a_forged_accounts_cursor_is_only_a_lower_bound(world: World, raw: bytes) -> None:
    """Any 36 bytes are a lower bound inside the caller's scope (the OpenAPI description
    admits them), a NUL among them too: never a 500 from PostgreSQL."""
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    r = world.client.get("/api/v1/accounts", params={"cursor": cursor})
    assert r.status_code == 200, r.text
