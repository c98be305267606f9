"""The demo presentations in resources/content: made by the project's script, importable."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from app.edetail.capture import Recorder
from app.edetail.package import content_store, import_package
from app.edetail.summary import summarise
from app.store.content import Presentation
from app.store.database import Database
from app.store.reference import KeyMessage, Product

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "resources" / "content"
DECKS = {"cardiovel-heart-failure.zip": ("Cardiovel", ["pdf"] * 4),
         "glucaria-clm.zip": ("Glucaria", ["html"] * 4)}
MAX_BYTES = 300 * 1024


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_demo_content", ROOT / "scripts" / "make_demo_content.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def demo_products(db: Database) -> None:
    """The demo's products and key messages, as `fieldrep demo` creates them."""
    script = load_script()
    with db.write() as session:
        session.info["from_server"] = True
        for name, codes in (("Cardiovel", [c[0] for c in script.CARDIOVEL]),
                            ("Glucaria", [c[0] for c in script.GLUCARIA] + ["GL-PAT"])):
            product = Product(name=name, therapeutic_area="x")
            session.add(product)
            session.flush()
            for n, code in enumerate(codes, start=1):
                session.add(KeyMessage(product_id=product.id, position=n, code=code,
                                       title=code, topic="t"))


@pytest.mark.parametrize("name", sorted(DECKS))
def test_the_shipped_decks_import(db: Database, demo_products: None, name: str) -> None:
    path = CONTENT / name
    assert path.stat().st_size < MAX_BYTES
    result = import_package(db, path)
    product, kinds = DECKS[name]
    with db.read() as session:
        p = session.get(Presentation, result.presentation_id)
        assert p is not None
        assert [s.kind for s in p.slides] == kinds
        assert all(s.key_message_id for s in p.slides)  # every code is a demo key message
        assert session.get(Product, p.product_id).name == product  # type: ignore[union-attr]
        questions = [q for s in p.slides for q in json.loads(s.questions)]
    if name.startswith("glucaria"):
        assert {q["type"] for q in questions} == {"single", "multiple", "scale", "text"}


def test_the_question_slide_is_captured(db: Database, demo_products: None) -> None:
    result = import_package(db, CONTENT / "glucaria-clm.zip")
    with db.read() as session:
        p = session.get(Presentation, result.presentation_id)
        assert p is not None
        last = p.slides[-1]
    now = dt.datetime(2026, 11, 23, 9)
    rec = Recorder(db, result.presentation_id, clock=lambda: now)
    rec.show(last.id)
    rec.answer("q-use", "Ja")
    rec.end()
    assert summarise(db, rec.session_id).slides[0].answers == (
        ("Würden Sie Glucaria einsetzen?", "Ja"),)
    tree = content_store(db).tree(p.tree_sha256)
    assert "shared/slide.css" in tree


def test_the_script_makes_small_importable_decks(tmp_path: Path, db: Database,
                                                 demo_products: None) -> None:
    made = load_script().build(tmp_path)
    assert sorted(p.name for p in made) == sorted(DECKS)
    for path in made:
        assert path.stat().st_size < MAX_BYTES
        assert import_package(db, path).slides == 4
