"""Importing a content package: check all of it, then store it whole or not at all.

The checks are the shared format's (`app.content_format.checks`, the server's `content add`
runs the same): the zip, the manifest and every file against it, with files unpacked into a
private staging folder; a problem, or the person cancelling, removes that folder and nothing
else changed. Only then are the files moved into the content-addressed store and the rows
written, in one transaction. Content is server-owned (the contract), so the rows are written
as a pull would write them: without outbox mutations.

A package whose rows came from the server (content sync) arrives the same way: the rows are
there already, without files; the import checks that the package is the one they describe
and stores its files (`app.sync.content`).
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.content_format.archive import DEFAULT_LIMITS, Limits
from app.content_format.blobs import ContentStore
from app.content_format.checks import (
    NOT_DRAWN,
    Cancel,
    CheckedPackage,
    Progress,
    opened_package,
    stage_package,
)
from app.content_format.manifest import Manifest
from app.edetail.errors import PackageError
from app.edetail.thumbnails import QtSlideRenderer
from app.i18n import tr
from app.store.content import Presentation, Slide
from app.store.database import Database
from app.store.outbox import FROM_SERVER
from app.store.reference import KeyMessage, Product

__all__ = ["Cancel", "ImportResult", "Progress", "content_dir", "content_store",
           "files_present", "import_package"]


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    presentation_id: str
    title: str
    slides: int
    stored_files: int  # files new to this laptop
    reused_files: int  # files already stored (another deck, an earlier import)
    already_imported: bool = False
    #: Files its pages link to that it does not hold (CLM content shipped without them).
    missing_files: tuple[str, ...] = ()


def content_dir(db: Database) -> Path:
    """The content folder beside the database file, i.e. in the data folder."""
    return db.path.parent / "content"


def content_store(db: Database) -> ContentStore:
    return ContentStore(content_dir(db))


def files_present(store: ContentStore, presentation: Presentation) -> bool:
    """Whether every file of the presentation is on this laptop (a pulled row may not be).

    Its slides' thumbnails count: the server draws none (it never imports Qt), so a slide
    pulled with NOT_DRAWN, or with a thumbnail this laptop does not hold, is drawn when the
    package is stored (`_fill`).
    """
    if not store.has(presentation.tree_sha256):
        return False
    if not all(store.has(sha) for sha in store.tree(presentation.tree_sha256).values()):
        return False
    return all(_stored(store, s.thumbnail_sha256) for s in presentation.slides if not s.deleted)


def _stored(store: ContentStore, sha256: str) -> bool:
    return sha256 != NOT_DRAWN and store.has(sha256)


def _find_product(session: Session, ref: str) -> Product:
    product = session.scalars(
        select(Product).where(or_(Product.id == ref, Product.name == ref),
                              Product.deleted.is_(False))).first()
    if product is None:
        raise PackageError(tr("The package is for the product “{product}”, which is not known "
                              "on this laptop. Sync first, or check the manifest.",
                              product=ref))
    return product





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
    When its rows are here without its files (pulled from the server), the files are stored
    for those rows. Raises ImportCancelledError, also with nothing imported, when `cancel()`
    turns true before the files are committed.
    """
    store = content_store(db)
    with opened_package(path, limits) as (zf, members, manifest, thumbnails, package_sha):
        with db.read() as session:
            _find_product(session, manifest.product)
            existing = _existing(session, manifest, package_sha)
            if existing is not None and files_present(store, existing):
                return ImportResult(existing.id, existing.title, len(manifest.slides), 0, 0,
                                    already_imported=True)
        staging = store.staging_dir()
        try:
            checked = stage_package(zf, members, manifest, thumbnails, package_sha, staging,
                                    progress=progress, cancel=cancel)
            if existing is not None:
                result = _fill(db, store, existing.id, checked)
            else:
                result = _commit(db, store, checked)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.info("content imported: package %s version %s, %d slide(s), %d file(s) stored, "
             "%d reused%s", manifest.id, manifest.version, result.slides, result.stored_files,
             result.reused_files, " (already here)" if result.already_imported else "")
    return result


def _fill(db: Database, store: ContentStore, presentation_id: str,
          checked: CheckedPackage) -> ImportResult:
    """Store the files of rows that arrived without them; refuse a package they contradict."""
    manifest = checked.manifest
    with db.read() as session:
        row = session.get(Presentation, presentation_id)
        assert row is not None
        expected_tree, title = row.tree_sha256, row.title
        slides = {s.code: (s.id, s.thumbnail_sha256) for s in row.slides if not s.deleted}
    if (expected_tree != store.tree_sha256(checked.files())
            or set(slides) != {spec.id for spec in manifest.slides}):
        raise PackageError(tr("The package “{title}” does not match the server's description "
                              "of it; nothing was imported.", title=title))
    stored, reused, _tree = checked.commit_files(store)
    # The server draws no thumbnails: those the package does not bring are drawn here.
    renderer = QtSlideRenderer()
    redrawn = {slides[spec.id][0]: checked.thumbnail(store, spec, renderer)
               for spec in manifest.slides if not _stored(store, slides[spec.id][1])}
    if redrawn:
        with db.write() as session:
            session.info[FROM_SERVER] = True
            for slide_id, sha in redrawn.items():
                slide = session.get(Slide, slide_id)
                if slide is not None:
                    slide.thumbnail_sha256 = sha
    return ImportResult(presentation_id, title, len(manifest.slides), stored, reused)


def _commit(db: Database, store: ContentStore, checked: CheckedPackage) -> ImportResult:
    manifest, package_sha, staged = checked.manifest, checked.package_sha256, checked.staged
    stored, reused, tree = checked.commit_files(store)
    renderer = QtSlideRenderer()
    thumbs = {spec.id: checked.thumbnail(store, spec, renderer) for spec in manifest.slides}
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
