"""Signing in against a real server: each user's own encrypted store, unlocked by the
password; offline expiry; re-keying after a password change; migrating a plain store; the
remote wipe when the server says the user or the device is gone."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text, update

from app.services import accounts as account_service
from app.services.login import (
    LoginError,
    PreviousPasswordNeededError,
    SignedIn,
    login,
    sign_in,
    sign_out,
)
from app.services.remote_wipe import StoreWipedError, sync_or_wipe
from app.store.database import open_database
from app.store.keys import KdfParams
from app.store.user_stores import read_header
from app.sync import state
from app.sync.auth import client_for
from app.sync.client import RetryPolicy, SyncClient
from app.sync.run import sync_once
from tests.server.conftest import PASSWORD, Live
from tests.sync.conftest import local_state

#: Argon2id at its floor: these tests sign in many times; one test checks the real cost.
FAST = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
NOWHERE = "http://127.0.0.1:9"  # nothing listens: the laptop is offline


@dataclass
class Team:
    rep: str
    rep_doctor: str  # a name only the rep's territory holds
    other: str
    other_doctor: str


@pytest.fixture
def team(live: Live) -> Team:
    tag = secrets.token_hex(4)
    mine, theirs = live.territory(), live.territory()
    team = Team(live.user("rep", (mine,)), f"Dr. Quellmalz {tag}",
                live.user("rep", (theirs,)), f"Dr. Zwirnemann {tag}")
    live.account(mine, name=team.rep_doctor)
    live.account(theirs, name=team.other_doctor)
    return team


@pytest.fixture
def online(live: Live) -> Iterator[Callable[[str], SyncClient]]:
    made: list[SyncClient] = []

    def connect(device: str) -> SyncClient:
        client = SyncClient(live.base, device_id=device, retry=RetryPolicy(attempts=1))
        made.append(client)
        return client

    yield connect
    for client in made:
        client.close()


def offline(device: str) -> SyncClient:
    return SyncClient(NOWHERE, device_id=device, retry=RetryPolicy(attempts=1),
                      timeout=(1, 1))


@pytest.fixture
def opened() -> Iterator[list[SignedIn]]:
    signed: list[SignedIn] = []
    yield signed
    for s in signed:
        s.db.close()


def synced(signed: SignedIn, live: Live) -> SignedIn:
    with client_for(signed.db, live.base) as client:
        sync_once(signed.db, client)
    return signed


def names(signed: SignedIn) -> set[str]:
    with signed.db.read() as session:
        return set(session.execute(text("SELECT name FROM accounts")).scalars())


def folder_bytes(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_absent(folder: Path, *secrets_: str) -> None:
    for path, data in folder_bytes(folder).items():
        for secret in secrets_:
            for encoded in (secret.encode(), secret.encode("utf-16-le")):
                assert encoded not in data, f"{secret!r} found in {path.name}"


def pending(signed: SignedIn) -> int:
    with signed.db.read() as session:
        return int(session.execute(text("SELECT count(*) FROM outbox")).scalar_one())


def edit_notes(signed: SignedIn, name: str, notes: str) -> str:
    with signed.db.read() as session:
        account = session.execute(text("SELECT id FROM accounts WHERE name = :n"),
                                  {"n": name}).scalar_one()
    with signed.db.write() as session:
        account_service.update_contact(session, None, account, email=None, phone=None,
                                       notes=notes)
    return str(account)


def test_the_first_sign_in_is_online_and_the_token_lives_only_in_the_encrypted_store(
        tmp_path: Path, live: Live, team: Team, online: Callable[[str], SyncClient]) -> None:
    signed = sign_in(tmp_path, f" {team.rep.upper()} ", PASSWORD, online)  # the real cost
    try:
        assert signed.result.online and signed.result.username == team.rep
        synced(signed, live)
        assert team.rep_doctor in names(signed)
        token = local_state(signed.db, state.TOKEN)
        assert token
    finally:
        signed.db.close()
    header = read_header(signed.store)
    assert header is not None and header.kdf.memory_kib == 64 * 1024
    with contextlib.closing(sqlite3.connect(signed.store.database)) as conn, \
            pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT value FROM local_state").fetchall()
    assert_absent(tmp_path, token, PASSWORD, team.rep_doctor, team.rep)


def test_offline_the_password_unlocks_the_store_and_a_wrong_one_changes_nothing(
        tmp_path: Path, live: Live, team: Team, online: Callable[[str], SyncClient],
        opened: list[SignedIn]) -> None:
    first = synced(sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST), live)
    user_id = first.result.user_id
    first.db.close()
    before = folder_bytes(tmp_path)

    with pytest.raises(LoginError, match="The password is wrong"):
        sign_in(tmp_path, team.rep, PASSWORD + "!", offline, kdf=FAST)
    with pytest.raises(LoginError, match="first login on this laptop needs a connection"):
        sign_in(tmp_path, team.other, PASSWORD, offline, kdf=FAST)
    assert folder_bytes(tmp_path) == before

    again = sign_in(tmp_path, team.rep, PASSWORD, offline, kdf=FAST)
    opened.append(again)
    assert not again.result.online and again.result.user_id == user_id
    assert team.rep_doctor in names(again)


def test_a_wrong_password_online_is_final(
        tmp_path: Path, team: Team, online: Callable[[str], SyncClient]) -> None:
    with pytest.raises(LoginError, match="user name or password is wrong"):
        sign_in(tmp_path, team.rep, "wrong", online, kdf=FAST)
    assert not any(p.suffix == ".sqlite" for p in tmp_path.rglob("*"))


def test_switching_users_opens_each_own_store_and_keeps_the_unsent_changes(
        tmp_path: Path, live: Live, team: Team, online: Callable[[str], SyncClient],
        opened: list[SignedIn]) -> None:
    rep = synced(sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST), live)
    account = edit_notes(rep, team.rep_doctor, "written before the switch")
    assert pending(rep) > 0
    cursor = local_state(rep.db, state.CURSOR)
    assert cursor
    sign_out(rep.db)  # as the window does when it closes

    other = synced(sign_in(tmp_path, team.other, PASSWORD, online, kdf=FAST), live)
    opened.append(other)
    assert other.store.database != rep.store.database
    assert names(other) == {team.other_doctor}  # never a row of the rep's
    assert pending(other) == 0 and local_state(other.db, state.CURSOR) != cursor
    assert any("unsent change(s) of another user" in n for n in other.notices)
    with live.db.reading() as s:  # not sent by the other user's sync either
        notes = s.execute(text("SELECT notes FROM accounts WHERE id = :i"),
                          {"i": account}).scalar()
    assert notes != "written before the switch"
    other.db.close()
    opened.clear()

    back = sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST)
    opened.append(back)
    assert pending(back) > 0 and team.other_doctor not in names(back)
    assert local_state(back.db, state.CURSOR) == cursor  # the rep's own pull position
    synced(back, live)
    with live.db.reading() as s:
        assert s.execute(text("SELECT notes FROM accounts WHERE id = :i"),
                         {"i": account}).scalar() == "written before the switch"
    assert pending(back) == 0


def test_offline_sign_in_expires_after_the_configured_days_with_a_warning_before(
        tmp_path: Path, live: Live, team: Team, online: Callable[[str], SyncClient]) -> None:
    start = dt.datetime(2026, 6, 1, 8, 0)
    sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST, now=start).db.close()

    calm = sign_in(tmp_path, team.rep, PASSWORD, offline, kdf=FAST, offline_days=14,
                   now=start + dt.timedelta(days=5))
    calm.db.close()
    assert calm.notices == []
    soon = sign_in(tmp_path, team.rep, PASSWORD, offline, kdf=FAST, offline_days=14,
                   now=start + dt.timedelta(days=12))
    soon.db.close()
    assert any("within 2 day(s)" in n for n in soon.notices)
    before = folder_bytes(tmp_path)
    with pytest.raises(LoginError, match="more than 14 days"):
        sign_in(tmp_path, team.rep, PASSWORD, offline, kdf=FAST, offline_days=14,
                now=start + dt.timedelta(days=14, hours=1))
    assert {p for p in folder_bytes(tmp_path)} == set(before)
    with pytest.raises(LoginError, match="more than 7 days"):  # configurable
        sign_in(tmp_path, team.rep, PASSWORD, offline, kdf=FAST, offline_days=7,
                now=start + dt.timedelta(days=8))
    # Reaching the server starts the count again.
    sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST,
            now=start + dt.timedelta(days=20)).db.close()
    sign_in(tmp_path, team.rep, PASSWORD, offline, kdf=FAST,
            now=start + dt.timedelta(days=21)).db.close()


def test_a_password_changed_on_the_server_re_keys_the_store_with_the_previous_one(
        tmp_path: Path, live: Live, team: Team, online: Callable[[str], SyncClient],
        opened: list[SignedIn]) -> None:
    from server.models import User
    from server.security import hash_password

    synced(sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST), live).db.close()
    new = "a brand new passphrase"
    with live.db.writing() as s:
        s.execute(update(User).where(User.username == team.rep)
                  .values(password_hash=hash_password(new)))

    with pytest.raises(PreviousPasswordNeededError, match="previous password"):
        sign_in(tmp_path, team.rep, new, online, kdf=FAST)
    with pytest.raises(PreviousPasswordNeededError, match="previous password is wrong"):
        sign_in(tmp_path, team.rep, new, online, kdf=FAST, previous_password="guess")
    signed = sign_in(tmp_path, team.rep, new, online, kdf=FAST, previous_password=PASSWORD)
    signed.db.close()
    with pytest.raises(LoginError, match="The password is wrong"):  # the old one: nothing
        sign_in(tmp_path, team.rep, PASSWORD, offline, kdf=FAST)
    again = sign_in(tmp_path, team.rep, new, offline, kdf=FAST)
    opened.append(again)
    assert team.rep_doctor in names(again)


def _scrypt_verifier(username: str, user_id: str, password: str) -> str:
    """What Fieldrep stored beside a plain database before stores were encrypted."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2 ** 14, r=8, p=1, dklen=32,
                            maxmem=128 * 2 ** 14 * 8 + 1024 * 1024)
    return json.dumps({"alg": "scrypt", "n": 2 ** 14, "r": 8, "p": 1, "salt": salt.hex(),
                       "hash": digest.hex(), "username": username, "user_id": user_id})


