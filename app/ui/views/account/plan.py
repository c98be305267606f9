"""The account's engagement plan where one runs: the steps done, the next one and whose it
is. Before, the plan lived only in the engine's suggestions in the database."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.i18n import tr
from app.store.engagement_plans import PlanProgress, PlanStepLine
from app.ui import format as fmt
from app.ui.parts import Card, muted
from app.ui.views.suggestions import action_name


def step_text(step: PlanStepLine) -> str:
    """"E-mail · 7 Dec 2026 · Jörg Krüger" (the owner by name, else by role)."""
    owner = step.owner_name or fmt.role_name(step.owner_role)
    return tr("{action} · {due} · {owner}", action=action_name(step.action),
              due=fmt.date_text(step.due), owner=owner)


class PlanCard(Card):
    """Hidden without a plan; one line per step done, then the next step."""

    def __init__(self) -> None:
        super().__init__(tr("Engagement plan"))
        self.done = QLabel()
        self.done.setWordWrap(True)
        self.next = QLabel()
        self.next.setWordWrap(True)
        self.ended = muted(tr("No step is open: the plan has run its course."), wrap=True)
        for label in (self.done, self.next, self.ended):
            self.body.addWidget(label)
        self.hide()

    def show_plan(self, plan: PlanProgress | None) -> None:
        self.setVisible(plan is not None)
        if plan is None:
            return
        done = [tr("Done: {step}", step=step_text(s)) for s in plan.done]
        self.done.setText("\n".join(done))
        self.done.setVisible(bool(done))
        upcoming = plan.next_step
        self.next.setText(tr("Next: {step}", step=step_text(upcoming)) if upcoming else "")
        self.next.setVisible(upcoming is not None)
        self.ended.setVisible(upcoming is None)
