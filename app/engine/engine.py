"""The engine as one object: load a history, train, rescore, react to a touchpoint, plan.

Pure Python over the dataclasses of `app.engine.facts`: the local store adapts its rows to it
(app/services/suggestions.py) and the benchmark's harness drives it directly
(benchmarks/world, docs/engine-benchmark.md). Every suggestion passes `guards.violations`
before it leaves, and accounts of the control group never get one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from app.engine import guards, planning, recent
from app.engine.control import in_control_group
from app.engine.evidence import persona_evidence
from app.engine.facts import (
    CHANNEL_ACTION,
    CHANNELS,
    TOPICS,
    AccountFacts,
    AccountScore,
    Action,
    Catalog,
    ContentItem,
    Feedback,
    PersonaAssignment,
    Reason,
    Suggestion,
    Touchpoint,
)
from app.engine.features import CHANNEL_INDEX, Features
from app.engine.learn import (
    BARELY,
    BARELY_POSTERIOR,
    PERSONAS,
    Progress,
    TrainedModel,
    tolerance,
    train,
    untrained,
)
from app.engine.rules import AccountView, ActionSpec, RuleSet, Trigger, TriggerType
from app.engine.scoring import (
    Scores,
    account_score,
    assign_personas,
    patch,
    reasons,
    score,
)
from app.ids import uuid7

OPEN = "open"
#: A rule's action "contact": reach the doctor in his own channel, whichever it is.
CONTACT = "contact"
#: The kinds of content an action can carry, in order of preference (the laptop's catalog
#: holds e-detail presentations only, which an e-mail can then link to).
CONTENT_KINDS: dict[str, tuple[str, ...]] = {
    Action.EMAIL: ("email", "presentation"),
    Action.EVENT_INVITATION: ("event",),
}
DISMISS_DAMPING = 0.8  # each dismissal of a channel for an account lowers it by a fifth


@dataclass(frozen=True)
class EngineSettings:
    control_share: float | None = None  # None: the rule set's share
    control_salt: str = "fieldrep"
    suggestion_ttl_days: int = 7
    seed: int = 0


class Engine:
    """Recommendations for one territory, kept up to date touchpoint by touchpoint."""

    def __init__(self, rules: RuleSet, settings: EngineSettings | None = None) -> None:
        self.rules = rules
        self.settings = settings or EngineSettings()
        self.model = untrained()
        self.catalog = Catalog()
        self.features = Features([])
        #: Per account, its touchpoints of the last months (not the whole history: that is
        #: counted into `features`); what the guards and the control report look at.
        self.history: dict[str, list[Touchpoint]] = defaultdict(list)
        self.open: dict[str, list[Suggestion]] = defaultdict(list)
        self.dismissed = np.ones((0, len(CHANNELS)))
        self.persona = np.zeros(0, dtype=int)
        self.confidence = np.zeros(0)
        self.barely = np.zeros(0)  # posterior of "barely responsive" per account
        #: Each account's own contacts per 30 days, learned, never above `cap`.
        self.tolerance = np.zeros(0)
        self._scores: Scores | None = None
        self._scored_on: dt.date | None = None

    # ---- loading and learning ----------------------------------------------------------

    @property
    def control_share(self) -> float:
        share = self.settings.control_share
        return self.rules.control_share if share is None else share

    def load(self, accounts: Sequence[AccountFacts], touchpoints: Iterable[Touchpoint],
             catalog: Catalog, feedback: Iterable[Feedback] = (),
             open_suggestions: Iterable[Suggestion] = ()) -> None:
        """Count a whole history in (in time order), replacing what was loaded before.

        A sequence of touchpoints is sorted first; any other iterable (the store's stream)
        must come in time order, and is counted chunk by chunk without ever being held whole:
        `history` keeps only the recent touchpoints the guards and the control report ask
        about (app/engine/recent.py). A stream out of order raises ValueError and leaves the
        engine as it was.
        """
        opened = list(open_suggestions)
        features = Features(accounts)
        history = recent.stream(touchpoints, lambda chunk: features.add(chunk, recent=False),
                                opened)
        features.recent_from_samples()
        self.catalog = catalog
        self.features = features
        self.history = history
        self.dismissed = np.ones((len(self.features.accounts), len(CHANNELS)))
        for item in feedback:
            self._feedback(item)
        self.open = defaultdict(list)
        for suggestion in opened:
            self.open[suggestion.account_id].append(suggestion)
        self._assign()

    def train(self, progress: Progress | None = None) -> TrainedModel:
        model = train(self.features, progress, self.settings.seed)
        self.use_model(model)
        return model

    def use_model(self, model: TrainedModel) -> None:
        self.model = model
        self._assign()

    def _assign(self) -> None:
        self.persona, self.confidence = assign_personas(self.model, self.features)
        self.barely = np.where(self.persona >= 0, self.model.barely(
            self.features.responses.sum(axis=1), self.features.contacts.sum(axis=1)), 0.0)
        self.tolerance = tolerance(self.features, self._ceiling(), self.model.fatigue)
        self._scores = None

    def set_rules(self, rules: RuleSet) -> None:
        self.rules = rules
        self.tolerance = tolerance(self.features, self._ceiling(), self.model.fatigue)
        self._scores = None

    # ---- facts about one account ---------------------------------------------------------

    def in_control(self, account_id: str) -> bool:
        return in_control_group(account_id, self.control_share, self.settings.control_salt)

    def persona_name(self, i: int) -> str | None:
        """The persona the rules see (a barely responsive doctor has none they know)."""
        p = int(self.persona[i])
        return PERSONAS[p] if p >= 0 and self.barely[i] < BARELY_POSTERIOR else None

    @property
    def cap(self) -> int:
        """The contacts per 30 days the engine plans every account to: the strictest cap of
        the rule set, whatever persona the account behaves like.

        A persona learned from behaviour is never sure enough to allow more: the channel mix
        the rep chose shapes it too, and in the benchmark a quarter of the doctors named
        digitally affine with confidence 0.8 were not, and would have been contacted twice
        as often as they tolerate. A persona's own cap is its tolerance, shown, not planned to.
        Each doctor's own tolerance is learned under it (`tolerance`), never above it.
        """
        return min(self.rules.cap(p) for p in (*PERSONAS, None))

    def _ceiling(self) -> np.ndarray:
        return np.full(len(self.features.accounts), float(self.cap))

    def cap_of(self, i: int) -> int:
        """Contacts per 30 days account row `i` is planned to: his learned tolerance."""
        return int(self.tolerance[i]) if i < len(self.tolerance) else self.cap

    def persona_of(self, account_id: str) -> PersonaAssignment:
        i = self.features.row(account_id)
        if i is None or self.persona[i] < 0:
            return PersonaAssignment(None, 0.0, ())
        if self.barely[i] >= BARELY_POSTERIOR:
            answers, contacts = self.features.responses[i], self.features.contacts[i]
            return PersonaAssignment(BARELY, float(self.barely[i]), (
                Reason("Answered {count} of {total} contacts",
                       {"count": int(answers.sum()), "total": int(contacts.sum())}),))
        name = PERSONAS[int(self.persona[i])]
        return PersonaAssignment(name, float(self.confidence[i]),
                                 persona_evidence(self.model, self.features, i, name))

    def view(self, account_id: str, today: dt.date) -> AccountView | None:
        i = self.features.row(account_id)
        if i is None:
            return None
        scores = self.scores(today)
        since = self.features.days_since(today)[i]
        days_any = scores.days[i]
        return AccountView(
            self.features.accounts[i], self.persona_name(i), CHANNELS[int(scores.preferred[i])],
            {c: None if np.isnan(since[k]) else int(since[k]) for k, c in enumerate(CHANNELS)},
            None if np.isnan(days_any) else int(days_any),
            {t: int(self.features.positive[i, k]) for k, t in enumerate(TOPICS)},
            {t: int(self.features.negative[i, k]) for k, t in enumerate(TOPICS)})

    # ---- scoring ---------------------------------------------------------------------------

    def _caps(self) -> np.ndarray:
        n = len(self.features.accounts)
        if len(self.tolerance) != n:  # accounts added since: the ceiling until learned
            self.tolerance = np.concatenate([self.tolerance,
                                             np.full(n - len(self.tolerance), float(self.cap))])
        return self.tolerance

    def scores(self, today: dt.date) -> Scores:
        if self._scores is None or self._scored_on != today:
            self._scores = score(self.model, self.features, self.persona, self.confidence,
                                 self._caps(), self.dismissed, today,
                                 ceiling=self._ceiling())
            self._scored_on = today
        return self._scores

    def _rescore_row(self, i: int) -> None:
        """One account changed: rescore its row only (a new call costs milliseconds)."""
        if self._scores is None or self._scored_on is None:
            return
        fresh = score(self.model, self.features, self.persona, self.confidence, self._caps(),
                      self.dismissed, self._scored_on, rows=[i], ceiling=self._ceiling())
        patch(self._scores, [i], fresh)

    def rescore(self, today: dt.date) -> list[AccountScore]:
        """Every account's score, highest priority first."""
        self._scores = None
        scores = self.scores(today)
        order = np.argsort(-scores.priority, kind="stable")
        accounts = self.features.accounts
        return [account_score(scores, int(i), accounts[i].account_id, accounts[i].potential)
                for i in order]

    # ---- reacting to what happened -------------------------------------------------------

    def observe(self, touch: Touchpoint, today: dt.date | None = None) -> list[Suggestion]:
        """Count one new touchpoint in and return the suggestions it sets off."""
        today = today or touch.at.date()
        if self.features.add_one(touch) == 0:
            return []
        self.history[touch.account_id].append(touch)
        i = self.features.row(touch.account_id)
        assert i is not None
        self._reassign(i)
        made: list[Suggestion] = []
        if touch.suggestion_id is not None:
            made += self._advance_plan(touch, today)
            self._close(touch.account_id, touch.suggestion_id)
        self._revalidate(touch.account_id)
        fired: set[str] = set()
        for trigger in triggers_of(touch):
            made += self.react(trigger, today, fired)
        return made

    def _reassign(self, i: int) -> None:
        """Persona of one account after new behaviour; scores of that row only."""
        behaviour = self.features.behaviour(rows=[i])
        persona, confidence = self.model.assign(behaviour)
        enough = self.features.is_hcp[i] and self.features.contacts[i].sum() >= 3 \
            and self.model.trained_on > 0
        self.persona[i] = persona[0] if enough else -1
        self.confidence[i] = confidence[0] if enough else 0.0
        self.barely[i] = self.model.barely(
            self.features.responses[i:i + 1].sum(axis=1),
            self.features.contacts[i:i + 1].sum(axis=1))[0] if enough else 0.0
        self._caps()
        self.tolerance[i] = tolerance(self.features, self._ceiling(), self.model.fatigue,
                                      rows=[i])[0]
        self._rescore_row(i)

    def react(self, trigger: Trigger, today: dt.date,
              fired: set[str] | None = None) -> list[Suggestion]:
        """The suggestions the rules make of one trigger (each rule at most once)."""
        fired = set() if fired is None else fired
        if self.in_control(trigger.account_id):
            return []
        view = self.view(trigger.account_id, today)
        if view is None:
            return []
        made = []
        for rule in self.rules.fire(trigger, view):
            if rule.id in fired:
                continue
            fired.add(rule.id)
            spec, plan_id, step = rule.then, None, None
            if spec.plan is not None:
                plan = self.rules.plans[spec.plan]
                spec, plan_id, step = plan.steps[plan.start].then, plan.id, plan.start
            suggestion = self._make(trigger.account_id, spec, today, view, rule.id,
                                    trigger.type, trigger.product_id)
            if suggestion is not None:
                suggestion = replace(suggestion, plan_id=plan_id,
                                     plan_step=None if step is None else
                                     list(self.rules.plans[plan_id or ""].steps).index(step))
                if self._admit(suggestion):
                    made.append(suggestion)
        return made

    def _advance_plan(self, touch: Touchpoint, today: dt.date) -> list[Suggestion]:
        done = next((s for s in self.open.get(touch.account_id, ())
                     if s.id == touch.suggestion_id), None)
        if done is None or done.plan_id is None or done.plan_step is None:
            return []
        return self._next_step(done, touch.responded, today)

    def _next_step(self, done: Suggestion, responded: bool,
                   today: dt.date) -> list[Suggestion]:
        plan = self.rules.plans.get(done.plan_id or "")
        if plan is None or done.plan_step is None:
            return []
        steps = list(plan.steps.values())
        if done.plan_step >= len(steps):
            return []
        step = steps[done.plan_step]
        target = step.on_response if responded else step.on_no_response
        view = self.view(done.account_id, today)
        if target is None or view is None or self.in_control(done.account_id):
            return []
        suggestion = self._make(done.account_id, plan.steps[target].then, today, view,
                                done.rule_id, "plan", done.product_id)
        if suggestion is None:
            return []
        suggestion = replace(suggestion, plan_id=plan.id, plan_step=list(plan.steps).index(target))
        return [suggestion] if self._admit(suggestion) else []

    def _make(self, account_id: str, spec: ActionSpec, today: dt.date, view: AccountView,
              rule_id: str | None, trigger: str | None,
              product_id: str | None) -> Suggestion | None:
        i = self.features.row(account_id)
        assert i is not None
        scores = self.scores(today)
        due = today + dt.timedelta(days=spec.due_in_days)
        if spec.action == CONTACT:
            # The doctor's own channel; where it cannot carry the rule's content (no event
            # on the topic to invite him to), the allowed channel he answers best that can.
            allowed = self.features.allowed[i]
            own = int(scores.preferred[i])
            order = [own, *(int(c) for c in np.argsort(-scores.channel[i])
                            if allowed[c] and c != own)]
            channels = [spec.channel] if spec.channel else [CHANNELS[c] for c in order]
        else:
            channels = [spec.channel or self._channel_for(spec.action, scores, i)]
        for channel in channels:
            action = spec.action if spec.action != CONTACT else CHANNEL_ACTION[channel].value
            content = None
            if spec.content_id is not None:
                content = self.catalog.content_by_id(spec.content_id)
            elif spec.content_topic is not None or action in CONTENT_KINDS:
                content = self._content(scores, i, spec.content_topic or "any", due,
                                        product_id, action)
            if content is not None or action not in CONTENT_KINDS:
                break
        else:
            return None  # nothing approved to send or invite to
        reasons_ = (Reason(spec.reason, weight=1.0),
                    *reasons(scores, i, view.facts.potential, channel)[:2])
        if content is not None:
            reasons_ = (*reasons_[:1], Reason("Carries “{title}”", {"title": content.title}),
                        *reasons_[1:])
        return Suggestion(
            uuid7(), account_id, action, channel, spec.owner, due,
            today + dt.timedelta(days=spec.expires_in_days),
            float(min(1.0, 0.5 * spec.priority + 0.5 * scores.priority[i] + 0.25)), reasons_,
            content_id=None if content is None else content.id,
            product_id=None if content is None else content.product_id,
            rule_id=rule_id, trigger=trigger)

    def _channel_for(self, action: str, scores: Scores, i: int) -> str:
        """The channel of an action that may take more than one: the doctor's own when it is
        one of them, else the one he answers better."""
        preferred = CHANNELS[int(scores.preferred[i])]
        if action == Action.REMOTE_CALL:
            if preferred in ("phone", "video"):
                return preferred
            phone, video = (scores.channel[i, CHANNEL_INDEX[c]] for c in ("phone", "video"))
            return "video" if video > phone else "phone"
        if action == Action.MSL_FOLLOW_UP:
            return "video" if preferred == "video" else "in_person"
        return {"call": "in_person", "email": "email",
                "event_invitation": "event"}.get(action, "in_person")

    def _content(self, scores: Scores, i: int, topic: str, due: dt.date,
                 product_id: str | None, action: str) -> ContentItem | None:
        """The usable content on `topic` ("any": every topic) that `action` can carry
        (`CONTENT_KINDS`, the first kind the catalog has), fitting the account best: of the
        product in question, then of the topic he answers best."""
        fitting = [c for c in self.catalog.content
                   if c.usable_on(due)
                   and (c.product_id is None
                        or c.product_id in self.catalog.promotable_products)
                   and topic in ("any", c.topic)]
        usable: list[ContentItem] = []
        for kind in CONTENT_KINDS.get(action, ("presentation",)):
            usable = [c for c in fitting if c.kind == kind]
            if usable:
                break
        if not usable:
            return None
        topic_rate = scores.topic[i]

        def fit(item: ContentItem) -> tuple[bool, float]:
            k = TOPICS.index(item.topic) if item.topic in TOPICS else 0
            return (item.product_id == product_id, float(topic_rate[k]))
        return max(usable, key=fit)

    def _admit(self, suggestion: Suggestion) -> bool:
        """Keep a suggestion if it duplicates no open one and it and every other open
        suggestion of the account still break no guard with it planned."""
        planned = self.open[suggestion.account_id]
        if any(s.action == suggestion.action for s in planned):
            return False
        if not self._valid([*planned, suggestion], suggestion.account_id):
            return False
        planned.append(suggestion)
        return True

    def _valid(self, planned: list[Suggestion], account_id: str) -> bool:
        i = self.features.row(account_id)
        if i is None:
            return False
        account, history = self.features.accounts[i], self.history[account_id]
        cap = self.cap_of(i)
        return all(not guards.violations(s, account, self.catalog, history,
                                         [o for o in planned if o.id != s.id], cap)
                   for s in planned)

    def _revalidate(self, account_id: str) -> None:
        """After new history, withdraw the open suggestions that would now break a guard
        (the lowest priorities first)."""
        kept: list[Suggestion] = []
        for suggestion in sorted(self.open.get(account_id, ()), key=lambda s: -s.priority):
            if self._valid([*kept, suggestion], account_id):
                kept.append(suggestion)
        self.open[account_id] = kept

    def _close(self, account_id: str, suggestion_id: str) -> None:
        self.open[account_id] = [s for s in self.open[account_id] if s.id != suggestion_id]

    # ---- feedback ------------------------------------------------------------------------

    def feedback(self, item: Feedback) -> None:
        """The rep's answer to a suggestion: closes it; dismissals damp that channel."""
        self._feedback(item)
        if item.status in ("dismissed", "expired", "completed"):
            self._close(item.account_id, item.suggestion_id)
        i = self.features.row(item.account_id)
        if i is not None:
            self._rescore_row(i)

    def _feedback(self, item: Feedback) -> None:
        i = self.features.row(item.account_id)
        c = CHANNEL_INDEX.get(item.channel)
        if i is not None and c is not None and item.status == "dismissed":
            self.dismissed[i, c] *= DISMISS_DAMPING

    # ---- the week's plan -----------------------------------------------------------------

    def expire(self, today: dt.date) -> list[Suggestion]:
        """Drop suggestions past their expiry; a plan step that expired counts as ignored."""
        made: list[Suggestion] = []
        for account_id in list(self.open):
            for suggestion in list(self.open[account_id]):
                if suggestion.expires < today:
                    self._close(account_id, suggestion.id)
                    made += self._next_step(suggestion, False, today)
        return made

    def propose(self, today: dt.date, capacity: int, days: int = 7,
                budgets: Mapping[str, int] | None = None) -> list[Suggestion]:
        """The suggestions to act on in the next `days`, at most `capacity`, best first:
        open rule and plan suggestions due in the window, then the learned plan
        (`app.engine.planning`). `budgets` splits the window's work by kind (calls, e-mails,
        event invitations, MSL follow-ups: `planning.KINDS`); without it, `capacity`
        suggestions for the rep of any kind."""
        self.expire(today)
        for account_id in list(self.open):
            self._revalidate(account_id)
        self._no_contact(today)
        budget = planning.Budget(capacity, budgets, self.rules.off_channel_share)
        window = planning.workdays(today, days)
        end = today + dt.timedelta(days=days)
        chosen: list[Suggestion] = []
        busy: set[str] = set()
        waiting = sorted((s for group in self.open.values() for s in group if s.due < end),
                         key=lambda s: -s.priority)
        scores = self.scores(today)
        for waiting_one in waiting:
            if budget.spent:
                break
            own = self._own_channel(waiting_one, scores)
            if not budget.fits(waiting_one.channel, waiting_one.owner_role, own):
                continue
            due = self._on_time(waiting_one, today, window)
            budget.take(due.channel, due.owner_role, own)
            chosen.append(due)
            busy.add(due.account_id)
        accounts = self.features.accounts
        free = np.array([i for i, a in enumerate(accounts) if a.account_id not in busy
                         and not self.in_control(a.account_id)], dtype=int)
        for _, i, c in planning.candidates(scores, self.features.allowed, free):
            if budget.spent:
                break
            account_id = accounts[i].account_id
            channel = CHANNELS[c]
            own = c == scores.preferred[i]
            if account_id in busy or not budget.fits(channel, "rep", own):
                continue
            spread = window[len(chosen) * len(window) // max(capacity, 1) % len(window)]
            planned = self._planned(i, channel, scores, spread, window)
            if planned is not None:
                budget.take(channel, "rep", own)
                chosen.append(planned)
                busy.add(account_id)
        return chosen

    def _own_channel(self, suggestion: Suggestion, scores: Scores) -> bool:
        """Is the suggestion in the doctor's own channel? (An MSL's follow-up is the MSL's
        medical call, not a channel choice: it always counts as his.)"""
        i = self.features.row(suggestion.account_id)
        return suggestion.owner_role == "msl" or i is None \
            or CHANNELS[int(scores.preferred[i])] == suggestion.channel

    def _on_time(self, suggestion: Suggestion, today: dt.date,
                 window: Sequence[dt.date]) -> Suggestion:
        """An open suggestion whose due day has passed is due on the window's first working
        day its account's cap allows (it stays open, so its guards are checked again)."""
        if suggestion.due >= today:
            return suggestion
        account_id = suggestion.account_id
        others = [s for s in self.open[account_id] if s.id != suggestion.id]
        for day in window:
            moved = replace(suggestion, due=day)
            if self._valid([*others, moved], account_id):
                self.open[account_id] = [*others, moved]
                return moved
        return suggestion

    def _planned(self, i: int, channel: str, scores: Scores, spread: dt.date,
                 window: Sequence[dt.date]) -> Suggestion | None:
        """The learned planner's suggestion for one account in `channel`, on the first
        working day from `spread` on (then before it) that breaks no guard."""
        account = self.features.accounts[i]
        content = None
        if channel in ("email", "event"):
            best_topic = TOPICS[int(np.argmax(scores.topic[i]))]
            content = self._content(scores, i, best_topic, spread, None,
                                    CHANNEL_ACTION[channel])
            if content is None:
                return None
        why = reasons(scores, i, account.potential, channel)
        if content is not None:
            why = (*why[:2], Reason("Carries “{title}”", {"title": content.title}), *why[2:])
        k = window.index(spread) if spread in window else 0
        for due in (*window[k:], *window[:k]):
            suggestion = Suggestion(
                uuid7(), account.account_id, CHANNEL_ACTION[channel].value, channel, "rep", due,
                due + dt.timedelta(days=self.settings.suggestion_ttl_days),
                float(scores.priority[i]), why,
                content_id=None if content is None else content.id,
                product_id=None if content is None else content.product_id)
            if self._admit(suggestion):
                return suggestion
        return None

    def _no_contact(self, today: dt.date) -> None:
        rules = [r for r in self.rules.rules if r.trigger.type == TriggerType.NO_CONTACT]
        if not rules:
            return
        shortest = min(r.trigger.days or 0 for r in rules)
        scores = self.scores(today)
        now = dt.datetime(today.year, today.month, today.day)
        for i in np.nonzero(~(scores.days < shortest))[0]:
            days = scores.days[i]
            account_id = self.features.accounts[i].account_id
            self.react(Trigger(TriggerType.NO_CONTACT, account_id, now,
                               days=10_000 if np.isnan(days) else int(days)), today)


def triggers_of(touch: Touchpoint) -> list[Trigger]:
    """What a touchpoint means to the rules."""
    at, account = touch.at, touch.account_id
    if touch.failed_visit:  # nothing happened that a rule could follow up
        return []
    if touch.kind == "escalation_answered":
        return [Trigger(TriggerType.ESCALATION_ANSWERED, account, at, touch.channel)]
    out: list[Trigger] = []
    if touch.channel == "email":
        if touch.opened:
            out.append(Trigger(TriggerType.EMAIL_OPENED, account, at, "email"))
        if any(r.source == "email_clicked" for r in touch.reactions):
            out.append(Trigger(TriggerType.EMAIL_CLICKED, account, at, "email"))
    else:
        out.append(Trigger(TriggerType.CALL_SUBMITTED, account, at, touch.channel))
    for r in touch.reactions:
        if r.source == "slide":
            out.append(Trigger(TriggerType.SLIDE_REACTION, account, at, touch.channel, r.topic,
                               r.reaction, r.product_id))
        elif r.source == "answer":
            out.append(Trigger(TriggerType.ANSWER, account, at, touch.channel, r.topic,
                               r.reaction, r.product_id))
        elif touch.channel != "email":
            out.append(Trigger(TriggerType.CALL_SUBMITTED, account, at, touch.channel, r.topic,
                               r.reaction, r.product_id))
    return out
