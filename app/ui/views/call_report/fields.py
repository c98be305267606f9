"""Small building blocks the call report's sections share: titles, field blocks, errors.

An error is shown where the rep looks: a red sentence under the field and the field itself
outlined, so a long form with one problem does not need to be searched. Read-only keeps
values readable (no greyed-out text) by making fields read-only where Qt can, and deaf to
input where it cannot (combo boxes, check boxes).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.services.calls import CallForm
from app.store.catalog import CallCatalog

#: The spacing grid (px): every margin and gap is a multiple of it.
GRID = 8
INVALID_LIGHT = "#c62828"
INVALID_DARK = "#ff8a80"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(palette: QPalette) -> QColor:
    """Red that reads on the palette's window colour, light or dark."""
    return QColor(INVALID_DARK if is_dark(palette) else INVALID_LIGHT)


def secondary_color(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.PlaceholderText)


class ErrorLabel(QLabel):
    """The red sentence under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, error_color(palette))
        self.setPalette(palette)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class _Outline(QWidget):
    """A red frame painted over a field, so the field keeps its own style (no style sheet)."""

    def __init__(self, field: QWidget) -> None:
        super().__init__(field)
        self._field = field
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setGeometry(field.rect())
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self._field.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(error_color(self.palette()), 2))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Outline a field in red (or remove the outline)."""
    setter = getattr(widget, "set_invalid", None)
    if callable(setter):
        setter(invalid)
        return
    outline = widget.findChild(_Outline, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if invalid and outline is None:
        outline = _Outline(widget)
    if outline is not None:
        outline.setVisible(invalid)
        outline.raise_()


def set_read_only(widget: QWidget, read_only: bool) -> None:
    """Stop a field taking input while keeping it readable, and let it look so: the style
    sheet draws fields with `locked` set flat on the window colour, without arrows (a locked
    call with white fields and live combos looked editable, and typing was silently lost)."""
    widget.setProperty("locked", read_only)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.setReadOnly(read_only)
        return
    if isinstance(widget, QAbstractSpinBox):
        widget.setReadOnly(read_only)
        widget.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons if read_only
                                else QAbstractSpinBox.ButtonSymbols.UpDownArrows)
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
    if isinstance(widget, QAbstractButton):
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.TabFocus)
    else:
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)


def section_title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


def hint_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """Secondary text: what a field is for, what is left, why something is empty."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, secondary_color(palette))
    label.setPalette(palette)
    return label


def field_block(label: str, field: QWidget, error: ErrorLabel | None = None) -> QVBoxLayout:
    """A label above its field (the label is the field's buddy: Alt+mnemonic jumps there)."""
    block = QVBoxLayout()
    block.setSpacing(GRID // 2)
    caption = QLabel(label)
    caption.setBuddy(field)
    block.addWidget(caption)
    block.addWidget(field)
    if error is not None:
        block.addWidget(error)
    return block


def clear_layout(layout: QLayout) -> None:
    """Delete every widget and nested layout of `layout` (rows rebuilt from data)."""
    while (item := layout.takeAt(0)) is not None:
        if (widget := item.widget()) is not None:
            widget.hide()
            widget.deleteLater()
        elif (child := item.layout()) is not None:
            clear_layout(child)


class FormSection(QWidget):
    """One part of the call report: fills itself from the form, writes its part back.

    `changed` means "the rep edited something" (the view saves a draft); `rebuilt` means the
    section created or removed fields (the view redoes the tab order).
    """

    changed = Signal()
    rebuilt = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Never taller than its content: spare height goes below the sections, not into
        # gaps between a title and its fields.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def fill(self, form: CallForm, catalog: CallCatalog) -> None:
        raise NotImplementedError

    def collect(self, form: CallForm) -> None:
        raise NotImplementedError

    def focus_chain(self) -> list[QWidget]:
        """Its focusable fields in the order Tab should visit them."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def show_errors(self, errors: dict[str, str]) -> list[tuple[str, QWidget]]:
        """Show the messages whose keys it owns; returns (key, field) in form order."""
        raise NotImplementedError

    def clear_errors(self) -> None:
        raise NotImplementedError


class FieldErrors:
    """Which error label and field belong to which key of ValidationError.errors."""

    def __init__(self) -> None:
        self._targets: dict[str, tuple[QWidget, ErrorLabel]] = {}

    def add(self, key: str, field: QWidget, label: ErrorLabel) -> None:
        self._targets[key] = (field, label)

    def show(self, errors: dict[str, str]) -> list[tuple[str, QWidget]]:
        shown: list[tuple[str, QWidget]] = []
        for key, (field, label) in self._targets.items():
            if key in errors:
                label.show_message(errors[key])
                mark_invalid(field, True)
                shown.append((key, field))
        return shown

    def clear(self) -> None:
        for field, label in self._targets.values():
            label.clear_message()
            mark_invalid(field, False)
