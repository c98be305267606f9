"""Why a submitted call set off no next step, in sentences a rep can act on.

"Proposed next steps" used to stay empty without a word, so a rep could not tell a rule set
that has nothing for such a call from a doctor held out as a control, a condition the
doctor does not meet, or a step already open. `quiet_reasons` walks the same triggers and
rules the engine does (app/engine) and says which of these it was; the rule descriptions
are the manager's own words from the rule set.
"""

from __future__ import annotations

import datetime as dt

from app.engine import Engine, Touchpoint, triggers_of
from app.i18n import tr


def condition_name(key: str) -> str:
    """A rule condition (`when` key, docs/rules.md) as the rep would say it."""
    names = {
        "persona": tr("the doctor's persona"), "not_persona": tr("the doctor's persona"),
        "segment": tr("the segment"), "specialty": tr("the specialty"),
        "consent": tr("a consent to the channel"), "no_consent": tr("a consent to the channel"),
        "preferred_channel": tr("the channel the doctor prefers"),
        "potential_min": tr("the potential"), "potential_max": tr("the potential"),
        "days_since_min": tr("the time since the last contact"),
        "days_since_max": tr("the time since the last contact"),
        "reacted_positive": tr("earlier positive reactions"),
        "reacted_negative": tr("earlier negative reactions"),
    }
    return names.get(key, key)


def quiet_reasons(engine: Engine, touch: Touchpoint | None, today: dt.date) -> list[str]:
    """Why `touch` (the submitted call, None when it is not) proposed nothing."""
    if touch is None:
        return [tr("The call is not submitted yet: next steps follow its submission.")]
    account = touch.account_id
    if engine.in_control(account):
        return [tr("This doctor is in the control group: for a tenth of the doctors no steps "
                   "are proposed, so that the suggestions can be shown to work.")]
    view = engine.view(account, today)
    if view is None:
        return [tr("This doctor is not in the suggestions' data yet; after the next sync "
                   "steps can be proposed.")]
    reasons: list[str] = []
    matched = False
    for trigger in triggers_of(touch):
        for rule in engine.rules.rules:
            if not rule.trigger.matches(trigger):
                continue
            matched = True
            unmet = rule.when.unmet(view)
            if unmet:
                said = ", ".join(dict.fromkeys(condition_name(k) for k in unmet))
                text = tr("“{rule}” did not apply: {conditions} do not fit.",
                          rule=rule.description, conditions=said)
            else:
                text = tr("“{rule}” applied, but a step of that kind is open for this doctor "
                          "already, or more would exceed the contacts a month the doctor "
                          "accepts.", rule=rule.description)
            if text not in reasons:
                reasons.append(text)
    if not matched:
        reasons.append(tr("No rule of the rule set “{name}” reacts to such a call. Your "
                          "manager can add one; a follow-up you noted stays in the call "
                          "report.", name=engine.rules.name))
    return reasons
