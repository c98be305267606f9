"""The sync messages have one type (`app.wire_schema`): the server describes its endpoints
with it, and what it really sends — applied, conflicting and rejected answers, pages with
rows and revocations — passes the check the laptop applies before writing anything."""

from __future__ import annotations

import requests

from app.ids import uuid7
from app.wire_schema import PULL_PAGE, PUSH_REPLY
from tests.server.conftest import Live
from tests.server.test_sync_push import SYNC, call_fields, mutation, rep_with_account


def test_the_openapi_description_is_the_protocol_type(live: Live) -> None:
    spec = requests.get(live.base + "/api/v1/openapi.json", timeout=10).json()
    push = spec["paths"]["/api/v1/sync/push"]["post"]
    pull = spec["paths"]["/api/v1/sync/pull"]["get"]
    ok = "#/components/schemas/"
    assert push["requestBody"]["content"]["application/json"]["schema"]["$ref"] \
        == ok + "PushRequest"
    assert push["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] \
        == ok + "PushReply"
    assert pull["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] \
        == ok + "PullPage"
    page = spec["components"]["schemas"]["PullPage"]
    assert set(page["required"]) == {"changes", "cursor", "more"}


def test_what_the_server_sends_is_what_the_laptop_accepts(live: Live) -> None:
    rep = rep_with_account(live)
    call = uuid7()
    first = mutation("interactions", call, call_fields(rep.account, rep.user_id, notes="a"))
    stale = mutation("interactions", call, {"notes": "b"}, base=0)
    refused = mutation("territories", uuid7(), {"code": "X", "name": "X"})
    for batch in ([first], [stale, refused]):
        r = rep.client.post("/api/v1/sync/push", json={"mutations": batch}, headers=SYNC)
        assert r.status_code == 200, r.text
        PUSH_REPLY.validate_python(r.json())
    statuses = [x["status"] for x in r.json()["results"]]
    assert statuses == ["applied", "rejected"]
    page = rep.client.get("/api/v1/sync/pull", params={"limit": 5, "verify": "true"},
                          headers=SYNC)
    assert page.status_code == 200, page.text
    checked = PULL_PAGE.validate_python(page.json())
    assert checked["changes"] and isinstance(checked["changes"][0]["row"]["version"], int)
