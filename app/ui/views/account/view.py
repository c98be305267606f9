"""One account: who it is, how it wants to be contacted, where it works, and its history.

Everything on the screen comes from one read (profile, consents, affiliations and the whole
timeline in one snapshot). Opening another account while a read is under way drops the older
answer, as the accounts list does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.engine import PersonaAssignment
from app.i18n import tr
from app.services.escalations import refusals
from app.services.suggestions import Recommender
from app.store.account_detail import AccountDetail, account_detail
from app.store.engagement_plans import PlanProgress, engagement_plan
from app.store.escalation_queries import InquiryLine, inquiries
from app.store.plan_targets import AccountPlan, account_plan
from app.store.queries import TimelineEntry, account_history
from app.store.sales_queries import ProductTrend, account_sales
from app.store.task_queries import open_tasks
from app.store.touchpoint_queries import with_touchpoints
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.parts import Card, EmptyState, muted, page_title, primary_button, section_title
from app.ui.room import KeepRoom
from app.ui.views.account.change_requests import ChangeRequestsCard
from app.ui.views.account.consent_dialog import ConsentDialog
from app.ui.views.account.cycle import cycle_text
from app.ui.views.account.export import DataExport
from app.ui.views.account.plan import PlanCard
from app.ui.views.email.compose import ComposeDialog
from app.ui.views.escalation.dialog import EscalationDialog
from app.ui.views.escalation.status import EscalationsCard
from app.ui.views.presenter.button import present_button
from app.ui.views.sales.trend import SalesTrendCard
from app.ui.views.suggestions import PersonaCard
from app.ui.views.tasks import TasksCard

ID_ROLE = Qt.ItemDataRole.UserRole
#: Set on a history row an outside system reported (no call report to open).
REPORTED_ROLE = Qt.ItemDataRole.UserRole + 1
NOTES_PREVIEW = 90


@dataclass(frozen=True)
class AccountPage:
    detail: AccountDetail | None
    history: list[TimelineEntry]
    inquiries: list[InquiryLine]
    refusals: dict[str, str]  # inquiry id -> why the server refused it
    persona: PersonaAssignment | None = None
    sales: tuple[ProductTrend, ...] = ()
    plan: PlanProgress | None = None
    cycle: AccountPlan | None = None  # the cycle plan's target and the calls so far


def read_account(session: Session, account_id: str, lang: str,
                 recommender: Recommender | None = None) -> AccountPage:
    detail = account_detail(session, account_id, lang)
    history = with_touchpoints(session.connection(), account_id, account_history(
        session.connection(), account_id)) if detail else []
    medical = inquiries(session, account_id=account_id) if detail else []
    persona = recommender.persona_if_ready(account_id) if recommender and detail else None
    sales = tuple(account_sales(session.connection(), account_id)) if detail else ()
    plan = engagement_plan(session.connection(), account_id) if detail else None
    cycle = account_plan(session.connection(), account_id, dt.date.today()) if detail else None
    return AccountPage(detail, history, medical, refusals(session) if medical else {}, persona,
                       sales, plan, cycle)


def notes_preview(entry: TimelineEntry) -> str:
    """Subject and the start of the notes on one line."""
    notes = " ".join((entry.notes or "").split())
    if len(notes) > NOTES_PREVIEW:
        notes = notes[:NOTES_PREVIEW - 1].rstrip() + "…"
    return " — ".join(part for part in (fmt.stored_text(entry.subject), notes) if part)


class ProfileCard(Card):
    """Address, phone, e-mail, external ids and how the account likes to be reached."""

    def __init__(self) -> None:
        super().__init__(tr("Contact"))
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(self.form)

    def show_detail(self, detail: AccountDetail) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        address = detail.primary_address
        if address is not None:
            lines = [address.line1, address.line2,
                     " ".join(p for p in (address.postcode, address.city) if p)]
            self._row(tr("Address"), "\n".join(line for line in lines if line))
        self._row(tr("Phone"), detail.phone)
        self._row(tr("E-mail"), detail.email)
        for system, value in detail.external_ids:
            self._row(system, value)
        if detail.opening_hours:
            self._row(tr("Opening hours"), detail.opening_hours)
        self._row(tr("Best time"), detail.preferred_contact_time)
        language = {"de": tr("German"), "en": tr("English")}
        if detail.preferred_language:
            self._row(tr("Language"),
                      language.get(detail.preferred_language, detail.preferred_language))
        self._row(tr("Notes"), detail.notes)

    def _row(self, label: str, value: str | None) -> None:
        field = QLabel(value or "—")
        field.setWordWrap(True)
        field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if not value:
            field.setProperty("muted", True)
        caption = muted(label)
        self.form.addRow(caption, field)


class ChannelsCard(Card):
    """Consent and preference per channel, with the button that edits them."""

    def __init__(self) -> None:
        super().__init__(tr("Channels and consent"))
        self.table = QTableWidget(len(fmt.CHANNEL_ORDER), 3)
        self.table.setHorizontalHeaderLabels([tr("Channel"), tr("Consent"), tr("Rank")])
        self.table.setToolTip(tr("The account's preferred channels: 1 is the first choice."))
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        row_height = self.fontMetrics().height() + 12
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.setFixedHeight(header.sizeHint().height()
                                  + row_height * len(fmt.CHANNEL_ORDER) + 4)
        self.edit = QPushButton(icon("edit"), tr("Edit preferences and consent…"))
        self.body.addWidget(self.table)
        self.body.addWidget(self.edit, 0, Qt.AlignmentFlag.AlignLeft)

    def show_detail(self, detail: AccountDetail) -> None:
        for row, channel in enumerate(fmt.CHANNEL_ORDER):
            line = detail.consent_for(channel)
            consent = fmt.consent_name(line.consent if line else "unknown")
            if line and line.consent_date and line.consent != "unknown":
                consent = tr("{state} on {date}", state=consent,
                             date=fmt.date_text(line.consent_date))
            name = QTableWidgetItem(icon(fmt.CHANNEL_ICONS[channel]), fmt.channel_name(channel))
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(consent))
            rank = line.preference_rank if line and line.preferred else None
            self.table.setItem(row, 2, QTableWidgetItem(str(rank) if rank else ""))


class AffiliationsCard(Card):
    def __init__(self) -> None:
        super().__init__(tr("Affiliations"))
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Affiliations"))
        self.list.setMaximumHeight(self.fontMetrics().height() * 10)
        # A practice's long name, the role and the city wrap in the side column (they were
        # cut off at its edge).
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.none = muted(tr("No affiliations recorded."))
        self.body.addWidget(self.list)
        self.body.addWidget(self.none)

    def show_detail(self, detail: AccountDetail) -> None:
        self.list.clear()
        for line in detail.affiliations:
            parts = [line.name, line.role, line.city]
            item = QListWidgetItem(icon("hospital" if line.kind == "hco" else "doctor"),
                                   " · ".join(p for p in parts if p))
            item.setData(ID_ROLE, line.account_id)
            item.setToolTip(tr("Open {name}", name=line.name))
            self.list.addItem(item)
        self.list.setVisible(bool(detail.affiliations))
        self.none.setVisible(not detail.affiliations)


def _status_text(entry: TimelineEntry) -> str:
    """A submitted visit the doctor did not receive reads as such: an attempt, not a talk."""
    if entry.not_received and entry.status == "submitted":
        return tr("Not received")
    return fmt.status_name(entry.status)


class Timeline(QTreeWidget):
    """Every touchpoint, newest first; Enter or a double-click opens the call report."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(tr("History"))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels([tr("Date"), tr("Channel"), tr("Status"), tr("Products"),
                              tr("Samples"), tr("Notes"), tr("By")])
        # One account's history is small: fitting columns to their contents is cheap, and
        # leaves the notes as much room as the window has.
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The notes keep room for some 28 characters: who wrote it and the products give
        # way first, elided with the whole text in their tooltips (app/ui/room.py).
        self.room = KeepRoom(self, 5, 28, give=(6, 3, 1, 2))

    def fill(self, entries: list[TimelineEntry]) -> None:
        self.clear()
        for entry in entries:
            if entry.touchpoint_kind is not None:
                self.addTopLevelItem(_reported(entry))
                continue
            item = QTreeWidgetItem([
                fmt.datetime_text(entry.start_at), fmt.channel_name(entry.channel),
                _status_text(entry), entry.products or "",
                str(entry.samples) if entry.samples else "", notes_preview(entry),
                entry.owner or "",
            ])
            item.setIcon(1, icon(fmt.CHANNEL_ICONS.get(entry.channel, "call")))
            item.setIcon(2, icon(entry.status if entry.status in
                                 ("planned", "draft", "submitted") else "call"))
            item.setData(0, ID_ROLE, entry.id)
            item.setToolTip(3, entry.products or "")
            item.setToolTip(6, entry.owner or "")
            if entry.notes:
                item.setToolTip(5, entry.notes)
            self.addTopLevelItem(item)
        self.room.fit()
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)


