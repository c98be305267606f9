"""Importing CLM content as other players ship it: key-message zips, folders, shared files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import pytest

from app.content_format.clm import (
    ClmInfo,
    OrderEntry,
    assemble,
    parse_order,
    source_kind,
)
from app.edetail.clm import import_clm
from app.edetail.errors import PackageError
from app.edetail.package import content_store
from app.store.content import Presentation
from app.store.database import Database
from tests.edetail.conftest import BuildPackage, png_bytes, table_counts, write_zip
from tests.factories import World

INFO = ClmInfo(id="cz-clm", version="3", title="Cardiozan CLM", product="Cardiozan",
               valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31))


def page(title: str) -> bytes:
    return (f"<html><head><title>{title}</title>"
            '<link rel="stylesheet" href="../shared/brand.css"></head>'
            f"<body>{title}</body></html>").encode()


def key_message_zip(folder: Path, name: str, *, thumb: bool = True, wrapped: bool = False
                    ) -> Path:
    prefix = f"{name}/" if wrapped else ""
    members = {f"{prefix}index.html": page(f"{name} &amp; more"),
               f"{prefix}img/chart.png": png_bytes("#123456")}
    if thumb:
        members[f"{prefix}thumb.png"] = png_bytes("#abcdef", 20, 10)
    return write_zip(folder / f"{name}.zip", members)


def slides_of(db: Database, presentation_id: str) -> list[tuple[str, str, str, str]]:
    with db.read() as session:
        p = session.get(Presentation, presentation_id)
        assert p is not None
        return [(s.code, s.key_message, s.topic, s.title) for s in p.slides]


def test_one_key_message_zip(db: Database, world: World, tmp_path: Path) -> None:
    path = key_message_zip(tmp_path, "CZ_Efficacy")
    result = import_clm(db, path, INFO)
    assert slides_of(db, result.presentation_id) == [
        ("CZ_Efficacy", "CZ_Efficacy", "general", "CZ_Efficacy & more")]
    with db.read() as session:
        p = session.get(Presentation, result.presentation_id)
        assert p is not None
        slide = p.slides[0]
        assert (slide.kind, slide.file) == ("html", "CZ_Efficacy/index.html")
        assert slide.thumbnail_sha256 == hashlib.sha256(png_bytes("#abcdef", 20, 10)).hexdigest()


def test_a_folder_with_order_file_and_shared_resources(db: Database, world: World,
                                                      tmp_path: Path) -> None:
    src = tmp_path / "clm"
    src.mkdir()
    key_message_zip(src, "KM10", wrapped=True)
    key_message_zip(src, "KM2", thumb=False)
    folder = src / "KM1"
    (folder / "css").mkdir(parents=True)
    (folder / "index.html").write_bytes(page("Start"))
    (folder / "css" / "x.css").write_text("body{}")
    (src / "shared").mkdir()
    (src / "shared" / "brand.css").write_text("h1 { color: #c00 }")
    (src / "order.txt").write_text(
        "# the deck for spring\nKM2 | CZ-1 | efficacy | Fewer events\n\nKM1\nKM10 | | safety\n")
    result = import_clm(db, src, INFO)
    assert slides_of(db, result.presentation_id) == [
        ("KM2", "CZ-1", "efficacy", "Fewer events"),
        ("KM1", "KM1", "general", "Start"),
        ("KM10", "KM10", "safety", "KM10 & more")]
    store = content_store(db)
    with db.read() as session:
        p = session.get(Presentation, result.presentation_id)
        assert p is not None
        tree = store.tree(p.tree_sha256)
        assert {"shared/brand.css", "KM1/css/x.css", "KM10/thumb.png", "KM2/img/chart.png"} \
            <= set(tree)
        assert p.slides[0].key_message_id == world.key_message.id
        # KM2 came without a thumbnail: a placeholder picture was made for it
        thumb = store.read_bytes(p.slides[0].thumbnail_sha256)
        assert thumb[:4] == b"\x89PNG"
        assert p.slides[2].thumbnail_sha256 == tree["KM10/thumb.png"]
    # laid out again, the shared stylesheet resolves from a key message's folder
    out = store.materialise(p.tree_sha256, tmp_path / "view")
    assert (out / "KM2" / ".." / "shared" / "brand.css").read_text() == "h1 { color: #c00 }"


def test_an_explicit_order_wins_and_natural_order_is_the_default(
        db: Database, world: World, tmp_path: Path) -> None:
    src = tmp_path / "clm"
    src.mkdir()
    for name in ("KM10", "KM2", "KM1"):
        key_message_zip(src, name)
    natural = tmp_path / "natural.zip"
    assemble(src, INFO, natural)
    with zipfile.ZipFile(natural) as zf:
        assert [n.split("/")[0] for n in zf.namelist() if n.endswith("index.html")] == [
            "KM1", "KM2", "KM10"]
    result = import_clm(db, src, INFO, order=["KM10", OrderEntry("KM1", "CZ-1", "efficacy")])
    assert [s[0] for s in slides_of(db, result.presentation_id)] == ["KM10", "KM1"]


def test_a_lone_key_message_names_the_files_it_links_to_but_lacks(
        db: Database, world: World, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The page links ../shared/brand.css (and its own img/chart.png, which it holds).
    alone = import_clm(db, key_message_zip(tmp_path, "CZ_Efficacy"), INFO)
    assert alone.missing_files == ("shared/brand.css",)
    assert "shared/brand.css" in caplog.text and "CZ_Efficacy.zip" in caplog.text
    src = tmp_path / "with-shared"
    src.mkdir()
    key_message_zip(src, "CZ_Safety")
    (src / "shared").mkdir()
    (src / "shared" / "brand.css").write_text("h1 { color: #c00 }")
    complete = dataclasses.replace(INFO, id="cz-complete")
    assert import_clm(db, src, complete, order=["CZ_Safety"]).missing_files == ()


def test_importing_the_same_clm_content_twice_is_one_presentation(
        db: Database, world: World, tmp_path: Path) -> None:
    path = key_message_zip(tmp_path, "KM1")
    first = import_clm(db, path, INFO)
    again = import_clm(db, path, INFO)
    assert again.already_imported and again.presentation_id == first.presentation_id


@pytest.mark.parametrize(
    ("order", "match"),
    [(["KM9"], "there is no KM9.zip"), (["KM1", "KM1"], "listed twice")],
)
def test_bad_orders(db: Database, world: World, tmp_path: Path, order: list[str],
                    match: str) -> None:
    src = tmp_path / "clm"
    src.mkdir()
    key_message_zip(src, "KM1")
    with pytest.raises(PackageError, match=match):
        import_clm(db, src, INFO, order=order)
    assert table_counts(db) == (0, 0)


def test_a_zip_without_index_html(db: Database, world: World, tmp_path: Path) -> None:
    path = write_zip(tmp_path / "KM1.zip", {"start.html": b"<html></html>"})
    with pytest.raises(PackageError, match=r"no index\.html"):
        import_clm(db, path, INFO)
    assert table_counts(db) == (0, 0)


def test_an_unsafe_key_message_zip(db: Database, world: World, tmp_path: Path) -> None:
    path = write_zip(tmp_path / "KM1.zip", {"index.html": b"<html/>", "../../evil.js": b"x"})
    with pytest.raises(PackageError, match="points outside"):
        import_clm(db, path, INFO)
    assert table_counts(db) == (0, 0)


def test_a_link_in_a_key_message_folder(db: Database, world: World, tmp_path: Path) -> None:
    src = tmp_path / "clm"
    (src / "KM1").mkdir(parents=True)
    (src / "KM1" / "index.html").write_bytes(page("x"))
    (src / "KM1" / "secret").symlink_to("/etc/passwd")
    with pytest.raises(PackageError, match="is a link"):
        import_clm(db, src, INFO)
    assert table_counts(db) == (0, 0)


def test_parse_order_rejects_too_many_fields() -> None:
    assert parse_order("a|b\n # x\n") == [OrderEntry("a", "b")]
    with pytest.raises(PackageError, match="line 1"):
        parse_order("a|b|c|d|e")


def test_source_kind_tells_packages_from_clm_content(tmp_path: Path,
                                                    build_package: BuildPackage) -> None:
    assert source_kind(build_package()) == "package"
    assert source_kind(key_message_zip(tmp_path, "KM1")) == "clm"
    assert source_kind(tmp_path) == "clm"
