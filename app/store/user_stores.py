"""One encrypted store per user in the data folder, and what happens to a store's files.

    DATA/stores/<slot>.sqlite      the user's SQLCipher database (and its -wal, -shm)
    DATA/stores/<slot>.json        header: Argon2id salt and cost, unsent-change count
    DATA/stores/backups/<slot>-*   encrypted copies made before upgrades and migrations

The slot is a hash of the user name, so the folder shows no names; the header holds nothing
secret (a salt and a cost are useless without the password) and no personal data, and lets
the laptop say "another user's unsent changes are kept here" without opening that store.
Before stores were per user, the data folder held one plain `fieldrep.sqlite`: it belongs to
the user recorded in it and becomes that user's store on their first sign-in
(`adopt_legacy`, then `encrypt_plain`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.config import DATABASE_FILE, PRIVATE_DIR
from app.store.database import backup, cipher_settings, connect_raw, key_pragma, private_file
from app.store.keys import KdfParams
from app.store.preflight import SQLITE_MAGIC

STORES_DIR = "stores"
#: local_state keys the legacy file names its user by (app/sync/state.py).
_LEGACY_USER_KEY = "auth.username"


@dataclass(frozen=True)
class Header:
    kdf: KdfParams
    salt: bytes
    pending: int = 0


@dataclass(frozen=True)
class UserStore:
    folder: Path
    slot: str

    @property
    def database(self) -> Path:
        return self.folder / f"{self.slot}.sqlite"

    @property
    def header_file(self) -> Path:
        return self.folder / f"{self.slot}.json"

    def files(self) -> list[Path]:
        """Every file of this store that exists: database, WAL, header, backups."""
        named = [Path(f"{self.database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
        named.append(self.header_file)
        backups = self.folder / "backups"
        if backups.is_dir():
            named.extend(backups.glob(f"{self.slot}-*"))
        return [p for p in named if p.exists()]


def slot_of(username: str) -> str:
    return hashlib.sha256(b"fieldrep-user:" + username.encode("utf-8")).hexdigest()[:32]


def store_for(data_dir: Path, username: str) -> UserStore:
    folder = data_dir / STORES_DIR
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(folder, PRIVATE_DIR)
    return UserStore(folder, slot_of(username))


def all_stores(data_dir: Path) -> list[UserStore]:
    folder = data_dir / STORES_DIR
    return sorted((UserStore(folder, p.stem) for p in folder.glob("*.json")),
                  key=lambda s: s.slot) if folder.is_dir() else []


def read_header(store: UserStore) -> Header | None:
    """The store's header; None when there is none (a new or a plain legacy store)."""
    try:
        raw = json.loads(store.header_file.read_text(encoding="utf-8"))
        return Header(KdfParams.from_json(raw["kdf"]), bytes.fromhex(raw["salt"]),
                      int(raw.get("pending", 0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_header(store: UserStore, header: Header) -> None:
    """Write atomically and privately: a crash never leaves a store without its salt."""
    tmp = store.header_file.with_suffix(".tmp")
    private_file(tmp)
    tmp.write_text(json.dumps({"kdf": header.kdf.to_json(), "salt": header.salt.hex(),
                               "pending": header.pending}), encoding="utf-8")
    os.replace(tmp, store.header_file)


def note_pending(store: UserStore, count: int) -> None:
    """Remember how many changes of this store wait to be sent (shown to the next user)."""
    header = read_header(store)
    if header is not None and header.pending != count:
        write_header(store, Header(header.kdf, header.salt, count))


def pending_elsewhere(data_dir: Path, store: UserStore) -> int:
    """Unsent changes kept in the other users' stores of this data folder."""
    return sum(h.pending for other in all_stores(data_dir) if other.slot != store.slot
               if (h := read_header(other)) is not None)


def is_plain(path: Path) -> bool:
    """True for an unencrypted SQLite file (a store from before encryption)."""
    try:
        with path.open("rb") as f:
            return f.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def legacy_owner(path: Path) -> str | None:
    """The user name a plain store records as signed in, or None."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM local_state WHERE key = ?",
                           (_LEGACY_USER_KEY,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def adopt_legacy(data_dir: Path, username: str) -> None:
    """Move the data folder's single plain database into its user's store slot.

    Its user is the one it records; a file no one signed into yet goes to whoever signs in
    first. It stays plain until that user unlocks it (`encrypt_plain`); a slot that already
    holds a store is never overwritten.
    """
    legacy = data_dir / DATABASE_FILE
    if not is_plain(legacy):
        return
    target = store_for(data_dir, legacy_owner(legacy) or username)
    if target.database.exists():
        return
    conn = sqlite3.connect(legacy)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every committed page into the file
    finally:
        conn.close()
    os.replace(legacy, target.database)
    for suffix in ("-wal", "-shm"):
        shred(Path(f"{legacy}{suffix}"))


def encrypt_plain(store: UserStore, key: bytes, header: Header) -> None:
    """Turn the plain store into an encrypted one with `key`: export into a new file, keep
    an encrypted backup of it, then overwrite and remove the plain file."""
    plain = store.database
    target = plain.with_name(f"{plain.stem}.encrypting")
    shred(target)
    private_file(target)
    conn = connect_raw(plain, None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(plain))  # no key: SQLCipher reads a plain file as SQLite
    cipher_settings(conn)  # the attached encrypted file takes them
    try:
        conn.execute(f"ATTACH DATABASE '{target}' AS encrypted KEY "
                     f"\"x'{key.hex()}'\"")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    write_header(store, header)
    backup(target, "before-encryption", key)
    shred(plain)
    for suffix in ("-wal", "-shm"):
        shred(Path(f"{plain}{suffix}"))
    os.replace(target, plain)


def rekey(store: UserStore, old_key: bytes, new_key: bytes, header: Header) -> None:
    """Re-encrypt the store (and its backups) with `new_key`: after a password change the
    old password opens nothing that is left."""
    for path in [store.database, *sorted((store.folder / "backups").glob(f"{store.slot}-*"))]:
        conn = connect_raw(path, old_key)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute(key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
        finally:
            conn.close()
    write_header(store, header)


def shred(path: Path) -> None:
    """Overwrite a file with random bytes, then remove it (best effort against undelete)."""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with path.open("r+b") as f:
            left = size
            while left > 0:
                chunk = min(left, 1 << 20)
                f.write(secrets.token_bytes(chunk))
                left -= chunk
            f.flush()
            os.fsync(f.fileno())
        path.unlink()


def remove_store(store: UserStore) -> None:
    """Shred every file of the store: its database, WAL, header and backups."""
    for path in store.files():
        shred(path)

