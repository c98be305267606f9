"""Content on the server: packages added by an admin, approved, withdrawn, handed to reps.

`add_package` reads a package through the same checks as a rep's import
(`app.content_format.checks`): what a laptop would refuse, the server refuses, with the same
message. An accepted package becomes `presentations` and `slides` rows (they travel to the
laptops with the data sync, scoped by the products of the rep's territories) and its zip is
kept under its SHA-256 in the content folder, to be downloaded apart from the data
(`server.api.content`: HTTP Range, verified by the laptop against the SHA-256).

Approval is a server action: whatever a manifest's `approval_state` says, a package added
here is a draft, and only `approve` by an admin (audited, with who and when) releases it.
Reps never receive drafts: neither their rows in the pull nor their files. Validity window
and state changes are new versions of the presentation row, so the next pull carries them to
every laptop (withdrawn content is then removed from them, app/sync/content.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, false, or_, select, update
from sqlalchemy.orm import Session

from app.content_format.blobs import ContentStore
from app.content_format.checks import opened_package, stage_package
from app.content_format.clm import ClmInfo, assemble, missing_files
from app.content_format.errors import PackageError
from app.content_format.kinds import ApprovalState
from app.contract import Role
from server.db import Database, next_versions
from server.models import (
    AuditEntry,
    ContentPackage,
    KeyMessage,
    Presentation,
    Product,
    Slide,
    TerritoryProduct,
    User,
    utcnow,
)
from server.scope import Principal, territories_of


class ContentAdminError(ValueError):
    """A content request the server refuses, with a message fit for the admin."""


class NoSuchContentError(ContentAdminError):
    """The admin named content the server does not hold."""


@dataclass(frozen=True)
class AddResult:
    presentation_id: str
    code: str
    version: str
    title: str
    slides: int
    package_sha256: str
    already_added: bool = False
    #: The manifest claimed an approval the server does not take from a file.
    manifest_state_ignored: bool = False
    #: Files its pages link to that it does not hold (CLM content shipped without them).
    missing_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContentItem:
    id: str
    code: str
    version: str
    title: str
    product_id: str
    product: str
    approval_state: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    package_sha256: str
    size: int
    slides: int

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "code": self.code, "version": self.version,
                "title": self.title, "product_id": self.product_id, "product": self.product,
                "approval_state": self.approval_state,
                "valid_from": self.valid_from.isoformat() if self.valid_from else None,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "package_sha256": self.package_sha256, "size": self.size,
                "slides": self.slides}


def _product(session: Session, ref: str) -> Product:
    product = session.scalars(select(Product).where(
        or_(Product.id == ref, Product.name == ref), Product.deleted == false())).first()
    if product is None:
        raise PackageError(f"The package is for the product “{ref}”, which the server does "
                           "not know. Import the product first, or check the manifest.")
    return product


def add_package(db: Database, store: ContentStore, path: Path) -> AddResult:
    """Check the package at `path` like a laptop would and add it; PackageError if unfit.

    Adding the very same file again changes nothing; the same id and version with other
    bytes is refused (a changed package needs a new version).
    """
    with opened_package(path) as (zf, members, manifest, thumbnails, package_sha):
        with db.reading() as session:
            _product(session, manifest.product)
            same = session.scalars(select(Presentation).where(
                Presentation.package_sha256 == package_sha)).first()
            if same is not None:
                return AddResult(same.id, same.code, same.content_version, same.title,
                                 len(manifest.slides), package_sha, already_added=True)
            clash = session.scalars(select(Presentation.id).where(
                Presentation.code == manifest.id,
                Presentation.content_version == manifest.version)).first()
            if clash is not None:
                raise PackageError(f"A package with the id “{manifest.id}” and version "
                                   f"{manifest.version} is on the server already. A changed "
                                   "package needs a new version.")
        staging = store.staging_dir()
        try:
            checked = stage_package(zf, members, manifest, thumbnails, package_sha, staging)
            # The server never imports Qt, so it draws no thumbnails: a slide keeps the one
            # its package brings, else NOT_DRAWN and each laptop draws it when it stores the
            # package. Only the zip goes into the store.
            unpacked = ContentStore(staging / "unpacked")
            checked.commit_files(unpacked)
            thumbs = {spec.id: checked.thumbnail(unpacked, spec, None)
                      for spec in manifest.slides}
            tree = ContentStore.tree_sha256(checked.files())
            copy = staging / "package.zip"
            shutil.copyfile(path, copy)
            store.commit(copy, package_sha)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    with db.writing() as session:
        product = _product(session, manifest.product)
        version = next_versions(session)
        km_rows = session.execute(select(KeyMessage.code, KeyMessage.id, KeyMessage.product_id)
                                  .where(KeyMessage.code.in_({s.key_message
                                                              for s in manifest.slides}),
                                         KeyMessage.deleted == false())).all()
        km_ids: dict[str, str] = {}
        for code, km_id, _owner in sorted(km_rows, key=lambda r: r[2] != product.id):
            km_ids.setdefault(code, km_id)  # the product's own key message first
        presentation = Presentation(
            code=manifest.id, content_version=manifest.version, title=manifest.title,
            product_id=product.id, valid_from=manifest.valid_from,
            valid_until=manifest.valid_until, approval_state=ApprovalState.DRAFT.value,
            package_sha256=package_sha, tree_sha256=tree, version=version)
        session.add(presentation)
        session.flush()
        for position, spec in enumerate(manifest.slides, start=1):
            session.add(Slide(
                presentation_id=presentation.id, position=position, code=spec.id,
                title=spec.title, key_message=spec.key_message,
                key_message_id=km_ids.get(spec.key_message), topic=spec.topic,
                kind=spec.kind.value, file=spec.file,
                asset_sha256=checked.staged[spec.file].sha256, page=spec.page,
                thumbnail_sha256=thumbs[spec.id], version=version,
                questions=json.dumps([q.to_json() for q in spec.questions],
                                     ensure_ascii=False)))
        if session.get(ContentPackage, package_sha) is None:
            session.add(ContentPackage(sha256=package_sha, size=path.stat().st_size,
                                       filename=path.name[:300]))
        return AddResult(presentation.id, manifest.id, manifest.version, manifest.title,
                         len(manifest.slides), package_sha, manifest_state_ignored=(
                             manifest.approval_state is not ApprovalState.DRAFT))


def add_clm(db: Database, store: ContentStore, path: Path, info: ClmInfo, *,
            order: list[str] | None = None) -> AddResult:
    """Add CLM content (a key-message zip, or a folder of key messages with `shared`) as a
    laptop's Library does: converted by the same `assemble`, then checked as any package.

    `info` carries what CLM content does not say about itself (id, title, product,
    validity); `order` the key messages' order when the folder has no ordering file.
    """
    staging = store.staging_dir()
    try:
        package = assemble(path, info, staging / f"{path.stem or 'clm'}.zip", order=order)
        added = add_package(db, store, package)
        return dataclasses.replace(added, missing_files=tuple(missing_files(package)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _items(session: Session, presentations: list[Presentation]) -> list[ContentItem]:
    products = {p.id: p.name for p in session.scalars(select(Product).where(
        Product.id.in_({p.product_id for p in presentations})))}
    sizes = dict(session.execute(select(ContentPackage.sha256, ContentPackage.size).where(
        ContentPackage.sha256.in_({p.package_sha256 for p in presentations}))).all())
    counts: dict[str, int] = {}
    for (pid,) in session.execute(select(Slide.presentation_id).where(
            Slide.presentation_id.in_([p.id for p in presentations]),
            Slide.deleted == false())):
        counts[pid] = counts.get(pid, 0) + 1
    return [ContentItem(p.id, p.code, p.content_version, p.title, p.product_id,
                        products.get(p.product_id, ""), p.approval_state, p.valid_from,
                        p.valid_until, p.package_sha256, sizes.get(p.package_sha256, 0),
                        counts.get(p.id, 0))
            for p in presentations]


def list_content(session: Session) -> list[ContentItem]:
    """Every presentation on the server, by code and version."""
    rows = list(session.scalars(select(Presentation).where(Presentation.deleted == false())
                                .order_by(Presentation.code, Presentation.content_version)))
    return _items(session, rows)


def products_of(principal: Principal) -> Select[str]:
    """The products promoted in the caller's territories (a sub-select)."""
    return select(TerritoryProduct.product_id).where(
        TerritoryProduct.territory_id.in_(territories_of(principal)),
        TerritoryProduct.deleted == false())