def test_a_plain_store_is_encrypted_on_first_unlock_with_an_encrypted_backup(
        tmp_path: Path, opened: list[SignedIn]) -> None:
    from tests.factories import make_world

    legacy = tmp_path / "fieldrep.sqlite"
    db = open_database(legacy)
    with db.write() as session:
        session.info["from_server"] = True
        world = make_world(session)
        local = session.connection()
        state.put(local, state.USERNAME, "lena")
        state.put(local, state.USER_ID, world.rep.id)
        state.put(local, state.VERIFIER, _scrypt_verifier("lena", world.rep.id, PASSWORD))
        state.put(local, state.LAST_SUCCESS, dt.datetime.now(dt.UTC).replace(
            tzinfo=None).isoformat())
    with db.write() as session:
        account_service.update_contact(session, None, world.doctor.id, email=None,
                                       phone=None, notes="Unsent-Note-Before-Encryption")
    db.close()

    with pytest.raises(LoginError, match="The password is wrong"):
        sign_in(tmp_path, "lena", "wrong", None, kdf=FAST)
    signed = sign_in(tmp_path, "lena", PASSWORD, None, kdf=FAST)
    opened.append(signed)
    assert not legacy.exists() and not Path(f"{legacy}-wal").exists()
    assert any("now encrypted" in n for n in signed.notices)
    assert pending(signed) == 2 and "Dr. med. Jürgen Müller" in names(signed)
    assert local_state(signed.db, state.VERIFIER) is None
    backups = list((signed.store.folder / "backups").iterdir())
    assert len(backups) == 1
    signed.db.close()
    opened.clear()
    assert_absent(tmp_path, "Unsent-Note-Before-Encryption", "Müller", "lena")
    with contextlib.closing(sqlite3.connect(backups[0])) as conn, \
            pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM accounts").fetchone()


