"""Reading a content package the one way: every check, then the files staged for storing.

Both the laptop's import (`app.edetail.package`) and the server's `content add`
(`server.content`) go through `read_package`, so a package one of them refuses the other
refuses too, with the same message. What differs is only where the checked files and rows go
(the product and key messages are looked up in each side's own tables).

The order is the point: the zip's directory, the manifest and every file against the
manifest are checked with files unpacked into a private staging folder; a problem, or the
person cancelling, raises and the caller removes that folder, so nothing else changed.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.content_format import media
from app.content_format.archive import DEFAULT_LIMITS, Limits, checked_members, open_zip
from app.content_format.blobs import ContentStore, sha256_file
from app.content_format.errors import ImportCancelledError, PackageError
from app.content_format.kinds import SlideKind
from app.content_format.manifest import MANIFEST_NAME, Manifest, SlideSpec, parse_manifest
from app.i18n import tr

#: done, total (bytes); called from the importing thread.
Progress = Callable[[int, int], None]
#: True when the person asked to stop.
Cancel = Callable[[], bool]

MAX_MANIFEST_BYTES = 1024 * 1024
#: Files a slide never needs and a package must not smuggle onto a laptop.
REFUSED_SUFFIXES = (".exe", ".dll", ".so", ".dylib", ".bat", ".cmd", ".com", ".msi", ".ps1",
                    ".sh", ".jar", ".app", ".scr", ".vbs", ".lnk")
#: A slide's thumbnail that is not drawn yet (no SHA-256 is empty; no store holds it).
NOT_DRAWN = ""
THUMBNAIL_NAMES = ("thumb.png", "thumb.jpg", "thumbnail.png", "thumbnail.jpg",
                   "thumbnail.jpeg", "thumb.jpeg")


@dataclass
class Staged:
    path: Path
    sha256: str


@dataclass
class CheckedPackage:
    """A package that passed every check, its files staged (not yet in the store)."""

    manifest: Manifest
    package_sha256: str
    staged: dict[str, Staged]  # path in the package -> staged file
    thumbnails: dict[str, str]  # slide id -> the package's own thumbnail path

    def files(self) -> dict[str, str]:
        """The package's tree: {path in package: SHA-256}."""
        return {name: item.sha256 for name, item in self.staged.items()}

    def commit_files(self, store: ContentStore) -> tuple[int, int, str]:
        """Move the staged files into `store`: (files new, files already there, tree SHA)."""
        shas = {v.sha256 for v in self.staged.values()}
        reused = sum(1 for s in shas if store.has(s))
        for item in self.staged.values():
            store.commit(item.path, item.sha256)
        return len(shas) - reused, reused, store.put_tree(self.files())

    def thumbnail(self, store: ContentStore, spec: SlideSpec,
                  renderer: media.SlideRenderer | None) -> str:
        """The slide's thumbnail SHA-256 (stored): the package's own, else drawn by `renderer`.

        Call after `commit_files`: a drawn thumbnail is drawn from the stored slide file.
        Without a renderer (the server, which never imports Qt) nothing is drawn and the
        answer is NOT_DRAWN: the laptop draws that thumbnail when it stores the package.
        """
        given = self.thumbnails.get(spec.id)
        if given is not None:
            return self.staged[given].sha256
        if renderer is None:
            return NOT_DRAWN
        path = store.path(self.staged[spec.file].sha256)
        if spec.kind is SlideKind.PDF:
            return store.put_bytes(renderer.pdf_page(path, spec.page or 1))
        if spec.kind is SlideKind.IMAGE:
            return store.put_bytes(renderer.image(path))
        return store.put_bytes(renderer.placeholder(spec.title))


