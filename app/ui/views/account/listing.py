"""The accounts list: search as you type, filter, sort, open with Enter.

Every keystroke (after a 120 ms pause) runs one query for the first page and the count, off
the GUI thread. Queries are numbered: an answer to an older query that arrives after a newer
one was started is dropped, so fast typing never flashes stale rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.store.queries import (
    AccountFilter,
    AccountRow,
    FilterOptions,
    count_accounts,
    filter_options,
    search_accounts,
)
from app.ui import format as fmt
from app.ui.accounts_model import COLUMNS, PAGE_SIZE, AccountsModel
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.parts import EmptyState, page_title

DEBOUNCE_MS = 120


@dataclass(frozen=True)
class Query:
    filter: AccountFilter = field(default_factory=AccountFilter)
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class FirstPage:
    rows: list[AccountRow]
    total: int
    options: FilterOptions | None  # read once, with the first query


class AccountsView(QWidget):
    """Emits `account_opened(id)`; `page_loaded` after each first page is shown."""

    account_opened = Signal(str)
    page_loaded = Signal()

    def __init__(self, ops: Operations, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._language = language
        self._query = Query()
        self._generation = 0
        self._loaded_once = False
        #: Filter values asked for before the filter lists were loaded (`show_filtered`).
        self._wanted: dict[str, str | None] = {}
        self._stale = True
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)

        self.search = QLineEdit(placeholderText=tr("Search name, city, specialty or LANR…"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(tr("Search accounts"))
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.installEventFilter(self)
        self.specialty = self._combo(tr("All specialties"), tr("Filter by specialty"))
        self.segment = self._combo(tr("All segments"), tr("Filter by segment"))
        self.city = self._combo(tr("All cities"), tr("Filter by city"))
        # Shown when the laptop holds more than one territory (a manager's: the team's).
        self.territory = self._combo(tr("All territories"), tr("Filter by territory"))
        self.territory.hide()
        self.count_label = QLabel()
        self.count_label.setProperty("muted", True)

        self.model = AccountsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.setAccessibleName(tr("Accounts"))
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 16)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().averageCharWidth()
        # Wide enough for the longest header ("Letzter Kontakt") plus the sort arrow.
        for column, chars in ((1, 22), (2, 18), (3, 10), (4, 10), (5, 17), (6, 13)):
            self.table.setColumnWidth(column, chars * char + 24)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.activated.connect(lambda index: self._open(index.row()))

        self.empty = EmptyState("search")
        self.empty.action.setText(tr("Clear search and filters"))
        self.empty.action.clicked.connect(self.clear_filters)
        self.results = QStackedWidget()
        self.results.addWidget(self.table)
        self.results.addWidget(self.empty)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.specialty, 2)
        filters.addWidget(self.segment, 1)
        filters.addWidget(self.city, 2)
        filters.addWidget(self.territory, 2)
        title_row = QHBoxLayout()
        title_row.addWidget(page_title(tr("Accounts")))
        title_row.addStretch()
        title_row.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(title_row)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        self.setTabOrder(self.search, self.specialty)
        self.setTabOrder(self.specialty, self.segment)
        self.setTabOrder(self.segment, self.city)
        self.setTabOrder(self.city, self.territory)
        self.setTabOrder(self.territory, self.table)

    def _combo(self, everything: str, name: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, None)
        combo.setAccessibleName(name)
        combo.setMaxVisibleItems(20)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        combo.currentIndexChanged.connect(lambda _index: self.reload())
        return combo

    # -- queries ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Load when first shown (the app starts on Today), and after data changed."""
        super().showEvent(event)
        if self._stale:
            self.reload()

    def mark_stale(self) -> None:
        """Accounts changed (e.g. a call moved 'last contact'): re-query when next shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def current_query(self) -> Query:
        flt = AccountFilter(text=self.search.text(),
                            specialty_id=self._wanted.get("specialty",
                                                          self.specialty.currentData()),
                            segment=self.segment.currentData(),
                            city=self._wanted.get("city", self.city.currentData()),
                            territory_id=self._wanted.get("territory",
                                                          self.territory.currentData()))
        return replace(self._query, filter=flt)

    def reload(self) -> None:
        """Run the current search now (the debounce timer ends here too)."""
        self._debounce.stop()
        self._stale = False
        query = self.current_query()
        self._generation += 1
        generation = self._generation
        lang = self._language
        want_options = not self._loaded_once

        def first_page(session: Session) -> FirstPage:
            conn = session.connection()
            return FirstPage(
                search_accounts(conn, query.filter, sort=query.sort,
                                descending=query.descending, limit=PAGE_SIZE, lang=lang),
                count_accounts(conn, query.filter),
                filter_options(conn, lang) if want_options else None,
            )

        self._ops.read(first_page, lambda page: self._show(generation, query, page),
                       self._failed)

    def _page_reader(self, query: Query) -> Callable[[int], Sequence[AccountRow]]:
        """Reads later pages of `query` synchronously (see accounts_model for why)."""
        db, lang = self._ops.db, self._language

        def fetch(offset: int) -> Sequence[AccountRow]:
            with db.read() as session:
                return search_accounts(session.connection(), query.filter, sort=query.sort,
                                       descending=query.descending, offset=offset,
                                       limit=PAGE_SIZE, lang=lang)
        return fetch

    def _show(self, generation: int, query: Query, page: FirstPage) -> None:
        if generation != self._generation:
            return  # a newer query is on its way; its answer replaces this one
        if page.options is not None:
            self._fill_options(page.options)
        self._loaded_once = True
        if self._wanted:
            self._select_wanted()
        self._query = query
        had_focus = self.table.hasFocus()
        self.model.reset(page.rows, PAGE_SIZE, self._page_reader(query))
        # A search by number shows the LANR or BSNR it matched; any other, no such column.
        self.table.setColumnHidden(COLUMNS.index("external_id"),
                                   not any(row.matched_id for row in page.rows))
        if page.rows and had_focus:
            self.table.selectRow(0)
        self.count_label.setText(fmt.count_text(page.total, tr("1 account"),
                                                tr("{count} accounts")))
        if page.total:
            self.results.setCurrentWidget(self.table)
        else:
            self._show_empty(query.filter)
        self.page_loaded.emit()

    def _show_empty(self, flt: AccountFilter) -> None:
        typed = flt.text.strip()
        filtered = bool(flt.specialty_id or flt.segment or flt.city or flt.territory_id)
        if typed:
            self.empty.set_text(tr("No account matches “{typed}”.", typed=typed),
                                tr("Check the spelling or clear the filters."))
        elif filtered:
            self.empty.set_text(tr("No account matches these filters."),
                                tr("Clear the filters to see all accounts."))
        else:
            self.empty.set_text(tr("No accounts on this laptop yet."),
                                tr("Your accounts arrive with the first sync from the "
                                   "server."))
        self.empty.action.setVisible(bool(typed or filtered))
        self.results.setCurrentWidget(self.empty)

    def _failed(self, error: BaseException) -> None:
        self.empty.set_text(tr("The accounts could not be read."), describe(error))
        self.empty.action.setVisible(False)
        self.results.setCurrentWidget(self.empty)

    def _fill_options(self, options: FilterOptions) -> None:
        for combo, items in (
            (self.specialty, options.specialties),
            (self.segment, [(s, tr("Segment {segment}", segment=s)) for s in options.segments]),
            (self.city, [(c, c) for c in options.cities]),
            (self.territory, options.territories),
        ):
            combo.blockSignals(True)
            for value, label in items:
                combo.addItem(label, value)
            combo.blockSignals(False)
        self.territory.setVisible(len(options.territories) > 1)

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self._query = replace(self._query, sort=COLUMNS[column],
                              descending=order == Qt.SortOrder.DescendingOrder)
        self.reload()

    # -- actions ---------------------------------------------------------------------------

    def clear_filters(self) -> None:
        for combo in (self.specialty, self.segment, self.city, self.territory):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.reload()
        self.search.setFocus()

    def show_filtered(self, *, city: str | None = None, specialty_id: str | None = None,
                      territory_id: str | None = None) -> None:
        """The accounts of one city, specialty (from a chart) or territory (a manager's
        drill-down to a rep), other filters cleared. Before the filter lists are first
        loaded, the wanted values wait in `_wanted`."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._wanted = {"specialty": specialty_id, "city": city, "territory": territory_id}
        self._select_wanted()
        self.reload()

    def _select_wanted(self) -> None:
        for name, combo in (("specialty", self.specialty), ("city", self.city),
                            ("territory", self.territory)):
            value = self._wanted.get(name)
            combo.blockSignals(True)
            index = combo.findData(value) if value is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        if self.territory.currentIndex() > 0:
            self.territory.show()  # a drill-down says which territory it shows
        self.segment.blockSignals(True)
        self.segment.setCurrentIndex(0)
        self.segment.blockSignals(False)
        if self._loaded_once:
            self._wanted = {}

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def first_account_id(self) -> str | None:
        return self.model.account_id(0) if self.model.rowCount() else None

    def _open(self, row: int) -> None:
        self.account_opened.emit(self.model.account_id(row))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search field moves into the results, first row selected."""
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.model.rowCount()):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)
