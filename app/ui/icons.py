"""The app's icons: our own SVGs in resources/icons, drawn in the palette's colours.

The SVGs stroke with `currentColor`; each icon is rendered in the current palette's text
colour (and, for checkable buttons, the highlighted-text colour when checked), so one set of
files reads well in the light and the dark theme. Rendered at several sizes, so Qt picks a
sharp pixmap on high-DPI screens instead of scaling a small one up.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.config import resources_dir

SIZES = (16, 20, 24, 32, 40, 48, 64)
Role = QPalette.ColorRole


@functools.cache
def _source(name: str) -> str:
    return (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


def _pixmap(name: str, color: QColor, size: int) -> QPixmap:
    svg = _source(name).replace("currentColor", color.name())
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@functools.cache
def _icon(name: str, color: str, checked_color: str | None) -> QIcon:
    result = QIcon()
    for size in SIZES:
        result.addPixmap(_pixmap(name, QColor(color), size), QIcon.Mode.Normal, QIcon.State.Off)
        if checked_color is not None:
            result.addPixmap(_pixmap(name, QColor(checked_color), size), QIcon.Mode.Normal,
                             QIcon.State.On)
    return result


def icon(name: str, role: QPalette.ColorRole = Role.WindowText,
         checked_role: QPalette.ColorRole | None = None) -> QIcon:
    """The icon `name` in the palette colour `role` (and `checked_role` when checked)."""
    palette = QGuiApplication.palette()
    checked = palette.color(checked_role).name() if checked_role is not None else None
    return _icon(name, palette.color(role).name(), checked)


def app_icon() -> QIcon:
    """The window and task bar icon (filled; the same in both themes)."""
    return QIcon(str(resources_dir() / "icons" / "fieldrep.svg"))
