"""The status bar: who is signed in, what still waits for the server, whether work runs.

"Saved on this laptop" is the promise an offline app has to keep visible: a rep closing the
lid must know nothing is lost. The busy indicator appears only when work lasts (400 ms),
so quick reads never make the bar flicker.

Every figure is read from the store itself (the outbox, the conflicts, the refusals), never
counted from signals, so the bar cannot miss a write; and "All changes synced" is said only
when nothing waits and nothing the rep sent was refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStatusBar,
    QToolButton,
    QWidget,
)

from app.i18n import tr
from app.store import conflicts, refusals
from app.store.queries import CurrentUser, Pending, current_user, pending_changes
from app.sync import state
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations

BUSY_DELAY_MS = 400


@dataclass(frozen=True)
class Status:
    user: CurrentUser | None
    pending: Pending
    last_success: dt.datetime | None = None
    last_error: str | None = None
    conflicts: int = 0
    refused: int = 0


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def progress_text(phase: str, done: int, total: int | None) -> str:
    """What a running sync has done so far, in counts (or how long the server is silent)."""
    if phase == "waiting":
        return tr("Waiting for the server… {seconds} s", seconds=done)
    if total:
        return tr("Syncing… {done} of {total}", done=done, total=total)
    if done:
        return tr("Syncing… {done}", done=done)
    return tr("Syncing…")


def pending_text(pending: Pending, today: dt.date | None = None, *,
                 synced: bool = False, refused: int = 0) -> str:
    if not pending.count and refused:
        return fmt.count_text(refused, tr("Sent, but 1 change was refused"),
                              tr("Sent, but {count} changes were refused"))
    if not pending.count:
        return tr("All changes synced") if synced else tr("All changes saved on this laptop")
    text = fmt.count_text(pending.count, tr("1 change waiting to sync"),
                          tr("{count} changes waiting to sync"))
    if pending.oldest is None:
        return text
    oldest = fmt.local(pending.oldest)
    when = (fmt.time_text(pending.oldest) if oldest.date() == (today or dt.date.today())
            else fmt.datetime_text(pending.oldest))
    return tr("{changes} · oldest {when}", changes=text, when=when)


class IconLabel(QWidget):
    """A small icon and a text, as status bar items are."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel()
        self.text = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.setSpacing(8)
        layout.addWidget(self.icon)
        layout.addWidget(self.text)

    def set(self, icon_name: str, text: str) -> None:
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(16, 16)))
        self.text.setText(text)


