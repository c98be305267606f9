"""Importing content packages: every refusal leaves nothing behind; a good package is whole."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.content_format.archive import Limits
from app.edetail.errors import ImportCancelledError, PackageError
from app.edetail.package import content_store, import_package
from app.store.content import Presentation, Slide
from app.store.database import Database
from app.store.journal import OutboxMutation
from tests.edetail.conftest import (
    BuildPackage,
    manifest,
    pdf_bytes,
    png_bytes,
    table_counts,
    write_zip,
)
from tests.factories import World


def stored_files(db: Database) -> list[Path]:
    root = content_store(db).objects
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_refused(db: Database, path: Path, match: str, **kwargs: Any) -> None:
    with pytest.raises(PackageError, match=match):
        import_package(db, path, **kwargs)
    assert table_counts(db) == (0, 0)
    assert stored_files(db) == []
    tmp = content_store(db).tmp
    assert not tmp.exists() or list(tmp.iterdir()) == []


# --- the zip itself ---------------------------------------------------------------------


def test_not_a_zip(db: Database, world: World, tmp_path: Path) -> None:
    path = tmp_path / "deck.zip"
    path.write_text("hello")
    assert_refused(db, path, "not a zip")


def test_truncated_zip(db: Database, world: World, build_package: BuildPackage) -> None:
    path = build_package()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused(db, path, "not a zip file, or it is incomplete")


def test_damaged_member(db: Database, world: World, build_package: BuildPackage) -> None:
    path = build_package(extra={"pics/big.png": png_bytes("#00ff00", 400, 400)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("deck.pdf")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start: start + 8] = b"\x00" * 8  # the central directory is intact, the data is not
    path.write_bytes(bytes(data))
    assert_refused(db, path, "damaged")


@pytest.mark.parametrize("name", ["../evil.html", "slides/../../evil.html", "/etc/evil.html",
                                  "C:/evil.html", "slides\\..\\evil.html"])
def test_names_outside_the_package(db: Database, world: World, build_package: BuildPackage,
                                   name: str) -> None:
    assert_refused(db, build_package(extra={name: b"x"}), "points outside")


def test_links(db: Database, world: World, tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    write_zip(path, {"manifest.json": json.dumps(manifest()).encode()})
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo("deck.pdf")
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    assert_refused(db, path, "is a link")


def test_a_member_twice(db: Database, world: World, build_package: BuildPackage) -> None:
    path = build_package()
    with (pytest.warns(UserWarning, match="Duplicate name"),
          zipfile.ZipFile(path, "a") as zf):
        zf.writestr("deck.pdf", b"%PDF-other")
    assert_refused(db, path, "twice")


def test_bomb_one_member(db: Database, world: World, build_package: BuildPackage) -> None:
    path = build_package(extra={"slides/q/bomb.bin": b"\0" * (8 * 2**20)})
    assert_refused(db, path, "suspiciously well")


def test_bomb_many_members(db: Database, world: World, build_package: BuildPackage) -> None:
    """Each member under the per-member floor; together far too well compressed."""
    extra = {f"slides/q/part{i}.bin": b"\0" * (900 * 1024) for i in range(12)}
    assert_refused(db, build_package(extra=extra), "suspiciously well")


def test_too_big_once_unpacked(db: Database, world: World,
                               build_package: BuildPackage) -> None:
    assert_refused(db, build_package(), "more than 0 MB",
                   limits=Limits(max_total_size=1000))


def test_a_member_too_big(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(), "would unpack to more than",
                   limits=Limits(max_member_size=100))


def test_a_program_inside(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(extra={"slides/q/setup.exe": b"MZ"}), "program")


# --- the manifest -----------------------------------------------------------------------


def test_no_manifest(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(manifest_data=False), "no manifest.json")


def test_manifest_not_json(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(raw_manifest=b"{'id': 1,"), "not valid JSON")


def test_manifest_not_utf8(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(raw_manifest=b'{"id": "\xff"}'), "not valid JSON")


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"slides": "s1"}, "slides must be a list"),
        ({"slides": []}, "slides must be a list"),
        ({"version": True}, "version must be"),
        ({"title": 7}, "title must be a non-empty text"),
        ({"title": None}, "title is missing"),
        ({"approval_state": "ok"}, "approval_state must be one of"),
        ({"valid_until": "31.12.2026"}, "valid_until must be a date"),
        ({"valid_from": "2027-01-01"}, "valid_until is before valid_from"),
        ({"format": 2}, "format must be 1"),
    ],
)
def test_manifest_wrong_values(db: Database, world: World, build_package: BuildPackage,
                               changes: dict[str, Any], match: str) -> None:
    assert_refused(db, build_package(manifest(**changes)), match)


def _with_slide(index: int, **changes: Any) -> dict[str, Any]:
    data = manifest()
    data["slides"][index].update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (_with_slide(0, file=3), r"slides\[0\].file must be a non-empty text"),
        (_with_slide(0, topic=None), r"slides\[0\].topic is missing"),
        (_with_slide(0, file="deck.pdf#x"), "must name a PDF page"),
        (_with_slide(0, file="deck.pdf#0"), "must name a PDF page"),
        (_with_slide(2, file="pics/chart.png#2"), "page only in a PDF"),
        (_with_slide(3, questions={"q": 1}), "must be a list of at most"),
        (_with_slide(3, questions=[{"id": "q", "type": "vote", "text": "?"}]), "type must be"),
        (_with_slide(3, questions=[{"id": "q", "type": "single", "text": "?",
                                    "options": ["one"]}]), "at least two answers"),
        (_with_slide(3, questions=[{"id": "q", "type": "scale", "text": "?", "min": 5,
                                    "max": 1}]), "must be above min"),
        (_with_slide(3, questions=[{"id": "q", "type": "text", "text": "?"},
                                   {"id": "q", "type": "text", "text": "!"}]),
         "question id twice"),
        (_with_slide(0, thumbnail="thumbs/s1.gif"), "must be a PNG or JPEG"),
    ],
)
def test_slide_wrong_values(db: Database, world: World, build_package: BuildPackage,
                            data: dict[str, Any], match: str) -> None:
    assert_refused(db, build_package(data), match)


def test_duplicate_slide_ids(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(_with_slide(1, id="s1")), "Two slides have the id “s1”")


def test_unsupported_slide_type(db: Database, world: World,
                                build_package: BuildPackage) -> None:
    data = _with_slide(2, file="video/intro.mp4")
    assert_refused(db, build_package(data, extra={"video/intro.mp4": b"\0\0\0 ftyp"}),
                   "cannot show")


def test_manifest_path_escaping(db: Database, world: World,
                                build_package: BuildPackage) -> None:
    assert_refused(db, build_package(_with_slide(2, file="../chart.png")),
                   "relative path inside the package")


def test_missing_slide_file(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(omit=("pics/chart.png",)),
                   "names pics/chart.png, which is not in the package")


def test_missing_thumbnail(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(_with_slide(0, thumbnail="thumbs/s1.png")),
                   "thumbnail thumbs/s1.png, which is not")


def test_pdf_page_beyond_the_end(db: Database, world: World,
                                 build_package: BuildPackage) -> None:
    assert_refused(db, build_package(_with_slide(1, file="deck.pdf#3")),
                   "shows page 3 of deck.pdf, but that PDF has only 2 pages")


def test_pdf_that_is_not_one(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(extra={"deck.pdf": b"<html>not a pdf</html>"}),
                   "not a readable PDF")


def test_picture_that_is_not_one(db: Database, world: World,
                                 build_package: BuildPackage) -> None:
    assert_refused(db, build_package(extra={"pics/chart.png": b"GIF89a nope"}),
                   "not a PNG or JPEG picture")


def test_unknown_product(db: Database, world: World, build_package: BuildPackage) -> None:
    assert_refused(db, build_package(manifest(product="Nopeximab")), "not known on this laptop")


# --- a good package ---------------------------------------------------------------------


def test_import_writes_presentation_slides_and_files(db: Database, world: World,
                                                     build_package: BuildPackage) -> None:
    seen: list[tuple[int, int]] = []
    result = import_package(db, build_package(), progress=lambda d, t: seen.append((d, t)))
    assert result.slides == 4 and not result.already_imported
    assert seen and seen[-1][0] == seen[-1][1]
    store = content_store(db)
    with db.read() as session:
        p = session.get(Presentation, result.presentation_id)
        assert p is not None
        assert (p.code, p.content_version, p.product_id, p.approval_state) == (
            "cz-hf", "1", world.promoted.id, "approved")
        slides = list(p.slides)
        assert [(s.code, s.kind, s.page, s.position) for s in slides] == [
            ("s1", "pdf", 1, 1), ("s2", "pdf", 2, 2), ("s3", "image", None, 3),
            ("s4", "html", None, 4)]
        assert slides[0].key_message_id == world.key_message.id  # CZ-1 is known here
        assert slides[1].key_message_id is None and slides[1].key_message == "CZ-2"
        assert slides[0].title == "Fewer events" and slides[1].title == "CZ-2"
        assert [q["type"] for q in json.loads(slides[3].questions)] == [
            "single", "multiple", "scale", "text"]
        for slide in slides:
            assert store.has(slide.asset_sha256) and store.has(slide.thumbnail_sha256)
        assert slides[0].asset_sha256 == slides[1].asset_sha256  # one PDF, two pages
        tree = store.tree(p.tree_sha256)
        assert tree["slides/q/style.css"] == hashlib.sha256(b"h1 { color: red }").hexdigest()
        # Content is server-owned: a local import pushes nothing.
        assert session.query(OutboxMutation).count() == 0
    assert store.path(slides[0].asset_sha256).read_bytes()[:5] == b"%PDF-"


def test_thumbnails_made_where_missing_and_taken_where_given(
        db: Database, world: World, build_package: BuildPackage) -> None:
    thumb = png_bytes("#00aa00", 32, 18)
    data = _with_slide(2, thumbnail="thumbs/chart.png")
    result = import_package(db, build_package(data, extra={
        "thumbs/chart.png": thumb, "slides/q/thumb.png": png_bytes("#0000aa", 30, 20)}))
    store = content_store(db)
    with db.read() as session:
        slides = session.query(Slide).filter_by(presentation_id=result.presentation_id) \
            .order_by(Slide.position).all()
        assert slides[2].thumbnail_sha256 == hashlib.sha256(thumb).hexdigest()
        # the HTML slide's folder had a thumb.png: taken as it is
        assert slides[3].thumbnail_sha256 == hashlib.sha256(
            png_bytes("#0000aa", 30, 20)).hexdigest()
        # the PDF pages got rendered thumbnails, one per page
        assert slides[0].thumbnail_sha256 != slides[1].thumbnail_sha256
        assert store.read_bytes(slides[0].thumbnail_sha256)[:4] == b"\x89PNG"


def test_the_same_package_twice_is_imported_once(db: Database, world: World,
                                                 build_package: BuildPackage) -> None:
    path = build_package()
    first = import_package(db, path)
    again = import_package(db, path)
    assert again.already_imported and again.presentation_id == first.presentation_id
    assert table_counts(db) == (1, 4)


def test_same_id_and_version_but_other_content_is_refused(
        db: Database, world: World, build_package: BuildPackage) -> None:
    import_package(db, build_package())
    with pytest.raises(PackageError, match="needs a new version"):
        import_package(db, build_package(manifest(title="Changed")))
    assert table_counts(db) == (1, 4)


def test_identical_assets_are_stored_once(db: Database, world: World,
                                          build_package: BuildPackage) -> None:
    first = import_package(db, build_package())
    count = len(stored_files(db))
    second = import_package(db, build_package(manifest(version=2)))
    assert first.stored_files > 0 and first.reused_files == 0
    # only the new manifest is new; the PDF, picture, HTML and thumbnails are reused
    assert second.stored_files == 1 and second.reused_files == first.stored_files - 1
    assert len(stored_files(db)) == count + 2  # the manifest and the tree listing it
    assert table_counts(db) == (2, 8)
    for path in stored_files(db):  # each file sits under its own hash
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.parent.name + path.name


def test_cancel_imports_nothing(db: Database, world: World,
                                build_package: BuildPackage) -> None:
    calls = iter([False, True])
    with pytest.raises(ImportCancelledError):
        import_package(db, build_package(), cancel=lambda: next(calls, True))
    assert table_counts(db) == (0, 0)
    assert stored_files(db) == []


def test_pdf_helper_builds_pages() -> None:
    assert pdf_bytes(3).startswith(b"%PDF-")


def test_a_crashed_import_leaves_no_lasting_litter(db: Database, world: World,
                                                   build_package: BuildPackage) -> None:
    store = content_store(db)
    stale = store.staging_dir()
    (stale / "half-written").write_bytes(b"x")
    os.utime(stale, (0, 0))  # a day and more ago
    fresh = store.staging_dir()
    import_package(db, build_package())
    assert not stale.exists()
    assert fresh.exists()  # could be another thread's import in progress


def test_an_import_is_logged_for_support(db: Database, world: World,
                                         build_package: BuildPackage,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.edetail")
    import_package(db, build_package())
    [line] = [r.getMessage() for r in caplog.records if "content imported" in r.getMessage()]
    assert "slide(s)" in line and "file(s) stored" in line
