"""Samples handed over in the call, and the recipient's signature that goes with them.

Each sample is a row (product, lot, quantity) with what is left of the account's yearly
limit beside it, so the rep sees a problem before the doctor signs. The signature block
appears as soon as there is a sample: signing is part of handing samples over (HWG).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.calls import CallForm, SampleLine
from app.store.catalog import CallCatalog, ProductOption
from app.ui.views.call_report.fields import (
    GRID,
    ErrorLabel,
    FormSection,
    field_block,
    hint_label,
    mark_invalid,
    section_title,
    set_read_only,
)
from app.ui.widgets.signature_pad import SignaturePad

MAX_QUANTITY = 10_000
_ROW_KEY = re.compile(r"samples\.(\d+)\.(product_id|lot|quantity)$")
#: Column stretch of product, lot and quantity, shared by the header and every row.
COLUMNS = ((0, 3), (1, 2), (2, 0), (3, 0))
QUANTITY_WIDTH = GRID * 12
REMOVE_WIDTH = GRID * 4


def missing_lot_message() -> str:
    return tr("Enter the lot number printed on the pack.")


def _column_grid() -> QGridLayout:
    grid = QGridLayout()
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(GRID)
    grid.setVerticalSpacing(GRID // 2)
    for column, stretch in COLUMNS:
        grid.setColumnStretch(column, stretch)
    grid.setColumnMinimumWidth(2, QUANTITY_WIDTH)
    grid.setColumnMinimumWidth(3, REMOVE_WIDTH)
    return grid


class SampleRow(QWidget):
    """One sample: product, lot and quantity, with the yearly limit and errors under it."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, catalog: CallCatalog, line: SampleLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.product = QComboBox()
        self.product.setAccessibleName(tr("Sample product"))
        self.product.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.product.setMinimumContentsLength(10)
        for option in self._offered(line.product_id):
            self.product.addItem(option.name, option.id)
        self.product.setCurrentIndex(max(self.product.findData(line.product_id), 0))
        self.lot = QLineEdit(line.lot)
        self.lot.setMaxLength(64)
        self.lot.setPlaceholderText(tr("Lot"))
        self.lot.setAccessibleName(tr("Lot"))
        self.quantity = QSpinBox()
        self.quantity.setRange(1, MAX_QUANTITY)
        self.quantity.setValue(int(line.quantity))
        self.quantity.setFixedWidth(QUANTITY_WIDTH)
        self.quantity.setAccessibleName(tr("Quantity"))
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setFixedWidth(REMOVE_WIDTH)
        self.remove.setToolTip(tr("Remove this sample"))
        self.remove.setAccessibleName(tr("Remove this sample"))
        self.limit = hint_label()
        self.error = ErrorLabel()

        grid = _column_grid()
        grid.addWidget(self.product, 0, 0)
        grid.addWidget(self.lot, 0, 1)
        grid.addWidget(self.quantity, 0, 2)
        grid.addWidget(self.remove, 0, 3)
        grid.addWidget(self.limit, 1, 0, 1, 4)
        grid.addWidget(self.error, 2, 0, 1, 4)
        self.setLayout(grid)

        self.product.currentIndexChanged.connect(self._on_product_changed)
        self.lot.textChanged.connect(self.changed)
        self.quantity.valueChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._show_limit()

    def _offered(self, current: str) -> list[ProductOption]:
        """Products that may be sampled here, plus the row's own (e.g. from an old draft)."""
        return [p for p in self._catalog.products
                if (p.promotable and p.yearly_sample_limit is not None) or p.id == current]

    def _on_product_changed(self) -> None:
        self._show_limit()
        self.changed.emit()

    def _show_limit(self) -> None:
        option = self._catalog.product(self.product_id())
        if option is None or option.yearly_sample_limit is None:
            self.limit.setText(tr("This product may not be given as a sample."))
            return
        given = self._catalog.samples_given.get(option.id, 0)
        self.limit.setText(tr("{left} of {limit} left for this account in {year}",
                              left=max(option.yearly_sample_limit - given, 0),
                              limit=option.yearly_sample_limit, year=self._catalog.year))

    def product_id(self) -> str:
        """The chosen product's id ("" if none can be chosen: no None through QVariant)."""
        return self.product.currentData() if self.product.currentIndex() >= 0 else ""

    def line(self) -> SampleLine:
        return SampleLine(self.product_id(), self.lot.text(),
                          self.quantity.value())

    def field(self, name: str) -> QWidget:
        return {"product_id": self.product, "lot": self.lot}.get(name, self.quantity)

    def show_error(self, name: str, message: str) -> QWidget:
        text = self.error.text()
        self.error.show_message(f"{text}\n{message}" if text else message)
        field = self.field(name)
        mark_invalid(field, True)
        return field

    def clear_errors(self) -> None:
        self.error.clear_message()
        for field in (self.product, self.lot, self.quantity):
            mark_invalid(field, False)

    def focus_chain(self) -> list[QWidget]:
        return [self.product, self.lot, self.quantity, self.remove]

    def set_read_only(self, read_only: bool) -> None:
        for field in (self.product, self.lot, self.quantity):
            set_read_only(field, read_only)
        self.remove.setHidden(read_only)
        self.limit.setHidden(read_only)  # what was left before this call, not after it


