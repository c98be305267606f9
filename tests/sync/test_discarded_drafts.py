"""A draft discarded on one laptop of the rep is gone from the other after both sync, on the
real server (SQLite and PostgreSQL): the tombstones travel as deletes and are applied."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from app.services import calls
from app.services.call_discard import discard_draft
from app.services.calls import CallForm
from app.store.base import utcnow
from app.store.database import Database
from app.sync.run import sync_once
from tests.server.conftest import Live
from tests.sync import test_live_merges

laptops = test_live_merges.laptops  # two laptops' databases and clients (a fixture)
USERS = test_live_merges.USERS  # device -> the user id its login returned
Laptop = test_live_merges.Laptop


def live_drafts(db: Database) -> list[str]:
    with db.read() as session:
        return [r[0] for r in session.execute(text(
            "SELECT id FROM interactions WHERE status = 'draft' AND deleted = 0"))]


def test_a_discarded_draft_is_gone_from_the_reps_other_laptop(
        live: Live, laptops: Callable[[str, str], Laptop]) -> None:
    territory = live.territory()
    username = live.user("rep", (territory,))
    account = live.account(territory)
    (a, ca), (b, cb) = laptops(username, "laptop-a"), laptops(username, "laptop-b")
    sync_once(a, ca)
    rep_id = USERS["laptop-a"]
    with a.write() as session:
        call_id = calls.save_draft(session, rep_id, CallForm(
            account_id=account, start_at=utcnow(), notes="wrong doctor"))
    sync_once(a, ca)
    sync_once(b, cb)
    assert live_drafts(b) == [call_id]
    with a.write() as session:
        discard_draft(session, rep_id, call_id)
    report = sync_once(a, ca)
    assert (report.push.applied, report.push.rejected) == (report.push.answered, 0)
    sync_once(b, cb)
    assert live_drafts(a) == [] and live_drafts(b) == []
