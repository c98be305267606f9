"""Content packages from the server: downloaded apart from the data, resumable, verified.

The data sync brings the `presentations` and `slides` rows of the rep's products; this step
brings their files (docs/architecture.md: "Content travels apart from data"):

1. ask the server which packages this laptop should hold (`GET /api/v1/content`);
2. download each approved one whose files are not here, by SHA-256, into
   `content/downloads/<sha>.part` with `Range: bytes=<have>-`, so a dropped connection (or
   a closed laptop) resumes where it broke off; then check the SHA-256 and only then rename
   it to `<sha>.zip`: a corrupt download is deleted and never imported;
3. import it through the library's import (`app.edetail.package.import_package`: every check
   of a package again), which stores the files for the pulled rows;
4. remove the files of withdrawn content, so it can neither be previewed nor presented
   (the rows stay, marked withdrawn: past captures refer to them).

Runs after the data sync has succeeded (its success is recorded first): a package that
fails does not stop the others, and does not make the data sync a failure. The failures are
written together as the sync's last error (what the rep sees in the status bar), and are in
the returned report; only a cancel is raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select

from app.content_format.blobs import CHUNK, ContentStore
from app.edetail.errors import ContentError
from app.edetail.package import content_dir, content_store, files_present, import_package
from app.store.content import ApprovalState, Presentation
from app.store.database import Database
from app.sync import state
from app.sync.client import SyncClient
from app.sync.errors import (
    AuthRequiredError,
    MalformedReplyError,
    ServerError,
    SyncCancelledError,
    SyncError,
)

CONTENT_PATH = "/api/v1/content"
#: Written to the part file as it arrives: a cut loses at most this much.
DOWNLOAD_CHUNK = 64 * 1024
PACKAGE_PATH = "/api/v1/content/packages/{sha256}"

#: phase, done, total: ("content", bytes so far, bytes of all packages to fetch).
Report = Callable[[str, int, int | None], None]


class DownloadError(SyncError):
    """One package could not be downloaded (gone from the server, or corrupt)."""


@dataclass
class ContentReport:
    listed: int = 0
    downloaded: int = 0
    imported: int = 0
    removed: int = 0
    bytes_received: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # title -> why


def downloads_dir(db: Database) -> Path:
    return content_dir(db) / "downloads"


def _listing(client: SyncClient) -> list[dict[str, Any]] | None:
    """What the laptop should hold; None from a server that distributes no content."""
    try:
        reply = client.request("GET", CONTENT_PATH)
    except ServerError as exc:
        if exc.status == 404:
            return None
        raise
    items = reply.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise MalformedReplyError("The server's content list could not be read.")
    return items


def download_package(client: SyncClient, sha256: str, size: int, folder: Path, *,
                     progress: Callable[[int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> Path:
    """Fetch the package `sha256` into `folder` and return its verified path.

    Resumes a `.part` file left by an earlier attempt; a connection that breaks off is
    retried (with the client's back-off) from the byte it reached. Raises DownloadError when
    the bytes do not have the SHA-256 they were asked for (the part file is then deleted).
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha256}.zip"
    if target.is_file():
        return target
    part = folder / f"{sha256}.part"
    url = client.base_url + PACKAGE_PATH.format(sha256=sha256)
    attempt = 0
    while True:
        have = part.stat().st_size if part.is_file() else 0
        if have > size:
            part.unlink()
            have = 0
        if have == size:
            break
        try:
            have = _fetch(client, url, part, have, progress, cancelled)
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            attempt += 1
            if attempt >= client.retry.attempts:
                raise DownloadError(f"The download from {client.base_url} broke off "
                                    f"{attempt} times; it resumes at the next sync.") from exc
            client.retries_made += 1
            client.sleep(client.retry.delay(attempt - 1, client.rng))
    digest = hashlib.sha256()
    with part.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        part.unlink()
        raise DownloadError("The downloaded package is damaged (its SHA-256 does not match); "
                            "it was deleted and will be fetched again at the next sync.")
    os.replace(part, target)
    return target


