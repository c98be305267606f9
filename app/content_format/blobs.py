"""Content-addressed file storage: every asset under the SHA-256 of its bytes.

`<data_dir>/content/sha256/ab/cdef...`: identical files (the same logo in ten decks, the same
deck imported twice) are kept once, a file's name proves its content (sync downloads are
verified against it), and a file is never changed in place. Files are written to a
temporary name in the same folder tree and renamed, so a crash never leaves half a file under
a real name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

CHUNK = 1024 * 1024
STALE_STAGING_S = 24 * 3600


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class ContentStore:
    """The content folder of one data folder (`content_dir(db)` in app.edetail.package)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.objects = root / "sha256"
        self.tmp = root / "tmp"

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.objects / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def staging_dir(self) -> Path:
        """A fresh folder for files on their way in (same file system: renames are atomic).

        Folders a crashed import left behind are removed once they are a day old (younger
        ones may belong to an import still running in another thread).
        """
        self.tmp.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - STALE_STAGING_S
        for old in self.tmp.glob("import-*"):
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < cutoff:
                    shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix="import-", dir=self.tmp))

    @staticmethod
    def stage(source: IO[bytes], staging: Path) -> tuple[Path, str, int]:
        """Copy a stream into `staging`; its temporary path, SHA-256 and size."""
        digest = hashlib.sha256()
        size = 0
        fd, name = tempfile.mkstemp(dir=staging)
        with os.fdopen(fd, "wb") as out:
            for block in iter(lambda: source.read(CHUNK), b""):
                digest.update(block)
                out.write(block)
                size += len(block)
        return Path(name), digest.hexdigest(), size

    def commit(self, staged: Path, sha256: str) -> Path:
        """Move a staged file to its place; if the content is already stored, drop the copy."""
        target = self.path(sha256)
        if target.is_file():
            staged.unlink(missing_ok=True)
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with staged.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(staged, target)
        return target

    def put_bytes(self, data: bytes) -> str:
        """Store `data` (a thumbnail, a tree) and return its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        if not self.has(sha):
            staging = self.staging_dir()
            try:
                staged = staging / "blob"
                staged.write_bytes(data)
                self.commit(staged, sha)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return sha

    def read_bytes(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    # --- trees: a package's files by path, so HTML keeps its relative links -------------

    @staticmethod
    def tree_bytes(files: Mapping[str, str]) -> bytes:
        """The map {path in package: SHA-256} as the JSON both sides store (one spelling)."""
        return json.dumps(dict(sorted(files.items())), indent=0).encode()

    @classmethod
    def tree_sha256(cls, files: Mapping[str, str]) -> str:
        return hashlib.sha256(cls.tree_bytes(files)).hexdigest()

    def put_tree(self, files: Mapping[str, str]) -> str:
        """Store the map {path in package: SHA-256} as JSON; return the map's own SHA-256."""
        return self.put_bytes(self.tree_bytes(files))

    def tree(self, sha256: str) -> dict[str, str]:
        data = json.loads(self.read_bytes(sha256))
        if not isinstance(data, dict):
            raise ValueError(f"{sha256} is not a tree")
        return {str(k): str(v) for k, v in data.items()}

    def materialise(self, tree_sha256: str, target: Path,
                    only: Iterable[str] | None = None) -> Path:
        """Lay a tree's files out under `target` (hard links where possible) and return it.

        The layout an HTML slide's relative links (`../shared/x.css`) expect; the presenter
        serves the same paths from the tree itself (app/ui/views/presenter/scheme.py).
        """
        files = self.tree(tree_sha256)
        wanted = set(only) if only is not None else None
        for rel, sha in files.items():
            if wanted is not None and rel not in wanted:
                continue
            dest = target / rel
            if dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.path(sha), dest)
            except OSError:
                shutil.copyfile(self.path(sha), dest)
        return target
