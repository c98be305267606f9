"""Call reports as pages of the main window: open, return to the account, never lose a draft.

A report is shown as a page of the window's stack with a "back" bar above it. Leaving it in
any way (the back button, another page, closing the window) goes through the report's own
close_report(), which saves pending edits before it emits `closed`. The report module is
imported when the first report opens: it is not needed to paint the first window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.i18n import tr
from app.ui.icons import icon
from app.ui.operations import Operations

if TYPE_CHECKING:
    from app.ui.views.call_report.view import CallReportView


class ReportPage(QWidget):
    """One open report with the way back to its account."""

    def __init__(self, report: CallReportView, account_id: str, call_id: str | None) -> None:
        super().__init__()
        self.report = report
        self.account_id = account_id
        self.call_id = call_id
        self.back = QPushButton(icon("back"), tr("Back to the account"))
        self.back.setObjectName("backButton")
        self.back.setToolTip(tr("Save and go back to the account (Alt+Left)"))
        self.back.clicked.connect(report.close_report)
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 16, 24, 0)
        bar.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        bar.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(report, 1)


class ReportHost(QObject):
    """Opens reports in `stack`; tells when one is done and when one wrote to the store."""

    #: A report was closed or submitted: its account id, and whether it was on screen (only
    #: then does the window go back to the account; a report closed in the background must
    #: not pull the rep away from where they went).
    finished = Signal(str, bool)
    changed = Signal()  # a report saved or submitted something

    def __init__(self, ops: Operations, stack: QStackedWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._stack = stack
        self._pages: list[ReportPage] = []

    @property
    def pages(self) -> list[ReportPage]:
        return list(self._pages)

    def current(self) -> ReportPage | None:
        page = self._stack.currentWidget()
        return page if isinstance(page, ReportPage) else None

    def open(self, user_id: str | None, account_id: str,
             call_id: str | None = None) -> ReportPage:
        """Show the report for `call_id` (a new call when None), closing any other first."""
        from app.ui.views.call_report.view import CallReportView

        for page in self._pages:
            if call_id is not None and page.call_id == call_id:
                self._stack.setCurrentWidget(page)
                return page
        self.close_all()
        report = CallReportView(self._ops, user_id, account_id, call_id)
        page = ReportPage(report, account_id, call_id)
        report.saved.connect(self._saved(page))
        report.submitted.connect(lambda _call_id: self._done(page, submitted=True))
        report.closed.connect(lambda: self._done(page, submitted=False))
        self._pages.append(page)
        self._stack.addWidget(page)
        self._stack.setCurrentWidget(page)
        report.setFocus(Qt.FocusReason.OtherFocusReason)
        return page

    def _saved(self, page: ReportPage) -> Callable[[str], None]:
        def remember(call_id: str) -> None:
            page.call_id = call_id  # a new report's draft has its id after the first save
            self.changed.emit()
        return remember

    def close_all(self) -> None:
        """Ask every open report to save and close (each emits `closed` when it is done)."""
        for page in list(self._pages):
            page.report.close_report()

    def _done(self, page: ReportPage, *, submitted: bool) -> None:
        if submitted:
            self.changed.emit()
        if page not in self._pages:
            return  # submitted and then closed: already handled
        was_current = self._stack.currentWidget() is page
        self._pages.remove(page)
        self._stack.removeWidget(page)
        page.deleteLater()
        self.finished.emit(page.account_id, was_current)
