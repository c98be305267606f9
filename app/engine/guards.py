"""Rules no suggestion may ever break, whatever the rules file or the model says.

The engine filters every candidate through `violations`; the benchmark and the property tests
call the same function as an independent check. Guards:

- no e-mail without granted e-mail consent, no contact in a channel whose consent is
  withdrawn (GDPR);
- no content that is not approved or not valid on the due day (HWG);
- no product the territory may not promote (HWG);
- no more contacts in the 30 days up to the due day than the persona's cap, counting the
  history and the other suggestions already planned for the account ("the dose makes it").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.engine.facts import AccountFacts, Catalog, Suggestion, Touchpoint
from app.engine.features import CAP_WINDOW_DAYS

#: Actions that contact the doctor (an MSL follow-up is a contact too).
CONTACT_ACTIONS = frozenset({"call", "remote_call", "email", "event_invitation",
                             "msl_follow_up"})


def contacts_before(due: dt.date, recent: Sequence[Touchpoint],
                    planned: Sequence[Suggestion]) -> int:
    """Contacts in the cap window ending on `due`: history plus other planned suggestions."""
    start = due - dt.timedelta(days=CAP_WINDOW_DAYS - 1)
    # A visit he did not receive is no contact he felt: it does not count to the cap.
    done = sum(1 for t in recent if start <= t.at.date() <= due and not t.failed_visit)
    ahead = sum(1 for s in planned if start <= s.due <= due and s.action in CONTACT_ACTIONS)
    return done + ahead


def violations(suggestion: Suggestion, account: AccountFacts, catalog: Catalog,
               recent: Sequence[Touchpoint], planned: Sequence[Suggestion], cap: int,
               ) -> list[str]:
    """What the suggestion breaks, in words; empty when it is fine.

    `recent` is the account's history, `planned` the account's other open suggestions.
    """
    problems = []
    emails = "email" in (suggestion.channel, suggestion.action)
    if emails and not account.allows("email"):
        problems.append("e-mail without consent")
    if account.consent(suggestion.channel) == "withdrawn":
        problems.append("contact in a channel whose consent is withdrawn")
    if suggestion.content_id is not None:
        content = catalog.content_by_id(suggestion.content_id)
        if content is None:
            problems.append("unknown content")
        elif not content.usable_on(suggestion.due):
            problems.append("content not approved or not valid on the due day")
        elif content.product_id is not None and \
                content.product_id not in catalog.promotable_products:
            problems.append("content for a product the territory may not promote")
    if suggestion.product_id is not None and \
            suggestion.product_id not in catalog.promotable_products:
        problems.append("product the territory may not promote")
    if suggestion.action in CONTACT_ACTIONS:
        others = [s for s in planned if s.id != suggestion.id]
        if contacts_before(suggestion.due, recent, others) + 1 > cap:
            problems.append("more contacts than the cap")
    return problems
