"""Signing in: which user's store opens, with which key, and when the server must be asked.

Each user has an encrypted store of their own in the data folder (app/store/user_stores.py);
its key is derived from the user's password (app/store/keys.py), so signing in offline *is*
unlocking the store: a wrong password opens nothing, and nothing that checks a password is
kept beside the file. The first sign-in of a user on a laptop needs the server (it checks the
password and hands out a token for this device); the token is kept inside the store.

Signing in as another user opens (or creates) that user's store and never shows the other's
rows; the previous user's unsent changes stay in their store and are sent when they sign in
again (`SignedIn.notices` says so). Offline sign-in ends `offline_login_days` after the store
last reached the server, with a warning in the days before: a laptop that is lost, or whose
user left, stops opening. When the server's password changed since the store was locked,
the previous password re-keys the store to the new one.

`login()` renews the token of the store that is open (a sync asked for the password again).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.i18n import tr
from app.ids import uuid7
from app.services.errors import ServiceError
from app.store.database import Database, WrongKeyError, check_key, connect_raw, open_database
from app.store.keys import DEFAULT_KDF, KdfParams, derive_key, new_salt
from app.store.user_stores import (
    Header,
    UserStore,
    adopt_legacy,
    encrypt_plain,
    is_plain,
    note_pending,
    pending_elsewhere,
    read_header,
    rekey,
    store_for,
    write_header,
)
from app.sync import state
from app.sync.client import SyncClient
from app.sync.errors import AuthRequiredError, SyncError

#: local_state: whom the window shows as signed in (app.store.queries.current_user).
CURRENT_USER = "current_user_id"
#: local_state: when this store last heard the server say yes (a login; syncs record theirs).
LAST_ONLINE_LOGIN = "auth.last_online_login_at"
OFFLINE_LOGIN_DAYS = 14
#: Days before the offline limit from which each sign-in warns.
OFFLINE_WARNING_DAYS = 3


class LoginError(ServiceError):
    """The sign-in failed; the message says why and what to do. Nothing was changed."""


class PreviousPasswordNeededError(LoginError):
    """The server accepted a new password; the store is still locked with the previous one."""


@dataclass(frozen=True)
class LoginResult:
    user_id: str
    username: str
    online: bool  # False: the store was unlocked without the server


@dataclass
class SignedIn:
    """An unlocked store and what the person should be told about it."""

    result: LoginResult
    db: Database
    store: UserStore
    notices: list[str] = field(default_factory=list)


def _normal(username: str) -> str:
    return username.strip().lower()


def _read_state(path: Path, key: bytes | None, *keys: str) -> dict[str, str]:
    """Some local_state values of a store file, read-only (before it is opened for real)."""
    conn = connect_raw(path, key)
    try:
        marks = ",".join("?" * len(keys))
        rows = conn.execute(f"SELECT key, value FROM local_state WHERE key IN ({marks})",
                            keys).fetchall()
    except Exception:  # a store without that table yet: nothing recorded
        rows = []
    finally:
        conn.close()
    return {str(k): str(v) for k, v in rows}


def check_legacy_verifier(raw: str, username: str, password: str) -> str | None:
    """The user id when `password` matches a plain store's old scrypt verifier, else None.

    Only for unlocking a store from before encryption, once: it is then encrypted and the
    verifier removed.
    """
    try:
        v = json.loads(raw)
        if v.get("alg") != "scrypt" or v.get("username") != username:
            return None
        n, r, p = int(v["n"]), int(v["r"]), int(v["p"])
        digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(v["salt"]), n=n,
                                r=r, p=p, dklen=len(bytes.fromhex(v["hash"])),
                                maxmem=128 * n * r * p + 1024 * 1024)
    except (ValueError, KeyError, TypeError):
        return None
    return str(v["user_id"]) if hmac.compare_digest(digest.hex(), v["hash"]) else None


def _opens(store: UserStore, key: bytes) -> bool:
    try:
        check_key(store.database, key)
    except WrongKeyError:
        return False
    return True


def _last_contact(db: Database) -> dt.datetime | None:
    with db.read() as session:
        conn = session.connection()
        stamps = [state.get(conn, k) for k in (state.LAST_SUCCESS, LAST_ONLINE_LOGIN)]
    times = []
    for stamp in stamps:
        try:
            moment = dt.datetime.fromisoformat(stamp) if stamp else None
        except ValueError:
            moment = None
        if moment is not None:
            times.append(moment.replace(tzinfo=None) if moment.tzinfo is None
                         else moment.astimezone(dt.UTC).replace(tzinfo=None))
    return max(times, default=None)


def _offline_notice(db: Database, days: int, now: dt.datetime) -> str | None:
    """Raise when offline sign-in has expired; a warning when it soon will."""
    last = _last_contact(db)
    left = days - ((now - last).total_seconds() / 86400 if last else days + 1)
    if left <= 0:
        raise LoginError(tr(
            "This laptop has not reached the server for more than {days} days: connect to "
            "the network and sign in again. Your data stays on this laptop.", days=days))
    if left <= OFFLINE_WARNING_DAYS:
        return tr("Connect to the server within {days} day(s): after that, Fieldrep opens "
                  "only online.", days=max(1, int(left)))
    return None


def sign_in(data_dir: Path, username: str, password: str,
            connect: Callable[[str], SyncClient] | None, *,
            previous_password: str | None = None,
            offline_days: int = OFFLINE_LOGIN_DAYS, kdf: KdfParams = DEFAULT_KDF,
            now: dt.datetime | None = None) -> SignedIn:
    """Sign `username` in: online when the server answers, else by unlocking their store.

    `connect(device_id)` makes a client for the server, or is None without one. A server
    that says the password is wrong is final; offline is only for when it cannot be asked.
    """
    name = _normal(username)
    if not name or not password:
        raise LoginError(tr("Enter your user name and password."))
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    adopt_legacy(data_dir, name)
    store = store_for(data_dir, name)
    exists = store.database.exists() and store.database.stat().st_size > 0
    plain = exists and is_plain(store.database)
    header = read_header(store)
    key: bytes | None = None
    unlocked = False
    if plain:
        facts = _read_state(store.database, None, state.VERIFIER, state.DEVICE_ID)
        unlocked = check_legacy_verifier(facts.get(state.VERIFIER, "{}"), name,
                                         password) is not None
    elif exists:
        if header is None:
            raise LoginError(tr("The key file of this user's data is missing from the data "
                                "folder, so the data cannot be opened. Nothing was changed."))
        key = derive_key(password, header.salt, header.kdf)
        unlocked = _opens(store, key)
        facts = _read_state(store.database, key, state.DEVICE_ID) if unlocked else {}
    else:
        facts = {}

    reply: dict[str, Any] | None = None
    device = facts.get(state.DEVICE_ID) or uuid7()
    offline_reason = tr("No server is set up.")
    if connect is not None:
        client = connect(device)
        try:
            reply = client.login(name, password)
        except AuthRequiredError as exc:
            raise LoginError(tr("The user name or password is wrong.")) from exc
        except SyncError as exc:
            offline_reason = str(exc)
    if reply is None:
        if not exists:
            raise LoginError(tr("The first login on this laptop needs a connection to the "
                                "server ({reason}).", reason=offline_reason))
        if not unlocked:
            raise LoginError(tr("The password is wrong. Offline, Fieldrep opens your data "
                                "only with the password you last used on this laptop."))
    elif exists and not unlocked and not plain:
        assert header is not None
        key = _rekey_to(store, header, previous_password, password, kdf)

    notices: list[str] = []
    if plain or not exists:
        header = Header(kdf, new_salt())
        key = derive_key(password, header.salt, header.kdf)
        if plain:
            encrypt_plain(store, key, header)
            notices.append(tr("Your data on this laptop is now encrypted with your password."))
        else:
            write_header(store, header)
    assert key is not None
    db = open_database(store.database, key)
    try:
        if plain:
            with db.write() as session:  # the unlock is the check now
                state.put(session.connection(), state.VERIFIER, None)
        if reply is not None:
            user_id = str(reply["user_id"])
            with db.write() as session:
                conn = session.connection()
                state.put(conn, state.TOKEN, reply["token"])
                state.put(conn, state.USER_ID, user_id)
                state.put(conn, CURRENT_USER, user_id)
                state.put(conn, state.USERNAME, name)
                state.put(conn, state.DEVICE_ID, device)
                state.put(conn, LAST_ONLINE_LOGIN, now.isoformat())
        else:
            with db.read() as session:
                user_id = state.get(session.connection(), state.USER_ID) or ""
            warning = _offline_notice(db, offline_days, now)
            if warning:
                notices.append(warning)
    except BaseException:
        db.close()
        raise
    others = pending_elsewhere(data_dir, store)
    if others:
        notices.append(tr("{count} unsent change(s) of another user stay on this laptop in "
                          "that user's own data; they are sent when that user signs in "
                          "again.", count=others))
    return SignedIn(LoginResult(user_id, name, online=reply is not None), db, store, notices)


def _rekey_to(store: UserStore, header: Header, previous: str | None, password: str,
              kdf: KdfParams) -> bytes:
    """The server accepts `password`, the store opens with `previous`: re-key it to the new
    password (the old one then opens nothing on this laptop)."""
    if not previous:
        raise PreviousPasswordNeededError(tr(
            "Your password was changed on the server. Your data on this laptop is still "
            "locked with your previous password: enter it once to re-lock the data with the "
            "new one."))
    old_key = derive_key(previous, header.salt, header.kdf)
    if not _opens(store, old_key):
        raise PreviousPasswordNeededError(tr("The previous password is wrong: it does not open "
                                        "your data on this laptop. Nothing was changed."))
    fresh = Header(kdf, new_salt(), header.pending)
    new_key = derive_key(password, fresh.salt, fresh.kdf)
    rekey(store, old_key, new_key, fresh)
    return new_key


def sign_out(db: Database) -> None:
    """Close the user's store, remembering its unsent-change count in its header (the next
    user who signs in on this laptop is told their changes wait there)."""
    from app.sync.push import pending_count

    if db.key is not None and db.path.exists():
        note_pending(UserStore(db.path.parent, db.path.stem), pending_count(db))
    db.close()


def login(db: Database, client: SyncClient, username: str, password: str) -> LoginResult:
    """Renew the token of the open store's user (a sync asked for the password again).

    Another user signs in at the start of Fieldrep (`sign_in`), never into this store.
    """
    name = _normal(username)
    if not name or not password:
        raise LoginError(tr("Enter your user name and password."))
    with db.read() as session:
        owner = state.get(session.connection(), state.USERNAME)
    if owner is not None and owner != name:
        raise LoginError(tr("This is the data of {owner}. To work as another user, close "
                            "Fieldrep and sign in as that user when it starts.", owner=owner))
    try:
        reply = client.login(name, password)
    except AuthRequiredError as exc:
        raise LoginError(tr("The user name or password is wrong.")) from exc
    except SyncError as exc:
        raise LoginError(str(exc)) from exc
    with db.write() as session:
        conn = session.connection()
        state.put(conn, state.TOKEN, reply["token"])
        state.put(conn, state.USER_ID, reply["user_id"])
        state.put(conn, CURRENT_USER, reply["user_id"])
        state.put(conn, state.USERNAME, name)
        state.put(conn, state.DEVICE_ID, client.device_id)
        state.put(conn, LAST_ONLINE_LOGIN,
                  dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat())
    client.token = reply["token"]
    return LoginResult(reply["user_id"], name, online=True)
