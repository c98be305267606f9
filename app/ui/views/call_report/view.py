"""The call report: what a rep fills in after every visit, call or video call.

The report is saved as a draft while the rep types (drafts.py), so a crash loses
at most the last few hundred milliseconds of typing.

Submitting saves first, then asks the service to check the rules and lock the call; every
message comes back keyed by field and is shown under that field. A submitted call is shown
read-only and never saved again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

import shiboken6
from PySide6.QtCore import QDateTime, QLocale, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services import calls
from app.services.call_discard import discard_draft
from app.services.calls import CallForm, SampleLine
from app.services.errors import NotFoundError, ValidationError
from app.store import catalog
from app.store.base import CallStatus, utcnow
from app.store.catalog import CallCatalog
from app.ui import format as fmt
from app.ui.help_keys import CALL_REPORT_KEYS
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.views.call_report.drafts import DraftKeeper, weak_callback
from app.ui.views.call_report.fields import GRID, FormSection, hint_label
from app.ui.views.call_report.products import KeyMessagesSection, ProductsSection
from app.ui.views.call_report.samples import SamplesSection
from app.ui.views.call_report.sections import (
    DetailsSection,
    NotesSection,
    date_time_format,
    to_qdate,
)
from app.ui.views.presenter.button import present_button

if TYPE_CHECKING:
    from app.edetail.summary import CallFragment

#: Widest the two form columns grow together; wider screens get margins, not long lines.
CONTENT_MAX_WIDTH = 1200
_SAMPLE_KEY = re.compile(r"samples\.\d+\.")


@dataclass(frozen=True)
class _Loaded:
    form: CallForm
    status: str
    catalog: CallCatalog | None
    submitted_at: dt.datetime | None


def _ui_language() -> str:
    return "de" if QLocale().language() == QLocale.Language.German else "en"


def _load(session: Session, account_id: str, call_id: str | None, lang: str) -> _Loaded:
    """The stored form (or a new one) with everything the form offers for its account."""
    if call_id is None:
        form = CallForm(account_id=account_id, start_at=utcnow().replace(second=0,
                                                                         microsecond=0))
        status = "new"
    else:
        form, status = calls.load_form(session, call_id)
    start = form.start_at if isinstance(form.start_at, dt.datetime) else utcnow()
    include = {*form.products, *(line.product_id for line in form.samples)}
    conn = session.connection()
    found = catalog.call_catalog(conn, form.account_id, fmt.local(start).year,
                                 include=include, lang=lang)
    stamp = catalog.submitted_at(conn, call_id) if call_id else None
    return _Loaded(form, status, found, stamp)


def _banner(tint: str) -> QLabel:
    """A calm full-width notice; a translucent tint reads on light and dark palettes."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setMargin(GRID)
    label.setStyleSheet(f"QLabel {{ background: rgba({tint}, 0.14); "
                        f"border: 1px solid rgba({tint}, 0.55); border-radius: 4px; }}")
    label.hide()
    return label