def _reported(entry: TimelineEntry) -> QTreeWidgetItem:
    """A touchpoint an outside system reported: what happened and which system said so; it
    opens nothing (there is no call report behind it)."""
    item = QTreeWidgetItem([
        fmt.datetime_text(entry.start_at), fmt.touchpoint_name(entry.touchpoint_kind or ""),
        tr("Reported"), "", "", notes_preview(entry), entry.owner or ""])
    item.setIcon(1, icon(fmt.CHANNEL_ICONS.get(entry.channel, "info")))
    item.setData(0, ID_ROLE, entry.id)
    item.setData(0, REPORTED_ROLE, True)
    item.setToolTip(1, tr("Reported by {source}", source=entry.owner or ""))
    if entry.notes:
        item.setToolTip(5, entry.notes)
    return item


class AccountView(QWidget):
    """The account screen. Signals carry ids; the main window decides what opens."""

    account_opened = Signal(str)
    call_opened = Signal(str, str)  # account id, call id
    log_call_requested = Signal(str)  # account id
    plan_requested = Signal(str, str)  # account id, name: plan a contact (app/ui/views/plan)
    present_requested = Signal(str)  # account id: show an e-detail, then log the call
    back_requested = Signal()
    changed = Signal()  # the account was edited here (the main window refreshes sync status)
    history_shown = Signal()

    def __init__(self, ops: Operations, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._language = language
        self._generation = 0
        self.user_id: str | None = None
        self.account_id: str | None = None
        self.detail: AccountDetail | None = None
        self.read_only = False  # set_read_only

        self.back = QPushButton(icon("back"), tr("Accounts"))
        self.back.setObjectName("backButton")
        self.back.setToolTip(tr("Back to the accounts list (Alt+Left)"))
        self.back.clicked.connect(self.back_requested)
        self.name = page_title("")
        self.subtitle = muted()
        self.cycle = muted()
        self.cycle.setObjectName("cycle-plan")
        self.cycle.hide()
        self.log_call = primary_button(tr("Log a call"), "call")
        self.log_call.setToolTip(tr("Log a call with this account (Ctrl+N)"))
        self.log_call.clicked.connect(self._log_call)
        self.present = present_button(in_call=False)
        self.plan_contact = QPushButton(icon("planned"), tr("Plan a contact…"))
        self.plan_contact.setToolTip(tr("Put a visit, call, video call, e-mail or event with "
                                        "this account in the calendar"))
        self.plan_contact.clicked.connect(self._plan_contact)
        self.send_email = QPushButton(icon("email"), tr("Send e-mail…"))
        self.send_email.setToolTip(tr("Send an approved e-mail to this account"))
        self.send_email.clicked.connect(self.compose_email)
        self.present.clicked.connect(self._present)

        self.profile = ProfileCard()
        self.channels = ChannelsCard()
        self.channels.edit.clicked.connect(self.edit_consent)
        self.affiliations = AffiliationsCard()
        self.escalations = EscalationsCard()
        self.escalations.escalate_requested.connect(self.escalate)
        self.persona = PersonaCard()
        self.plan = PlanCard()
        # The account's own tasks: no account column, the owner instead.
        self.tasks = TasksCard(ops, tr("Open tasks"), hide_when_empty=True, with_account=False)
        self.tasks.hide()
        self.data_export = DataExport(ops)  # GDPR subject-access export
        self.change_requests = ChangeRequestsCard(ops, language)  # master data: the steward's
        self.change_requests.changed.connect(self.changed)
        #: Set by the main window: the engine that names the account's persona.
        self.recommender: Recommender | None = None
        self.affiliations.list.itemActivated.connect(
            lambda item: self.account_opened.emit(item.data(ID_ROLE)))
        side = QWidget()
        side.setObjectName("sideColumn")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 8, 0)
        side_layout.setSpacing(16)
        for card in (self.profile, self.persona, self.plan, self.tasks, self.escalations,
                     self.channels, self.affiliations, self.change_requests,
                     self.data_export):
            side_layout.addWidget(card)
        side_layout.addStretch()
        scroll = QScrollArea()
        scroll.setObjectName("sideScroll")
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(340)
        scroll.setMaximumWidth(400)

        self.timeline = Timeline()
        self.timeline.itemActivated.connect(self._open_call)
        self.history_title = section_title(tr("History"))
        self.no_history = EmptyState("call")
        self.no_history.set_text(tr("No calls yet."),
                                 tr("Log the first one with “Log a call” (Ctrl+N)."))
        self.history = QStackedWidget()
        self.history.addWidget(self.timeline)
        self.history.addWidget(self.no_history)
        history_column = QVBoxLayout()
        history_column.setSpacing(8)
        self.sales = SalesTrendCard(tr("Sales and share of market"))
        self.sales.hide()
        history_column.addWidget(self.sales)
        history_column.addWidget(self.history_title)
        history_column.addWidget(self.history, 1)

        self.missing = EmptyState("warning")
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(16)
        columns.addWidget(scroll, 2)
        columns.addLayout(history_column, 3)
        self.content = QStackedWidget()
        self.content.addWidget(body)
        self.content.addWidget(self.missing)

        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(self.name)
        heading.addWidget(self.subtitle)
        heading.addWidget(self.cycle)
        header = QHBoxLayout()
        header.addLayout(heading, 1)
        header.addWidget(self.plan_contact, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.send_email, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.present, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.log_call, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(header)
        layout.addSpacing(8)
        layout.addWidget(self.content, 1)

    def show_account(self, account_id: str) -> None:
        """Show `account_id`, reading it off the GUI thread."""
        if account_id != self.account_id:
            self.detail = None
            self.name.setText("")
            self.subtitle.setText("")
            self.timeline.clear()
        self.account_id = account_id
        self.reload()

    def reload(self) -> None:
        if self.account_id is None:
            return
        self._generation += 1
        generation, account_id, lang = self._generation, self.account_id, self._language
        recommender = self.recommender
        self._ops.read(lambda session: read_account(session, account_id, lang, recommender),
                       lambda page: self._show(generation, page), self._failed)
        self.tasks.user_id = self.user_id
        self.change_requests.show_account(account_id, self.user_id)
        self.tasks.load(lambda session: open_tasks(session.connection(), account_id=account_id))

    def _show(self, generation: int, page: AccountPage) -> None:
        if generation != self._generation:
            return
        self.detail = page.detail
        if page.detail is None:
            self.name.setText("")
            self.missing.set_text(tr("This account is no longer on this laptop."),
                                  tr("It may have moved to another territory."))
            self.content.setCurrentWidget(self.missing)
            self.log_call.setEnabled(False)
            self.present.setEnabled(False)
            return
        detail = page.detail
        self.log_call.setEnabled(True)
        self.present.setEnabled(True)
        self.name.setText(detail.name)
        facts = [fmt.kind_name(detail.kind), detail.specialty,
                 tr("Segment {segment}", segment=detail.segment) if detail.segment else None]
        self.subtitle.setText(" · ".join(f for f in facts if f))
        self.cycle.setText(cycle_text(page.cycle) if page.cycle else "")
        self.cycle.setVisible(page.cycle is not None)
        self.profile.show_detail(detail)
        self.channels.show_detail(detail)
        self.affiliations.show_detail(detail)
        self.data_export.show_account(detail.id, detail.kind)
        self.escalations.show_lines(page.inquiries, page.refusals)
        if page.persona is not None:
            self.persona.show_persona(page.persona)
        else:
            self.persona.hide()
        self.sales.show_trends(list(page.sales))
        self.plan.show_plan(page.plan)
        self.timeline.fill(page.history)
        self.history_title.setText(tr("History ({count})",
                                      count=len(page.history)) if page.history
                                   else tr("History"))
        self.history.setCurrentWidget(self.timeline if page.history else self.no_history)
        self.content.setCurrentIndex(0)
        self.history_shown.emit()

    def _failed(self, error: BaseException) -> None:
        self.missing.set_text(tr("The account could not be read."), describe(error))
        self.content.setCurrentWidget(self.missing)

    def _open_call(self, item: QTreeWidgetItem) -> None:
        if self.account_id is not None and not item.data(0, REPORTED_ROLE):
            self.call_opened.emit(self.account_id, item.data(0, ID_ROLE))

    def _log_call(self) -> None:
        if self.account_id is not None and self.detail is not None:
            self.log_call_requested.emit(self.account_id)

    def _plan_contact(self) -> None:
        if self.account_id is not None and self.detail is not None:
            self.plan_requested.emit(self.account_id, self.detail.name)

    def _present(self) -> None:
        if self.account_id is not None:
            self.present_requested.emit(self.account_id)

    def focus_history(self) -> None:
        self.timeline.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_read_only(self, read_only: bool) -> None:
        """A role that reads only (the manager) is offered no action it may not take: no
        call, presentation or planned contact, no consent change, escalation or task done."""
        self.read_only = read_only
        for button in (self.log_call, self.present, self.plan_contact, self.send_email,
                       self.channels.edit,
                       self.escalations.escalate):
            button.setHidden(read_only)
        self.tasks.read_only = read_only

    def edit_consent(self) -> ConsentDialog | None:
        """Open the preferences and consent dialog (modeless; returns it for tests)."""
        if self.detail is None:
            return None
        dialog = ConsentDialog(self._ops, self.user_id, self.detail, self)
        dialog.saved.connect(self._consent_saved)
        dialog.open()
        return dialog

    def compose_email(self) -> ComposeDialog | None:
        """Compose an approved e-mail to this account (modeless; returned for tests)."""
        if self.detail is None:
            return None
        dialog = ComposeDialog(self._ops, self.user_id, self.detail.id, self.detail.name,
                               parent=self)
        dialog.sent.connect(lambda _id: self._consent_saved())
        dialog.open()
        return dialog

    def escalate(self) -> EscalationDialog | None:
        """Escalate a medical question of this account (modeless; returned for tests)."""
        if self.detail is None:
            return None
        dialog = EscalationDialog(self._ops, self.user_id, self.detail.id, parent=self)
        dialog.saved.connect(lambda _id: self._consent_saved())
        dialog.open()
        return dialog

    def _consent_saved(self) -> None:
        self.changed.emit()
        self.reload()
