"""Forgetting what the server no longer needs: `fieldrep-server prune`, and the same job run
periodically by `fieldrep-server serve`.

- Idempotency records hold a full copy of each pushed mutation's answer so a resent mutation
  gets the same answer. A laptop resends only what it sent before going offline, so records
  older than the longest offline window (`offline_window_days`) serve nobody and are removed.
- Tokens that expired or were revoked more than that window ago: a laptop offline for less
  still counts as a known device for the login throttle (server/security.py).
- Failed logins older than the throttle's window count for nothing.

Deletes only: safe to run on several servers at once, or while they serve.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import asdict, dataclass

from sqlalchemy import CursorResult, delete, or_

from server.config import Settings
from server.db import Database
from server.models import IdempotencyRecord, LoginAttempt, Token, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pruned:
    idempotency_records: int
    tokens: int
    login_attempts: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def _count(result: object) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


def prune(db: Database, settings: Settings, now: dt.datetime | None = None) -> Pruned:
    """Remove what is past its use (see the module's words); returns how many of each."""
    now = now or utcnow()
    kept_from = now - dt.timedelta(days=settings.offline_window_days)
    with db.writing() as session:
        records = session.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.received_at < kept_from))
        tokens = session.execute(delete(Token).where(or_(
            Token.expires_at < kept_from, Token.revoked_at < kept_from)))
        attempts = session.execute(delete(LoginAttempt).where(
            LoginAttempt.at <= now - dt.timedelta(seconds=settings.login_window_s)))
        return Pruned(_count(records), _count(tokens), _count(attempts))


def start_periodic(settings: Settings) -> threading.Event | None:
    """Prune every `prune_interval_s` on a daemon thread of the serving process (0: never);
    set the returned event to stop it. A failed round is logged and the next one tried."""
    if settings.prune_interval_s <= 0:
        return None
    stop = threading.Event()

    def loop() -> None:
        db = Database.from_settings(settings)
        try:
            while not stop.wait(settings.prune_interval_s):
                try:
                    done = prune(db, settings)
                except Exception:  # a database hiccup must not end the job for good
                    log.exception("pruning failed; trying again in %s s",
                                  settings.prune_interval_s)
                else:
                    log.info("pruned %s", done.to_dict())
        finally:
            db.dispose()

    threading.Thread(target=loop, name="prune", daemon=True).start()
    return stop
