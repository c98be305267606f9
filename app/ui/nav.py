"""The navigation rail on the left: big targets with icon and text, one checked at a time."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QButtonGroup, QFrame, QToolButton, QVBoxLayout, QWidget

from app.ui.icons import icon


class NavRail(QFrame):
    """Emits `selected(key)` when the rep picks a destination."""

    selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navRail")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QToolButton] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 16, 8, 16)
        self._layout.setSpacing(8)
        self._layout.addStretch()

    def _button(self, icon_name: str, text: str, tooltip: str, *,
                checkable: bool) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(icon_name, checked_role=QPalette.ColorRole.HighlightedText))
        button.setIconSize(QSize(24, 24))
        button.setText(text)
        button.setToolTip(tooltip)
        button.setAccessibleName(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setCheckable(checkable)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def add(self, key: str, icon_name: str, text: str, tooltip: str) -> QToolButton:
        """A destination, above the stretch (in the order added)."""
        button = self._button(icon_name, text, tooltip, checkable=True)
        self._group.addButton(button)
        button.clicked.connect(lambda: self.selected.emit(key))
        self._layout.insertWidget(len(self._buttons), button)
        self._buttons[key] = button
        return button

    def add_bottom(self, icon_name: str, text: str, tooltip: str) -> QToolButton:
        """An action at the bottom of the rail (e.g. settings): not a destination."""
        button = self._button(icon_name, text, tooltip, checkable=False)
        self._layout.addWidget(button)
        return button

    def fit_width(self) -> None:
        """As wide as the longest label (German ones are long), never narrower than 88 px."""
        buttons = self.findChildren(QToolButton)
        text = max((b.fontMetrics().horizontalAdvance(b.text()) for b in buttons), default=0)
        margins = self._layout.contentsMargins()
        self.setFixedWidth(max(88, text + 24 + margins.left() + margins.right()))

    def set_current(self, key: str) -> None:
        self._buttons[key].setChecked(True)

    def current(self) -> str | None:
        checked = self._group.checkedButton()
        return next((k for k, b in self._buttons.items() if b is checked), None)
