"""The login throttle behind a reverse proxy: counted per (name, address) pair, softer per
address, per name across addresses, and never against a laptop that logged in before for
failures it did not make. The server believes X-Forwarded-For from 127.0.0.1 here
(`forwarded_allow_ips`), as it would from its TLS proxy, so each test speaks from the
client addresses it chooses."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.db import Database
from server.directory import add_user
from tests.server.conftest import PASSWORD, Client, start_server, stop_server

SETTINGS = """
forwarded_allow_ips = "127.0.0.1"
login_user_free_failures = 2
login_address_free_failures = 4
login_name_free_failures = 6
login_base_delay_s = 60
"""


class Proxy:
    """Logins as a proxy forwards them: from a given client address."""

    def __init__(self, base: str, dsn: str) -> None:
        self.http = Client(base)
        self.dsn = dsn

    def user(self) -> str:
        name = f"rep-{uuid.uuid4().hex[:8]}"
        db = Database(self.dsn)
        with db.writing() as s:
            add_user(s, name, PASSWORD, "rep")
        db.dispose()
        return name

    def login(self, name: str, password: str, address: str, device: str) -> int:
        r = self.http.post("/api/v1/login", headers={"X-Forwarded-For": address},
                           json={"username": name, "password": password, "device_id": device})
        assert r.status_code in (200, 401, 429), r.text
        return r.status_code


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    folder = tmp_path_factory.mktemp("throttle")
    dsn = f"sqlite:///{folder / 'server.sqlite3'}"
    proc, base = start_server(folder, dsn, SETTINGS)
    made = Proxy(base, dsn)
    try:
        yield made
    finally:
        made.http.close()
        stop_server(proc)


def test_failures_count_per_name_and_address(proxy: Proxy) -> None:
    """Someone mistyping at one address does not hold the same name back elsewhere."""
    name = proxy.user()
    for _ in range(2):
        assert proxy.login(name, "wrong-guess", "10.1.0.1", "x") == 401
    assert proxy.login(name, PASSWORD, "10.1.0.1", "y") == 429
    assert proxy.login(name, PASSWORD, "10.1.0.2", "laptop-new") == 200


def test_failures_elsewhere_never_lock_out_a_known_laptop(proxy: Proxy) -> None:
    """Behind the company's NAT (one address), a colleague or an attacker guessing Anna's
    password locks that pair; Anna's own laptop, which logged in before, still gets in."""
    anna = proxy.user()
    assert proxy.login(anna, PASSWORD, "10.2.0.1", "anna-laptop") == 200
    for device in ("evil-1", "evil-2", "evil-3"):
        proxy.login(anna, "wrong-guess", "10.2.0.1", device)
    assert proxy.login(anna, PASSWORD, "10.2.0.1", "evil-4") == 429
    assert proxy.login(anna, PASSWORD, "10.2.0.1", "anna-laptop") == 200


def test_the_address_limit_is_softer_and_spares_known_laptops(proxy: Proxy) -> None:
    """Password spraying from one address stops new devices there, not the reps already
    working behind it."""
    veteran, newcomer = proxy.user(), proxy.user()
    assert proxy.login(veteran, PASSWORD, "10.3.0.1", "veteran-laptop") == 200
    for i in range(4):  # four names, one failure each: no pair is throttled
        assert proxy.login(f"spray-{i}-{veteran}", "guess-guess", "10.3.0.1", "s") == 401
    assert proxy.login(newcomer, PASSWORD, "10.3.0.1", "newcomer-laptop") == 429
    assert proxy.login(veteran, PASSWORD, "10.3.0.1", "veteran-laptop") == 200
    assert proxy.login(newcomer, PASSWORD, "10.3.0.2", "newcomer-laptop") == 200


def test_one_name_guessed_from_many_addresses(proxy: Proxy) -> None:
    name = proxy.user()
    assert proxy.login(name, PASSWORD, "10.4.0.1", "own-laptop") == 200
    for i in range(6):  # one failure per address: only the name's count grows
        assert proxy.login(name, "wrong-guess", f"10.4.1.{i}", f"bot-{i}") == 401
    assert proxy.login(name, PASSWORD, "10.4.2.1", "bot-x") == 429
    assert proxy.login(name, PASSWORD, "10.4.2.2", "own-laptop") == 200


def test_a_known_laptop_is_still_throttled_for_its_own_failures(proxy: Proxy) -> None:
    name = proxy.user()
    assert proxy.login(name, PASSWORD, "10.5.0.1", "own-laptop") == 200
    for address in ("10.5.0.1", "10.5.0.2"):
        assert proxy.login(name, "wrong-guess", address, "own-laptop") == 401
    assert proxy.login(name, PASSWORD, "10.5.0.3", "own-laptop") == 429


def test_a_laptop_logged_out_or_revoked_is_a_stranger_again(proxy: Proxy) -> None:
    """A lost laptop, once revoked, gets no gentler treatment than anyone else."""
    name = proxy.user()
    r = proxy.http.post("/api/v1/login", headers={"X-Forwarded-For": "10.7.0.1"},
                        json={"username": name, "password": PASSWORD, "device_id": "lost"})
    lost = Client(proxy.http.base, token=r.json()["token"], device_id="lost")
    assert lost.post("/api/v1/logout").status_code == 204
    lost.close()
    for device in ("evil-1", "evil-2"):
        assert proxy.login(name, "wrong-guess", "10.7.0.1", device) == 401
    assert proxy.login(name, PASSWORD, "10.7.0.1", "lost") == 429


def test_two_server_processes_count_as_one(proxy: Proxy, tmp_path: Path) -> None:
    """The counts live in the database: failures through one process hold back the other."""
    proc, other = start_server(tmp_path, proxy.dsn, SETTINGS)
    twin = Proxy(other, proxy.dsn)
    try:
        name = proxy.user()
        assert proxy.login(name, PASSWORD, "10.6.0.1", "own-laptop") == 200
        assert proxy.login(name, "wrong-guess", "10.6.0.9", "evil") == 401
        assert twin.login(name, "wrong-guess", "10.6.0.9", "evil") == 401
        assert proxy.login(name, PASSWORD, "10.6.0.9", "evil") == 429
        assert twin.login(name, PASSWORD, "10.6.0.9", "evil") == 429
        assert twin.login(name, PASSWORD, "10.6.0.9", "own-laptop") == 200
    finally:
        twin.http.close()
        stop_server(proc)
