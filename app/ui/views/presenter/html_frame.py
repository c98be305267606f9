"""The doctor's screen around an HTML slide: the slide scaled to fit, its aspect kept.

Key messages for tablets are laid out for a fixed page (1024×768 is the common one) and
say so in their viewport meta tag. Shown as they are on a wider
screen they sit in the top-left corner with a blank strip beside them; stretched they would
be distorted. The frame zooms the web view by the smaller of the two ratios and centres it
on black, as a tablet player fills its screen. Content without a fixed size fills the frame.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

#: Asked of the page once it has loaded: the fixed size its viewport meta tag declares
#: (`width=1024, height=768`; a width alone means 4:3) as "1024x768", or "" when it
#: declares none (a string: WebEngine hands arrays back to Python as "").
MEASURE_JS = r"""
(function () {
  var meta = document.querySelector('meta[name="viewport"]');
  var content = meta ? meta.getAttribute('content') || '' : '';
  var w = /width\s*=\s*(\d+)/.exec(content), h = /height\s*=\s*(\d+)/.exec(content);
  if (!w) { return ''; }
  var width = Number(w[1]);
  return width + 'x' + (h ? Number(h[1]) : Math.round(width * 3 / 4));
})();
"""


def declared_size(answer: object) -> QSize | None:
    """The page's answer to MEASURE_JS as a size, None when it has none (or nonsense)."""
    width, _, height = str(answer).partition("x")
    if not (width.isdigit() and height.isdigit()):
        return None
    size = QSize(int(width), int(height))
    return size if 0 < size.width() < 10_000 and 0 < size.height() < 10_000 else None


class HtmlFrame(QWidget):
    """Black around the web view; the view sized and zoomed to the slide's own size."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("htmlFrame")
        self.setStyleSheet("#htmlFrame { background: black; }")
        self.view = QWebEngineView(self)
        self.view.setObjectName("htmlSlide")
        self.slide_size: QSize | None = None

    def fit(self, size: QSize | None) -> None:
        """The slide's fixed size in CSS pixels, or None to fill the frame."""
        self.slide_size = size
        self._place()

    def _place(self) -> None:
        size = self.slide_size
        if size is None or size.isEmpty():
            self.view.setZoomFactor(1.0)
            self.view.setGeometry(0, 0, self.width(), self.height())
            return
        zoom = min(self.width() / size.width(), self.height() / size.height())
        zoom = max(0.25, min(zoom, 5.0))  # WebEngine's own bounds
        width, height = round(size.width() * zoom), round(size.height() * zoom)
        self.view.setZoomFactor(zoom)
        self.view.setGeometry((self.width() - width) // 2, (self.height() - height) // 2,
                              width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()
