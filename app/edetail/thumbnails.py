"""The laptop's slide renderer: thumbnails drawn with QtPdf and QtGui (no widgets).

Drawing needs Qt, which the server never imports (pyproject's import-linter contracts), so
it lives here and is handed to `CheckedPackage.thumbnail` by the laptop's import; whether a
file is fit to show is decided before, Qt-free, by `app.content_format.media` on both sides.
QtGui and QtPdf work offscreen and without a window, in a test and in `fieldrep sync`.
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
    Made here, it never shows a window, so it runs offscreen: a machine without a display
    would otherwise abort the process ("could not load platform plugin").
    """
    global _app  # noqa: PLW0603 - one application object per process, as Qt requires
    if QCoreApplication.instance() is None:
        _app = QGuiApplication(["fieldrep", "-platform", "offscreen"])


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


class QtSlideRenderer:
    """`app.content_format.media.SlideRenderer` with QtPdf and QtGui."""

    def __init__(self) -> None:
        ensure_gui()

    def pdf_page(self, path: Path, page: int) -> bytes:
        """PNG of a PDF page (1-based), fitted into THUMB_SIZE; a card when Qt cannot draw it."""
        doc = QPdfDocument()
        try:
            if doc.load(str(path)) != QPdfDocument.Error.None_:
                return self.placeholder(path.stem)
            points = doc.pagePointSize(page - 1)
            size = points.toSize().scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio)
            return _png(doc.render(page - 1, size))
        finally:
            doc.close()

    def image(self, path: Path) -> bytes:
        return _png(_fit(QImage(str(path))))

    def placeholder(self, title: str) -> bytes:
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