def _fetch(client: SyncClient, url: str, part: Path, have: int,
           progress: Callable[[int], None] | None, cancelled: Callable[[], bool] | None
           ) -> int:
    """One request from byte `have` on; returns how many bytes `part` holds after it."""
    if not client.token:
        raise AuthRequiredError("Please log in again: enter your password to sync.")
    headers = {"Authorization": f"Bearer {client.token}", "Accept": "application/zip",
               "Accept-Encoding": "identity"}  # a zip gains nothing from gzip; Range needs bytes
    if have:
        headers["Range"] = f"bytes={have}-"
    with client.session.get(url, headers=headers, stream=True,
                            timeout=client.timeout) as response:
        status = response.status_code
        if status == 401:
            raise AuthRequiredError("Please log in again: your session has ended.")
        if status == 404:
            raise DownloadError("The server no longer offers this package (withdrawn?).")
        if status == 416:  # the part file is no prefix the server recognises: start over
            part.unlink(missing_ok=True)
            return 0
        if status not in (200, 206):
            raise DownloadError(f"The server answered {status} to the download.")
        if status == 200 or not response.headers.get("Content-Range", "").startswith(
                f"bytes {have}-"):
            have = 0  # the whole file came back: write it from the start
        with part.open("ab" if have else "wb") as out:
            for block in response.iter_content(DOWNLOAD_CHUNK):
                if cancelled is not None and cancelled():
                    raise SyncCancelledError("The sync was cancelled.")
                out.write(block)
                have += len(block)
                if progress is not None:
                    progress(len(block))
    return have


def _remove_withdrawn(db: Database, store: ContentStore) -> int:
    """Delete the files only withdrawn (or deleted) content uses; how many decks lost them."""
    with db.read() as session:
        rows = session.scalars(select(Presentation)).all()
        keep: set[str] = set()
        gone: list[str] = []
        for row in rows:
            if not store.has(row.tree_sha256):
                continue
            live = not row.deleted and row.approval_state != ApprovalState.WITHDRAWN
            shas = set(store.tree(row.tree_sha256).values())
            if live:
                keep |= shas | {row.tree_sha256}
            else:
                gone.append(row.tree_sha256)
        trees = {tree: set(store.tree(tree).values()) for tree in gone}
    for tree, shas in trees.items():
        for sha in (shas | {tree}) - keep:
            with contextlib.suppress(FileNotFoundError):
                store.path(sha).unlink()
    return len(trees)


def sync_content(db: Database, client: SyncClient, *, progress: Report | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ContentReport:
    """Fetch the content this laptop lacks, drop withdrawn content; see the module text."""
    report = ContentReport()
    store = content_store(db)
    try:
        items = _listing(client)
    except SyncCancelledError:
        raise
    except SyncError as exc:
        report.failed[""] = str(exc)
        _record_failures(db, report)
        return report
    if items is None:
        return report
    report.listed = len(items)
    wanted: list[dict[str, Any]] = []
    with db.read() as session:
        for item in items:
            row = session.get(Presentation, str(item.get("id")))
            if (row is None or row.deleted  # its rows arrive with the next pull
                    or item.get("approval_state") != ApprovalState.APPROVED
                    or row.approval_state != ApprovalState.APPROVED
                    or files_present(store, row)):
                continue
            wanted.append(item)
    total = sum(int(i.get("size") or 0) for i in wanted)
    done = 0

    def moved(n: int) -> None:
        nonlocal done
        done += n
        report.bytes_received += n
        if progress is not None:
            progress("content", done, total)

    for item in wanted:
        title = str(item.get("title") or item.get("id"))
        try:
            path = download_package(client, str(item["package_sha256"]), int(item["size"]),
                                    downloads_dir(db), progress=moved, cancelled=cancelled)
            report.downloaded += 1
            try:
                import_package(db, path, cancel=cancelled)
            finally:
                path.unlink(missing_ok=True)
            report.imported += 1
        except SyncCancelledError:
            raise
        except (SyncError, ContentError, KeyError, ValueError) as exc:
            report.failed[title] = str(exc)
    report.removed = _remove_withdrawn(db, store)
    _record_failures(db, report)
    return report


def _record_failures(db: Database, report: ContentReport) -> None:
    if not report.failed:
        return
    words = "Content not received: " + "; ".join(
        f"{title}: {why}" if title else why for title, why in report.failed.items())
    with db.write() as session:
        state.put(session.connection(), state.LAST_ERROR, words)
