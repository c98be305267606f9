"""Starting a presentation from the library, an account or a call report, and where its
capture goes afterwards.

From a call report the capture fills that report. From an account a new call report opens
with it (the visit is what the rep logs next). From the library the rep first says whom it
is shown to (app/ui/views/present_to.py): a doctor, then as from the account, or anonymous,
then a summary says what was recorded and that no call report follows.

Before a showing for a doctor whose consent to e-detail tracking was never asked, the rep
asks it (`TrackingQuestion`); the presenter then shows whose name the capture carries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.edetail import capture
from app.edetail.library import Availability, local_preview_text
from app.i18n import tr
from app.store.base import ConsentState
from app.ui.views.library.view import Shelf, read_shelf
from app.ui.views.present_to import Tracking, TrackingQuestion, read_tracking, recording_text
from app.ui.views.presenter.presentation import Presenter

if TYPE_CHECKING:
    from app.edetail.summary import CallFragment
    from app.ui.operations import Operations
    from app.ui.views.call_report.view import CallReportView

ID_ROLE = Qt.ItemDataRole.UserRole


class PresentationPicker(QDialog):
    """Which deck to show: only content that may be presented today is offered."""

    chosen = Signal(str, int)  # presentation id, index of the doctor's screen
    loaded = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Present an e-detail"))
        self.setMinimumSize(520, 420)
        self.list = QListWidget()
        self.list.setIconSize(QSize(96, 54))
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.hint = QLabel(tr("Loading the library…"))
        self.hint.setProperty("muted", True)
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(tr("Present"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.screen_choice = QComboBox()
        screens = QGuiApplication.screens()
        for n, screen in enumerate(screens, start=1):
            size = screen.size()
            self.screen_choice.addItem(tr("Screen {n}: {name} ({width} × {height})", n=n,
                                          name=screen.name() or "—", width=size.width(),
                                          height=size.height()))
        self.screen_choice.setCurrentIndex(max(len(screens) - 1, 0))
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        if len(screens) > 1:  # with one screen there is nothing to choose
            row = QHBoxLayout()
            label = QLabel(tr("The doctor's screen:"))
            label.setBuddy(self.screen_choice)
            row.addWidget(label)
            row.addWidget(self.screen_choice, 1)
            layout.addLayout(row)
        layout.addWidget(buttons)
        today = dt.date.today()
        ops.read(lambda s: read_shelf(s, ops, today), self._show)

    def _show(self, shelf: Shelf) -> None:
        for item in shelf.items:
            if item.availability != Availability.PRESENTABLE:
                continue
            cover = QPixmap()
            data = shelf.covers.get(item.cover_sha256 or "")
            if data is not None:
                cover.loadFromData(data)
            row = QListWidgetItem(QIcon(cover), f"{item.title}\n{item.product_name} · "
                                  + tr("{count} slides", count=item.slides))
            if item.local_preview:  # imported here: its capture stays on this laptop
                row.setText(row.text() + " · " + tr("Local preview"))
                row.setToolTip(local_preview_text(item.title))
            row.setData(ID_ROLE, item.presentation_id)
            self.list.addItem(row)
        has_any = self.list.count() > 0
        self.hint.setText(tr("Choose what to show; the doctor sees only the slides.")
                          if has_any else tr("No presentation may be shown today. The "
                                             "library lists what is on this laptop."))
        if has_any:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        self.ok.setEnabled(has_any)
        self.loaded.emit()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(item.data(ID_ROLE), self.screen_choice.currentIndex())
        super().accept()


class PresentationLauncher(QObject):
    """Runs at most one presentation at a time and routes its capture."""

    started = Signal(object)  # the Presenter
    report_wanted = Signal(str, object)  # account id, CallFragment: open a report with it

    def __init__(self, ops: Operations, window: QWidget) -> None:
        super().__init__(window)
        self._ops = ops
        self._window = window
        self.presenter: Presenter | None = None
        self.picker: PresentationPicker | None = None
        self.question: TrackingQuestion | None = None  # the last consent question asked
        self.summary: QMessageBox | None = None  # the last anonymous showing's summary
        db = ops.db
        # A crash or a flat battery mid-presentation left its session open: close it at the
        # last moment captured, so it can be summed up like any other (capture.recover).
        ops.write(lambda _s: capture.recover(db))

    def choose(self, account_id: str | None, user_id: str | None,
               report: CallReportView | None = None) -> PresentationPicker:
        """Let the rep pick a deck, then present it for this account (and report)."""
        picker = PresentationPicker(self._ops, self._window)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.chosen.connect(lambda pid, screen: self.present_to(
            pid, account_id=account_id, user_id=user_id, report=report, doctor_screen=screen))
        self.picker = picker
        picker.open()
        return picker

    def present_to(self, presentation_id: str, *, account_id: str | None,
                   user_id: str | None, report: CallReportView | None = None,
                   doctor_screen: int | None = None) -> None:
        """Present for `account_id` (None: anonymously) once it is known how the capture
        may be recorded; a tracking consent never asked is asked first."""
        def start(name: str | None, tracked: bool) -> None:
            self.present(presentation_id, account_id=account_id, user_id=user_id,
                         report=report, doctor_screen=doctor_screen,
                         recording=recording_text(name, tracked))

        if account_id is None:
            start(None, False)
            return
        doctor = account_id

        def known(tracking: Tracking) -> None:
            if tracking.state is not None:
                start(tracking.name, tracking.state == ConsentState.GRANTED)
                return
            question = TrackingQuestion(self._ops, user_id, doctor, tracking.name,
                                        self._window)
            question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            question.answered.connect(lambda tracked: start(tracking.name, tracked))
            self.question = question
            question.open()

        self._ops.read(lambda session: read_tracking(session, doctor), known)

    def present(self, presentation_id: str, *, account_id: str | None = None,
                user_id: str | None = None, report: CallReportView | None = None,
                preview: bool = False, doctor_screen: int | None = None,
                recording: str | None = None,
                clock: Callable[[], dt.datetime] | None = None) -> Presenter | None:
        if self.presenter is not None:  # one showing at a time: bring it back instead
            if self.presenter.audience is not None:
                self.presenter.audience.activateWindow()
            return None
        options = {} if clock is None else {"clock": clock}
        presenter = Presenter(self._ops, presentation_id, account_id=account_id,
                              user_id=user_id,
                              interaction_id=report.call_id if report is not None else None,
                              preview=preview, doctor_screen=doctor_screen,
                              recording=recording, parent=self,
                              **options)  # type: ignore[arg-type]
        presenter.failed.connect(self._failed)
        presenter.finished.connect(
            lambda fragment: self._finished(presenter, fragment, account_id, report))
        self.presenter = presenter
        self.started.emit(presenter)
        return presenter

    def _failed(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Cannot present"), message,
                          QMessageBox.StandardButton.Ok, self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _finished(self, presenter: Presenter, fragment: CallFragment | None,
                  account_id: str | None, report: CallReportView | None) -> None:
        self.presenter = None
        presenter.deleteLater()
        if fragment is None:
            return
        if report is not None and shiboken6.isValid(report):
            report.take_presentation(fragment)
        elif account_id is not None:
            self.report_wanted.emit(account_id, fragment)
        else:
            self._summarise_anonymous(fragment)

    def _summarise_anonymous(self, fragment: CallFragment) -> None:
        """A showing for no doctor: say what was recorded, and that no report follows."""
        box = QMessageBox(QMessageBox.Icon.Information, tr("Presentation ended"),
                          tr("“{title}” was shown anonymously; {count} slides were seen. "
                             "Nothing is tied to a doctor, so no call report follows. To log "
                             "a visit, open the doctor and present from there.",
                             title=fragment.presentation_title, count=len(fragment.slides)),
                          QMessageBox.StandardButton.Ok, self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summary = box
        box.open()