class StatusPanel(QObject):
    """Fills `bar`; emits `user_loaded` when the signed-in user is known."""

    user_loaded = Signal(object)  # CurrentUser | None
    refreshed = Signal()
    #: The rep clicked "Cancel" beside a running sync's progress.
    cancel_requested = Signal()
    #: The rep clicked the conflicts count.
    conflicts_requested = Signal()
    #: The rep clicked "Sign in…" beside "Not signed in".
    sign_in_requested = Signal()
    #: The rep clicked the count of refused changes.
    refusals_requested = Signal()

    def __init__(self, ops: Operations, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._ops = ops
        self.user = IconLabel()
        self.pending = IconLabel()
        self.pending.setToolTip(tr("Changes are kept safely on this laptop and sent to the "
                                   "server at the next sync."))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(96)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(tr("Working"))
        self.busy.hide()
        bar.setSizeGripEnabled(False)
        bar.addWidget(self.user)
        # "Not signed in" was only words: one had to know F5 to be asked for a password.
        self.sign_in = QToolButton()
        self.sign_in.setText(tr("Sign in…"))
        self.sign_in.setAutoRaise(True)
        self.sign_in.setToolTip(tr("Sign in to the server to sync (F5)"))
        self.sign_in.clicked.connect(self.sign_in_requested)
        self.sign_in.hide()
        bar.addWidget(self.sign_in)
        # Messages (notifications, hints) go beside the user's name, not over it: a
        # QStatusBar message would hide every normal widget, the name included.
        self.message = QLabel()
        self.message.setObjectName("statusMessage")
        self.message.hide()
        self._message_timer = QTimer(self, singleShot=True)
        self._message_timer.timeout.connect(self.message.hide)
        bar.addWidget(self.message)
        self._syncing = False
        self.connection = IconLabel()
        self.connection.hide()
        self.last_sync = QLabel()
        self.last_sync.hide()
        self.error = QLabel()
        self.error.setWordWrap(False)
        self.error.hide()
        self.syncing = QLabel()
        self.syncing.hide()
        self.cancel = QToolButton()
        self.cancel.setText(tr("Cancel"))
        self.cancel.setToolTip(tr("Stop the sync after the current step; what was received "
                                  "so far is kept, nothing is half-applied."))
        self.cancel.clicked.connect(self.cancel_requested)
        self.cancel.hide()
        self.conflicts = QToolButton()
        self.conflicts.setIcon(icon("warning"))
        self.conflicts.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.conflicts.setAutoRaise(True)
        self.conflicts.setToolTip(tr("Values that lost against someone else's change: read "
                                     "them, reapply or dismiss them."))
        self.conflicts.clicked.connect(self.conflicts_requested)
        self.conflicts.hide()
        self.refused = QToolButton()
        self.refused.setIcon(icon("warning"))
        self.refused.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.refused.setAutoRaise(True)
        self.refused.setToolTip(tr("Changes the server did not take: read why and what you "
                                   "can do."))
        self.refused.clicked.connect(self.refusals_requested)
        self.refused.hide()
        bar.addWidget(self.error, 1)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.syncing)
        bar.addPermanentWidget(self.cancel)
        bar.addPermanentWidget(self.conflicts)
        bar.addPermanentWidget(self.refused)
        bar.addPermanentWidget(self.pending)
        bar.addPermanentWidget(self.last_sync)
        bar.addPermanentWidget(self.connection)
        self._delay = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._delay.timeout.connect(self.busy.show)
        ops.busy_changed.connect(self._busy)

    def _busy(self, busy: bool) -> None:
        if busy:
            self._delay.start()
        else:
            self._delay.stop()
            self.busy.hide()

    def refresh(self) -> None:
        """Re-read the user and the outbox (after a write; cheap: one indexed count)."""
        def read(session: Session) -> Status:
            conn = session.connection()
            return Status(current_user(conn), pending_changes(conn),
                          _parse_time(state.get(conn, state.LAST_SUCCESS)),
                          state.get(conn, state.LAST_ERROR), conflicts.open_count(conn),
                          refusals.open_count(conn))
        self._ops.read(read, self._show)

    def _show(self, status: Status) -> None:
        self.sign_in.setVisible(status.user is None)
        if status.user is None:
            self.user.set("user", tr("Not signed in"))
        else:
            self.user.set("user", tr("{name} · {role}", name=status.user.display_name,
                                     role=fmt.role_name(status.user.role)))
        self.pending.set("sync" if status.pending.count else
                         "warning" if status.refused else "saved",
                         pending_text(status.pending, synced=status.last_success is not None,
                                      refused=status.refused))
        if status.last_success is not None:
            self.last_sync.setText(tr("Last sync {time}",
                                      time=fmt.time_text(status.last_success)))
            self.last_sync.setToolTip(fmt.datetime_text(status.last_success))
            self.last_sync.show()
        self.show_error(status.last_error)
        self.conflicts.setText(fmt.count_text(status.conflicts, tr("1 conflict"),
                                              tr("{count} conflicts")))
        self.conflicts.setVisible(status.conflicts > 0)
        self.refused.setText(fmt.count_text(status.refused, tr("1 refused change"),
                                            tr("{count} refused changes")))
        self.refused.setVisible(status.refused > 0)
        self.user_loaded.emit(status.user)
        self.refreshed.emit()

    # -- the sync --------------------------------------------------------------------------

    def say(self, text: str, msecs: int) -> None:
        """Show `text` for `msecs` beside the user's name (which stays)."""
        self.message.setText(text)
        self.message.setToolTip(text)
        self.message.show()
        self._message_timer.start(msecs)

    def show_error(self, message: str | None) -> None:
        """The last sync error in words (None: no error); hidden while a new sync runs,
        whose own outcome replaces it."""
        self.error.setText(tr("Sync failed: {reason}", reason=message) if message else "")
        self.error.setToolTip(message or "")
        self.error.setVisible(bool(message) and not self._syncing)

    def set_online(self, online: bool) -> None:
        """Whether the last sync attempt reached the server."""
        self.connection.set("sync" if online else "warning",
                            tr("Online") if online else tr("Offline"))
        self.connection.setToolTip(tr("The last sync reached the server.") if online else
                                   tr("The last sync could not reach the server. Your "
                                      "changes stay on this laptop until the next sync."))
        self.connection.show()

    def sync_started(self) -> None:
        self._syncing = True
        self.error.hide()  # the last attempt's error is not this one's
        self.syncing.setText(progress_text("start", 0, None))
        self.syncing.show()
        self.cancel.setEnabled(True)
        self.cancel.show()

    def sync_cancelling(self) -> None:
        """Cancel was asked for: the sync stops at its next safe point."""
        self.cancel.setEnabled(False)
        self.syncing.setText(tr("Stopping the sync…"))

    def sync_progress(self, phase: str, done: int, total: object) -> None:
        if not self.cancel.isEnabled():
            return  # "Stopping the sync…" stays until it has stopped
        self.syncing.setText(progress_text(phase, done, total if isinstance(total, int)
                                           else None))
        self.syncing.show()

    def sync_ended(self) -> None:
        self._syncing = False
        self.syncing.hide()
        self.cancel.hide()
        self.refresh()
