"""The account screen's medical inquiries: what the rep escalated, where it stands, the
MSL's hand-back note, and the button to escalate a new question.

Only what the rep may know is shown: status, when it was answered, the note. The answer
itself never reaches a rep's laptop (the server keeps it on the medical side).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.i18n import tr
from app.services.escalations import status_text, urgency_text
from app.store.escalation_queries import InquiryLine
from app.ui import format as fmt
from app.ui.icons import icon
from app.ui.parts import Card, muted


def inquiry_summary(line: InquiryLine, refused: str | None = None) -> str:
    """One inquiry for the rep, e.g. 'Cardiozan · urgent — handed back, 3 Mar 2025'."""
    when = line.handed_back_at or line.answered_at or line.raised_at
    head = f"{line.product_name} · {urgency_text(line.urgency)}"
    if refused is not None and line.status == "raised":
        reason = refused.replace("<", "&lt;")
        return f"<b>{head}</b> — " + tr("not accepted by the server: {reason}", reason=reason)
    state = status_text(line.status)
    if line.assigned_name and line.status not in ("raised", "queued"):
        state = tr("{status} ({who})", status=state, who=line.assigned_name)
    text = f"<b>{head}</b> — {state}, {fmt.date_text(when)}"
    if line.answered_at:
        text += "<br>" + tr("Answered on {date}", date=fmt.date_text(line.answered_at))
    if line.hand_back_note:
        note = line.hand_back_note.replace("<", "&lt;")
        text += "<br>" + tr("Note from medical: {note}", note=note)
    return text


class EscalationsCard(Card):
    """Filled by the account screen's read; `escalate_requested` when the rep wants to
    raise one."""

    escalate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Medical inquiries"), parent)
        self.lines: list[QLabel] = []
        self.none = muted(tr("No medical questions escalated."))
        self.escalate = QPushButton(icon("medical"), tr("Escalate a medical question…"))
        self.escalate.setToolTip(tr("A question only medical may answer: an MSL takes it "
                                    "over and tells you when it is answered"))
        self.escalate.clicked.connect(self.escalate_requested)
        self.body.addWidget(self.none)
        self.body.addWidget(self.escalate)

    def show_lines(self, lines: list[InquiryLine], refused: dict[str, str] | None = None
                   ) -> None:
        for label in self.lines:
            label.deleteLater()
        self.lines = []
        for line in reversed(lines):  # newest first
            label = QLabel(inquiry_summary(line, (refused or {}).get(line.id)))
            label.setWordWrap(True)
            label.setToolTip(line.question)
            self.body.insertWidget(self.body.indexOf(self.none), label)
            self.lines.append(label)
        self.none.setVisible(not lines)
