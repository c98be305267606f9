"""One slide, drawn to fill its screen: PDF pages (QtPdf) and pictures (QImage).

Rendering is synchronous and light (docs/platform.md: 0.5-42 ms per page), so the presenter
renders the next slide ahead into a small cache: pressing "next" then only swaps a pixmap,
within one frame. HTML slides are not drawn here; the presenter puts a web view over them.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QSizePolicy, QWidget

CACHE_SIZE = 4
BLACK = QColor("black")


class SlideRenderer:
    """Renders slides to images of a given size and keeps the last few (LRU)."""

    def __init__(self) -> None:
        self._docs: dict[Path, QPdfDocument] = {}
        self._cache: OrderedDict[tuple[Path, int | None, int, int], QImage] = OrderedDict()

    def _doc(self, path: Path) -> QPdfDocument:
        doc = self._docs.get(path)
        if doc is None:
            doc = QPdfDocument()
            doc.load(str(path))
            self._docs[path] = doc
        return doc

    def render(self, kind: str, path: Path, page: int | None, size: QSize,
               ratio: float = 1.0) -> QImage:
        """The slide fitted into `size` pixels (aspect kept) for a screen of device pixel
        `ratio`; a null image for what cannot render."""
        key = (path, page, size.width(), size.height())
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        image = QImage()
        if size.width() > 0 and size.height() > 0:
            if kind == "pdf":
                doc = self._doc(path)
                index = (page or 1) - 1
                points = doc.pagePointSize(index).toSize()
                if not points.isEmpty():
                    image = doc.render(index, points.scaled(size,
                                                            Qt.AspectRatioMode.KeepAspectRatio))
            elif kind == "image":
                source = QImage(str(path))
                if not source.isNull():
                    image = source.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation)
        if not image.isNull():
            # Painting converts anything else on every frame; premultiplied ARGB is a blit.
            image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
            # Set once here: setting it on a shown copy would detach (copy) all its pixels.
            image.setDevicePixelRatio(ratio)
        self._cache[key] = image
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return image

    def close(self) -> None:
        for doc in self._docs.values():
            doc.close()
        self._docs.clear()
        self._cache.clear()


class SlideView(QWidget):
    """Shows one rendered slide centred on black, the way a projector would (or, for the
    rep's previews, on the window's own colour: `backdrop=None`)."""

    def __init__(self, renderer: SlideRenderer, parent: QWidget | None = None, *,
                 backdrop: QColor | None = BLACK) -> None:
        super().__init__(parent)
        self._backdrop = backdrop
        self._renderer = renderer
        self._slide: tuple[str, Path, int | None] | None = None
        self._image = QImage()
        self.setObjectName("slideView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def show_slide(self, kind: str, path: Path, page: int | None) -> None:
        self._slide = (kind, path, page)
        self._rerender()

    def prepare(self, kind: str, path: Path, page: int | None) -> None:
        """Render a slide ahead at this view's size, so showing it later is instant."""
        self._renderer.render(kind, path, page, self._pixels(), self.devicePixelRatioF())

    def clear(self) -> None:
        self._slide = None
        self._image = QImage()
        self.update()

    @property
    def image(self) -> QImage:
        return self._image

    def _pixels(self) -> QSize:
        ratio = self.devicePixelRatioF()
        return QSize(int(self.width() * ratio), int(self.height() * ratio))

    def _rerender(self) -> None:
        if self._slide is None:
            return
        kind, path, page = self._slide
        self._image = self._renderer.render(kind, path, page, self._pixels(),
                                            self.devicePixelRatioF())
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rerender()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._backdrop if self._backdrop is not None
                         else self.palette().color(QPalette.ColorRole.Window))
        if not self._image.isNull():
            size = self._image.deviceIndependentSize().toSize()
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(self.rect().center())
            painter.drawImage(target, self._image)
        painter.end()
