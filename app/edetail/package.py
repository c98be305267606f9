"""Importing a content package: check all of it, then store it whole or not at all.

The order is the point. First everything is read and checked (the zip's directory, the
manifest, every file against the manifest) with files unpacked into a private staging
folder; a problem, or the person cancelling, removes that folder and nothing else changed.
Only then are the files moved into the content-addressed store and the rows written, in one
transaction. Content is server-owned (the contract), so the rows are written as a pull would
write them: without outbox mutations.
"""

from __future__ import annotations

import json
import shutil
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.edetail import media
from app.edetail.archive import DEFAULT_LIMITS, Limits, checked_members, open_zip
from app.edetail.blobs import ContentStore, sha256_file
from app.edetail.errors import ImportCancelledError, PackageError
from app.edetail.manifest import MANIFEST_NAME, Manifest, SlideSpec, parse_manifest
from app.i18n import tr
from app.store.content import Presentation, Slide, SlideKind
from app.store.database import Database
from app.store.outbox import FROM_SERVER
from app.store.reference import KeyMessage, Product

#: done, total (bytes); called from the importing thread.
Progress = Callable[[int, int], None]
#: True when the person asked to stop.
Cancel = Callable[[], bool]

MAX_MANIFEST_BYTES = 1024 * 1024
#: Files a slide never needs and a package must not smuggle onto a laptop.
REFUSED_SUFFIXES = (".exe", ".dll", ".so", ".dylib", ".bat", ".cmd", ".com", ".msi", ".ps1",
                    ".sh", ".jar", ".app", ".scr", ".vbs", ".lnk")
THUMBNAIL_NAMES = ("thumb.png", "thumb.jpg", "thumbnail.png", "thumbnail.jpg",
                   "thumbnail.jpeg", "thumb.jpeg")


@dataclass(frozen=True)
class ImportResult:
    presentation_id: str
    title: str
    slides: int
    stored_files: int  # files new to this laptop
    reused_files: int  # files already stored (another deck, an earlier import)
    already_imported: bool = False


def content_dir(db: Database) -> Path:
    """The content folder beside the database file, i.e. in the data folder."""
    return db.path.parent / "content"


def content_store(db: Database) -> ContentStore:
    return ContentStore(content_dir(db))


@dataclass
class _Staged:
    path: Path
    sha256: str


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


def _find_product(session: Session, ref: str) -> Product:
    product = session.scalars(
        select(Product).where(or_(Product.id == ref, Product.name == ref),
                              Product.deleted.is_(False))).first()
    if product is None:
        raise PackageError(tr("The package is for the product “{product}”, which is not known "
                              "on this laptop. Sync first, or check the manifest.",
                              product=ref))
    return product


def _stage(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], store: ContentStore,
           staging: Path, progress: Progress | None, cancel: Cancel | None
           ) -> dict[str, _Staged]:
    total = sum(m.file_size for m in members) or 1
    done = 0
    staged: dict[str, _Staged] = {}
    for info in members:
        if cancel is not None and cancel():
            raise ImportCancelledError(tr("The import was cancelled; nothing was imported."))
        try:
            with zf.open(info) as source:
                path, sha, size = store.stage(source, staging)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError) as exc:
            raise PackageError(tr("The package is damaged: {file} cannot be unpacked "
                                  "({error}).", file=info.filename, error=exc)) from exc
        if size != info.file_size:
            raise PackageError(tr("The package is damaged: {file} has the wrong size.",
                                  file=info.filename))
        staged[info.filename] = _Staged(path, sha)
        done += info.file_size
        if progress is not None:
            progress(done, total)
    return staged


