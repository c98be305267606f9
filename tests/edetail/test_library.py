"""The content library's listing: availability by approval state and validity window."""

from __future__ import annotations

import datetime as dt

from app.edetail.library import Availability, list_presentations
from app.edetail.package import content_store, import_package
from app.store.content import Presentation
from app.store.database import Database
from tests.edetail.conftest import BuildPackage, manifest
from tests.factories import World


def test_listing_marks_what_may_not_be_presented(db: Database, world: World,
                                                 build_package: BuildPackage) -> None:
    import_package(db, build_package(manifest(title="A current deck")))
    import_package(db, build_package(manifest(id="old", title="B old deck",
                                              valid_until="2026-03-31")))
    import_package(db, build_package(manifest(id="wd", title="C withdrawn",
                                              approval_state="withdrawn")))
    import_package(db, build_package(manifest(id="dr", title="D draft",
                                              approval_state="draft")))
    import_package(db, build_package(manifest(id="nx", title="E next year",
                                              valid_from="2026-09-01")))
    with db.read() as session:
        items = list_presentations(session, dt.date(2026, 6, 15))
        only = list_presentations(session, dt.date(2026, 6, 15), product_id=world.other.id)
    assert [(i.title, i.availability) for i in items] == [
        ("A current deck", Availability.PRESENTABLE), ("B old deck", Availability.EXPIRED),
        ("C withdrawn", Availability.WITHDRAWN), ("D draft", Availability.DRAFT),
        ("E next year", Availability.NOT_YET_VALID)]
    assert items[0].reason is None and items[1].reason is not None
    assert "expired" in items[1].reason
    assert {i.slides for i in items} == {4}
    assert all(i.product_name == "Cardiozan" for i in items)
    cover = items[0].cover_sha256
    assert cover is not None and content_store(db).has(cover)
    assert only == []


def test_rows_without_files_are_marked_and_an_import_fills_them(
        db: Database, world: World, build_package: BuildPackage) -> None:
    """Content sync brings rows before files; the library says so until the files come."""
    package = build_package(manifest(title="Synced deck"))
    result = import_package(db, package)
    store = content_store(db)
    with db.read() as session:
        row = session.get(Presentation, result.presentation_id)
        assert row is not None
        tree = store.tree(row.tree_sha256)
    for sha in tree.values():
        store.path(sha).unlink(missing_ok=True)  # as withdrawn content, or rows just pulled
    with db.read() as session:
        [item] = list_presentations(session, dt.date(2026, 6, 15), store=store)
    assert item.availability is Availability.NOT_ON_LAPTOP and not item.on_laptop
    assert item.reason is not None and "next sync" in item.reason

    again = import_package(db, package)  # the same package: its files go to the same rows
    assert again.presentation_id == result.presentation_id and not again.already_imported
    with db.read() as session:
        [item] = list_presentations(session, dt.date(2026, 6, 15), store=store)
    assert item.availability is Availability.PRESENTABLE and item.on_laptop
