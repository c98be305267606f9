"""The pull's scope refresh between checkpoints (no `verify`): it probes only the accounts
written since the user's last check (server/sync/pull.py), so every way into and out of the
scope must still reach the replica as a change or a revocation; and the two shapes of the
pull's filters (sets, per-row probes) must select the same rows. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from app.contract import ENTITIES
from app.ids import uuid7
from server.db import next_versions
from server.models import (
    Account,
    Affiliation,
    AuditEntry,
    MedicalAnswer,
    MedicalInquiry,
    Product,
    ScopeMember,
    Territory,
    TerritoryAssignment,
    User,
)
from server.scope import Principal
from server.sync.scoping import pull_filter, scoped_account_ids
from server.sync.wire import table_of
from tests.server.conftest import Live
from tests.server.test_sync_push import call_fields, mutation, pull_all, push, rep_with_account


def _pull(client: Any, cursor: str) -> tuple[set[str], set[str], str]:
    """(accounts received, accounts revoked, next cursor) of an incremental pull without
    `verify`: the refresh that probes the changes only. (A revocation repeats while the
    change counter stands still: the assertions ask about the accounts concerned.)"""
    page = pull_all(client, cursor, verify=False)
    got = {c["row"]["id"] for c in page["changes"] if c["entity"] == "accounts"}
    return got, {r["id"] for r in page["revoked"]}, page["cursor"]


def _move(live: Live, account: str, code: str | None) -> None:
    with live.db.writing() as s:
        territory = s.scalar(select(Territory.id).where(Territory.code == code)) if code else None
        s.execute(update(Account).where(Account.id == account).values(
            territory_id=territory, version=next_versions(s)))


def _set_affiliation(live: Live, hcp: str, hco: str, deleted: bool) -> None:
    with live.db.writing() as s:
        s.execute(update(Affiliation).where(Affiliation.hcp_id == hcp, Affiliation.hco_id == hco)
                  .values(deleted=deleted, version=next_versions(s)))


def _members_match_scope(live: Live, user_id: str, role: str = "rep") -> None:
    """scope_members (live rows) is exactly the scope computed from scratch."""
    principal = Principal(user_id, "", role, "", "")
    with live.db.reading() as s:
        members = set(s.scalars(select(ScopeMember.account_id).where(
            ScopeMember.user_id == user_id, ScopeMember.removed_version.is_(None))))
        assert members == set(s.scalars(scoped_account_ids(principal)))


def test_every_way_in_and_out_of_scope_reaches_an_incremental_pull(live: Live) -> None:
    rep = rep_with_account(live)
    elsewhere = live.territory()
    doctor = live.account(rep.territory, "hcp", "Dr. Nah")
    stranger = live.account(elsewhere, "hcp", "Dr. Fern")
    hospital = live.account(elsewhere, "hco", "Klinikum")
    cursor = pull_all(rep.client, verify=True)["cursor"]  # the first sync verifies

    _move(live, stranger, rep.territory)  # moved in
    got, revoked, cursor = _pull(rep.client, cursor)
    assert stranger in got and stranger not in revoked
    _members_match_scope(live, rep.user_id)

    _move(live, stranger, elsewhere)  # moved away
    got, revoked, cursor = _pull(rep.client, cursor)
    assert stranger in revoked and stranger not in got

    live.affiliate(doctor, hospital)  # the institution of a doctor in the territory
    got, revoked, cursor = _pull(rep.client, cursor)
    assert hospital in got and hospital not in revoked

    _set_affiliation(live, doctor, hospital, deleted=True)  # the affiliation ended
    got, revoked, cursor = _pull(rep.client, cursor)
    assert hospital in revoked and doctor not in revoked
    _members_match_scope(live, rep.user_id)

    _set_affiliation(live, doctor, hospital, deleted=False)
    got, revoked, cursor = _pull(rep.client, cursor)
    assert hospital in got and hospital not in revoked
    _move(live, doctor, elsewhere)  # the doctor leaves, and takes the institution along
    got, revoked, cursor = _pull(rep.client, cursor)
    assert {doctor, hospital} <= revoked and rep.account not in revoked
    _members_match_scope(live, rep.user_id)

    with live.db.writing() as s:  # unassigned: no version is written for it
        s.execute(delete(TerritoryAssignment).where(TerritoryAssignment.user_id == rep.user_id))
    got, revoked, cursor = _pull(rep.client, cursor)
    assert rep.account in revoked and not got
    _members_match_scope(live, rep.user_id)


def test_many_changes_since_the_last_check_are_still_each_seen(live: Live) -> None:
    """More accounts written than a pull probes without recording its check: the check is
    recorded, and a move among them is still revoked."""
    rep = rep_with_account(live)
    elsewhere = live.territory()
    cursor = pull_all(rep.client, verify=True)["cursor"]
    with live.db.writing() as s:
        territory = s.scalar(select(Territory.id).where(Territory.code == rep.territory))
        version = next_versions(s, 250)
        s.add_all(Account(id=uuid7(), kind="hcp", name=f"Dr. {i}", territory_id=territory,
                          version=version + i) for i in range(250))
    got, revoked, cursor = _pull(rep.client, cursor)
    assert len(got) == 250 and not revoked
    _move(live, rep.account, elsewhere)
    got, revoked, cursor = _pull(rep.client, cursor)
    assert revoked == {rep.account} and rep.account not in got
    _members_match_scope(live, rep.user_id)


@pytest.mark.slow  # 14 s on SQLite, 28 s on PostgreSQL: every entity for every role
def test_probes_and_sets_select_the_same_rows(live: Live) -> None:
    """For every entity and every role, the per-row filter of an incremental page and the
    set filter of a first sync agree, on a world with calls, tasks, affiliations across
    territories, a manager over the rep, and medical inquiries (routed to the MSL, queued,
    closed) with an answer and audit entries."""
    boss = live.user("manager")
    rep = rep_with_account(live)
    other = rep_with_account(live)
    with live.db.writing() as s:
        s.execute(update(User).where(User.id == rep.user_id).values(
            manager_id=s.scalar(select(User.id).where(User.username == boss))))
    hospital = live.account(other.territory, "hco", "Klinikum")
    live.affiliate(rep.account, hospital)
    for who in (rep, other):
        push(who.client,
             mutation("interactions", uuid7(), call_fields(who.account, who.user_id)),
             mutation("tasks", uuid7(), {"subject": "private", "owner_id": who.user_id}),
             mutation("tasks", uuid7(), {"subject": "visit", "owner_id": who.user_id,
                                         "account_id": who.account}))
    msl = live.user("msl", (rep.territory,))
    with live.db.writing() as s:
        msl_id = s.scalar(select(User.id).where(User.username == msl))
        version = next_versions(s, 10)
        product = Product(id=uuid7(), name=f"Cardiol {uuid7()}", therapeutic_area="cardio",
                          version=version)
        s.add(product)
        s.flush()
        now = dt.datetime(2026, 11, 1)
        inquiries = []
        for i, (account, status, to) in enumerate(((rep.account, "routed", msl_id),
                                                   (other.account, "queued", None),
                                                   (other.account, "closed", msl_id))):
            inquiries.append(MedicalInquiry(
                id=uuid7(), account_id=account, product_id=product.id, raised_at=now,
                question="Dosierung?", urgency="standard", answer_channel="email",
                status=status, assigned_to=to, version=version + 1 + i))
        s.add_all(inquiries)
        s.flush()
        s.add(MedicalAnswer(id=uuid7(), inquiry_id=inquiries[0].id, author_id=msl_id,
                            answered_at=now, channel="email", answer="5 mg", version=version + 5))
        s.add_all(AuditEntry(id=uuid7(), at=now, user_id=None, action="inquiry.routed",
                             entity="medical_inquiries", row_id=q.id, version=version + 6 + i)
                  for i, q in enumerate(inquiries))
    with live.db.reading() as s:
        users = {name: (uid, role) for uid, name, role in s.execute(
            select(User.id, User.username, User.role))}
    principals = [Principal(uid, name, role, "", "") for name, (uid, role) in users.items()
                  if role != "admin"]
    assert len(principals) >= 4
    with live.db.reading() as s:
        for principal in principals:
            for entity in ENTITIES:
                t = table_of(entity)
                by_set = set(s.scalars(select(t.c.id).where(pull_filter(entity, principal))))
                by_probe = set(s.scalars(select(t.c.id).where(
                    pull_filter(entity, principal, per_row=True))))
                assert by_set == by_probe, (principal.role, entity)
