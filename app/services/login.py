"""Logging in: online the first time, offline afterwards with the same password.

The first login needs the server: it checks the password and hands out a token for this
device. Beside the token a local verifier is stored (scrypt of the password with a random
salt; the password itself is never written anywhere), so the rep can open Fieldrep offline
on the road with the same password. When the token has expired, the next sync asks for the
password again (`AuthRequiredError`); logging in then replaces only the token and verifier,
never the outbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from app.i18n import tr
from app.services.errors import ServiceError
from app.store.database import Database
from app.sync import state
from app.sync.client import SyncClient
from app.sync.errors import AuthRequiredError, SyncError

#: scrypt cost: 16 MiB and ~50 ms per check; a stolen laptop's verifier resists guessing
#: far better than a plain hash, and the rep waits no longer than a blink.
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2 ** 14, 8, 1, 32
#: local_state: whom the window shows as signed in (app.store.queries.current_user).
CURRENT_USER = "current_user_id"


class LoginError(ServiceError):
    """The login failed; the message says why and what to do."""


@dataclass(frozen=True)
class LoginResult:
    user_id: str
    username: str
    online: bool  # False: checked against the local verifier only


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * n * r * p + 1024 * 1024)


def make_verifier(username: str, user_id: str, password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN)
    return json.dumps({"alg": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                       "salt": salt.hex(), "hash": digest.hex(), "username": username,
                       "user_id": user_id})


def check_verifier(raw: str, username: str, password: str) -> str | None:
    """The user id when the password matches this verifier, else None."""
    try:
        v = json.loads(raw)
        if v.get("alg") != "scrypt" or v.get("username") != username:
            return None
        digest = _derive(password, bytes.fromhex(v["salt"]), int(v["n"]), int(v["r"]),
                         int(v["p"]), len(bytes.fromhex(v["hash"])))
    except (ValueError, KeyError, TypeError):
        return None
    return str(v["user_id"]) if hmac.compare_digest(digest.hex(), v["hash"]) else None


def _normal(username: str) -> str:
    return username.strip().lower()


def login(db: Database, client: SyncClient | None, username: str, password: str) -> LoginResult:
    """Log in online when the server answers, else offline against the local verifier.

    A server that says the password is wrong is final: the offline check is only for when
    the server cannot be asked.
    """
    name = _normal(username)
    if not name or not password:
        raise LoginError(tr("Enter your user name and password."))
    offline_reason = tr("No server is set up.")
    if client is not None:
        try:
            reply = client.login(name, password)
        except AuthRequiredError as exc:
            raise LoginError(tr("The user name or password is wrong.")) from exc
        except SyncError as exc:
            offline_reason = str(exc)
        else:
            with db.write() as session:
                conn = session.connection()
                state.put(conn, state.TOKEN, reply["token"])
                state.put(conn, state.USER_ID, reply["user_id"])
                state.put(conn, CURRENT_USER, reply["user_id"])
                state.put(conn, state.USERNAME, name)
                state.put(conn, state.DEVICE_ID, client.device_id)
                state.put(conn, state.VERIFIER, make_verifier(name, reply["user_id"], password))
            client.token = reply["token"]
            return LoginResult(reply["user_id"], name, online=True)
    with db.read() as session:
        raw = state.get(session.connection(), state.VERIFIER)
    if raw is None or json.loads(raw).get("username") != name:
        raise LoginError(tr("The first login on this laptop needs a connection to the server "
                            "({reason}).", reason=offline_reason))
    user_id = check_verifier(raw, name, password)
    if user_id is None:
        raise LoginError(tr("The password is wrong. Offline, Fieldrep checks it against the "
                            "one you last used online on this laptop."))
    return LoginResult(user_id, name, online=False)
