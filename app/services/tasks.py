"""Finishing a task: the owner marks it done (or a task nobody owns yet), with an audit entry;
the change syncs like any other. Someone else's task is theirs to finish."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.i18n import tr
from app.services import audit
from app.services.errors import NotFoundError, ValidationError
from app.store.base import TaskStatus
from app.store.interactions import Task


def complete_task(session: Session, user_id: str | None, task_id: str) -> None:
    task = session.get(Task, task_id)
    if task is None or task.deleted:
        raise NotFoundError(tr("This task no longer exists."))
    if task.status != TaskStatus.OPEN:
        raise ValidationError({"": tr("This task is already closed.")})
    if task.owner_id is not None and task.owner_id != user_id:
        raise ValidationError({"": tr("This task belongs to someone else: they mark it done.")})
    task.status = TaskStatus.DONE.value
    session.flush()
    audit.record(session, user_id, "task.done", "tasks", task_id)