class CallReportView(QWidget):
    """One call report, new or reopened, embedded by the main window as a page."""

    submitted = Signal(str)  # the call's id, once locked
    saved = Signal(str)  # the call's id, after every successful draft save
    closed = Signal()
    loaded = Signal()  # the form is filled from the store and ready for typing
    present_requested = Signal()  # the rep wants to show an e-detail in this call
    presentation_taken = Signal()  # an e-detail's capture is in the form and being saved

    def __init__(self, ops: Operations, user_id: str | None, account_id: str,
                 call_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._user_id = user_id
        self._account_id = account_id
        self._catalog: CallCatalog | None = None
        self._loading = True
        self._locked = False
        self._submit_queued = False
        self._submitting = False
        self._closing = False
        self._drafts = DraftKeeper(ops, user_id, call_id, self._draft_form, self)

        self.details = DetailsSection()
        self.products = ProductsSection()
        self.key_messages = KeyMessagesSection()
        self.samples = SamplesSection()
        self.notes = NotesSection()
        self._sections: list[FormSection] = [self.details, self.products, self.key_messages,
                                             self.samples, self.notes]
        self._build()
        self._connect()
        self._load()

    # -- building ----------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.subtitle = hint_label()
        self.status = hint_label()
        self.status.setToolTip(tr("Drafts are saved as you type; Ctrl+S saves now."))
        self.submit_button = QPushButton(tr("Su&bmit"))
        self.submit_button.setToolTip(tr("Check and lock the call (Ctrl+Return)"))
        self.close_button = QPushButton(tr("Close"))
        self.close_button.setToolTip(tr("Save and close (Esc)"))
        self.present_button = present_button(in_call=True)
        self.escalate_button = QPushButton(icon("medical"), tr("Medical question…"))
        self.escalate_button.setToolTip(tr("Escalate a question only medical may answer"))
        self.discard_button = QPushButton(tr("Discard draft…"))
        self.discard_button.setToolTip(tr("Throw this draft away, e.g. one opened by mistake"))
        self.discard_box: QMessageBox | None = None
        self._style_primary(self.submit_button)
        self.locked_banner = _banner("46, 125, 50")
        self.summary = _banner("229, 57, 53")

        names = QVBoxLayout()
        names.setSpacing(GRID // 2)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        header = QHBoxLayout()
        header.setContentsMargins(GRID * 3, GRID * 2, GRID * 3, GRID)
        header.setSpacing(GRID * 2)
        header.addLayout(names, 1)
        header.addWidget(self.status, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.present_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.escalate_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.discard_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        banners = QVBoxLayout()
        banners.setContentsMargins(GRID * 3, 0, GRID * 3, 0)
        banners.setSpacing(GRID)
        banners.addWidget(self.locked_banner)
        banners.addWidget(self.summary)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self._content())
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        palette = line.palette()
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.Mid))
        line.setPalette(palette)

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(GRID)
        root.addLayout(header)
        root.addLayout(banners)
        root.addWidget(line)
        root.addWidget(self.scroll_area, 1)

    def _content(self) -> QWidget:
        """Two columns: the call and what was discussed | samples, notes, follow-up."""
        self.form_area = QWidget()
        self.form_area.setMaximumWidth(CONTENT_MAX_WIDTH)
        columns = QHBoxLayout(self.form_area)
        columns.setContentsMargins(GRID * 3, GRID, GRID * 3, GRID * 3)
        columns.setSpacing(GRID * 5)
        self.not_received_reason = hint_label(tr(
            "Not received: no products, key messages or samples to record."))
        self.not_received_reason.hide()
        for sections in ((self.details, self.not_received_reason, self.products,
                          self.key_messages), (self.samples, self.notes)):
            column = QVBoxLayout()
            column.setSpacing(GRID * 3)
            for section in sections:
                column.addWidget(section, 0, Qt.AlignmentFlag.AlignTop)
            column.addStretch(1)
            columns.addLayout(column, 1)
        content = QWidget()
        centred = QHBoxLayout(content)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addStretch(1)
        centred.addWidget(self.form_area, 100)
        centred.addStretch(1)
        return content

    def _style_primary(self, button: QPushButton) -> None:
        """The one main action stands out (style.qss: `primary`, palette colours)."""
        button.setProperty("primary", True)

    def _connect(self) -> None:
        for section in self._sections:
            section.changed.connect(self._drafts.mark_dirty)
            section.rebuilt.connect(self._refresh_tab_order)
        self._drafts.saving.connect(self._on_saving)
        self._drafts.saved.connect(self._on_saved)
        self._drafts.failed.connect(self._on_save_failed)
        self.products.products_changed.connect(self._on_products_changed)
        self.details.not_received_changed.connect(self._on_not_received)
        self.submit_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.close_report)
        self.present_button.clicked.connect(self.present_requested)
        self.escalate_button.clicked.connect(self.escalate)
        self.discard_button.clicked.connect(self.discard)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        # The keys the F1 help lists (app/ui/help_keys.py), and Enter on the keypad.
        for keys, method, _text in CALL_REPORT_KEYS:
            QShortcut(QKeySequence(keys), self, getattr(self, method), context=context)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.submit, context=context)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def _refresh_tab_order(self) -> None:
        chain = [w for section in self._sections for w in section.focus_chain()]
        chain += [self.submit_button, self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _on_products_changed(self, product_ids: list[str]) -> None:
        if self._catalog is None:
            return
        options = [p for p in map(self._catalog.product, product_ids) if p is not None]
        self.key_messages.show_products(options)
        self.samples.set_discussed(product_ids)

    def _on_not_received(self, not_received: bool) -> None:
        """A visit the doctor did not receive records nothing discussed or handed over
        (app/compliance.py): those sections rest, saying why, and keep what they hold
        should the box be unticked."""
        for section in (self.products, self.key_messages, self.samples):
            section.setEnabled(not not_received)
            section.setToolTip(self.not_received_reason.text() if not_received else "")
        self.not_received_reason.setVisible(not_received)

    # -- public ------------------------------------------------------------------------
    @property
    def call_id(self) -> str | None:
        """The call's id; None until the first save of a new report."""
        return self._drafts.call_id

    @property
    def read_only(self) -> bool:
        return self._locked

    def save_now(self) -> None:
        """Save pending edits without waiting for the timer (Ctrl+S)."""
        self._drafts.save_now()

    def escalate(self) -> None:
        """Escalate a medical question raised in this call: the call is saved first, so
        the inquiry can name it (`escalation` holds the open dialog)."""
        if self._loading:
            return
        if self._locked:
            self._open_escalation()
        else:
            self._drafts.settle(self._open_escalation, create=True)

    def _open_escalation(self) -> None:
        from app.ui.views.escalation.dialog import EscalationDialog

        self.escalation = EscalationDialog(self._ops, self._user_id, self._account_id,
                                           self._drafts.call_id, self)
        self.escalation.open()

    def submit(self) -> None:
        """Save, then check the rules and lock the call (Ctrl+Return)."""
        if self._locked or self._loading or self._submitting or self._submit_queued:
            return
        self._clear_errors()
        missing = {} if self.details.is_not_received() else self.samples.missing_lots()
        if missing:
            self._show_errors(missing, None)
            return
        self._submit_queued = True
        self._drafts.settle(self._submit_saved, create=True)

    def close_report(self) -> None:
        """Save pending edits, then emit `closed` (stays open if the save fails)."""
        if self._closing:
            return
        self._closing = True
        if self._submitting:
            return  # closes when the submit has returned
        if self._locked or self._loading:
            self._emit_closed()
        else:
            self._drafts.settle(self._emit_closed)

    def discard(self) -> None:
        """Ask, then throw the draft away (a tombstone, audited) and close the report."""
        if self._locked or self._loading or self._submitting or self._closing:
            return
        box = QMessageBox(QMessageBox.Icon.Question, tr("Discard this draft?"), tr(
            "The draft is removed from this laptop and, with the next sync, from your other "
            "laptops. This cannot be undone."), QMessageBox.StandardButton.Cancel, self)
        confirm = box.addButton(tr("Discard draft"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            if box.clickedButton() is confirm:
                self._drafts.settle(self._discard_now)

        box.finished.connect(answered)
        self.discard_box = box
        box.open()

    def _discard_now(self) -> None:
        call_id, user_id = self._drafts.call_id, self._user_id
        self._drafts.stop()
        if call_id is None:  # never saved: nothing to throw away
            self._emit_closed()
            return
        self._closing = True
        self._ops.write(lambda session: discard_draft(session, user_id, call_id),
                        weak_callback(self._on_discarded), weak_callback(self._discard_failed))

    def _on_discarded(self, _result: object) -> None:
        self._locked = True
        self._emit_closed()

    def _discard_failed(self, error: BaseException) -> None:
        self._closing = False
        self._drafts.active = True
        message = " ".join(error.errors.values()) if isinstance(error, ValidationError) \
            else describe(error)
        self.summary.setText(message)
        self.summary.show()

    def _emit_closed(self) -> None:
        self._closing = False
        self.closed.emit()

    # -- loading -----------------------------------------------------------------------
    def take_presentation(self, fragment: CallFragment) -> None:
        """Fill the form from an e-detail shown in this call, then save the draft.

        `CallFragment.apply_to` keeps what the rep entered (products' places, reactions,
        notes) and adds the rest; the rep reviews and submits as usual. A report still
        loading takes it once loaded; a submitted one is never changed.
        """
        if self._loading:
            self.loaded.connect(lambda: self.take_presentation(fragment),
                                Qt.ConnectionType.SingleShotConnection)
            return
        if self._locked or self._catalog is None:
            return
        self.details.not_received.setChecked(False)  # an e-detail shown: he received the rep
        form = self._collect()
        fragment.apply_to(form)
        for section in self._sections:
            section.fill(form, self._catalog)
        self._refresh_tab_order()
        self._drafts.mark_dirty()
        self._drafts.save_now()
        self.presentation_taken.emit()

    def _load(self) -> None:
        self._loading = True
        self._drafts.active = False
        self.form_area.setEnabled(False)
        account_id, call_id, lang = self._account_id, self._drafts.call_id, _ui_language()
        self._ops.read(lambda s: _load(s, account_id, call_id, lang),
                       weak_callback(self._on_loaded), weak_callback(self._on_load_failed))

    def _on_loaded(self, loaded: _Loaded) -> None:
        if loaded.catalog is None:
            self._on_load_failed(NotFoundError(tr("The account does not exist on this laptop.")))
            return
        self._catalog = loaded.catalog
        self._account_id = loaded.form.account_id
        account = loaded.catalog.account
        self.title.setText(account.name)
        self.subtitle.setText("  ·  ".join(p for p in (account.specialty, account.city) if p))
        self.setWindowTitle(tr("Call report: {name}", name=account.name))
        for section in self._sections:
            section.fill(loaded.form, loaded.catalog)
        self._refresh_tab_order()
        self.form_area.setEnabled(True)
        self._loading = False
        if loaded.status == CallStatus.SUBMITTED:
            self._lock(loaded.submitted_at)
        else:
            self._drafts.active = True
            self.status.setText(tr("Draft") if self._drafts.call_id else "")
            self.details.channel.setFocus(Qt.FocusReason.OtherFocusReason)
        self.loaded.emit()

    def _on_load_failed(self, error: BaseException) -> None:
        self._loading = False
        self._locked = True
        self.submit_button.hide()
        self.discard_button.hide()
        self.summary.setText(describe(error))
        self.summary.show()

    def _lock(self, submitted_at: dt.datetime | None) -> None:
        """Show the call as it was submitted: read-only, stamped, never saved again."""
        self._locked = True
        self._drafts.stop()
        for section in self._sections:
            section.set_read_only(True)
        QTimer.singleShot(0, self, self._relayout)
        self.submit_button.hide()
        self.discard_button.hide()
        self.present_button.hide()
        self.status.hide()
        when = fmt.local(submitted_at or utcnow())
        stamp = QLocale().toString(
            QDateTime(to_qdate(when.date()), QTime(when.hour, when.minute)), date_time_format())
        self.locked_banner.setText(tr("Submitted and locked on {date}", date=stamp))
        self.locked_banner.show()

    def _relayout(self) -> None:
        """Close the gaps the hidden controls of a read-only report leave.

        Nested layouts keep a child's old height until that child says it changed, and the
        inner ones only know after their own relayout (an event loop turn after hiding).
        """
        for widget in reversed(self.form_area.findChildren(QWidget)):
            widget.updateGeometry()

    # -- saving ------------------------------------------------------------------------
    def _draft_form(self) -> CallForm:
        """The form as the rep sees it, less sample rows still missing their lot number."""
        form = self._collect()
        return replace(form, samples=[s for s in form.samples if s.lot.strip()])

    def _collect(self) -> CallForm:
        form = CallForm(account_id=self._account_id)
        for section in self._sections:
            section.collect(form)
        if form.not_received:  # what the resting sections hold is not part of the call
            form.products, form.key_messages, form.samples = [], {}, []
        return form

    def _on_saving(self) -> None:
        self.status.setText(tr("Saving…"))

    def _on_saved(self, call_id: str) -> None:
        now = QLocale().toString(QTime.currentTime(), QLocale.FormatType.ShortFormat)
        self.status.setText(tr("Draft saved {time}", time=now))
        self.saved.emit(call_id)
        if self.summary.isVisible() and not self._submitting and not self._submit_queued:
            # Errors of a refused submit stay until fixed; once the saved call has none
            # left (the time moved to the past), they go, not at the next submit.
            at = utcnow()
            self._ops.read(lambda s: calls.submit_problems(s, call_id, at),
                           weak_callback(self._recheck_errors))

    def _recheck_errors(self, problems: dict[str, str]) -> None:
        if not problems and not self._submitting and not self._locked:
            self._clear_errors()

    def _on_save_failed(self, error: BaseException, form: CallForm) -> None:
        """Say why, and give up what waited for the save (a submit, a close)."""
        self._submit_queued = False
        self._closing = False
        self.status.setText(tr("Not saved: {reason}", reason=describe(error)))
        if isinstance(error, ValidationError):
            self._show_errors(error.errors, form.samples)

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Focus left the report (another page, another application): save now."""
        if not shiboken6.isValid(self) or old is None or not self._drafts.dirty:
            return
        if self.isAncestorOf(old) and (new is None or not self.isAncestorOf(new)):
            self._drafts.save_now()

    def hideEvent(self, event: QHideEvent) -> None:
        self.save_now()
        super().hideEvent(event)

    # -- submitting --------------------------------------------------------------------
    def _submit_saved(self) -> None:
        self._submit_queued = False
        call_id, user_id, now = self._drafts.call_id, self._user_id, utcnow()
        if call_id is None:
            return
        self._submitting = True
        self._drafts.held = True
        self.status.setText(tr("Submitting…"))
        self._ops.write(lambda s: calls.submit_call(s, user_id, call_id, now),
                        weak_callback(self._on_submitted, call_id, now),
                        weak_callback(self._on_submit_failed, call_id))

    def _on_submitted(self, call_id: str, submitted_at: dt.datetime, _result: None) -> None:
        self._submitting = False
        typed_meanwhile = self._drafts.dirty
        self._lock(submitted_at)
        self.submitted.emit(call_id)
        if typed_meanwhile:
            self._load()  # show exactly what was locked, not keys typed after Submit
        if self._closing:
            self._emit_closed()

    def _on_submit_failed(self, call_id: str, error: BaseException) -> None:
        self._submitting = False
        self._drafts.release()
        self.status.setText(tr("Not submitted"))
        if isinstance(error, ValidationError):
            errors = error.errors
            if any(_SAMPLE_KEY.match(key) for key in errors):
                # The indices count the stored samples; match them to rows by product and lot.
                self._ops.read(lambda s: calls.load_form(s, call_id)[0].samples,
                               weak_callback(self._show_errors, errors))
            else:
                self._show_errors(errors, None)
        else:
            self.summary.setText(describe(error))
            self.summary.show()
        if self._closing:
            self._closing = False
            self.close_report()

    # -- errors ------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        for section in self._sections:
            section.clear_errors()
        self.summary.hide()

    def _show_errors(self, errors: dict[str, str], lines: list[SampleLine] | None) -> None:
        """Each message under its field, all of them on top, focus on the first field."""
        self._clear_errors()
        shown: list[tuple[str, QWidget]] = []
        for section in self._sections:
            if isinstance(section, SamplesSection):
                shown += section.show_errors(errors, lines)
            else:
                shown += section.show_errors(errors)
        ordered = [key for key, _ in shown] + [k for k in errors if k not in dict(shown)]
        items = "\n".join(f"•  {errors[key]}" for key in dict.fromkeys(ordered))
        self.summary.setText(tr("This call cannot be submitted yet:") + "\n" + items)
        self.summary.show()
        if shown:
            field = shown[0][1]
            self.scroll_area.ensureWidgetVisible(field, GRID * 4, GRID * 8)
            field.setFocus(Qt.FocusReason.OtherFocusReason)

