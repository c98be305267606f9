"""The account's progress against its cycle plan, in words: "3 of 6 calls this quarter",
with the channels the plan names ("Visit: 2 of 4"). Read with the account
(app/store/plan_targets.py, `account_plan`); hidden when no plan names the account."""

from __future__ import annotations

from app.i18n import tr
from app.store.plan_targets import AccountPlan
from app.ui import format as fmt


def cycle_text(plan: AccountPlan) -> str:
    calls, target = plan.calls, plan.target.calls
    if plan.quarter:
        text = (tr("1 of {target} calls this quarter", target=target) if calls == 1
                else tr("{calls} of {target} calls this quarter", calls=calls, target=target))
    else:
        text = tr("{calls} of {target} calls by {end}", calls=calls, target=target,
                  end=fmt.date_text(plan.end))
    parts = [tr("{channel}: {calls} of {target}", calls=plan.by_channel.get(channel, 0),
                target=planned, channel=fmt.channel_name(channel))
             for channel, planned in sorted(plan.target.channels.items())]
    return " · ".join([text, *parts])
