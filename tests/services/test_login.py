"""Login: online the first time (token + verifier), offline afterwards, never the password."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services import accounts as account_service
from app.services.login import LoginError, login
from app.store.database import Database
from app.sync import state
from app.sync.auth import client_for, device_id
from app.sync.client import RetryPolicy, SyncClient
from app.sync.engine import sync_once
from app.sync.errors import AuthRequiredError
from tests.sync.conftest import local_state, seed_server
from tests.sync.protocol_server import ProtocolServer

PASSWORD = "Sehr-geheim-4711"


@pytest.fixture
def peer() -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    server.start()
    seed = seed_server(server)
    server.add_user("lena", PASSWORD, seed.rep)
    yield server
    server.stop()


@pytest.fixture
def connect(db: Database, peer: ProtocolServer) -> Iterator[Callable[[], SyncClient]]:
    made: list[SyncClient] = []

    def make() -> SyncClient:
        client = client_for(db, peer.url, retry=RetryPolicy(attempts=1))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def db_bytes(path: Path) -> bytes:
    return b"".join(Path(f"{path}{s}").read_bytes() for s in ("", "-wal")
                    if Path(f"{path}{s}").exists())


def test_the_first_login_is_online_and_stores_token_and_verifier_not_the_password(
        db: Database, connect: Callable[[], SyncClient]) -> None:
    result = login(db, connect(), "Lena ", PASSWORD)
    assert result.online and result.username == "lena"
    assert local_state(db, state.TOKEN)
    assert local_state(db, state.DEVICE_ID) == device_id(db)
    verifier = json.loads(local_state(db, state.VERIFIER) or "{}")
    assert verifier["alg"] == "scrypt" and verifier["username"] == "lena"
    db.close()
    data = db_bytes(db.path)
    assert PASSWORD.encode() not in data
    assert PASSWORD.encode("utf-16-le") not in data


def test_offline_the_same_password_opens_fieldrep_and_a_wrong_one_does_not(
        db: Database, connect: Callable[[], SyncClient], peer: ProtocolServer) -> None:
    login(db, connect(), "lena", PASSWORD)
    peer.stop()
    offline = connect()
    result = login(db, offline, "lena", PASSWORD)
    assert not result.online and result.user_id == json.loads(
        local_state(db, state.VERIFIER) or "{}")["user_id"]
    with pytest.raises(LoginError, match="The password is wrong"):
        login(db, offline, "lena", "Sehr-geheim-4712")
    with pytest.raises(LoginError, match="first login on this laptop needs a connection"):
        login(db, offline, "someone-else", PASSWORD)


def test_the_first_login_cannot_be_offline(db: Database) -> None:
    with pytest.raises(LoginError, match="needs a connection"):
        login(db, None, "lena", PASSWORD)


def test_a_wrong_password_online_is_final(
        db: Database, connect: Callable[[], SyncClient]) -> None:
    login(db, connect(), "lena", PASSWORD)
    with pytest.raises(LoginError, match="user name or password is wrong"):
        login(db, connect(), "lena", "wrong")


def test_an_expired_token_asks_for_the_password_and_keeps_the_outbox(
        db: Database, connect: Callable[[], SyncClient], peer: ProtocolServer) -> None:
    client = connect()
    login(db, client, "lena", PASSWORD)
    sync_once(db, client)
    with db.read() as session:
        account = session.execute(text("SELECT min(id) FROM accounts")).scalar_one()
    with db.write() as session:
        account_service.update_contact(session, None, account, email=None, phone=None,
                                       notes="written offline")
    peer.expire_tokens()
    with pytest.raises(AuthRequiredError, match="log in again"):
        sync_once(db, client)
    with db.read() as session:
        pending = session.execute(text("SELECT count(*) FROM outbox")).scalar_one()
    assert pending == 2
    assert local_state(db, state.TOKEN) is None
    assert "log in again" in (local_state(db, state.LAST_ERROR) or "")
    with pytest.raises(AuthRequiredError):  # no token: asks before sending anything
        sync_once(db, connect())
    again = connect()
    login(db, again, "lena", PASSWORD)
    sync_once(db, again)
    assert peer.row("accounts", account)["notes"] == "written offline"  # type: ignore[index]
