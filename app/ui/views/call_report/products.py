"""The products discussed in a call, in priority order, and their key messages.

Products come from the territory's promotable list (catalog); reordering is by keyboard
(Alt+Up/Down) or drag and drop. Each key message of a discussed product gets the doctor's
reaction; the list follows the products as they are added, moved and removed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.calls import CallForm
from app.store.catalog import CallCatalog, ProductOption
from app.ui.views.call_report.fields import (
    GRID,
    ErrorLabel,
    FieldErrors,
    FormSection,
    clear_layout,
    hint_label,
    mark_invalid,
    section_title,
    set_read_only,
)

#: Key-message choices besides the reactions: not part of the call; part of it, no reaction
#: noted (stored as a None reaction). Item data stays a string: no None through QVariant.
NOT_DISCUSSED = "not_discussed"
DISCUSSED = "discussed"


def reaction_labels() -> list[tuple[str, str]]:
    """(label, choice) for the key-message combo, in the order shown."""
    return [
        (tr("Not discussed"), NOT_DISCUSSED),
        (tr("Discussed"), DISCUSSED),
        (tr("Positive"), "positive"),
        (tr("Neutral"), "neutral"),
        (tr("Negative"), "negative"),
    ]


def section_caption(text: str) -> QLabel:
    """A product's name above its key messages: bold, smaller than a section title."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class _KeyFilter(QObject):
    """Routes a few keys of a child widget to the products section."""

    def __init__(self, section: ProductsSection) -> None:
        super().__init__(section)
        self._section = section

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._section.handle_key(watched, event)
        return False


class ProductsSection(FormSection):
    """The products detailed, in priority order: add from the promotable list, reorder, remove.

    `products_changed` tells the key messages and samples which products are discussed.
    """

    products_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog: CallCatalog | None = None
        self._read_only = False
        self.picker = QComboBox()
        self.picker.setEditable(True)  # type-ahead: "car" + Enter adds Cardiozan
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        typed = self.picker.lineEdit()
        assert typed is not None  # an editable combo box has one
        typed.setPlaceholderText(tr("Type or choose a product to add"))
        self.picker.setToolTip(tr("Type the first letters, then Enter"))
        self.add_button = QPushButton(tr("&Add"))
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setAccessibleName(tr("Products discussed"))
        self.list.setToolTip(tr("Alt+Up and Alt+Down change the order; Delete removes"))
        self.up = self._tool_button("go-up", "↑", tr("Move up (Alt+Up)"))
        self.down = self._tool_button("go-down", "↓", tr("Move down (Alt+Down)"))
        self.remove = self._tool_button("list-remove", "✕", tr("Remove (Delete)"))
        self.error = ErrorLabel()
        self._errors = FieldErrors()
        self._errors.add("products", self.list, self.error)
        self._build_layout()

        keys = _KeyFilter(self)
        self.picker.installEventFilter(keys)
        self.list.installEventFilter(keys)
        self.add_button.clicked.connect(self.add_current)
        self.up.clicked.connect(lambda: self.move_current(-1))
        self.down.clicked.connect(lambda: self.move_current(1))
        self.remove.clicked.connect(self.remove_current)
        self.list.model().rowsMoved.connect(self._after_change)
        self.list.currentRowChanged.connect(self._update_buttons)

    def _tool_button(self, icon: str, fallback: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(QIcon.fromTheme(icon))
        if button.icon().isNull():
            button.setText(fallback)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the list's keys do the same
        return button

    def _build_layout(self) -> None:
        title = section_title(tr("&Products discussed"))
        title.setBuddy(self.picker)
        picker_row = QHBoxLayout()
        picker_row.setSpacing(GRID)
        picker_row.addWidget(self.picker, 1)
        picker_row.addWidget(self.add_button)
        buttons = QVBoxLayout()
        buttons.setSpacing(GRID // 2)
        for button in (self.up, self.down, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        list_row = QHBoxLayout()
        list_row.setSpacing(GRID)
        list_row.addWidget(self.list, 1)
        list_row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GRID)
        layout.addWidget(title)
        layout.addLayout(picker_row)
        layout.addLayout(list_row)
        layout.addWidget(self.error)
        row_height = self.list.fontMetrics().height() + GRID
        self.list.setFixedHeight(row_height * 4 + GRID)

    # -- state -------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())]

    def fill(self, form: CallForm, catalog: CallCatalog) -> None:
        self._catalog = catalog
        self.list.clear()
        for product_id in form.products:
            self._append(product_id)
        self._after_change(emit=False)

    def collect(self, form: CallForm) -> None:
        form.products = self.selected_ids()

    def _append(self, product_id: str) -> None:
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, product_id)
        self.list.addItem(item)

    def _name(self, product_id: str) -> str:
        option = self._catalog.product(product_id) if self._catalog else None
        if option is None:
            return product_id
        if not option.promotable:
            return tr("{product} (not promotable in this territory)", product=option.name)
        return option.name

    def _after_change(self, *_args: object, emit: bool = True) -> None:
        """Renumber the list, offer what is left, tell the others."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setText(f"{row + 1}.  {self._name(item.data(Qt.ItemDataRole.UserRole))}")
        chosen = set(self.selected_ids())
        self.picker.clear()
        offered = [p for p in (self._catalog.products if self._catalog else ())
                   if p.promotable and p.id not in chosen]
        for option in offered:
            self.picker.addItem(option.name, option.id)
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()
        self.add_button.setEnabled(bool(offered))
        self._update_buttons()
        self.products_changed.emit(self.selected_ids())
        if emit:
            self.changed.emit()

    def _update_buttons(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.up.setEnabled(row > 0)
        self.down.setEnabled(0 <= row < count - 1)
        self.remove.setEnabled(row >= 0)

    # -- actions -----------------------------------------------------------------------
    def _picked(self) -> str | None:
        """The offered product the picker's text names: exactly, else by its first letters."""
        typed = self.picker.currentText().strip().casefold()
        if not typed:
            return None
        names = [self.picker.itemText(i).casefold() for i in range(self.picker.count())]
        index = names.index(typed) if typed in names else next(
            (i for i, name in enumerate(names) if name.startswith(typed)), -1)
        return self.picker.itemData(index) if index >= 0 else None

    def add_current(self) -> None:
        product_id = self._picked()
        if product_id is None:
            return
        self._append(product_id)
        self._after_change()
        self.list.setCurrentRow(self.list.count() - 1)

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        self.list.insertItem(target, self.list.takeItem(row))
        self.list.setCurrentRow(target)
        self._after_change()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.list.takeItem(row)
        self._after_change()
        self.list.setCurrentRow(min(row, self.list.count() - 1))

    def handle_key(self, watched: QObject, event: QKeyEvent) -> bool:
        """Enter in the picker adds; Alt+Up/Down and Delete in the list reorder and remove."""
        if self._read_only:
            return False
        key, alt = event.key(), event.modifiers() == Qt.KeyboardModifier.AltModifier
        if watched is self.picker and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier):
            self.add_current()
            return True
        if watched is self.list and alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if key == Qt.Key.Key_Up else 1)
            return True
        if watched is self.list and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_current()
            return True
        return False

    def focus_chain(self) -> list[QWidget]:
        return [self.picker, self.add_button, self.list]

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for widget in (self.picker, self.add_button, self.up, self.down, self.remove):
            widget.setHidden(read_only)
        if read_only:
            self.list.clearSelection()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop if read_only
                                  else QAbstractItemView.DragDropMode.InternalMove)

    def show_errors(self, errors: dict[str, str]) -> list[tuple[str, QWidget]]:
        return self._errors.show(errors)

    def clear_errors(self) -> None:
        self._errors.clear()


