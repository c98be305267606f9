"""Suggestions on screen: the list with reasons, and the rep's answer to each.

The same panel serves the Today screen (prioritised doctors) and the next steps after a call.
Accept creates the planned call or the task for the step's owner in one click; dismissing
needs a reason, typed in the line beside the buttons (nothing is dismissed without one);
Done marks a step as carried out. Every answer is written off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.engine import ControlReport, PersonaAssignment, Reason
from app.i18n import tr
from app.services import visit_slots
from app.services.suggestions import Item, Recommender
from app.services.visit_slots import Proposal
from app.store.base import utcnow
from app.store.queries import current_user
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.operations import Operations, describe
from app.ui.parts import Card, muted, page_title, primary_button

ID_ROLE = Qt.ItemDataRole.UserRole
VISIT_ACTIONS = ("call", "remote_call")


def action_name(action: str) -> str:
    names = {"call": tr("Visit"), "remote_call": tr("Remote call"), "email": tr("E-mail"),
             "event_invitation": tr("Event invitation"),
             "msl_follow_up": tr("Medical follow-up (MSL)")}
    return names.get(action, action)


def persona_name(persona: str) -> str:
    names = {"evidence_driven": tr("evidence-driven"), "pragmatic": tr("pragmatic"),
             "digital_affine": tr("digitally affine"), "barely_responsive": tr("barely responsive")}
    return names.get(persona, persona)


def persona_in_words(persona: str, confidence: float) -> str:
    """What the learned persona means for the next contact, said as a rep would say it, and
    how settled that is in words: a model is never "100 % sure" of a person."""
    if confidence < 0.6:
        certainty = tr("a first impression")
    elif confidence < 0.85:
        certainty = tr("likely, from the contacts so far")
    else:
        certainty = tr("a clear pattern in the contacts so far")
    return tr("{kind} ({certainty})", kind=persona_kind(persona), certainty=certainty)


def persona_kind(persona: str) -> str:
    """A persona as what it means for the next contact."""
    kinds = {"evidence_driven": tr("Looks for study data and evidence"),
             "pragmatic": tr("Wants short, practical contacts"),
             "digital_affine": tr("Likes digital contact"),
             "barely_responsive": tr("Barely responds to any contact")}
    return kinds.get(persona, persona_name(persona))


def topic_name(topic: str) -> str:
    names = {"study": tr("study data"), "efficacy": tr("efficacy"), "safety": tr("safety"),
             "dosing": tr("dosing"), "patient-support": tr("patient support")}
    return names.get(topic, topic)


def reason_text(reason: Reason) -> str:
    """A reason in the user's language, channels, personas and topics named in it too."""
    values: dict[str, Any] = dict(reason.values)
    if reason.text == "Behaves like the {persona} persona":  # model jargon: say what it means
        return persona_kind(str(values.get("persona", "")))
    if "percent" in values:  # an expectation, never a certainty
        values["percent"] = min(int(values["percent"]), 99)
    for key in ("channel", "stated"):
        if key in values:
            values[key] = fmt.channel_name(str(values[key]))
    if "persona" in values:
        values["persona"] = persona_name(str(values["persona"]))
    if "topic" in values:
        values["topic"] = topic_name(str(values["topic"]))
    return tr(reason.text, **values)


class PersonaCard(Card):
    """The account's learned persona and the behaviour that points to it."""

    def __init__(self) -> None:
        super().__init__(tr("Persona"))
        self.persona = QLabel()
        self.persona.setWordWrap(True)
        self.evidence = muted(wrap=True)
        self.body.addWidget(self.persona)
        self.body.addWidget(self.evidence)
        self.hide()

    def show_persona(self, found: PersonaAssignment) -> None:
        if found.name is None:
            self.persona.setText(tr("Too little behaviour yet to tell."))
            self.evidence.setText("")
        else:
            self.persona.setText(persona_in_words(found.name, found.confidence))
            self.evidence.setText("\n".join(f"• {reason_text(r)}" for r in found.evidence))
        self.show()


#: The column of the reasons in the list of suggestions (it takes the rest of the width).
WHY_COLUMN = 4


