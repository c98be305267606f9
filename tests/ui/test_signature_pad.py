"""The signature pad: drawing, the stored JSON, clearing from the keyboard, read-only."""

from __future__ import annotations

import json

import pytest

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from app.ui.widgets.signature_pad import SignaturePad

pytestmark = pytest.mark.gui


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(400, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def draw(qtbot, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    canvas = pad.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for point in points[1:]:
        qtbot.mouseMove(canvas, QPoint(*point))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def test_a_drawn_stroke_is_stored_as_normalised_points(qtbot, pad: SignaturePad) -> None:
    assert pad.is_empty()
    with qtbot.waitSignal(pad.changed, timeout=1000):
        draw(qtbot, pad, [(20, 40), (60, 80), (120, 60), (200, 100)])
    strokes = json.loads(pad.strokes_json())
    assert len(strokes) == 1
    assert len(strokes[0]) == 4
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in strokes[0])
    width, height = pad.canvas.width(), pad.canvas.height()
    assert strokes[0][0] == pytest.approx([20 / width, 40 / height], abs=1e-3)
    assert pad.clear_button.isEnabled()


def test_points_outside_the_pad_are_clamped(qtbot, pad: SignaturePad) -> None:
    draw(qtbot, pad, [(10, 10), (-50, 500)])
    (stroke,) = json.loads(pad.strokes_json())
    assert stroke[-1] == [0.0, 1.0]


def test_stored_strokes_round_trip_without_a_change_signal(qtbot, pad: SignaturePad) -> None:
    stored = "[[[0.1,0.2],[0.3,0.4]],[[0.5,0.5]]]"
    with qtbot.assertNotEmitted(pad.changed):
        pad.set_strokes_json(stored)
    assert json.loads(pad.strokes_json()) == json.loads(stored)
    pad.set_strokes_json(None)
    assert pad.is_empty()


def test_text_that_is_not_a_signature_shows_an_empty_pad(pad: SignaturePad) -> None:
    pad.set_strokes_json("not json")
    assert pad.is_empty()
    pad.set_strokes_json('[["a", "b"]]')
    assert pad.is_empty()


def test_delete_on_the_pad_clears_it(qtbot, pad: SignaturePad) -> None:
    draw(qtbot, pad, [(20, 40), (100, 80)])
    pad.canvas.setFocus()
    with qtbot.waitSignal(pad.changed, timeout=1000):
        qtbot.keyClick(pad.canvas, Qt.Key.Key_Delete)
    assert pad.is_empty()
    assert not pad.clear_button.isEnabled()


def test_the_clear_button_works_from_the_keyboard(qtbot, pad: SignaturePad) -> None:
    draw(qtbot, pad, [(20, 40), (100, 80)])
    pad.clear_button.setFocus()
    with qtbot.waitSignal(pad.changed, timeout=1000):
        qtbot.keyClick(pad.clear_button, Qt.Key.Key_Space)
    assert pad.is_empty()
    assert pad.canvas.hasFocus()  # ready to sign again


def test_a_read_only_pad_ignores_the_pen(qtbot, pad: SignaturePad) -> None:
    pad.set_strokes_json("[[[0.1,0.2],[0.3,0.4]]]")
    pad.set_read_only(True)
    with qtbot.assertNotEmitted(pad.changed):
        draw(qtbot, pad, [(20, 40), (100, 80)])
        qtbot.keyClick(pad.canvas, Qt.Key.Key_Delete)
    assert json.loads(pad.strokes_json()) == [[[0.1, 0.2], [0.3, 0.4]]]
    assert pad.clear_button.isHidden()


def test_strokes_are_painted_sharply_at_high_pixel_density(qtbot, pad: SignaturePad) -> None:
    """Painted as vectors at the device's density: a 2x image has ink at 2x coordinates."""
    pad.set_strokes_json("[[[0.1,0.5],[0.9,0.5]]]")
    canvas = pad.canvas
    image = QImage(canvas.width() * 2, canvas.height() * 2, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(2)
    image.fill(QColor("white"))
    canvas.render(image)
    ink = image.pixelColor(canvas.width(), canvas.height())  # the middle of the stroke
    paper = image.pixelColor(canvas.width(), canvas.height() // 4)
    assert ink.lightness() < 100
    assert paper.lightness() > 200
