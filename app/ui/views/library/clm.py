"""The import dialog for CLM content (key messages made for other CLM players).

Such content says nothing about itself, so the rep (or the content admin on a laptop)
gives what a manifest would: title, id, version, product and validity window, and the
order of the key messages. The order starts as the folder's ordering file has it (else
natural name order); key messages can be dragged, moved with the buttons, or left out.
Importing itself is `app.edetail.clm.import_clm`, with every check of a package.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.content_format.clm import ClmInfo, OrderEntry
from app.i18n import tr
from app.ui.parts import muted, section_title

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100] or "clm"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ClmImportDialog(QDialog):
    """Asks for a CLM import's facts and order; `values()` after it was accepted."""

    def __init__(self, source: Path, entries: list[OrderEntry], unlisted: list[str],
                 products: list[tuple[str, str]], parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import CLM content"))
        today = today or dt.date.today()
        name = source.stem if source.is_file() else source.name
        pretty = re.sub(r"[_-]+", " ", name).strip() or name
        self.title = QLineEdit(pretty)
        self.title.setAccessibleName(tr("Title"))
        self.code = QLineEdit(_slug(name))
        self.code.setAccessibleName(tr("Content id"))
        self.version = QLineEdit("1")
        self.version.setAccessibleName(tr("Version"))
        self.product = QComboBox()
        self.product.setAccessibleName(tr("Product"))
        for product_id, product_name in products:
            self.product.addItem(product_name, product_id)
        self.valid_from = QDateEdit(_qdate(today))
        self.valid_until = QDateEdit(_qdate(today + dt.timedelta(days=365)))
        for edit in (self.valid_from, self.valid_until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(tr("d MMM yyyy"))
        self.valid_from.setAccessibleName(tr("Valid from"))
        self.valid_until.setAccessibleName(tr("Valid until"))

        self.order = QListWidget()
        self.order.setObjectName("clmOrder")
        self.order.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.order.setAccessibleName(tr("Key messages in presentation order"))
        for entry in entries:
            self._add(entry, checked=True)
        for extra in unlisted:
            self._add(OrderEntry(extra), checked=False)
        if self.order.count():
            self.order.setCurrentRow(0)
        self.up = QPushButton(tr("Move up"))
        self.down = QPushButton(tr("Move down"))
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))

        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(tr("Import"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(tr("Title"), self.title)
        form.addRow(tr("Content id"), self.code)
        form.addRow(tr("Version"), self.version)
        form.addRow(tr("Product"), self.product)
        form.addRow(tr("Valid from"), self.valid_from)
        form.addRow(tr("Valid until"), self.valid_until)
        moves = QHBoxLayout()
        moves.addWidget(self.up)
        moves.addWidget(self.down)
        moves.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.addWidget(section_title(tr("Import CLM content")))
        layout.addWidget(muted(tr("“{name}” has no manifest: say what it is, and in which "
                                  "order its key messages are shown.", name=source.name),
                               wrap=True))
        layout.addLayout(form)
        layout.addWidget(muted(tr("Key messages (ticked ones are imported, top to bottom):")))
        layout.addWidget(self.order, 1)
        layout.addLayout(moves)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 620)

    def _add(self, entry: OrderEntry, *, checked: bool) -> None:
        label = entry.name if not entry.title else f"{entry.name} – {entry.title}"
        item = QListWidgetItem(label)
        item.setData(ENTRY_ROLE, entry)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsDragEnabled)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.order.addItem(item)

    def move_selected(self, step: int) -> None:
        """Move the selected key message up (-1) or down (+1)."""
        row = self.order.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.order.count():
            return
        item = self.order.takeItem(row)
        self.order.insertItem(target, item)
        self.order.setCurrentRow(target)

    def chosen(self) -> list[OrderEntry]:
        """The ticked key messages, top to bottom."""
        out = []
        for row in range(self.order.count()):
            item = self.order.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(ENTRY_ROLE))
        return out

    def problem(self) -> str | None:
        if not self.title.text().strip():
            return tr("Give the presentation a title.")
        if not self.code.text().strip() or not self.version.text().strip():
            return tr("Give the content an id and a version.")
        if self.product.currentData() is None:
            return tr("Choose the product the content is for.")
        if self.valid_until.date() < self.valid_from.date():
            return tr("The validity ends before it begins.")
        if not self.chosen():
            return tr("Tick at least one key message.")
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            return
        super().accept()

    def values(self) -> tuple[ClmInfo, list[OrderEntry]]:
        info = ClmInfo(id=self.code.text().strip(), version=self.version.text().strip(),
                       title=self.title.text().strip(),
                       product=str(self.product.currentData()),
                       valid_from=_date(self.valid_from.date()),
                       valid_until=_date(self.valid_until.date()))
        return info, self.chosen()
