"""The style sheet as a person meets it: drop-down lists show their items, check boxes are
visible in both themes. Offscreen, with the app's own configure()."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox

from app.config import Settings
from app.ui.application import configure


@pytest.fixture(params=["light", "dark"])
def styled(request: pytest.FixtureRequest, qapp: QApplication,
           settings: Settings) -> Iterator[str]:
    palette, font, style = qapp.palette(), qapp.font(), qapp.styleSheet()
    settings.set("theme", request.param)
    configure(qapp, settings)
    yield request.param
    qapp.setStyleSheet(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


@pytest.mark.qt_log_ignore("This plugin does not support .*")  # offscreen: no raise/grab
def test_a_drop_down_shows_its_items_below_the_box(qtbot, styled: str) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItems(["English", "Deutsch", "Light", "Dark", "System"])
    combo.setCurrentIndex(1)
    combo.show()
    qtbot.waitExposed(combo)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    # Every item fits (no scrolling for five), and the list opens below the box instead of
    # being laid over it.
    assert not view.verticalScrollBar().isVisible()
    last = view.visualRect(combo.model().index(4, 0))
    assert last.bottom() <= view.viewport().height()
    assert view.window().geometry().top() >= combo.mapToGlobal(combo.rect().bottomLeft()).y()
    # The current item is drawn highlighted, not as a blank row.
    current = view.visualRect(combo.model().index(1, 0)).center()
    image: QImage = view.viewport().grab().toImage()
    assert image.pixelColor(current) == view.palette().highlight().color()
    combo.hidePopup()


def test_a_check_box_is_outlined_against_the_window(qtbot, styled: str) -> None:
    box = QCheckBox("Consent")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    window = box.palette().window().color()
    # Some pixel of the indicator differs clearly from the window behind it.
    contrast = max(_distance(image.pixelColor(x, y), window)
                   for x in range(0, 18) for y in range(image.height()))
    assert contrast > 80


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def test_a_locked_field_looks_locked(qtbot, styled: str) -> None:
    from PySide6.QtWidgets import QLineEdit, QWidget

    from app.ui.views.call_report.fields import set_read_only

    form = QWidget()
    qtbot.addWidget(form)
    field = QLineEdit("Final", form)
    field.resize(200, 32)
    form.resize(220, 40)
    form.show()
    qtbot.waitExposed(form)
    # The form's colours: a style sheet's background rewrites the field's own palette.
    base = form.palette().base().color()
    window = form.palette().window().color()
    assert base != window
    assert field.grab().toImage().pixelColor(150, 16) == base  # editable: the field colour
    set_read_only(field, True)
    assert field.grab().toImage().pixelColor(150, 16) == window  # locked: flat on the window
    set_read_only(field, False)
    assert field.grab().toImage().pixelColor(150, 16) == base


@pytest.mark.qt_log_ignore("This plugin does not support .*")
def test_a_tooltip_shows_its_words(qtbot, styled: str) -> None:
    """The control report's info tooltip was an empty grey box: the sheet styled QToolTip
    without colours, so its text was drawn in the colour of its background."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLabel, QToolTip

    anchor = QLabel("Control groups")
    qtbot.addWidget(anchor)
    anchor.show()
    qtbot.waitExposed(anchor)
    QToolTip.showText(anchor.mapToGlobal(QPoint(4, 4)), "Measured against a random control "
                      "group of accounts", anchor)

    def tip() -> QLabel | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if w.metaObject().className() == "QTipLabel" and w.isVisible()), None)

    qtbot.waitUntil(lambda: tip() is not None)
    label = tip()
    assert label is not None
    image = label.grab().toImage()
    background = image.pixelColor(1, image.height() // 2)  # inside the border
    distances = [
        _distance(image.pixelColor(x, y), background)
        for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)]
    assert max(distances) > 200, "the words stand out from the box"
    QToolTip.hideText()


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())
