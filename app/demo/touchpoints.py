"""The demo's outside touchpoints: what a webinar platform, the company website and a
marketing platform's e-mail tracking would report about the demo doctors.

They are not demo rows: `fieldrep demo` hands them to the demo server as the integration
API's own JSON (docs/integration.md), and the server writes them through a service account
with the function the API writes with (`server.demo`, `server.integration.touchpoints`), so
the demo shows the real path from an outside system into a rep's history. Each doctor's
share follows the persona: one who likes events attends webinars, one who agreed to e-mail
opens mailings (and now and then clicks), anyone may read a product page. They draw from
their own random generator, so the rest of the territory stays as its seed made it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from app.contract import Channel, TouchpointKind

#: Days back the touchpoints reach: the recent picture a rep reads before a visit.
WINDOW_DAYS = 120
#: Doctors with touchpoints at most: a 50,000-account demo starts as fast as before.
MAX_DOCTORS = 1500
SYSTEM_TITLES = {
    TouchpointKind.WEBINAR_ATTENDED: "Webinar: {event}",
    TouchpointKind.EVENT_REGISTERED: "Angemeldet: {event}",
    TouchpointKind.WEBSITE_VISIT: "Produktseite {product} gelesen",
    TouchpointKind.EMAIL_OPENED: "Newsletter {product}: {message}",
    TouchpointKind.EMAIL_CLICKED: "Link geklickt: {message}",
}


class DemoTouchpoints:
    """Collects the touchpoints of the doctors the generator makes (`add`), as the
    integration API takes them (`events`)."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed + 4)
        self.today = today
        self.events: list[dict[str, Any]] = []
        self._doctors = 0

    def add(self, lanr: str, affinity: dict[str, float], email_consent: bool,
            products: list[tuple[str, str, str]]) -> None:
        """A doctor (by LANR) with the persona's channel `affinity`, whether e-mail was
        agreed, and the products relevant to them as (name, event title, a key message)."""
        rng = self.rng
        if self._doctors >= MAX_DOCTORS or not products or rng.random() > 0.35:
            return
        self._doctors += 1
        wanted: list[TouchpointKind] = []
        if rng.random() < 0.3 + 2 * affinity.get(Channel.EVENT.value, 0.0):
            wanted.append(rng.choice((TouchpointKind.WEBINAR_ATTENDED,
                                      TouchpointKind.EVENT_REGISTERED)))
        if email_consent:
            for _ in range(rng.randint(1, 3)):
                wanted.append(TouchpointKind.EMAIL_OPENED)
                if rng.random() < 0.25 + affinity.get(Channel.EMAIL.value, 0.0):
                    wanted.append(TouchpointKind.EMAIL_CLICKED)
        if rng.random() < 0.5:
            wanted.append(TouchpointKind.WEBSITE_VISIT)
        for kind in wanted:
            product, event, message = rng.choice(products[:2])
            days = rng.randint(1, WINDOW_DAYS)
            when = dt.datetime.combine(self.today - dt.timedelta(days=days),
                                       dt.time(rng.randint(7, 20), rng.choice((0, 15, 30, 45))))
            self.events.append({
                "event_id": f"demo-{len(self.events) + 1:06d}", "kind": kind.value,
                "occurred_at": when.isoformat() + "+01:00",
                "external_id": {"system": "LANR", "value": lanr},
                "title": SYSTEM_TITLES[kind].format(product=product, event=event,
                                                    message=message),
            })
