"""Small building blocks every screen shares, so spacing and type stay the same everywhere.

The look itself (colours, borders, sizes) lives in resources/style.qss and keys on the
object names and properties set here ("title", "muted", "card", "primary").
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.icons import icon


def page_title(text: str) -> QLabel:
    """The heading of a screen."""
    label = QLabel(text)
    label.setObjectName("pageTitle")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def section_title(text: str) -> QLabel:
    """The heading of a block within a screen ("History", "Channels")."""
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def muted(text: str = "", *, wrap: bool = False) -> QLabel:
    """Secondary text: dates, hints, counts."""
    label = QLabel(text)
    label.setProperty("muted", True)
    label.setWordWrap(wrap)
    return label


def primary_button(text: str, icon_name: str | None = None) -> QPushButton:
    """The one main action of a screen, in the accent colour."""
    button = QPushButton(text)
    button.setProperty("primary", True)
    if icon_name:
        button.setIcon(icon(icon_name, QPalette.ColorRole.HighlightedText))
    return button


class Card(QFrame):
    """A framed block on a screen with a title and a body layout."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 16)
        self.body.setSpacing(8)
        self.title = section_title(title)
        self.body.addWidget(self.title)


class EmptyState(QWidget):
    """What to do when a list is empty: an icon, one sentence, a hint, maybe a button."""

    def __init__(self, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self._icon = QLabel()
        self._icon.setPixmap(icon(icon_name).pixmap(QSize(40, 40)))
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._icon.setProperty("muted", True)
        self.headline = QLabel()
        self.headline.setObjectName("emptyHeadline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        self.hint = muted(wrap=True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.action = QPushButton()
        self.action.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.action.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 32, 24, 32)
        layout.setSpacing(8)
        layout.addStretch(1)
        layout.addWidget(self._icon)
        layout.addWidget(self.headline)
        layout.addWidget(self.hint)
        layout.addSpacing(8)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def set_text(self, headline: str, hint: str = "") -> None:
        self.headline.setText(headline)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
