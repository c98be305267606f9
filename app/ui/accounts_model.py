"""The accounts list as a table model that stays instant at 50,000 rows.

The model holds only the pages read so far (200 rows each) and whether more exist; sorting
and filtering happen in SQL (an index answers them in milliseconds), never in a proxy model,
which needs seconds at this size (docs/platform.md). The first page of every query is read off the
GUI thread by the view; later pages are read here, synchronously, in fetchMore(): one
indexed page costs well under a millisecond, and Qt asks for it from inside scrolling, where
the rows must exist when fetchMore() returns (data() is synchronous). An asynchronous fetch
would leave the scroll bar stuck at the end of the loaded rows until the answer came.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.i18n import tr
from app.store.queries import AccountRow
from app.ui import format as fmt
from app.ui.icons import icon

PAGE_SIZE = 200
#: Column -> sort key of queries.SORT_COLUMNS, in display order.
COLUMNS = ("name", "specialty", "city", "postcode", "segment", "last_contact", "external_id")
AnyIndex = QModelIndex | QPersistentModelIndex


def _header(key: str) -> str:
    headers = {
        "name": tr("Name"),
        "specialty": tr("Specialty"),
        "city": tr("City"),
        "postcode": tr("Postcode"),
        "segment": tr("Segment"),
        "last_contact": tr("Last contact"),
        "external_id": tr("LANR / BSNR"),
    }
    return headers[key]


class AccountsModel(QAbstractTableModel):
    """Rows of one query; `fetch_page(offset)` reads the next page of that same query."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AccountRow] = []
        self._more = False
        self._page_size = 0
        self._fetch_page: Callable[[int], Sequence[AccountRow]] | None = None

    def reset(self, rows: Sequence[AccountRow], page_size: int,
              fetch_page: Callable[[int], Sequence[AccountRow]]) -> None:
        """Show the first page of a new query (search, filter or sort).

        More pages exist while pages come back full.
        """
        self.beginResetModel()
        self._rows = list(rows)
        self._page_size = page_size
        self._more = len(rows) >= page_size
        self._fetch_page = fetch_page
        self.endResetModel()

    def account_id(self, row: int) -> str:
        return self._rows[row].id

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "name":
            return icon("hospital" if row.kind == "hco" else "doctor")
        if role == Qt.ItemDataRole.ToolTipRole and column == "name":
            return row.name
        return None

    @staticmethod
    def _text(row: AccountRow, column: str) -> str:
        if column == "name":
            return row.name
        if column == "specialty":
            return row.specialty or ""
        if column == "city":
            return row.city or ""
        if column == "postcode":
            return row.postcode or ""
        if column == "segment":
            return row.segment or ""
        if column == "external_id":
            return row.matched_id or ""
        return fmt.date_text(row.last_contact_at)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header(COLUMNS[section])
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetch_page is None:
            return
        rows = self._fetch_page(len(self._rows))
        self._more = len(rows) >= self._page_size
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
