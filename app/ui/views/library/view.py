"""The content library: every deck on this laptop, by product, with whether it may be shown.

Content that may not be presented today (a draft, withdrawn, not yet valid, expired) is
listed and marked, and can still be previewed, so a rep sees what changed; only presentable
content offers "Present". Importing a package runs through Operations with its progress on
screen and, when a package is refused, says why in the importer's own words. A deck imported
here is marked a local preview, and "Present" says what that means before it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.content_format.clm import ClmInfo, OrderEntry, key_messages, source_kind
from app.edetail.clm import import_clm
from app.edetail.errors import ContentError, ImportCancelledError
from app.edetail.library import (
    Availability,
    LibraryItem,
    list_presentations,
    local_preview_text,
    product_choices,
)
from app.edetail.package import ImportResult, content_store, import_package
from app.i18n import tr
from app.ui import format as fmt
from app.ui.operations import Operations, describe
from app.ui.parts import EmptyState, muted, page_title, primary_button, section_title
from app.ui.views.library.clm import ClmImportDialog

CARD_WIDTH = 272
THUMB = QSize(240, 135)
COLUMNS = 3
#: How many missing files an import's message names before "and N more".
MISSING_SHOWN = 8


@dataclass(frozen=True)
class Shelf:
    items: list[LibraryItem]
    covers: dict[str, bytes]  # thumbnail SHA-256 -> PNG/JPEG bytes


def state_text(item: LibraryItem) -> str:
    return {
        Availability.PRESENTABLE: tr("Approved"),
        Availability.DRAFT: tr("Draft, not approved"),
        Availability.WITHDRAWN: tr("Withdrawn, may not be shown"),
        Availability.NOT_YET_VALID: tr("Not yet valid"),
        Availability.EXPIRED: tr("Expired"),
        Availability.NOT_ON_LAPTOP: tr("Arrives with the next sync"),
    }[item.availability]


def validity_text(item: LibraryItem) -> str:
    if item.valid_from and item.valid_until:
        return tr("Valid {start} – {end}", start=fmt.date_text(item.valid_from),
                  end=fmt.date_text(item.valid_until))
    return ""


class LibraryCard(QFrame):
    """One deck: cover, title, slides and version, state and validity, the two actions."""

    def __init__(self, item: LibraryItem, cover: QPixmap, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("libraryCard")
        self.setFixedWidth(CARD_WIDTH)
        self.setProperty("available", item.availability == Availability.PRESENTABLE)
        image = QLabel()
        image.setObjectName("libraryCover")
        image.setFixedSize(THUMB)
        image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if not cover.isNull():
            image.setPixmap(cover.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))
        title = QLabel(item.title)
        title.setObjectName("libraryTitle")
        title.setWordWrap(True)
        details = muted(tr("{count} slides · version {version}", count=item.slides,
                           version=item.version))
        self.state = QLabel(state_text(item))
        self.state.setObjectName("contentState")
        self.state.setProperty("state", item.availability.value)
        if item.reason:
            self.state.setToolTip(item.reason)
        validity = muted(validity_text(item), wrap=True)
        self.preview = QPushButton(tr("Preview"))
        self.preview.setToolTip(tr("Look through the slides; nothing is recorded")
                                if item.on_laptop else item.reason or "")
        self.preview.setEnabled(item.on_laptop)
        self.present = primary_button(tr("Present"))
        self.present.setEnabled(item.availability == Availability.PRESENTABLE)
        self.present.setToolTip(item.reason or tr("Show it to a doctor, full screen"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview)
        buttons.addStretch(1)
        buttons.addWidget(self.present)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(6)
        layout.addWidget(image)
        layout.addWidget(title)
        layout.addWidget(details)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state)
        self.local = QLabel(tr("Local preview"))
        self.local.setObjectName("contentState")
        self.local.setProperty("state", "local_preview")
        self.local.setToolTip(local_preview_text(item.title))
        self.local.setVisible(item.local_preview)
        state_row.addWidget(self.local)
        state_row.addStretch(1)
        layout.addLayout(state_row)
        layout.addWidget(validity)
        layout.addStretch(1)
        layout.addLayout(buttons)


class _Progress(QObject):
    """Carries the importer's progress from the worker thread to the screen (queued)."""

    moved = Signal(int, int)


