"""Bad input: always a 4xx with a message that says what is wrong; never a 5xx; nothing
written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from server.models import Account
from tests.server.conftest import Client, Live


def _accounts(live: Live) -> int:
    with live.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(Account)) or 0)


def _login_raw(c: Client, body: bytes) -> tuple[int, dict]:
    r = c.post("/api/v1/login", data=body, headers={"Content-Type": "application/json"})
    return r.status_code, r.json()


@pytest.mark.parametrize(("body", "status", "message"), [
    (b'{"username": "a", "password": ', 400, "malformed JSON"),
    (b"\xff\xfe not json", 400, "malformed JSON"),
    (b'{"username": 12, "password": "x", "device_id": "d"}', 422, "body.username"),
    (b'{"username": "a", "password": ["x"], "device_id": "d"}', 422, "body.password"),
    (b'{"username": "a", "password": "x"}', 422, "body.device_id"),
    (b'{"username": "a", "password": "x", "device_id": "d", "admin": true}', 422,
     "body.admin"),
    (b'[]', 422, "invalid request"),
    (b'{"username": "a", "password": "x", "device_id": "has space"}', 422, "device_id"),
])
def test_bad_login_bodies(live: Live, body: bytes, status: int, message: str) -> None:
    code, payload = _login_raw(live.client(), body)
    assert code == status
    assert message in payload["error"]


def test_validation_errors_never_echo_the_password(live: Live) -> None:
    code, payload = _login_raw(
        live.client(), b'{"username": "a", "password": "s3cret-value", "device_id": 5}')
    assert code == 422
    assert "s3cret-value" not in json.dumps(payload)


@pytest.mark.parametrize("username", ["' OR 1=1 --", "admin'--", "a\"; DROP TABLE users;",
                                      "%", "_"])
def test_sql_looking_user_names_are_just_wrong(live: Live, username: str) -> None:
    code, payload = _login_raw(live.client(), json.dumps(
        {"username": username, "password": "x' OR '1'='1", "device_id": "d"}).encode())
    assert code == 401
    assert payload == {"error": "invalid user name or password"}


def test_huge_bodies_are_refused_unread(live: Live) -> None:
    c = live.client()
    big = b'{"username": "' + b"a" * 200_000 + b'"}'
    r = c.post("/api/v1/login", data=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert "larger than" in r.json()["error"]

    def chunks():  # no Content-Length: chunked transfer, counted while read
        for _ in range(100):
            yield b"x" * 10_000

    r = c.post("/api/v1/login", data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_bad_paging_parameters(live: Live) -> None:
    rep = live.login(live.user("rep", (live.territory(),)))
    for params in ({"limit": 0}, {"limit": 5000}, {"limit": "many"}):
        r = rep.get("/api/v1/accounts", params=params)
        assert r.status_code == 422, params
        assert "limit" in r.json()["error"]
    r = rep.get("/api/v1/accounts", params={"cursor": "!!!"})
    assert r.status_code == 422
    assert "cursor" in r.json()["error"]


def test_unknown_paths_and_methods_answer_json(live: Live) -> None:
    c = live.client()
    r = c.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.json() == {"error": "Not Found"}
    r = c.session.put(live.base + "/api/v1/login", timeout=10)
    assert r.status_code == 405


@pytest.mark.parametrize(("content_type", "body", "status", "message"), [
    ("text/csv", "id:LANR,name\n1,M\xfcller\n".encode("latin-1"), 422, "not valid utf-8"),
    ("text/csv", b"", 400, "empty body"),
    ("text/csv", b"name,city\nA,B\n", 422, "no external id column"),
    ("text/csv", b'id:LANR,name\n1,"unterminated\n', 422, "CSV error"),
    ("text/csv", b"id:LANR,name\n1,\x00A\n", 422, "NUL"),
    ("application/fhir+json", b'{"resourceType": "Patient", "id": "p"}', 422,
     "resource type Patient is not imported"),
    ("application/fhir+json", b'{"resourceType": "Practitioner", "name": {"family": "X"}}',
     422, "DSTU2"),
    ("application/fhir+json; fhirVersion=5.0", b'{"resourceType": "Practitioner"}', 422,
     "FHIR version 5.0"),
    ("application/fhir+json", b'{"resourceType": ', 422, "not valid JSON"),
    ("application/fhir+json", b'[1, 2]', 422, "not a FHIR resource"),
    ("application/xml", b"<Practitioner/>", 415, "text/csv"),
])
def test_bad_imports_write_nothing(live: Live, admin: Client, content_type: str, body: bytes,
                                   status: int, message: str) -> None:
    before = _accounts(live)
    r = admin.post("/api/v1/admin/import", data=body, headers={"Content-Type": content_type})
    assert r.status_code == status, r.text
    assert message.lower() in r.json()["error"].lower()
    assert _accounts(live) == before


def test_import_body_limit(live: Live, admin: Client) -> None:
    body = b"id:LANR,name\n" + b"1,x\n" * 600_000  # 2.4 MB > the test server's 2 MiB
    r = admin.post("/api/v1/admin/import", data=body, headers={"Content-Type": "text/csv"})
    assert r.status_code == 413