class KeyMessagesSection(FormSection):
    """The key messages of the products discussed, each with the doctor's reaction."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._combos: dict[str, QComboBox] = {}
        self._choices: dict[str, str] = {}  # kept while a product is removed and re-added
        self._read_only = False
        self.empty = hint_label(tr("Add a product to record its key messages."))
        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(GRID * 2)
        self.rows.setVerticalSpacing(GRID)
        self.rows.setColumnStretch(0, 1)
        self.error = ErrorLabel()
        self._errors = FieldErrors()
        self._errors.add("key_messages", self, self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GRID)
        layout.addWidget(section_title(tr("Key messages")))
        layout.addWidget(self.empty)
        layout.addLayout(self.rows)
        layout.addWidget(self.error)

    def set_invalid(self, invalid: bool) -> None:
        """The section has no single field; its combos carry the outline."""
        for combo in self._combos.values():
            mark_invalid(combo, invalid)

    def fill(self, form: CallForm, catalog: CallCatalog) -> None:
        self._combos = {}
        self._choices = {message_id: reaction or DISCUSSED
                         for message_id, reaction in form.key_messages.items()}
        self.show_products([p for p in map(catalog.product, form.products) if p])

    def show_products(self, products: list[ProductOption]) -> None:
        """Rebuild the rows for these products, keeping the reactions already chosen."""
        self._remember()
        clear_layout(self.rows)
        self._combos = {}
        for product in products:
            self._add_row(section_caption(product.name))
            if not product.key_messages:
                self._add_row(hint_label(tr("No key messages for this product.")))
            for message in product.key_messages:
                combo = self._combo(message.id, message.title)
                label = QLabel(f"{message.title}  ·  {message.code}")
                label.setWordWrap(True)
                label.setBuddy(combo)
                self._add_row(label, combo)
        self.empty.setVisible(not products)
        self.rebuilt.emit()

    def _add_row(self, label: QLabel, combo: QComboBox | None = None) -> None:
        """Shown at once (a layout would show them on the next event loop turn): the very
        next Tab must already reach them."""
        row = self.rows.rowCount()
        self.rows.addWidget(label, row, 0, 1, 1 if combo else 2)
        label.show()
        if combo is not None:
            self.rows.addWidget(combo, row, 1)
            combo.show()

    def _combo(self, message_id: str, title: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(title)
        for label, choice in reaction_labels():
            combo.addItem(label, choice)
        combo.setCurrentIndex(max(combo.findData(self._choices.get(message_id, "")), 0))
        combo.currentIndexChanged.connect(self.changed)
        set_read_only(combo, self._read_only)
        self._combos[message_id] = combo
        return combo

    def _remember(self) -> None:
        for message_id, combo in self._combos.items():
            self._choices[message_id] = combo.currentData()

    def collect(self, form: CallForm) -> None:
        choices = {message_id: combo.currentData() for message_id, combo in self._combos.items()}
        form.key_messages = {message_id: None if choice == DISCUSSED else choice
                             for message_id, choice in choices.items()
                             if choice != NOT_DISCUSSED}

    def focus_chain(self) -> list[QWidget]:
        return list(self._combos.values())

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for combo in self._combos.values():
            set_read_only(combo, read_only)

    def show_errors(self, errors: dict[str, str]) -> list[tuple[str, QWidget]]:
        shown = self._errors.show(errors)
        first = next(iter(self._combos.values()), None)
        return [(key, first or widget) for key, widget in shown]

    def clear_errors(self) -> None:
        self._errors.clear()
