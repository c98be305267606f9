"""Suggestions for the rep: today's prioritised doctors, next steps after a call, and the
rep's answer to each (accept, dismiss with a reason, complete), plus the control-group report.

One `Recommender` per open database keeps the engine warm: it is built from the local store
once (rules: the newest valid rule set the server sent, else the shipped default; model: the
one trained on this laptop, stored as JSON in local_state), then kept current call by call,
so the suggestions after a call take milliseconds. Every answer is written with its audit
entry and outbox mutation in one transaction, and fed back to the engine.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engine import (
    ControlReport,
    Engine,
    Feedback,
    PersonaAssignment,
    Reason,
    RuleError,
    RuleSet,
    Suggestion,
    TrainedModel,
    TriggerType,
    default_rules,
    parse_rules,
    triggers_of,
)
from app.engine.control import REPORT_DAYS, report_since
from app.i18n import tr
from app.services import audit, day_places, next_steps_why, visit_slots
from app.services.calls import plan_call
from app.services.counted_calls import CountedCalls
from app.services.engine_data import (
    newest_reported_version,
    read_history,
    read_touchpoints,
    reported_since,
)
from app.services.errors import NotFoundError, ValidationError
from app.services.heap import reading_everything
from app.services.training import train_apart
from app.store.accounts import Account
from app.store.base import CallStatus, Role, utcnow
from app.store.interactions import Interaction, Task
from app.store.journal import LocalState
from app.store.reference import User
from app.store.suggestions import RuleSetRow, SuggestionStatus
from app.store.suggestions import Suggestion as SuggestionRow

log = logging.getLogger(__name__)

MODEL_KEY = "engine.model"
PLANNED_KEY = "engine.planned_on"
#: The newest reported touchpoint (the integration API) the rules have looked at.
REPORTED_KEY = "engine.reported_version"
#: Reported touchpoints older than this set off nothing: a late delivery is history, not news.
REPORTED_NEWS_DAYS = 14
TODAY_CAPACITY = 8  # new suggestions a day; open ones count towards it
CALL_ACTIONS = ("call", "remote_call")


@dataclass(frozen=True)
class Item:
    """One suggestion as the screens show it."""

    id: str
    account_id: str
    account_name: str
    action: str
    channel: str
    owner_role: str
    due: dt.date
    expires: dt.date
    priority: float
    reasons: tuple[Reason, ...]
    content_title: str | None
    status: str
    city: str | None = None  # the account's
    #: A visit in person in a city the rep has visits planned in that day (Today only).
    near: bool = False


def current_rules(session: Session) -> RuleSet:
    """The newest active rule set from the server that is valid here, else the default."""
    rows = session.scalars(select(RuleSetRow).where(RuleSetRow.active.is_(True),
                                                    RuleSetRow.deleted.is_(False))
                           .order_by(RuleSetRow.revision.desc()))
    for row in rows:
        try:
            return parse_rules(row.body, f"rule set {row.revision}")
        except RuleError as error:
            log.warning("rule set %s refused: %s", row.revision, error)
    return default_rules()


def _state(session: Session, key: str) -> str | None:
    row = session.get(LocalState, key)
    return None if row is None else row.value


def _set_state(session: Session, key: str, value: str) -> None:
    row = session.get(LocalState, key)
    if row is None:
        session.add(LocalState(key=key, value=value))
    else:
        row.value = value


def _territory(session: Session, user_id: str | None) -> str | None:
    user = session.get(User, user_id) if user_id else None
    return None if user is None else user.territory_id


F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Run a Recommender method holding its lock (the screens call from worker threads)."""
    @wraps(method)
    def run(self: Recommender, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return method(self, *args, **kwargs)
    return run  # type: ignore[return-value]


class Recommender:
    """The engine of one local database, loaded once and kept current."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._loaded_calls = CountedCalls()
        # Reads and writes run on worker threads; the engine is changed by one at a time.
        self.lock = threading.RLock()

    # ---- loading and training ----------------------------------------------------------

    @_locked
    def engine_for(self, session: Session, user_id: str | None) -> Engine:
        if self.engine is None:
            engine = Engine(current_rules(session))
            with reading_everything(session):
                history = read_history(session, _territory(session, user_id))
                engine.load(history.accounts, history.touchpoints, history.catalog,
                            history.feedback, history.open)
                del history
                self._loaded_calls = CountedCalls(session.connection().execute(
                    select(Interaction.id)
                    .where(Interaction.status == CallStatus.SUBMITTED.value)).scalars())
            stored = _state(session, MODEL_KEY)
            if stored:
                try:
                    engine.use_model(TrainedModel.from_json(stored))
                except ValueError as error:
                    log.warning("stored model refused: %s", error)
            self.engine = engine
        return self.engine

    @_locked
    def train(self, session: Session, user_id: str | None,
              progress: Callable[[int, int], None] | None = None) -> TrainedModel:
        """Learn personas and response from the local history; store the model as JSON."""
        self.engine = None
        engine = self.engine_for(session, user_id)
        # In a child process: scikit-learn never enters the app's (app.services.training).
        model = train_apart(engine.features, progress, engine.settings.seed)
        engine.use_model(model)
        _set_state(session, MODEL_KEY, model.to_json())
        return model

    @staticmethod
    def has_model(session: Session) -> bool:
        return _state(session, MODEL_KEY) is not None

    # ---- suggestions ---------------------------------------------------------------------

    @_locked
    def today(self, session: Session, user_id: str | None, today: dt.date) -> list[Item]:
        """Open suggestions for the signed-in user, planning today's if not done yet.

        The week planned here is a rep's (promotional calls, e-mails, invitations): a
        manager's laptop plans nothing and shows none (read-only), an MSL's shows only the
        steps meant for medical, never a rep's promotional visits."""
        role = _role(session, user_id)
        if role == Role.MANAGER:
            return []
        if role == Role.MSL:
            return [i for i in self.items(session, user_id) if i.owner_role == Role.MSL]
        engine = self.engine_for(session, user_id)
        rules = current_rules(session)
        if (rules.version, rules.name) != (engine.rules.version, engine.rules.name):
            engine.set_rules(rules)  # a newer rule set arrived by sync
        if engine.model.trained_on == 0:
            self.train(session, user_id)
            engine = self.engine_for(session, user_id)
        self._expire(session, user_id, today)
        if _state(session, PLANNED_KEY) != today.isoformat():
            known = set(session.scalars(select(SuggestionRow.id)))
            for suggestion in engine.propose(today, TODAY_CAPACITY, days=1):
                if suggestion.id not in known:
                    self._store(session, suggestion, user_id, None)
            if engine.features.accounts:  # a laptop before its first sync plans later
                _set_state(session, PLANNED_KEY, today.isoformat())
            session.flush()
        self._react_to_reported(session, engine, user_id, today)
        cities = day_places.cities_of_day(session, user_id, today)
        return day_places.near_first(  # the visits that fit where the rep is that day first
            [replace(i, near=i.due <= today and day_places.is_near(i, cities))
             for i in self.items(session, user_id)])

    def _react_to_reported(self, session: Session, engine: Engine, user_id: str | None,
                           today: dt.date) -> None:
        """What outside systems reported since the last look (an e-mail opened or clicked on
        a marketing platform) sets off the rules' e-mail triggers as the rep's own e-mail
        would. The first look only notes where it is: a laptop's first sync must not answer
        the whole past."""
        newest = newest_reported_version(session)
        seen = _state(session, REPORTED_KEY)
        if seen is not None and newest > int(seen):
            since = dt.datetime.combine(today - dt.timedelta(days=REPORTED_NEWS_DAYS),
                                        dt.time())
            for touch in reported_since(session, int(seen), since):
                fired: set[str] = set()
                for trigger in triggers_of(touch):
                    if trigger.type in (TriggerType.EMAIL_OPENED, TriggerType.EMAIL_CLICKED):
                        for suggestion in engine.react(trigger, today, fired):
                            self._store(session, suggestion, user_id, None)
        if seen is None or newest > int(seen):
            _set_state(session, REPORTED_KEY, str(newest))
            session.flush()

    @_locked
    def history_changed(self) -> None:
        """A sync brought rows: the next use reloads the engine from the store (new
        accounts, calls of other devices, consents), keeping the stored model."""
        self.engine = None
        self._loaded_calls = CountedCalls()

    @_locked
    def after_call(self, session: Session, user_id: str | None, call_id: str,
                   today: dt.date) -> list[Item]:
        """The next steps a submitted call sets off (rules, engagement plans)."""
        engine = self.engine_for(session, user_id)
        made: list[Suggestion] = []
        for touch in read_touchpoints(session, call_id=call_id):
            if call_id in self._loaded_calls:  # already counted when the engine was loaded
                fired: set[str] = set()
                for trigger in triggers_of(touch):
                    made += engine.react(trigger, today, fired)
            else:
                self._loaded_calls.add(call_id)
                made += engine.observe(touch, today)
        for suggestion in made:
            self._store(session, suggestion, user_id, call_id)
        session.flush()
        return [self._item(session, session.get(SuggestionRow, s.id)) for s in made
                if session.get(SuggestionRow, s.id) is not None]

    @_locked
    def quiet_reasons(self, session: Session, user_id: str | None, call_id: str,
                      today: dt.date) -> list[str]:
        """Why `call_id` set off no next step (app/services/next_steps_why.py)."""
        engine = self.engine_for(session, user_id)
        touches = read_touchpoints(session, call_id=call_id)
        return next_steps_why.quiet_reasons(engine, touches[0] if touches else None, today)

    def items(self, session: Session, user_id: str | None,
              after_call_id: str | None = None) -> list[Item]:
        query = select(SuggestionRow).where(SuggestionRow.status == SuggestionStatus.OPEN,
                                            SuggestionRow.deleted.is_(False))
        if after_call_id is not None:
            query = query.where(SuggestionRow.after_call_id == after_call_id)
        rows = session.scalars(query.order_by(SuggestionRow.due_date,
                                              SuggestionRow.priority.desc())).all()
        return [self._item(session, r) for r in rows]

    def _item(self, session: Session, row: SuggestionRow | None) -> Item:
        assert row is not None
        account = session.get(Account, row.account_id)
        engine = self.engine
        content = None
        if engine is not None and row.content_id is not None:
            item = engine.catalog.content_by_id(row.content_id)
            content = None if item is None else item.title
        reasons = tuple(Reason.from_json(d) for d in json.loads(row.reasons or "[]"))
        return Item(row.id, row.account_id, account.name if account else "", row.action,
                    row.channel, row.owner_role, row.due_date, row.expires_on, row.priority,
                    reasons, content, row.status, account.city if account else None)

    def _store(self, session: Session, s: Suggestion, user_id: str | None,
               after_call_id: str | None) -> None:
        owner = self._owner(session, s.owner_role, user_id)
        session.add(SuggestionRow(
            id=s.id, account_id=s.account_id, owner_role=s.owner_role, owner_id=owner,
            action=s.action, channel=s.channel, due_date=s.due, expires_on=s.expires,
            priority=round(s.priority, 4), reasons=json.dumps([r.to_json() for r in s.reasons]),
            content_id=s.content_id, product_id=s.product_id, rule_id=s.rule_id,
            rule_set_version=self.engine.rules.version if self.engine else None,
            plan_id=s.plan_id, plan_step=s.plan_step, trigger=s.trigger,
            after_call_id=after_call_id, status=SuggestionStatus.OPEN.value))
        session.flush()
        audit.record(session, user_id, "suggestion.made", "suggestions", s.id,
                     step=s.action, rule=s.rule_id)

    @staticmethod
    def _owner(session: Session, role: str, user_id: str | None) -> str | None:
        """The user who owns a step: the rep themself, or an MSL of their territory."""
        user = session.get(User, user_id) if user_id else None
        if user is None or role == user.role:
            return user_id
        return session.scalars(select(User.id).where(
            User.role == role, User.territory_id == user.territory_id,
            User.deleted.is_(False)).order_by(User.display_name)).first()

    def _expire(self, session: Session, user_id: str | None, today: dt.date) -> None:
        now = utcnow()
        for row in session.scalars(select(SuggestionRow).where(
                SuggestionRow.status == SuggestionStatus.OPEN,
                SuggestionRow.expires_on < today)):
            self._answer(session, user_id, row, SuggestionStatus.EXPIRED, now, None)

    # ---- the rep's answers ---------------------------------------------------------------

    def _open_row(self, session: Session, suggestion_id: str,
                  user_id: str | None) -> SuggestionRow:
        row = session.get(SuggestionRow, suggestion_id)
        if row is None or row.deleted:
            raise NotFoundError(tr("This suggestion no longer exists."))
        role = _role(session, user_id)
        if role == Role.MANAGER:
            raise ValidationError({"": tr(
                "A manager reads suggestions; their owners accept or dismiss them.")})
        if role == Role.MSL and row.owner_role != Role.MSL:
            raise ValidationError({"": tr(
                "This step is for the rep: an MSL answers only the steps meant for medical.")})
        if row.status != SuggestionStatus.OPEN:
            raise ValidationError({"status": tr("This suggestion was already answered.")})
        return row

    def _answer(self, session: Session, user_id: str | None, row: SuggestionRow,
                status: SuggestionStatus, now: dt.datetime, reason: str | None) -> None:
        row.status = status.value
        row.status_at = now
        row.status_reason = reason
        session.flush()
        audit.record(session, user_id, f"suggestion.{status.value}", "suggestions", row.id,
                     reason=reason)
        if self.engine is not None:
            self.engine.feedback(Feedback(row.id, row.account_id, row.channel, status.value,
                                          now, reason))

    @_locked
    def accept(self, session: Session, user_id: str | None, suggestion_id: str,
               now: dt.datetime, *, start: dt.datetime | None = None,
               channel: str | None = None) -> str:
        """Accept: a planned call (calls, remote calls) or a task for the step's owner.
        Returns the id of what was created, or of the doctor's open call the suggestion
        joins (never a second visit). A call goes at `start` (naive UTC) with `channel`
        when the rep chose them, else in the next free working slot (app/services/
        visit_slots.py)."""
        row = self._open_row(session, suggestion_id, user_id)
        if row.action in CALL_ACTIONS and row.owner_role == Role.REP:
            existing = visit_slots.open_call_for(session, user_id, row.account_id)
            if existing is not None:
                result = existing.id
            else:
                if start is None:
                    start = visit_slots.to_utc(visit_slots.next_free_slot(
                        session, user_id, row.due_date, visit_slots.to_local(now)))
                result = plan_call(session, user_id, row.account_id, start,
                                   channel or row.channel, subject=self._subject(row))
        else:
            task = Task(account_id=row.account_id, owner_id=row.owner_id,
                        subject=self._subject(row), due_date=row.due_date,
                        notes="\n".join(str(r) for r in
                                        (Reason.from_json(d) for d in json.loads(row.reasons))),
                        interaction_id=row.after_call_id)
            session.add(task)
            session.flush()
            result = task.id
        row.result_id = result
        self._answer(session, user_id, row, SuggestionStatus.ACCEPTED, now, None)
        return result

    def _subject(self, row: SuggestionRow) -> str:
        title = None
        if self.engine is not None and row.content_id is not None:
            item = self.engine.catalog.content_by_id(row.content_id)
            title = None if item is None else item.title
        subject = {
            "call": tr("Visit (suggested)"), "remote_call": tr("Remote call (suggested)"),
            "email": tr("Send an e-mail (suggested)"),
            "event_invitation": tr("Invite to an event (suggested)"),
            "msl_follow_up": tr("Medical follow-up (suggested)"),
        }.get(row.action, row.action)
        return f"{subject}: {title}" if title else subject

    @_locked
    def dismiss(self, session: Session, user_id: str | None, suggestion_id: str, reason: str,
                now: dt.datetime) -> None:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": tr("Say why the suggestion does not fit.")})
        row = self._open_row(session, suggestion_id, user_id)
        self._answer(session, user_id, row, SuggestionStatus.DISMISSED, now, reason)

    @_locked
    def complete(self, session: Session, user_id: str | None, suggestion_id: str,
                 now: dt.datetime) -> None:
        row = session.get(SuggestionRow, suggestion_id)
        if row is None or row.deleted:
            raise NotFoundError(tr("This suggestion no longer exists."))
        if row.status not in (SuggestionStatus.OPEN, SuggestionStatus.ACCEPTED):
            raise ValidationError({"status": tr("This suggestion was already answered.")})
        self._answer(session, user_id, row, SuggestionStatus.COMPLETED, now, None)

    def persona_if_ready(self, account_id: str) -> PersonaAssignment | None:
        """The persona the account's behaviour points to, with the evidence in words; None
        while the engine is still being built or trained (the screen then shows nothing
        rather than wait long)."""
        if not self.lock.acquire(timeout=1.0):
            return None
        try:
            engine = self.engine
            if engine is None or engine.model.trained_on == 0:
                return None
            return engine.persona_of(account_id)
        finally:
            self.lock.release()

    # ---- proof ---------------------------------------------------------------------------

    @_locked
    def control_report(self, session: Session, user_id: str | None, today: dt.date,
                       days: int = REPORT_DAYS) -> ControlReport:
        """Treated vs control over the last `days`: reach, response, positive reactions."""
        engine = self.engine_for(session, user_id)
        since = dt.datetime.combine(today - dt.timedelta(days=days), dt.time())
        return report_since(engine.features.accounts, engine.history, engine.in_control, since)


def _role(session: Session, user_id: str | None) -> str | None:
    """The user's role as this laptop knows it (None before the first sign-in)."""
    if user_id is None:
        return None
    return session.scalar(select(User.role).where(User.id == user_id))
