"""Looking into slide files: PDF page counts, pictures that really are pictures, thumbnails.

QtGui and QtPdf only (no widgets): they work offscreen and without a window, so the importer
can check a package the same way on a rep's laptop, in a test and on the server's CLI.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

THUMB_SIZE = QSize(320, 180)
_app: QGuiApplication | None = None


def ensure_gui() -> None:
    """QPainter needs fonts, which need a QGuiApplication; make one when none runs (a CLI).

    The UI (and pytest-qt's `qapp`) make their own QApplication first; this then does nothing.
    Made here, it never shows a window, so it runs offscreen: a server without a display
    would otherwise abort the process ("could not load platform plugin").
    """
    global _app  # noqa: PLW0603 - one application object per process, as Qt requires
    if QCoreApplication.instance() is None:
        _app = QGuiApplication(["fieldrep", "-platform", "offscreen"])


def pdf_page_count(path: Path) -> int | None:
    """How many pages the PDF at `path` has; None when it is not a readable PDF."""
    with path.open("rb") as f:
        if b"%PDF-" not in f.read(1024):  # the header, within the first KiB as PDF allows
            return None
    doc = QPdfDocument()
    try:
        if doc.load(str(path)) != QPdfDocument.Error.None_:
            return None
        return doc.pageCount()
    finally:
        doc.close()


def image_ok(path: Path) -> bool:
    """Whether the file decodes as a picture (its suffix alone proves nothing)."""
    return not QImage(str(path)).isNull()


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; Qt str
    buffer.close()
    return bytes(data.data())


def _fit(image: QImage) -> QImage:
    return image.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def pdf_thumbnail(path: Path, page: int) -> bytes:
    """PNG of a PDF page (1-based), fitted into THUMB_SIZE."""
    doc = QPdfDocument()
    try:
        doc.load(str(path))
        points = doc.pagePointSize(page - 1)
        size = points.toSize().scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio)
        return _png(doc.render(page - 1, size))
    finally:
        doc.close()


def image_thumbnail(path: Path) -> bytes:
    return _png(_fit(QImage(str(path))))


def placeholder_thumbnail(title: str) -> bytes:
    """A plain card with the slide's title, for HTML slides shipped without a thumbnail."""
    ensure_gui()
    image = QImage(THUMB_SIZE, QImage.Format.Format_RGB32)
    image.fill(QColor("#e8eef3"))
    painter = QPainter(image)
    try:
        painter.setPen(QColor("#1f3a4d"))
        font = QFont()
        font.setPixelSize(20)
        painter.setFont(font)
        margin = 16
        painter.drawText(QRectF(margin, margin, THUMB_SIZE.width() - 2 * margin,
                                THUMB_SIZE.height() - 2 * margin),
                         int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), title)
    finally:
        painter.end()
    return _png(image)