def content_for(session: Session, principal: Principal) -> list[ContentItem]:
    """The presentations of the caller's products: what the caller's laptop should hold
    (approved ones, and withdrawn ones so the laptop removes them; never drafts)."""
    rows = list(session.scalars(select(Presentation).where(
        Presentation.deleted == false(),
        Presentation.approval_state != ApprovalState.DRAFT.value,
        Presentation.product_id.in_(products_of(principal)))
        .order_by(Presentation.code, Presentation.content_version)))
    return _items(session, rows)


def may_download(session: Session, principal: Principal, sha256: str) -> bool:
    """Whether the package is one of the caller's approved presentations: drafts are not
    handed out, and a withdrawn package no longer."""
    found = session.scalars(select(Presentation.id).where(
        Presentation.package_sha256 == sha256, Presentation.deleted == false(),
        Presentation.approval_state == ApprovalState.APPROVED.value,
        Presentation.product_id.in_(products_of(principal)))).first()
    return found is not None


def find_presentation(session: Session, ref: str) -> Presentation:
    """By id, by `code@version`, or by code when the code has one version only."""
    row = session.get(Presentation, ref)
    if row is not None and not row.deleted:
        return row
    code, _, version = ref.partition("@")
    query = select(Presentation).where(Presentation.code == code,
                                       Presentation.deleted == false())
    if version:
        query = query.where(Presentation.content_version == version)
    rows = list(session.scalars(query))
    if not rows:
        raise NoSuchContentError(f"no content {ref!r}: give its id, its code, or code@version")
    if len(rows) > 1:
        versions = ", ".join(sorted(f"{code}@{r.content_version}" for r in rows))
        raise NoSuchContentError(f"{code!r} has several versions ({versions}): name one")
    return rows[0]


