"""A signature pad: the recipient of samples signs with a mouse, a pen or a finger.

Strokes are kept as points normalised to 0..1 of the pad, so the signature is independent
of the pad's size and of the screen's pixel density, and is stored as small JSON
([[[x, y], ...], ...], one list per stroke) rather than as an image. Painting is vector
work on every paint event (no cached pixmap), so it stays sharp at any device pixel ratio.
Pen input arrives as tablet events; touch arrives as the mouse events Qt synthesises.
"""

from __future__ import annotations

import itertools
import json
import logging
import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.i18n import tr

log = logging.getLogger(__name__)

Stroke = list[tuple[float, float]]

PEN_WIDTH = 2.2
#: Points closer than this (logical pixels) to the last one add nothing but size.
MIN_STEP = 1.5
#: Where the signature line sits, as a share of the pad's height.
BASELINE = 0.72
INVALID_COLOR = QColor("#e53935")


def _smooth_path(points: list[QPointF]) -> QPainterPath:
    """A curve through the midpoints of successive points: no corners at the mouse's steps."""
    path = QPainterPath(points[0])
    if len(points) == 2:
        path.lineTo(points[1])
        return path
    for previous, current in itertools.pairwise(points[1:]):
        path.quadTo(previous, (previous + current) / 2)
    path.lineTo(points[-1])
    return path


class SignatureCanvas(QWidget):
    """The surface that is drawn on; the pad adds the Clear button around it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._drawing = False
        self._read_only = False
        self._invalid = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(240, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(tr("Signature"))
        self.setAccessibleDescription(
            tr("Sign with the mouse, a pen or a finger. Delete clears the signature."))

    # -- state -------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self._strokes

    def strokes(self) -> list[Stroke]:
        return [list(s) for s in self._strokes]

    def set_strokes(self, strokes: list[Stroke]) -> None:
        """Replace the signature; a programmatic change, so `changed` is not emitted."""
        self._strokes = [list(s) for s in strokes if s]
        self._drawing = False
        self.update()

    def clear(self) -> None:
        """Remove the signature (the rep's action: emits `changed` if there was one)."""
        had_strokes = bool(self._strokes)
        self._strokes = []
        self._drawing = False
        self.update()
        if had_strokes:
            self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._drawing = False
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self.update()

    def set_invalid(self, invalid: bool) -> None:
        self._invalid = invalid
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 140)

    # -- input -------------------------------------------------------------------------
    def _normalise(self, pos: QPointF) -> tuple[float, float]:
        width, height = max(self.width(), 1), max(self.height(), 1)
        x = min(max(pos.x() / width, 0.0), 1.0)
        y = min(max(pos.y() / height, 0.0), 1.0)
        return (x, y)

    def _to_widget(self, point: tuple[float, float]) -> QPointF:
        return QPointF(point[0] * self.width(), point[1] * self.height())

    def _begin(self, pos: QPointF) -> None:
        if self._read_only:
            return
        self._drawing = True
        self._strokes.append([self._normalise(pos)])
        self._update_tail()

    def _extend(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        last = self._to_widget(self._strokes[-1][-1])
        if math.hypot(pos.x() - last.x(), pos.y() - last.y()) < MIN_STEP:
            return
        self._strokes[-1].append(self._normalise(pos))
        self._update_tail()

    def _end(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        self._extend(pos)
        self._drawing = False
        self.update()
        self.changed.emit()

    def _update_tail(self) -> None:
        """Repaint only around the newest points (the smoothed curve spans the last three)."""
        tail = [self._to_widget(p) for p in self._strokes[-1][-3:]]
        xs, ys = [p.x() for p in tail], [p.y() for p in tail]
        margin = PEN_WIDTH * 2
        rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        self.update(rect.adjusted(-margin, -margin, margin, margin).toAlignedRect())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self._read_only:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())

    def tabletEvent(self, event: QTabletEvent) -> None:
        """Pen input; accepted, so Qt does not also synthesise mouse events from it."""
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self._read_only:
            self.clear()
            event.accept()
        else:
            super().keyPressEvent(event)

    # -- painting ----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        if self._invalid:
            border = INVALID_COLOR
        elif self.hasFocus():
            border = palette.color(QPalette.ColorRole.Highlight)
        else:
            border = palette.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(border, 2 if (self._invalid or self.hasFocus()) else 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(frame, 4, 4)
        self._paint_baseline(painter, palette)
        if not self._strokes:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "" if self._read_only else tr("Sign here"))
            return
        pen = QPen(palette.color(QPalette.ColorRole.Text), PEN_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for stroke in self._strokes:
            points = [self._to_widget(p) for p in stroke]
            if len(points) == 1:
                painter.drawPoint(points[0])
            else:
                painter.drawPath(_smooth_path(points))

    def _paint_baseline(self, painter: QPainter, palette: QPalette) -> None:
        y = round(self.height() * BASELINE) + 0.5
        color = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
        color.setAlphaF(0.5)
        painter.setPen(QPen(color, 1))
        painter.drawLine(QPointF(16, y), QPointF(self.width() - 16, y))


class SignaturePad(QWidget):
    """The canvas with a Clear button under it; `strokes_json()` is what gets stored."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = SignatureCanvas(self)
        self.clear_button = QPushButton(tr("C&lear signature"), self)
        self.clear_button.setToolTip(tr("Remove the signature (Delete on the pad)"))
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clear)
        self.canvas.changed.connect(self._on_changed)
        self.setFocusProxy(self.canvas)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.canvas)
        layout.addLayout(buttons)

    def _on_changed(self) -> None:
        self.clear_button.setEnabled(not self.canvas.is_empty())
        self.changed.emit()

    def is_empty(self) -> bool:
        return self.canvas.is_empty()

    def clear(self) -> None:
        self.canvas.clear()
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def strokes_json(self) -> str:
        """The strokes as JSON [[[x, y], ...], ...], coordinates 0..1, 4 decimals."""
        strokes = [[[round(x, 4), round(y, 4)] for x, y in s] for s in self.canvas.strokes()]
        return json.dumps(strokes, separators=(",", ":"))

    def set_strokes_json(self, text: str | None) -> None:
        """Show a stored signature (empty for None or text that is not a signature)."""
        self.canvas.set_strokes(_parse_strokes(text))
        self.clear_button.setEnabled(not self.canvas.is_empty())

    def set_read_only(self, read_only: bool) -> None:
        self.canvas.set_read_only(read_only)
        self.clear_button.setHidden(read_only)

    def set_invalid(self, invalid: bool) -> None:
        self.canvas.set_invalid(invalid)


def _parse_strokes(text: str | None) -> list[Stroke]:
    if not text:
        return []
    try:
        data = json.loads(text)
        return [[(min(max(float(x), 0.0), 1.0), min(max(float(y), 0.0), 1.0)) for x, y in stroke]
                for stroke in data]
    except (ValueError, TypeError):
        log.warning("a stored signature is not stroke JSON; showing an empty pad")
        return []
