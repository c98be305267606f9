"""E-detailing benchmark (the non-UI core): package import, slide rendering, capture events.

    python benchmarks/edetail.py            a 50 MB package
    python benchmarks/edetail.py --quick    a 10 MB package (well under a minute)

Progress goes to stderr; the last stdout line is one JSON object.

- `import_mb_per_s`: a package of the given size (a 12-page PDF, pictures, an HTML folder
  with incompressible media) through `import_package`: every check, SHA-256, staging,
  content-addressed store, thumbnails and rows. Into a fresh data folder each round, median
  of 3.
- `pdf_page_render_p95_ms`: QtPdf rendering one 1280x720 demo page, the work a PDF slide
  change does before it is painted (goal <= 16 ms, one frame). Not the presenter's full slide
  change: that figure (`slide_change_p95_ms`, `html_slide_change_p95_ms`, `presenter_rss_mb`)
  comes with the presenter screens.
- `image_slide_load_p95_ms`: decoding a 1280x720 PNG slide.
- `capture_event_p95_ms`: one capture event (a reaction): one write transaction with
  `synchronous=FULL`, so the rep's click is safe on disk. Goal <= 50 ms, far below a
  perceptible delay for a keystroke in the presenter.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402

from app.edetail.capture import Recorder  # noqa: E402
from app.edetail.package import import_package  # noqa: E402
from app.store.database import Database, open_database  # noqa: E402
from app.store.reference import Product  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2)


def timed(fn: Callable[[], Any], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def demo_pdf() -> bytes:
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_demo_content import cardiovel_pdf

    data: bytes = cardiovel_pdf()
    return data


def png(width: int, height: int, seed: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor.fromHsv(seed * 37 % 360, 120, 200))
    path = Path(tempfile.mkstemp(suffix=".png")[1])
    try:
        image.save(str(path))
        return path.read_bytes()
    finally:
        path.unlink()


def build_package(path: Path, megabytes: int) -> Path:
    pdf = demo_pdf()
    slides: list[dict[str, object]] = [
        {"id": f"p{n}", "file": f"deck.pdf#{n % 4 + 1}", "key_message": f"KM-{n}",
         "topic": "efficacy"} for n in range(12)]
    slides += [{"id": f"i{n}", "file": f"pics/{n}.png", "key_message": f"KM-I{n}",
                "topic": "study"} for n in range(8)]
    slides.append({"id": "h1", "file": "html/h1/index.html", "key_message": "KM-H",
                   "topic": "dosing"})
    manifest = {"format": 1, "id": "bench", "version": "1", "title": "Benchmark deck",
                "product": "Benchmarkol", "valid_from": "2020-01-01",
                "valid_until": "2099-12-31", "approval_state": "approved", "slides": slides}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("deck.pdf", pdf)
        for n in range(8):
            zf.writestr(f"pics/{n}.png", png(1280, 720, n))
        zf.writestr("html/h1/index.html", "<html><body><video src='media/0.mp4'></body></html>")
        left = megabytes * 2**20 - path.stat().st_size if path.exists() else megabytes * 2**20
        chunk, n = 4 * 2**20, 0
        while left > 0:  # incompressible media, as videos and photos are
            size = min(chunk, left)
            zf.writestr(zipfile.ZipInfo(f"html/h1/media/{n}.mp4"), os.urandom(size),
                        compress_type=zipfile.ZIP_STORED)
            left -= size
            n += 1
    return path


def fresh_db(folder: Path) -> Database:
    db = open_database(folder / "fieldrep.sqlite")
    with db.write() as session:
        session.info["from_server"] = True
        session.add(Product(name="Benchmarkol", therapeutic_area="x"))
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    megabytes = 10 if args.quick else 50
    app = QGuiApplication.instance() or QGuiApplication([])
    figures: dict[str, Any] = {"package_mb": megabytes}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        package = build_package(tmp / "bench.zip", megabytes)
        size_mb = package.stat().st_size / 2**20
        log(f"package {size_mb:.1f} MB")
        rates = []
        for round_ in range(3):
            db = fresh_db(tmp / f"round{round_}")
            start = time.perf_counter()
            result = import_package(db, package)
            rates.append(size_mb / (time.perf_counter() - start))
            db.close()
            log(f"import round {round_}: {rates[-1]:.1f} MB/s ({result.slides} slides)")
        figures["import_mb_per_s"] = round(statistics.median(rates), 1)

        pdf_path = tmp / "demo.pdf"
        pdf_path.write_bytes(demo_pdf())
        doc = QPdfDocument()
        doc.load(str(pdf_path))
        pages = iter(range(10_000))
        render = timed(lambda: doc.render(next(pages) % doc.pageCount(), QSize(1280, 720)),
                       200)
        figures["pdf_page_render_p95_ms"] = p95(render)
        figures["pdf_page_render_goal_ms"] = 16
        doc.close()

        png_path = tmp / "slide.png"
        png_path.write_bytes(png(1280, 720, 3))
        figures["image_slide_load_p95_ms"] = p95(timed(lambda: QImage(str(png_path)), 200))

        db = open_database(tmp / "round0" / "fieldrep.sqlite")
        with db.read() as session:
            presentation_id = session.connection().exec_driver_sql(
                "SELECT id FROM presentations").scalar_one()
            slide_id = session.connection().exec_driver_sql(
                "SELECT id FROM slides ORDER BY position LIMIT 1").scalar_one()
        recorder = Recorder(db, presentation_id)
        recorder.show(slide_id)
        reactions = iter(["positive", "neutral", "negative"] * 100)
        figures["capture_event_p95_ms"] = p95(timed(lambda: recorder.react(next(reactions)),
                                                    200))
        figures["capture_event_goal_ms"] = 50
        recorder.end()
        db.close()
    del app
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
