"""The "Present…" button the account screen and the call report share.

Its own module so its words sit with the e-detail screens' translations
(resources/translations/de/edetail_ui.ts), and a screen that offers it does not import
the presenter (QtPdf, maybe WebEngine) before a presentation is actually started.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from app.i18n import tr
from app.ui.icons import icon


def present_button(*, in_call: bool) -> QPushButton:
    """In a call report the capture fills that report; on an account a report follows."""
    button = QPushButton(icon("present"), tr("Present…"))
    button.setObjectName("presentButton")
    button.setToolTip(
        tr("Show an e-detail; what the doctor saw and answered fills this report")
        if in_call else tr("Show an e-detail to this doctor; a call report with what was "
                           "captured opens afterwards"))
    return button