def _read_manifest(zf: zipfile.ZipFile, names: set[str]) -> Manifest:
    if MANIFEST_NAME not in names:
        raise PackageError(tr("The package has no {manifest} at its top level; it is not a "
                              "Fieldrep content package.", manifest=MANIFEST_NAME))
    info = zf.getinfo(MANIFEST_NAME)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageError(tr("The package's {manifest} is too large.", manifest=MANIFEST_NAME))
    try:
        data = json.loads(zf.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(tr("The package's {manifest} is not valid JSON: {error}",
                              manifest=MANIFEST_NAME, error=exc)) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise PackageError(tr("The package is damaged and cannot be read ({error}).",
                              error=exc)) from exc
    return parse_manifest(data)


def _html_thumbnail_name(spec: SlideSpec, names: set[str]) -> str | None:
    folder = PurePosixPath(spec.file).parent
    candidates = [*THUMBNAIL_NAMES]
    if folder.name:
        candidates += [f"{folder.name}-thumb.png", f"{folder.name}-thumb.jpg"]
    for name in candidates:
        rel = str(folder / name) if folder.name else name
        if rel in names:
            return rel
    return None


def _check_files(manifest: Manifest, names: set[str]) -> dict[str, str]:
    """Every file the manifest names is there; the thumbnail path chosen per slide."""
    thumbnails: dict[str, str] = {}
    for spec in manifest.slides:
        if spec.file not in names:
            raise PackageError(tr("Slide “{slide}” names {file}, which is not in the "
                                  "package.", slide=spec.id, file=spec.file))
        thumb = spec.thumbnail
        if thumb is not None and thumb not in names:
            raise PackageError(tr("Slide “{slide}” names the thumbnail {file}, which is not "
                                  "in the package.", slide=spec.id, file=thumb))
        if thumb is None and spec.kind is SlideKind.HTML:
            thumb = _html_thumbnail_name(spec, names)
        if thumb is not None:
            thumbnails[spec.id] = thumb
    for name in names:
        if name.lower().endswith(REFUSED_SUFFIXES):
            raise PackageError(tr("The package contains a program ({file}); content packages "
                                  "may not.", file=name))
    return thumbnails


def _stage(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], staging: Path,
           progress: Progress | None, cancel: Cancel | None) -> dict[str, Staged]:
    total = sum(m.file_size for m in members) or 1
    done = 0
    staged: dict[str, Staged] = {}
    for info in members:
        if cancel is not None and cancel():
            raise ImportCancelledError(tr("The import was cancelled; nothing was imported."))
        try:
            with zf.open(info) as source:
                path, sha, size = ContentStore.stage(source, staging)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError) as exc:
            raise PackageError(tr("The package is damaged: {file} cannot be unpacked "
                                  "({error}).", file=info.filename, error=exc)) from exc
        if size != info.file_size:
            raise PackageError(tr("The package is damaged: {file} has the wrong size.",
                                  file=info.filename))
        staged[info.filename] = Staged(path, sha)
        done += info.file_size
        if progress is not None:
            progress(done, total)
    return staged


def _check_media(manifest: Manifest, staged: dict[str, Staged],
                 thumbnails: dict[str, str]) -> None:
    """The files say what the manifest says: PDF pages exist, pictures are pictures."""
    pages: dict[str, int | None] = {}
    for spec in manifest.slides:
        path = staged[spec.file].path
        if spec.kind is SlideKind.PDF:
            if spec.file not in pages:
                pages[spec.file] = media.pdf_page_count(path)
            count = pages[spec.file]
            if count is None:
                raise PackageError(tr("Slide “{slide}”: {file} is not a readable PDF.",
                                      slide=spec.id, file=spec.file))
            if spec.page is not None and spec.page > count:
                raise PackageError(tr("Slide “{slide}” shows page {page} of {file}, but that "
                                      "PDF has only {count} pages.", slide=spec.id,
                                      page=spec.page, file=spec.file, count=count))
        elif spec.kind is SlideKind.IMAGE and not media.image_ok(path):
            raise PackageError(tr("Slide “{slide}”: {file} is not a PNG or JPEG picture.",
                                  slide=spec.id, file=spec.file))
        thumb = thumbnails.get(spec.id)
        if thumb is not None and not media.image_ok(staged[thumb].path):
            raise PackageError(tr("Slide “{slide}”: the thumbnail {file} is not a picture.",
                                  slide=spec.id, file=thumb))


@contextmanager
def opened_package(path: Path, limits: Limits = DEFAULT_LIMITS
                   ) -> Iterator[tuple[zipfile.ZipFile, list[zipfile.ZipInfo], Manifest,
                                       dict[str, str], str]]:
    """The cheap checks (no unpacking): the zip, its members, the manifest, the files named.

    Yields (zip, members, manifest, thumbnail paths, package SHA-256) so a caller can decide
    (product known? imported before?) before the expensive part, `stage_package`.
    """
    with open_zip(path) as zf:
        members = checked_members(zf, limits)
        names = {m.filename for m in members}
        manifest = _read_manifest(zf, names)
        thumbnails = _check_files(manifest, names)
        yield zf, members, manifest, thumbnails, sha256_file(path)


def stage_package(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], manifest: Manifest,
                  thumbnails: dict[str, str], package_sha256: str, staging: Path, *,
                  progress: Progress | None = None, cancel: Cancel | None = None
                  ) -> CheckedPackage:
    """Unpack into `staging` and check every file against the manifest."""
    staged = _stage(zf, members, staging, progress, cancel)
    _check_media(manifest, staged, thumbnails)
    if cancel is not None and cancel():
        raise ImportCancelledError(tr("The import was cancelled; nothing was imported."))
    return CheckedPackage(manifest, package_sha256, staged, thumbnails)
