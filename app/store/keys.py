"""Store keys from passwords: Argon2id, memory-hard, so a stolen laptop's file resists guessing.

The key that opens a user's store (SQLCipher, app/store/database.py) is derived from the
user's password and a random salt. Nothing that could check a password guess is kept beside
the file except the encrypted file itself: each guess costs the attacker a full Argon2id run
(64 MiB of memory, RFC 9106's second recommended setting), about 0.3 s on a laptop core,
instead of the 18 guesses per second scrypt at N=2^14 allowed. Offline login is unlocking the
store: a wrong password derives a key that does not open it.

The salt and the cost travel in the store's header file (app/store/user_stores.py), so a
later Fieldrep can raise the cost with the next re-key without losing older stores.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw

KEY_BYTES = 32
SALT_BYTES = 16

#: A fixed key for tests that do not test logging in: it skips Argon2's cost. Never used by
#: the app (its stores are opened only with keys from `derive_key`).
TEST_KEY = bytes(range(KEY_BYTES))


@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost: passes, memory in KiB, lanes."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def to_json(self) -> dict[str, Any]:
        return {"alg": "argon2id", **asdict(self)}

    @classmethod
    def from_json(cls, raw: Any) -> KdfParams:
        """The params of a header file; ValueError when it is not one of ours."""
        if not isinstance(raw, dict) or raw.get("alg") != "argon2id":
            raise ValueError("not an argon2id key description")
        params = cls(int(raw["time_cost"]), int(raw["memory_kib"]), int(raw["parallelism"]))
        if min(params.time_cost, params.parallelism) < 1 or params.memory_kib < 8 * 1024:
            raise ValueError("argon2id cost below the floor")
        return params


DEFAULT_KDF = KdfParams()


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def derive_key(password: str, salt: bytes, params: KdfParams = DEFAULT_KDF) -> bytes:
    """The 32-byte store key of `password` (never stored anywhere)."""
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism,
                           hash_len=KEY_BYTES, type=Type.ID)
