"""Telling the user about medical inquiries that changed with a sync: in the window (the
status bar, and `shown` for the views) and on the desktop through the system tray where the
platform has one (QSystemTrayIcon; offscreen and many Linux desktops have none)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from app.i18n import tr
from app.services.escalations import Notice, status_text
from app.ui.icons import app_icon

SHOWN_MS = 15_000


def notice_text(notices: list[Notice], role: str | None) -> tuple[str, str]:
    """(title, text) for a list of notices."""
    if role == "msl":
        title = tr("New medical inquiries: {n}", n=len(notices))
    else:
        title = tr("Medical inquiries changed: {n}", n=len(notices))
    lines = [tr("{account}: {status}", account=n.account_name, status=status_text(n.status))
             for n in notices[:5]]
    return title, "\n".join(lines)


class Notifier(QObject):
    shown = Signal(str, str)  # title, text

    def __init__(self, say: Callable[[str, int], None], parent: QObject | None = None) -> None:
        """`say(text, msecs)` shows a line in the window (the status panel's, beside the
        user's name)."""
        super().__init__(parent)
        self._say = say
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("Fieldrep")
            self.tray.show()

    def notify(self, notices: list[Notice], role: str | None) -> None:
        if not notices:
            return
        title, text = notice_text(notices, role)
        self._say(f"{title} — {text.replace(chr(10), '; ')}", SHOWN_MS)
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information,
                                  SHOWN_MS)
        self.shown.emit(title, text)