class SamplesSection(FormSection):
    """The sample rows, the Add button, and the signature that the samples require."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog: CallCatalog | None = None
        self._discussed: list[str] = []
        self._read_only = False
        self.rows: list[SampleRow] = []
        self.empty = hint_label(tr("No samples handed over."))
        self.header = QWidget()
        header_grid = _column_grid()
        for column, text in enumerate((tr("Product"), tr("Lot"), tr("Quantity"))):
            header_grid.addWidget(hint_label(text), 0, column)
        self.header.setLayout(header_grid)
        self.row_box = QVBoxLayout()
        self.row_box.setSpacing(GRID)
        self.add_button = QPushButton(tr("Add sa&mple"))
        self.error = ErrorLabel()
        self.signer = QLineEdit()
        self.signer.setMaxLength(200)
        self.pad = SignaturePad()
        self.signer_error = ErrorLabel()
        self.signature_error = ErrorLabel()
        self.signature = self._signature_block()

        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GRID)
        layout.addWidget(section_title(tr("Samples")))
        layout.addWidget(self.empty)
        layout.addWidget(self.header)
        layout.addLayout(self.row_box)
        layout.addLayout(add_row)
        layout.addWidget(self.error)
        layout.addWidget(self.signature)

        self.add_button.clicked.connect(self.add_row)
        self.signer.textChanged.connect(self.changed)
        self.pad.changed.connect(self.changed)
        self._update_visibility()

    def _signature_block(self) -> QWidget:
        block = QWidget()
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, GRID, 0, 0)
        layout.setSpacing(GRID)
        layout.addWidget(section_title(tr("Signature of the recipient")))
        layout.addLayout(field_block(tr("Signed b&y"), self.signer, self.signer_error))
        layout.addLayout(field_block(tr("Si&gnature"), self.pad, self.signature_error))
        return block

    # -- rows --------------------------------------------------------------------------
    def set_discussed(self, product_ids: list[str]) -> None:
        """The products discussed: a new sample row starts with the first sampleable one."""
        self._discussed = list(product_ids)

    def _default_product(self) -> str:
        assert self._catalog is not None
        sampleable = [p.id for p in self._catalog.products
                      if p.promotable and p.yearly_sample_limit is not None]
        return next((p for p in self._discussed if p in sampleable), sampleable[0])

    def _append(self, line: SampleLine) -> SampleRow:
        assert self._catalog is not None
        row = SampleRow(self._catalog, line)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_row)
        row.set_read_only(self._read_only)
        self.rows.append(row)
        self.row_box.addWidget(row)
        row.show()  # now, not on the next event loop turn: focus and Tab go there at once
        return row

    def add_row(self) -> None:
        """The rep adds a sample: a new row, focused, and the signer prefilled."""
        if self._catalog is None or not self.add_button.isEnabled():
            return
        row = self._append(SampleLine(self._default_product(), "", 1))
        if not self.signer.text():
            self.signer.setText(self._catalog.account.name)
        self._update_visibility()
        self.rebuilt.emit()
        row.product.setFocus(Qt.FocusReason.TabFocusReason)
        self.changed.emit()

    def remove_row(self, row: SampleRow) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self._update_visibility()
        self.rebuilt.emit()
        after = self.rows[index] if index < len(self.rows) else None
        (after.product if after else self.add_button).setFocus(Qt.FocusReason.TabFocusReason)
        self.changed.emit()

    def _update_visibility(self) -> None:
        has_rows = bool(self.rows)
        self.empty.setVisible(not has_rows)
        self.header.setVisible(has_rows)
        self.signature.setVisible(has_rows)
        can_sample = self._catalog is not None and any(
            p.promotable and p.yearly_sample_limit is not None for p in self._catalog.products)
        self.add_button.setEnabled(can_sample)
        self.add_button.setToolTip("" if can_sample else
                                   tr("No product of this territory may be given as a sample."))
        self.add_button.setHidden(self._read_only)

    # -- form --------------------------------------------------------------------------
    def fill(self, form: CallForm, catalog: CallCatalog) -> None:
        self._catalog = catalog
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        for line in form.samples:
            self._append(line)
        self.signer.setText(form.signer_name or "")
        self.signer.setPlaceholderText(catalog.account.name)
        self.pad.set_strokes_json(form.signature)
        self._update_visibility()
        self.rebuilt.emit()

    def collect(self, form: CallForm) -> None:
        """Every row, complete or not (the view leaves incomplete ones out of drafts)."""
        form.samples = [row.line() for row in self.rows]
        has_rows = bool(self.rows)
        form.signature = self.pad.strokes_json() if has_rows and not self.pad.is_empty() \
            else None
        form.signer_name = self.signer.text() if has_rows else None

    def focus_chain(self) -> list[QWidget]:
        chain = [w for row in self.rows for w in row.focus_chain()]
        return [*chain, self.add_button, self.signer, self.pad.canvas, self.pad.clear_button]

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for row in self.rows:
            row.set_read_only(read_only)
        set_read_only(self.signer, read_only)
        self.pad.set_read_only(read_only)
        self._update_visibility()

    # -- errors ------------------------------------------------------------------------
    def _row_for(self, index: int, lines: list[SampleLine] | None) -> SampleRow | None:
        """The row an error index means: by product and lot in `lines`, else by position."""
        if lines is not None and index < len(lines):
            wanted = (lines[index].product_id, lines[index].lot.strip())
            for row in self.rows:
                line = row.line()
                if (line.product_id, line.lot.strip()) == wanted:
                    return row
        return self.rows[index] if index < len(self.rows) else None

    def show_errors(self, errors: dict[str, str],
                    lines: list[SampleLine] | None = None) -> list[tuple[str, QWidget]]:
        """Show messages; `lines` is the list the "samples.N" indices count in."""
        shown: list[tuple[str, QWidget]] = []
        if "samples" in errors:
            self.error.show_message(errors["samples"])
            shown.append(("samples", self.rows[0].product if self.rows else self.add_button))
        for key, message in errors.items():
            match = _ROW_KEY.match(key)
            row = self._row_for(int(match.group(1)), lines) if match else None
            if match and row is not None:
                shown.append((key, row.show_error(match.group(2), message)))
        for key, field, label in (("signer_name", self.signer, self.signer_error),
                                  ("signature", self.pad, self.signature_error)):
            if key in errors:
                label.show_message(errors[key])
                mark_invalid(field, True)
                shown.append((key, self.pad.canvas if field is self.pad else field))
        shown.sort(key=lambda item: self._position(item[1]))
        return shown

    def _position(self, widget: QWidget) -> int:
        chain = self.focus_chain()
        return chain.index(widget) if widget in chain else len(chain)

    def missing_lots(self) -> dict[str, str]:
        """Rows without a lot (kept out of drafts, so they must be caught before submitting)."""
        return {f"samples.{i}.lot": missing_lot_message()
                for i, row in enumerate(self.rows) if not row.lot.text().strip()}

    def clear_errors(self) -> None:
        self.error.clear_message()
        for row in self.rows:
            row.clear_errors()
        for field, label in ((self.signer, self.signer_error), (self.pad, self.signature_error)):
            label.clear_message()
            mark_invalid(field, False)
