"""The presenter's two faces: what the doctor sees, and the rep's console.

On one screen the doctor's window also carries the rep's controls as a discreet overlay
along its bottom edge (H hides it). With a second screen the doctor's window shows only
the slide and the rep gets a console with the controls, the current and the next slide.
Both windows hand every key to the presenter, so the shortcuts work on either screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui.views.presenter.controls import ControlPanel
from app.ui.widgets.slide_view import SlideRenderer, SlideView

KeyHandler = Callable[[QKeyEvent], bool]
OVERLAY_MAX_WIDTH = 1100


class _KeyWindow(QWidget):
    """A top-level window whose keys and closing go to the presenter."""

    def __init__(self, keys: KeyHandler, on_close: Callable[[], None]) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self._keys = keys
        self.on_close = on_close
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._keys(event):
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.on_close()  # closing the window by hand ends the presentation, captured
        super().closeEvent(event)


def end_on_escape(window: QWidget, end: Callable[[], None]) -> QShortcut:
    """Esc anywhere in `window` ends the presentation.

    An HTML slide's web view keeps the keys it has focus for (WebEngine hands them to the
    page), so the window's own key handling never sees Esc then; a window shortcut does.
    """
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(end)
    return shortcut


class AudienceWindow(_KeyWindow):
    """The doctor's screen: the slide on black; on one screen, the overlay above it."""

    def __init__(self, renderer: SlideRenderer, keys: KeyHandler,
                 on_close: Callable[[], None]) -> None:
        super().__init__(keys, on_close)
        self.setObjectName("audienceWindow")
        self.setWindowTitle(tr("Presentation"))
        self.slide = SlideView(renderer)
        self.stage = QStackedLayout(self)
        self.stage.setContentsMargins(0, 0, 0, 0)
        self.stage.addWidget(self.slide)
        self.overlay: ControlPanel | None = None

    def set_overlay(self, panel: ControlPanel) -> None:
        """Lay the controls over the slide's bottom edge (a child, drawn above it)."""
        self.overlay = panel
        panel.setParent(self)
        panel.show()
        panel.raise_()
        self._place_overlay()

    def set_stage(self, widget: QWidget) -> None:
        """Show `widget` (the slide view or an HTML view) as the slide."""
        if self.stage.indexOf(widget) < 0:
            self.stage.addWidget(widget)
        self.stage.setCurrentWidget(widget)
        if self.overlay is not None:
            self.overlay.raise_()

    def _place_overlay(self) -> None:
        if self.overlay is None:
            return
        height = self.overlay.sizeHint().height()
        margin = 16
        width = min(self.width() - 2 * margin, OVERLAY_MAX_WIDTH)
        self.overlay.setGeometry((self.width() - width) // 2, self.height() - height - margin,
                                 width, height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlay()

    def relayout(self) -> None:
        self._place_overlay()


class ConsoleWindow(_KeyWindow):
    """The rep's screen with two screens: current and next slide, notes, controls."""

    def __init__(self, renderer: SlideRenderer, panel: ControlPanel, keys: KeyHandler,
                 on_close: Callable[[], None]) -> None:
        super().__init__(keys, on_close)
        self.setObjectName("presenterConsole")
        self.setWindowTitle(tr("Presenter console"))
        self.current = SlideView(renderer, backdrop=None)
        self.following = SlideView(renderer, backdrop=None)
        self.notes = QLabel()
        self.notes.setObjectName("presenterNotes")
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        now_label, next_label = QLabel(tr("On the doctor's screen")), QLabel(tr("Next"))
        for label in (now_label, next_label):
            label.setProperty("muted", True)
        left = QVBoxLayout()
        left.addWidget(now_label)
        left.addWidget(self.current, 1)
        right = QVBoxLayout()
        right.addWidget(next_label)
        right.addWidget(self.following, 1)
        right.addWidget(self.notes, 1)
        slides = QHBoxLayout()
        slides.setSpacing(16)
        slides.addLayout(left, 3)
        slides.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(slides, 1)
        layout.addWidget(panel)
        self.panel = panel