def approver(session: Session, username: str) -> User:
    """The active admin named as the one approving or withdrawing (the CLI's `--by`)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or user.disabled or user.deleted:
        raise ContentAdminError(f"no active user {username!r}: name the admin who decides")
    if user.role != Role.ADMIN:
        raise ContentAdminError(f"{user.username} is a {user.role}: only admins approve or "
                                "withdraw content")
    return user


#: The states a presentation may go to from each state. Withdrawn is final (laptops have
#: deleted the files): a corrected package is added as a new version.
_NEXT = {ApprovalState.DRAFT.value: {ApprovalState.APPROVED, ApprovalState.WITHDRAWN},
         ApprovalState.APPROVED.value: {ApprovalState.WITHDRAWN},
         ApprovalState.WITHDRAWN.value: set()}


def set_state(db: Database, ref: str, state: ApprovalState, by_user_id: str,
              device_id: str | None = None) -> ContentItem:
    """Approve or withdraw, as the admin `by_user_id`; audited. The next pull carries it to
    laptops (an approval brings the slides too, held back while a draft)."""
    with db.writing() as session:
        row = find_presentation(session, ref)
        if row.approval_state == state.value:
            return _items(session, [row])[0]
        if state not in _NEXT.get(row.approval_state, set()):
            raise ContentAdminError(f"{row.code}@{row.content_version} is "
                                    f"{row.approval_state}: it cannot become {state.value} "
                                    "(add a new version instead)")
        version = next_versions(session)
        before = row.approval_state
        row.approval_state, row.version = state.value, version
        if state is ApprovalState.APPROVED:
            session.execute(update(Slide).where(Slide.presentation_id == row.id)
                            .values(version=version))
        session.add(AuditEntry(
            at=utcnow(), user_id=by_user_id, action=f"content.{state.value}",
            entity="presentations", row_id=row.id, version=version,
            details=json.dumps({"from": before, "to": state.value, "code": row.code,
                                "content_version": row.content_version,
                                "device_id": device_id})))
        return _items(session, [row])[0]


def set_validity(db: Database, ref: str, valid_from: dt.date, valid_until: dt.date
                 ) -> ContentItem:
    """The window in which the content may be presented (outside it: preview only).

    Unknown content is named first (404), then a window that ends before it begins (422)."""
    with db.writing() as session:
        row = find_presentation(session, ref)
        if valid_until < valid_from:
            raise ContentAdminError("the validity ends before it begins")
        if (row.valid_from, row.valid_until) != (valid_from, valid_until):
            row.valid_from, row.valid_until = valid_from, valid_until
            row.version = next_versions(session)
        return _items(session, [row])[0]