@pytest.mark.parametrize("how", ["user disabled", "device revoked"])
def test_the_server_s_wipe_order_removes_the_store_and_nothing_more_is_pushed(
        tmp_path: Path, live: Live, team: Team, online: Callable[[str], SyncClient],
        how: str) -> None:
    from server.directory import disable_user
    from server.security import revoke_tokens

    signed = synced(sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST), live)
    account = edit_notes(signed, team.rep_doctor, "must never reach the server")
    device = local_state(signed.db, state.DEVICE_ID)
    with live.db.writing() as s:
        if how == "user disabled":
            disable_user(s, team.rep)
        else:
            user_id = s.execute(text("SELECT id FROM users WHERE username = :u"),
                                {"u": team.rep}).scalar_one()
            revoke_tokens(s, user_id, device)
    store_files = signed.store.files()
    assert signed.store.database in store_files

    with client_for(signed.db, live.base) as client, \
            pytest.raises(StoreWipedError, match="removed this user's data") as caught:
        sync_or_wipe(signed.db, client)
    assert ("disabled" if how == "user disabled" else "revoked") in str(caught.value)
    assert not any(p.exists() for p in store_files)
    assert_absent(tmp_path, team.rep_doctor, "must never reach the server")
    with live.db.reading() as s:
        assert s.execute(text("SELECT notes FROM accounts WHERE id = :i"),
                         {"i": account}).scalar() != "must never reach the server"


def test_renewing_the_token_is_for_the_store_s_own_user_only(
        tmp_path: Path, live: Live, team: Team, online: Callable[[str], SyncClient],
        opened: list[SignedIn]) -> None:
    signed = sign_in(tmp_path, team.rep, PASSWORD, online, kdf=FAST)
    opened.append(signed)
    with client_for(signed.db, live.base) as client:
        with pytest.raises(LoginError, match="To work as another user"):
            login(signed.db, client, team.other, PASSWORD)
        result = login(signed.db, client, team.rep, PASSWORD)
    assert result.online and local_state(signed.db, state.USERNAME) == team.rep
