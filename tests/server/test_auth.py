"""Authentication: every way in that must fail, fails with the same careful answers."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import update

from server.models import Token
from tests.server.conftest import PASSWORD, Client, Live, start_server, stop_server

PROTECTED = ["/api/v1/me", "/api/v1/accounts", "/api/v1/admin/users"]


def _login(c: Client, username: str, password: str, device: str = "laptop-1") -> int:
    r = c.post("/api/v1/login", json={"username": username, "password": password,
                                      "device_id": device})
    return r.status_code


def test_health_needs_no_token(live: Live) -> None:
    r = live.client().get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_login_and_me(live: Live) -> None:
    territory = live.territory()
    name = live.user("rep", (territory,))
    me = live.login(name).get("/api/v1/me")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == name
    assert body["role"] == "rep"
    assert [t["code"] for t in body["territories"]] == [territory]


def test_user_names_are_case_insensitive(live: Live) -> None:
    name = live.user("rep")
    assert _login(live.client(), name.upper(), PASSWORD) == 200


@pytest.mark.parametrize("path", PROTECTED)
def test_every_endpoint_needs_a_token(live: Live, path: str) -> None:
    anonymous = live.client()
    assert anonymous.get(path).status_code == 401
    anonymous.token = "not-a-token"
    r = anonymous.get(path)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_password_and_unknown_user_look_the_same(live: Live) -> None:
    name = live.user("rep")
    c = live.client()
    wrong = c.post("/api/v1/login", json={"username": name, "password": "nope-nope",
                                          "device_id": "d"})
    unknown = c.post("/api/v1/login", json={"username": "nobody-" + name,
                                            "password": "nope-nope", "device_id": "d"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"error": "invalid user name or password"}


def test_disabled_user_cannot_log_in_and_loses_tokens(live: Live) -> None:
    from server.directory import disable_user

    name = live.user("rep")
    c = live.login(name)
    assert c.get("/api/v1/me").status_code == 200
    with live.db.writing() as s:
        assert disable_user(s, name) == 1
    gone = c.get("/api/v1/me")  # the laptop holding the token is told to wipe (410)
    assert gone.status_code == 410 and gone.json() == {"error": "this user is disabled"}
    r = live.client().post("/api/v1/login", json={"username": name, "password": PASSWORD,
                                                  "device_id": "d"})
    assert r.status_code == 401
    assert r.json() == {"error": "invalid user name or password"}


def test_expired_token_is_refused(live: Live) -> None:
    c = live.login(live.user("rep"))
    user_id = c.get("/api/v1/me").json()["id"]
    with live.db.writing() as s:
        s.execute(update(Token).where(Token.user_id == user_id)
                  .values(expires_at=dt.datetime(2020, 1, 1)))
    r = c.get("/api/v1/me")
    assert r.status_code == 401
    assert "expired" in r.json()["error"]


def test_logout_revokes_the_token(live: Live) -> None:
    c = live.login(live.user("rep"))
    assert c.post("/api/v1/logout").status_code == 204
    assert c.get("/api/v1/me").status_code == 401


def test_admin_revokes_a_lost_device_only(live: Live, admin: Client) -> None:
    name = live.user("rep")
    lost = live.login(name, device_id="lost-laptop")
    kept = live.login(name, device_id="new-laptop")
    r = admin.post("/api/v1/admin/revoke", json={"username": name, "device_id": "lost-laptop"})
    assert r.status_code == 200
    assert r.json() == {"revoked": 1}
    gone = lost.get("/api/v1/me")
    assert gone.status_code == 410 and gone.json() == {"error": "this device was revoked"}
    assert kept.get("/api/v1/me").status_code == 200


def test_token_of_another_device_is_refused(live: Live) -> None:
    c = live.login(live.user("rep"), device_id="laptop-a")
    c.device_id = "laptop-b"
    r = c.get("/api/v1/me")
    assert r.status_code == 401
    assert "another device" in r.json()["error"]
    c.device_id = "laptop-a"
    assert c.get("/api/v1/me").status_code == 200


def test_brute_force_is_slowed_per_user(live: Live) -> None:
    name = live.user("rep")
    c = live.client()
    for _ in range(3):  # the test server allows 3 free failures per name
        assert _login(c, name, "wrong-password") == 401
    r = c.post("/api/v1/login", json={"username": name, "password": PASSWORD,
                                      "device_id": "d"})
    assert r.status_code == 429, "even the right password waits once the name is throttled"
    assert int(r.headers["Retry-After"]) > 0
    # An unknown name is throttled the same way: the answer never reveals who exists.
    ghost = "ghost-" + name
    for _ in range(3):
        assert _login(c, ghost, "wrong-password") == 401
    assert _login(c, ghost, "wrong-password") == 429
    # Other users are not affected.
    assert _login(c, live.user("rep"), PASSWORD) == 200


def test_parallel_guesses_are_throttled_like_serial_ones(live: Live) -> None:
    """Twelve wrong passwords at once for one name: at most the free ones are checked."""
    name = live.user("rep")
    clients = [live.client() for _ in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(lambda c: _login(c, name, "wrong-password"), clients))
    assert codes.count(401) <= 3  # the test server allows 3 free failures per name
    assert set(codes) <= {401, 429}


def test_only_admins_reach_admin_endpoints(live: Live) -> None:
    for role in ("rep", "msl", "manager"):
        c = live.login(live.user(role))
        assert c.get("/api/v1/admin/users").status_code == 403
        r = c.post("/api/v1/admin/import", data=b"name\n", headers={"Content-Type": "text/csv"})
        assert r.status_code == 403


def test_admin_sees_no_account_content(live: Live, admin: Client) -> None:
    account = live.account(live.territory())
    assert admin.get("/api/v1/accounts").status_code == 403
    assert admin.get(f"/api/v1/accounts/{account}").status_code == 403
    users = admin.get("/api/v1/admin/users")
    assert users.status_code == 200
    assert "password_hash" not in users.text


def test_brute_force_is_slowed_per_address(tmp_path: Path) -> None:
    """Many names from one address: the address throttle stops password spraying."""
    settings = "login_address_free_failures = 4\nlogin_base_delay_s = 60\n"
    proc, base = start_server(tmp_path, f"sqlite:///{tmp_path / 'server.sqlite3'}", settings)
    c = Client(base)
    try:
        for i in range(4):
            assert _login(c, f"spray-{i}", "guess-guess") == 401
        assert _login(c, "spray-new", "guess-guess") == 429
    finally:
        c.close()
        stop_server(proc)


def test_two_server_processes_behave_like_one(live: Live, backend_dsn: str,
                                              tmp_path: Path) -> None:
    """docs/architecture.md: tokens and the throttle live in the database, so a second process
    over the same database honours the first one's tokens, logouts and failure counts."""
    proc, other_base = start_server(tmp_path, backend_dsn)
    try:
        name = live.user("rep")
        c = live.login(name)
        twin = Client(other_base, token=c.token, device_id=c.device_id)
        assert twin.get("/api/v1/me").status_code == 200
        assert c.post("/api/v1/logout").status_code == 204
        assert twin.get("/api/v1/me").status_code == 401
        victim = live.user("rep")
        for base in (live.base, other_base, live.base):
            anonymous = Client(base)
            assert _login(anonymous, victim, "wrong-password") == 401
            anonymous.close()
        assert _login(twin, victim, PASSWORD) == 429
        twin.close()
    finally:
        stop_server(proc)


def test_forwarded_for_is_not_believed_by_default(tmp_path: Path) -> None:
    """Without configured proxies, X-Forwarded-For cannot dodge the address throttle."""
    settings = "login_address_free_failures = 2\nlogin_base_delay_s = 60\n"
    proc, base = start_server(tmp_path, f"sqlite:///{tmp_path / 'server.sqlite3'}", settings)
    c = Client(base)
    try:
        for i in range(2):
            r = c.post("/api/v1/login", headers={"X-Forwarded-For": f"10.0.0.{i}"},
                       json={"username": f"spray-{i}", "password": "guess-guess",
                             "device_id": "d"})
            assert r.status_code == 401
        r = c.post("/api/v1/login", headers={"X-Forwarded-For": "10.0.0.99"},
                   json={"username": "spray-x", "password": "guess-guess", "device_id": "d"})
        assert r.status_code == 429
    finally:
        c.close()
        stop_server(proc)