class SuggestionList(QTreeWidget):
    """Account, city, suggested step, due day, and why (the top reasons). A visit in a city
    the rep is in that day is marked and listed first (app/services/day_places.py)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Suggestions"))
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHeaderLabels([tr("Account"), tr("City"), tr("Suggested step"), tr("Due"),
                              tr("Why")])
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHY_COLUMN, QHeaderView.ResizeMode.Stretch)

    def fill(self, items: list[Item]) -> None:
        self.clear()
        for entry in items:
            step = action_name(entry.action)
            if entry.content_title:
                step = f"{step}: {entry.content_title}"
            if entry.owner_role != "rep":
                step = f"{step} ({fmt.role_name(entry.owner_role)})"
            why = " · ".join(reason_text(r) for r in entry.reasons[:3])
            row = QTreeWidgetItem([entry.account_name, entry.city or "", step,
                                   fmt.date_text(entry.due), why])
            row.setIcon(2, icon(fmt.CHANNEL_ICONS.get(entry.channel, "call")))
            if entry.near:  # where the rep's visits are planned today
                row.setIcon(1, icon("planned"))
                row.setToolTip(1, tr("You have visits planned in {city} today.",
                                     city=entry.city or ""))
            row.setToolTip(WHY_COLUMN, "\n".join(reason_text(r) for r in entry.reasons))
            row.setData(0, ID_ROLE, entry.id)
            self.addTopLevelItem(row)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def current_id(self) -> str | None:
        item = self.currentItem()
        return None if item is None else item.data(0, ID_ROLE)


class SuggestionPanel(QWidget):
    """The list and its answers. Emits `answered(kind)` after an answer was stored
    ("accepted", "dismissed", "completed") and `loaded(count)` after a fill."""

    answered = Signal(str)
    loaded = Signal(int)

    def __init__(self, ops: Operations, recommender: Recommender,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._recommender = recommender
        self._items: list[Item] = []
        self.slot_dialog: QDialog | None = None  # the last "when?" of an accepted visit
        self.list = SuggestionList()
        self.accept_button = primary_button(tr("Accept"))
        self.done_button = QPushButton(tr("Done"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Why does it not fit? (needed to dismiss)"))
        self.reason.setAccessibleName(tr("Reason for dismissing"))
        self.dismiss_button = QPushButton(tr("Dismiss"))
        self.message = muted(wrap=True)
        self.accept_button.clicked.connect(self.accept_current)
        self.done_button.clicked.connect(self.complete_current)
        self.dismiss_button.clicked.connect(self.dismiss_current)
        self.reason.textChanged.connect(self._update_buttons)
        self.reason.returnPressed.connect(self.dismiss_current)
        self.list.currentItemChanged.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.done_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._update_buttons()

    def show_items(self, items: list[Item]) -> None:
        self._items = items
        self.list.fill(items)
        self._update_buttons()
        self.loaded.emit(len(items))

    def _update_buttons(self, *_: object) -> None:
        chosen = self.list.current_id() is not None
        self.accept_button.setEnabled(chosen)
        self.done_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen and bool(self.reason.text().strip()))

    def _answer(self, kind: str, change: Callable[[Session, str | None, str], object]) -> None:
        suggestion_id = self.list.current_id()
        if suggestion_id is None:
            return

        def write(session: Session) -> None:
            user = current_user(session.connection())
            change(session, None if user is None else user.id, suggestion_id)

        self._ops.write(write, lambda _: self._answered(kind, suggestion_id), self._failed)

    def accept_current(self) -> None:
        """A visit for the rep: first the slot (proposed, changeable in the same step, or
        the doctor's planned call it joins); any other step is accepted at once."""
        item = next((i for i in self._items if i.id == self.list.current_id()), None)
        if item is None or item.action not in VISIT_ACTIONS or item.owner_role != "rep":
            now = utcnow()
            self._answer("accepted", lambda s, u, i: self._recommender.accept(s, u, i, now))
            return
        local_now = dt.datetime.now().replace(second=0, microsecond=0)

        def read(session: Session) -> Proposal:
            user = current_user(session.connection())
            return visit_slots.propose(session, None if user is None else user.id,
                                       item.account_id, item.due, local_now)

        self._ops.read(read, lambda proposal: self._ask_slot(item, proposal), self._failed)

    def _ask_slot(self, item: Item, proposal: Proposal) -> None:
        from app.ui.views.suggestion_accept import AcceptVisitDialog

        dialog = AcceptVisitDialog(item.account_name, item.channel, proposal, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._plan)
        self.slot_dialog = dialog
        dialog.open()

    def _plan(self, start: dt.datetime | None, channel: str) -> None:
        now = utcnow()
        at = None if start is None else visit_slots.to_utc(start)
        self._answer("accepted", lambda s, u, i: self._recommender.accept(
            s, u, i, now, start=at, channel=channel))

    def complete_current(self) -> None:
        now = utcnow()
        self._answer("completed", lambda s, u, i: self._recommender.complete(s, u, i, now))

    def dismiss_current(self) -> None:
        reason, now = self.reason.text(), utcnow()
        if not reason.strip():
            self.message.setText(tr("Say why the suggestion does not fit."))
            return
        self._answer("dismissed",
                     lambda s, u, i: self._recommender.dismiss(s, u, i, reason, now))

    def _answered(self, kind: str, suggestion_id: str) -> None:
        texts = {"accepted": tr("Accepted: planned for its owner."),
                 "dismissed": tr("Dismissed."), "completed": tr("Marked as done.")}
        self.message.setText(texts[kind])
        if kind == "dismissed":
            self.reason.clear()
        self.show_items([i for i in self._items if i.id != suggestion_id])
        self.answered.emit(kind)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(describe(error))


class NextStepsDialog(QDialog):
    """The next steps proposed after a call was submitted (not modal: the rep may look up
    the account meanwhile); when there are none, why."""

    explained = Signal()  # the reasons for an empty list are shown

    def __init__(self, ops: Operations, recommender: Recommender, call_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops, self._recommender, self._call_id = ops, recommender, call_id
        self.setWindowTitle(tr("Proposed next steps"))
        self.resize(860, 360)
        self.panel = SuggestionPanel(ops, recommender)
        self.status = muted(tr("Looking for next steps…"), wrap=True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.panel, 1)
        layout.addWidget(close)
        today = dt.date.today()

        def propose(session: Session) -> list[Item]:
            user = current_user(session.connection())
            return recommender.after_call(session, None if user is None else user.id,
                                          call_id, today)

        ops.write(propose, self._show, self._failed)

    def _show(self, items: list[Item]) -> None:
        self.status.setText(
            tr("Accept a step to plan it for its owner, or dismiss it with a reason.")
            if items else tr("No further steps proposed for this call."))
        self.panel.show_items(items)
        if not items:  # say why, so an empty list is not a puzzle
            recommender, call_id, today = self._recommender, self._call_id, dt.date.today()

            def explain(session: Session) -> list[str]:
                user = current_user(session.connection())
                return recommender.quiet_reasons(session, None if user is None else user.id,
                                                 call_id, today)

            self._ops.read(explain, self._explain, self._failed)

    def _explain(self, reasons: list[str]) -> None:
        self.status.setText(tr("No further steps proposed for this call.") + "\n"
                            + "\n".join(f"•  {reason}" for reason in reasons))
        self.explained.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))


