"""New opinion leaders on Today, below the suggested doctors: whom the network says matters
and nobody has called for half a year, each with its reasons in words; Enter or a double
click opens the doctor.

On Today because it is what a rep opens first, beside the prioritised list it extends. Read
from the local store (app/store/opinion_leaders.py) off the GUI thread, and read again only
when the accounts, the affiliations or the calls changed (its data stamp).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.store.opinion_leaders import OpinionLeader, data_stamp, opinion_leaders
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.parts import muted, section_title

Stamp = tuple[object, ...]
ID_ROLE = Qt.ItemDataRole.UserRole
#: Colleagues worth naming as a reason (fewer say little about reach).
COLLEAGUES_SAID = 5


def reasons(leader: OpinionLeader) -> list[str]:
    """Why the doctor stands out, in words, the strongest first."""
    said = [tr("{role} at {institution}", role=role, institution=institution)
            for role, institution in leader.leading_roles]
    if leader.affiliations >= 2:
        said.append(fmt.count_text(leader.affiliations, tr("1 affiliation"),
                                   tr("{count} affiliations")))
    if leader.events:
        said.append(fmt.count_text(leader.events, tr("attended 1 event"),
                                   tr("attended {count} events")))
    if leader.colleagues >= COLLEAGUES_SAID:
        said.append(tr("{count} colleagues at the same institutions",
                       count=fmt.number_text(float(leader.colleagues), 0)))
    said.append(tr("last call {date}", date=fmt.date_text(
        fmt.local(leader.last_contact_at).date())) if leader.last_contact_at
        else tr("never called"))
    return said


class OpinionLeadersCard(QWidget):
    account_opened = Signal(str)
    loaded = Signal()  # after a refresh, read again or not

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.stamp: Stamp | None = None
        self.reads = 0
        self.title = section_title(tr("New opinion leaders"))
        self.status = muted(wrap=True)
        self.list = QTreeWidget()
        self.list.setAccessibleName(self.title.text())
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels([tr("Doctor"), tr("Why")])
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemActivated.connect(
            lambda item, _column: self.account_opened.emit(str(item.data(0, ID_ROLE))))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.list)

    def refresh(self) -> None:
        drawn, today = self.stamp, dt.date.today()

        def read(session: Session) -> tuple[Stamp, list[OpinionLeader] | None]:
            conn = session.connection()
            stamp = data_stamp(conn)
            return stamp, None if stamp == drawn else opinion_leaders(conn, today)

        self._ops.read(read, self._show, self._failed)

    def _show(self, answer: tuple[Stamp, list[OpinionLeader] | None]) -> None:
        stamp, leaders = answer
        if leaders is not None:
            self.stamp = stamp
            self.reads += 1
            self.list.clear()
            for leader in leaders:
                why = reasons(leader)
                item = QTreeWidgetItem([leader.name, " · ".join(why)])
                item.setIcon(0, icon("doctor"))
                item.setToolTip(1, "\n".join(why))
                item.setData(0, ID_ROLE, leader.account_id)
                self.list.addTopLevelItem(item)
            self.list.setVisible(bool(leaders))
            rows = self.list.sizeHintForRow(0) if leaders else 0
            self.list.setMaximumHeight(self.list.header().sizeHint().height()
                                       + rows * max(len(leaders), 1)
                                       + 2 * self.list.frameWidth() + 2)
            self.status.setText(
                tr("Doctors the affiliation network ranks high whom nobody called in six "
                   "months. Press Enter to open one.") if leaders
                else tr("No new opinion leaders: every doctor of high standing was called "
                        "in the last six months."))
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(tr("The opinion leaders could not be read: {reason}",
                               reason=describe(error)))
        self.loaded.emit()