def read_shelf(session: Session, ops: Operations, today: dt.date) -> Shelf:
    store = content_store(ops.db)
    items = list_presentations(session, today, store=store)
    covers = {i.cover_sha256: store.read_bytes(i.cover_sha256) for i in items
              if i.cover_sha256 and store.has(i.cover_sha256)}
    return Shelf(items, covers)


class LibraryView(QWidget):
    """The Library screen; `present_requested` / `preview_requested` carry a deck's id."""

    present_requested = Signal(str)
    preview_requested = Signal(str)
    loaded = Signal()
    imported = Signal(object)  # ImportResult
    import_failed = Signal(str)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._cancel = False
        self.cards: list[LibraryCard] = []
        self.import_button = QPushButton(tr("Import…"))
        self.import_button.setToolTip(tr("Import a content package, or CLM key messages"))
        menu = QMenu(self.import_button)
        menu.addAction(tr("Package or key message (.zip)…"), self.choose_package)
        menu.addAction(tr("Folder of CLM key messages…"), self.choose_folder)
        self.import_button.setMenu(menu)
        self.clm_dialog: ClmImportDialog | None = None
        header = QHBoxLayout()
        header.addWidget(page_title(tr("Library")))
        header.addStretch(1)
        header.addWidget(self.import_button)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel_import)
        self.message = QLabel()
        self.message.setObjectName("libraryMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        self._busy = QWidget()
        self._busy.setLayout(busy)
        self._busy.hide()
        self.message.hide()

        self.shelves = QWidget()
        self.shelves_layout = QVBoxLayout(self.shelves)
        self.shelves_layout.setContentsMargins(0, 0, 0, 0)
        self.shelves_layout.setSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.shelves)
        self.empty = EmptyState("library")
        self.empty.set_text(tr("No presentations on this laptop yet"),
                            tr("Content arrives with sync, or import a package from a file."))
        self.empty.action.setText(tr("Import…"))
        self.empty.action.show()
        self.empty.action.clicked.connect(self.choose_package)
        self.pages = QStackedWidget()
        self.pages.addWidget(scroll)
        self.pages.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(muted(tr("Approved content can be presented; expired, withdrawn "
                                  "and draft content can only be previewed."), wrap=True))
        layout.addWidget(self._busy)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)

    # -- loading -------------------------------------------------------------------------
    def refresh(self) -> None:
        ops, today = self._ops, dt.date.today()
        self._ops.read(lambda s: read_shelf(s, ops, today), self._show)

    def _show(self, shelf: Shelf) -> None:
        while self.shelves_layout.count():
            old = self.shelves_layout.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()
        self.cards = []
        products: dict[str, list[LibraryItem]] = {}
        for item in shelf.items:
            products.setdefault(item.product_name, []).append(item)
        for name, items in products.items():
            self.shelves_layout.addWidget(section_title(name))
            grid_box = QWidget()
            grid = QGridLayout(grid_box)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(16)
            for n, item in enumerate(items):
                cover = QPixmap()
                data = shelf.covers.get(item.cover_sha256 or "")
                if data is not None:
                    cover.loadFromData(data)
                card = LibraryCard(item, cover)
                card.present.clicked.connect(
                    lambda _c=False, it=item: self.present_item(it))
                card.preview.clicked.connect(
                    lambda _c=False, pid=item.presentation_id: self.preview_requested.emit(pid))
                grid.addWidget(card, n // COLUMNS, n % COLUMNS)
                self.cards.append(card)
            grid.setColumnStretch(COLUMNS, 1)
            self.shelves_layout.addWidget(grid_box)
        self.shelves_layout.addStretch(1)
        self.pages.setCurrentIndex(0 if shelf.items else 1)
        self.loaded.emit()

    # -- importing -----------------------------------------------------------------------
    def present_item(self, item: LibraryItem) -> None:
        """Present a deck; a local preview says first that its capture stays here."""
        if not item.local_preview:
            self.present_requested.emit(item.presentation_id)
            return
        box = QMessageBox(QMessageBox.Icon.Information, tr("Local preview"),
                          local_preview_text(item.title), QMessageBox.StandardButton.Cancel,
                          self)
        go = box.addButton(tr("Present as a local preview"),
                           QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(go)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.present_requested.emit(
            item.presentation_id) if button is go else None)
        self.local_notice = box
        box.open()

    def choose_package(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Import a content package"), str(Path.home()),
            tr("Content packages and CLM key messages (*.zip)"))
        if path:
            self.import_path(Path(path))

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Import a folder of CLM key messages"),
                                                str(Path.home()))
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        """A package is imported at once; CLM content first asks for its facts and order."""
        if path.is_file() and source_kind(path) == "package":
            self.import_file(path)
            return
        try:
            entries, unlisted = key_messages(path)
        except ContentError as error:
            self._say(tr("Nothing was imported. {reason}", reason=str(error)), "error")
            self.import_failed.emit(str(error))
            return
        self._ops.read(product_choices,
                       lambda products: self._ask_clm(path, entries, unlisted, products))

    def _ask_clm(self, path: Path, entries: list[OrderEntry], unlisted: list[str],
                 products: list[tuple[str, str]]) -> None:
        dialog = ClmImportDialog(path, entries, unlisted, products, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._import_clm(path, *dialog.values()))
        dialog.destroyed.connect(lambda: setattr(self, "clm_dialog", None))
        self.clm_dialog = dialog
        dialog.open()

    def _import_clm(self, path: Path, info: ClmInfo, order: list[OrderEntry]) -> None:
        db = self._ops.db
        self._run_import(path, lambda relay: import_clm(
            db, path, info, order=order, progress=relay.moved.emit,
            cancel=lambda: self._cancel))

    def import_file(self, path: Path) -> None:
        """Check and import `path` in the background; the library reloads when it is in."""
        db = self._ops.db
        self._run_import(path, lambda relay: import_package(
            db, path, progress=relay.moved.emit, cancel=lambda: self._cancel))

    def _run_import(self, path: Path, run: Callable[[_Progress], ImportResult]) -> None:
        self._cancel = False
        self._busy.show()
        self.progress.setRange(0, 0)
        self.import_button.setEnabled(False)
        self._say(tr("Checking “{name}”…", name=path.name), "info")
        relay = _Progress(self)
        relay.moved.connect(self._moved)

        def work(_s: Session) -> ImportResult:
            return run(relay)

        self._ops.write(work, self._imported, self._import_error)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _cancel_import(self) -> None:
        self._cancel = True

    def _finish_import(self) -> None:
        self._busy.hide()
        self.import_button.setEnabled(True)

    def _imported(self, result: ImportResult) -> None:
        self._finish_import()
        if result.already_imported:
            self._say(tr("“{title}” was already on this laptop; nothing changed.",
                         title=result.title), "info")
        elif result.missing_files:
            shown = result.missing_files[:MISSING_SHOWN]
            more = len(result.missing_files) - len(shown)
            listing = ", ".join(shown) + (tr(" and {count} more", count=more) if more else "")
            self._say(tr("“{title}” was imported: {count} slides. Its pages link to files "
                         "that are not in it, so they may show unstyled or incomplete: "
                         "{files}. Import it again together with those files (for example "
                         "its shared folder).", title=result.title, count=result.slides,
                         files=listing), "error")
        else:
            self._say(tr("“{title}” was imported: {count} slides.", title=result.title,
                         count=result.slides), "ok")
        self.refresh()
        self.imported.emit(result)

    def _import_error(self, error: BaseException) -> None:
        self._finish_import()
        if isinstance(error, ImportCancelledError):
            text = str(error)
        elif isinstance(error, ContentError):
            text = tr("Nothing was imported. {reason}", reason=str(error))
        else:
            text = describe(error)
        self._say(text, "error")
        self.import_failed.emit(text)

    def _say(self, text: str, kind: str) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
