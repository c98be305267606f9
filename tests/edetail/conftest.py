"""Crafted content packages for the e-detailing tests, built in tmp_path with zipfile."""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter

from app.store.database import Database
from tests.factories import World


@pytest.fixture(autouse=True)
def _gui(qapp: Any) -> None:
    """QPainter (PDFs, thumbnails) needs an application; pytest-qt's is a QApplication."""


def pdf_bytes(pages: int) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QSizeF(320.0, 180.0), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(72)
    painter = QPainter(writer)
    for n in range(pages):
        if n:
            writer.newPage()
        painter.fillRect(QRectF(0, 0, 320, 180), QColor("#336699"))
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, 320, 180), Qt.AlignmentFlag.AlignCenter, f"Page {n + 1}")
    painter.end()
    buffer.close()
    return bytes(data.data())


def png_bytes(color: str = "#cc3333", width: int = 64, height: int = 36) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def manifest(product: str = "Cardiozan", **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": 1, "id": "cz-hf", "version": "1", "title": "Cardiozan in HFrEF",
        "product": product, "valid_from": "2026-01-01", "valid_until": "2026-12-31",
        "approval_state": "approved",
        "slides": [
            {"id": "s1", "file": "deck.pdf#1", "key_message": "CZ-1", "topic": "efficacy",
             "title": "Fewer events"},
            {"id": "s2", "file": "deck.pdf#2", "key_message": "CZ-2", "topic": "safety"},
            {"id": "s3", "file": "pics/chart.png", "key_message": "CZ-3", "topic": "study"},
            {"id": "s4", "file": "slides/q/index.html", "key_message": "CZ-4",
             "topic": "dosing",
             "questions": [
                 {"id": "q1", "type": "single", "text": "Would you prescribe it?",
                  "options": ["yes", "no", "maybe"]},
                 {"id": "q2", "type": "multiple", "text": "Which patients?",
                  "options": ["elderly", "CKD", "diabetic"]},
                 {"id": "q3", "type": "scale", "text": "How convincing?", "min": 1, "max": 5},
                 {"id": "q4", "type": "text", "text": "Anything else?"},
             ]},
        ],
    }
    base.update(changes)
    return base


def files() -> dict[str, bytes]:
    """The files of the standard package; the same bytes every time (PDFs carry a date)."""
    return dict(_files())


@functools.cache
def _files() -> dict[str, bytes]:
    return {
        "deck.pdf": pdf_bytes(2),
        "pics/chart.png": png_bytes(),
        "slides/q/index.html": b"<html><body><h1>Dosing</h1></body></html>",
        "slides/q/style.css": b"h1 { color: red }",
    }


def write_zip(path: Path, members: dict[str, bytes],
              *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


BuildPackage = Callable[..., Path]


@pytest.fixture
def build_package(tmp_path: Path) -> BuildPackage:
    """build_package(manifest=..., files=..., name=...) -> the zip's path."""
    counter = iter(range(1000))

    def build(manifest_data: Any = None, extra: dict[str, bytes] | None = None,
              omit: tuple[str, ...] = (), raw_manifest: bytes | None = None,
              name: str | None = None) -> Path:
        members = {k: v for k, v in files().items() if k not in omit}
        members.update(extra or {})
        if raw_manifest is not None:
            members["manifest.json"] = raw_manifest
        elif manifest_data is not False:
            members["manifest.json"] = json.dumps(
                manifest() if manifest_data is None else manifest_data).encode()
        return write_zip(tmp_path / (name or f"package-{next(counter)}.zip"), members)

    return build


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def table_counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        conn = session.connection()
        return (conn.exec_driver_sql("SELECT count(*) FROM presentations").scalar_one(),
                conn.exec_driver_sql("SELECT count(*) FROM slides").scalar_one())


__all__ = ["BuildPackage", "World", "manifest", "pdf_bytes", "png_bytes", "table_counts",
           "write_zip", "zip_bytes"]