def _check_media(manifest: Manifest, staged: dict[str, _Staged],
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


def _thumbnail(store: ContentStore, spec: SlideSpec, staged: dict[str, _Staged],
               thumbnails: dict[str, str]) -> str:
    """The slide's thumbnail SHA-256: the package's own, else one made from the slide."""
    given = thumbnails.get(spec.id)
    if given is not None:
        return staged[given].sha256
    path = store.path(staged[spec.file].sha256)
    if spec.kind is SlideKind.PDF:
        return store.put_bytes(media.pdf_thumbnail(path, spec.page or 1))
    if spec.kind is SlideKind.IMAGE:
        return store.put_bytes(media.image_thumbnail(path))
    return store.put_bytes(media.placeholder_thumbnail(spec.title))


def _existing(session: Session, manifest: Manifest, package_sha: str) -> Presentation | None:
    """The same package imported before (fine: nothing to do) or a clash (refused)."""
    same = session.scalars(select(Presentation).where(
        Presentation.package_sha256 == package_sha, Presentation.deleted.is_(False))).first()
    if same is not None:
        return same
    clash = session.scalars(select(Presentation).where(
        Presentation.code == manifest.id,
        Presentation.content_version == manifest.version)).first()
    if clash is not None:
        raise PackageError(tr("Another package with the id “{id}” and version {version} is "
                              "already imported. A changed package needs a new version.",
                              id=manifest.id, version=manifest.version))
    return None


def _key_message_ids(session: Session, product_id: str, codes: set[str]) -> dict[str, str]:
    rows = session.execute(select(KeyMessage.code, KeyMessage.id, KeyMessage.product_id).where(
        KeyMessage.code.in_(codes), KeyMessage.deleted.is_(False))).all()
    found: dict[str, str] = {}
    for code, km_id, _product in sorted(rows, key=lambda r: r[2] != product_id):
        found.setdefault(code, km_id)  # the product's own message first
    return found


def import_package(db: Database, path: Path, *, progress: Progress | None = None,
                   cancel: Cancel | None = None, limits: Limits = DEFAULT_LIMITS
                   ) -> ImportResult:
    """Check the package at `path` and import it; PackageError (nothing imported) if not fit.

    Importing the same package again changes nothing and says so (`already_imported`).
    Raises ImportCancelledError, also with nothing imported, when `cancel()` turns true before
    the files are committed.
    """
    store = content_store(db)
    with open_zip(path) as zf:
        members = checked_members(zf, limits)
        names = {m.filename for m in members}
        manifest = _read_manifest(zf, names)
        thumbnails = _check_files(manifest, names)
        package_sha = sha256_file(path)
        with db.read() as session:
            _find_product(session, manifest.product)
            existing = _existing(session, manifest, package_sha)
            if existing is not None:
                return ImportResult(existing.id, existing.title, len(manifest.slides), 0, 0,
                                    already_imported=True)
        staging = store.staging_dir()
        try:
            staged = _stage(zf, members, store, staging, progress, cancel)
            _check_media(manifest, staged, thumbnails)
            if cancel is not None and cancel():
                raise ImportCancelledError(tr("The import was cancelled; nothing was imported."))
            return _commit(db, store, manifest, package_sha, staged, thumbnails)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _commit(db: Database, store: ContentStore, manifest: Manifest, package_sha: str,
            staged: dict[str, _Staged], thumbnails: dict[str, str]) -> ImportResult:
    reused = sum(1 for s in {v.sha256 for v in staged.values()} if store.has(s))
    stored = len({v.sha256 for v in staged.values()}) - reused
    for item in staged.values():
        store.commit(item.path, item.sha256)
    tree = store.put_tree({name: item.sha256 for name, item in staged.items()})
    thumbs = {spec.id: _thumbnail(store, spec, staged, thumbnails) for spec in manifest.slides}
    with db.write() as session:
        session.info[FROM_SERVER] = True  # server-owned content: nothing to push
        product = _find_product(session, manifest.product)
        existing = _existing(session, manifest, package_sha)
        if existing is not None:  # imported meanwhile by another thread
            return ImportResult(existing.id, existing.title, len(manifest.slides), 0,
                                len(staged), already_imported=True)
        km_ids = _key_message_ids(session, product.id,
                                  {s.key_message for s in manifest.slides})
        presentation = Presentation(
            code=manifest.id, content_version=manifest.version, title=manifest.title,
            product_id=product.id, valid_from=manifest.valid_from,
            valid_until=manifest.valid_until, approval_state=manifest.approval_state.value,
            package_sha256=package_sha, tree_sha256=tree)
        session.add(presentation)
        session.flush()
        for position, spec in enumerate(manifest.slides, start=1):
            session.add(Slide(
                presentation_id=presentation.id, position=position, code=spec.id,
                title=spec.title, key_message=spec.key_message,
                key_message_id=km_ids.get(spec.key_message), topic=spec.topic,
                kind=spec.kind.value, file=spec.file, asset_sha256=staged[spec.file].sha256,
                page=spec.page, thumbnail_sha256=thumbs[spec.id],
                questions=json.dumps([q.to_json() for q in spec.questions],
                                     ensure_ascii=False)))
        session.flush()
        return ImportResult(presentation.id, presentation.title, len(manifest.slides),
                            stored, reused)
