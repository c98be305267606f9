"""Push answers applied a batch at a time: each row ends exactly as one by one would leave it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from app.ids import uuid7
from app.services import accounts as account_service
from app.store import conflicts as conflict_log
from app.store.database import Database
from app.sync import state
from app.sync.client import SyncClient
from app.sync.pull import pull_all
from app.sync.push import PushReport, apply_results, take_batch
from app.sync.run import sync_once
from tests.sync.conftest import Seed, local_state
from tests.sync.protocol_server import ProtocolServer

MakeClient = Callable[..., SyncClient]


def edit(db: Database, seed: Seed, account: str, **fields: Any) -> None:
    with db.write() as session:
        if "notes" in fields:
            account_service.update_contact(session, seed.rep, account, email=None, phone=None,
                                           notes=fields.pop("notes"))
        if fields:
            from app.store.models import Account
            row = session.get(Account, account)
            assert row is not None
            for name, value in fields.items():
                setattr(row, name, value)


def account(db: Database, account_id: str) -> Any:
    with db.read() as session:
        return session.execute(text(
            "SELECT notes, segment, specialty_id, version FROM accounts WHERE id = :a"),
            {"a": account_id}).one()


def outbox(db: Database) -> list[Any]:
    with db.read() as session:
        return list(session.execute(text(
            "SELECT entity, row_id, fields, base_version, in_flight FROM outbox ORDER BY seq")))


def test_a_batch_of_answers_adopts_rows_keeps_pending_fields_logs_conflicts_and_refusals(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    db = replicas("a")
    sync_once(db, make_client())
    first, second, third = seed.accounts
    edit(db, seed, first, notes="mine")
    edit(db, seed, second, segment="C")
    edit(db, seed, third, notes="kept locally")
    batch = take_batch(db)
    # Made while the batch is on its way: pending, not frozen, on top of the old version.
    edit(db, seed, second, notes="later")
    base_second = account(db, second).version

    def server_row(row_id: str, **changes: Any) -> dict[str, Any]:
        row = peer.row("accounts", row_id)
        assert row is not None
        return {**row, **changes}

    answers = {first: (100, server_row(first, notes="mine")),
               second: (101, server_row(second, segment="B", notes=None)),
               # The database refuses this row (a specialty it does not know): the row keeps
               # its local values and takes only the version.
               third: (102, server_row(third, specialty_id=uuid7()))}
    results = []
    for m in batch:
        if m.entity == "accounts":
            version, row = answers[m.row_id]
            results.append({"mutation_id": m.mutation_id, "version": version,
                            "row": {**row, "version": version},
                            "status": "conflict" if m.row_id == second else "applied",
                            "conflicts": [{"field": "segment", "mine": "C", "theirs": "B",
                                           "kept": "theirs"}] if m.row_id == second else []})
        else:  # the audit entries: applied, no row in the answer
            results.append({"mutation_id": m.mutation_id, "status": "applied",
                            "version": 200 + m.seq, "row": None, "conflicts": []})
    report = PushReport()
    assert apply_results(db, batch, results, report) == len(batch)
    assert (report.applied, report.conflicts) == (len(batch) - 1, 1)

    assert tuple(account(db, first)) == ("mine", "A", seed.specialty, 100)
    # The server's segment won; the unsent notes stay until the server has answered them.
    assert tuple(account(db, second)) == ("later", "B", seed.specialty, 101)
    assert tuple(account(db, third)) == ("kept locally", "A", seed.specialty, 102)
    diverged = json.loads(local_state(db, state.DIVERGED) or "[]")
    assert [(d["entity"], d["row_id"], d["version"]) for d in diverged] == [
        ("accounts", third, 102)]
    with db.read() as session:
        log = conflict_log.listed(session.connection())
        audit_versions = session.execute(text(
            "SELECT version FROM audit_log WHERE version >= 200")).scalars().all()
        assert session.execute(text(
            "SELECT count(*) FROM local_state WHERE key = :k"), {"k": state.APPLYING}
        ).scalar() == 0
    assert [(c.row_id, c.field, c.mine, c.theirs, c.kept) for c in log] == [
        (second, "segment", "C", "B", "theirs")]
    assert len(audit_versions) == len(batch) - 3
    # Left: the later edit (and its audit entry), still on the version it was made on: the
    # answer's version 101 may hold changes of other devices this laptop never saw.
    left = outbox(db)
    assert [(e, r) for e, r, *_ in left if e == "accounts"] == [("accounts", second)]
    assert base_second < 101
    assert [b for e, _r, _f, b, _i in left if e == "accounts"] == [base_second]
    assert not any(in_flight for *_rest, in_flight in left)



def test_a_later_edit_of_a_field_still_unsent_is_held_back_to_the_earlier_base(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient) -> None:
    """A pull moves the row's version on while its unsent notes are kept: an edit made then
    carries the row's new version, but its notes were typed over the unsent ones, not over
    the server's. When the earlier mutation is answered, the later one takes its base."""
    db = replicas("a")
    client = make_client()
    sync_once(db, client)
    account_id = seed.accounts[0]
    edit(db, seed, account_id, notes="unsent")
    base = account(db, account_id).version
    peer.write("accounts", {"id": account_id, "notes": "another device's", "segment": "B"})
    pull_all(db, client, push=lambda: None)
    assert tuple(account(db, account_id))[:2] == ("unsent", "B")  # notes kept, segment taken
    edit(db, seed, account_id, notes="typed again")
    edit(db, seed, seed.accounts[1], notes="elsewhere")
    pulled = account(db, account_id).version
    assert pulled > base
    with db.read() as session:
        bases = session.execute(text(
            "SELECT base_version FROM outbox WHERE entity = 'accounts' AND row_id = :a "
            "ORDER BY seq"), {"a": account_id}).scalars().all()
    assert bases == [base, pulled]
    batch = take_batch(db)
    first = next(m for m in batch if m.row_id == account_id)
    apply_results(db, batch, [{"mutation_id": m.mutation_id, "status": "rejected",
                               "version": None, "row": None, "conflicts": [],
                               "reason": "refused"} for m in batch if m is first],
                  PushReport())
    with db.read() as session:
        bases = session.execute(text(
            "SELECT base_version FROM outbox WHERE entity = 'accounts' AND row_id = :a "
            "ORDER BY seq"), {"a": account_id}).scalars().all()
    assert bases == [base]
    sync_once(db, client)  # the server sees the other device's notes as a conflict
    with db.read() as session:
        log = conflict_log.listed(session.connection())
    assert [(c.field, c.theirs) for c in log] == [("notes", "another device's")]
