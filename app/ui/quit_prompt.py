"""Quitting while changes wait for the server: how many, and that they are kept.

A rep who quits on a train must not fear for the calls logged since the last sync, nor
quit unaware that the office will not see them yet. The prompt says both and offers to
sync first; quitting keeps every change on this laptop for the next sync.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import tr
from app.ui import format as fmt


def waiting_text(count: int) -> str:
    changes = fmt.count_text(count, tr("1 change"), tr("{count} changes"))
    return tr("Not sent to the server yet: {changes}. They are kept on this laptop and sent "
              "with the next sync, also after Fieldrep is started again.", changes=changes)


class QuitPrompt(QMessageBox):
    """Quit, sync first, or stay; the window acts on the button pressed."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Question, tr("Quit Fieldrep?"), waiting_text(count),
                         QMessageBox.StandardButton.NoButton, parent)
        self.quit_button = self.addButton(tr("&Quit, keep them for later"),
                                          QMessageBox.ButtonRole.AcceptRole)
        self.sync_button = self.addButton(tr("&Sync now"), QMessageBox.ButtonRole.ActionRole)
        self.stay_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.quit_button)
        self.setEscapeButton(self.stay_button)