class ControlReportDialog(QDialog):
    """Treated vs control accounts on reach, response and positive reactions (docs/rules.md)."""

    def __init__(self, ops: Operations, recommender: Recommender,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Do the suggestions work?"))
        self.resize(760, 320)
        self.title = page_title(tr("Control groups"))
        self.summary = muted(tr("Comparing…"), wrap=True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([tr("Measure"), tr("With suggestions"), tr("Control group"),
                                    tr("Difference (95 % interval)")])
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        today = dt.date.today()

        def compare(session: Session) -> ControlReport:
            user = current_user(session.connection())
            return recommender.control_report(session, None if user is None else user.id,
                                              today)

        ops.write(compare, self._show, self._failed)

    def _show(self, report: ControlReport) -> None:
        names = {"reach": tr("Reach (accounts contacted)"),
                 "response": tr("Response (contacts answered)"),
                 "positive_reactions": tr("Positive reactions")}
        self.summary.setText(tr(
            "Last 90 days. {treated} accounts get suggestions, {control} are held out at "
            "random as the control group.", treated=report.treated_accounts,
            control=report.control_accounts))
        self.table.clear()
        for kpi in report.kpis:
            interval = tr("{difference} points ({low} to {high})",
                          difference=fmt.number_text(kpi.difference * 100, signed=True),
                          low=fmt.number_text(kpi.low * 100, signed=True),
                          high=fmt.number_text(kpi.high * 100, signed=True))
            if not kpi.significant:
                interval = tr("{interval}, not yet significant", interval=interval)
            row = QTreeWidgetItem([names.get(kpi.name, kpi.name), fmt.percent_text(kpi.treated),
                                   fmt.percent_text(kpi.control), interval])
            if kpi.significant:
                row.setIcon(3, icon("info"))
                row.setToolTip(3, tr("The interval excludes zero: the difference is "
                                     "unlikely to be chance."))
            else:
                row.setToolTip(3, tr("The interval includes zero: the difference may still be "
                                     "chance. It narrows as more contacts are recorded."))
            self.table.addTopLevelItem(row)
        if not any(kpi.significant for kpi in report.kpis):
            self.summary.setText(self.summary.text() + " " + tr(
                "No difference is significant yet: it cannot be told from chance so far."))

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(describe(error))


