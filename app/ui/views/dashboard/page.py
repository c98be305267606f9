"""A page of figures: cards in a scrolling column under a title, read again when shown,
redrawn in the new colours when the theme changes.

The rep's figures and the manager's team share it; each page says what it reads and draws
in `refresh`, comparing the store's data stamp (`stamp`) with the one it drew, so showing the
page or ending a sync costs one small read when nothing changed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from app.ui.parts import page_title

Stamp = tuple[object, ...]


class FiguresPage(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stamp: Stamp | None = None  # the data stamp drawn; None: draw at the next refresh
        self.redraws = 0
        body = QWidget()
        #: The column the page adds its cards to, under its title.
        self.column = QVBoxLayout(body)
        self.column.setSpacing(16)
        self.column.addWidget(page_title(title))
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(scroll)

    def refresh(self) -> None:
        """Read and redraw if the store changed since the last drawing."""
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        """A new theme redraws the charts in its colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.stamp is not None:
            self.stamp = None
            self.refresh()
