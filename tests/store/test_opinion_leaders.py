"""New opinion leaders over a made-up network: standing from affiliations, leading roles,
colleagues and events; doctors called in the last half year, removed doctors and removed
affiliations left out; the highest standing first, with the figures the reasons are made of."""

from __future__ import annotations

import datetime as dt

from app.store.accounts import Account, Affiliation
from app.store.database import Database
from app.store.interactions import Attendee, Interaction
from app.store.opinion_leaders import data_stamp, is_leading, opinion_leaders

TODAY = dt.date(2026, 11, 25)
AT = dt.datetime(2026, 11, 25, 9, 0)


def make_network(db: Database) -> dict[str, str]:
    with db.write() as s:
        s.info["from_server"] = True

        def account(name: str, kind: str = "hcp", last_days: int | None = None,
                    deleted: bool = False) -> Account:
            a = Account(kind=kind, name=name, city="Bonn", deleted=deleted,
                        last_contact_at=None if last_days is None
                        else AT - dt.timedelta(days=last_days))
            s.add(a)
            s.flush()
            return a

        cardio = account("Kardiologie – St. Marien", "hco")
        practice = account("Praxis Nord", "hco")
        south = account("Klinikum Süd", "hco")
        head = account("Prof. Dr. Head")
        multi = account("Dr. Multi")
        plain = account("Dr. Plain")
        reached = account("Dr. Reached", last_days=30)
        old_call = account("Dr. Old Call", last_days=200)
        speaker = account("Dr. Speaker")
        gone = account("Dr. Gone", deleted=True)
        helpers = [account(f"Dr. Staff {i}") for i in range(2)]

        def works(doctor: Account, at: Account, role: str | None = "Oberarzt",
                  deleted: bool = False) -> None:
            s.add(Affiliation(hcp_id=doctor.id, hco_id=at.id, role=role, deleted=deleted))

        works(head, cardio, "Chefärztin")
        works(gone, cardio, "Chefarzt")
        for doctor in (multi, plain, *helpers):
            works(doctor, cardio)
        for at in (practice, south):
            works(multi, at, None)
            works(reached, at, "Inhaber")
        works(reached, cardio, "Leitender Oberarzt")
        works(old_call, south, "Head of Oncology")
        works(helpers[0], practice, "Chefarzt", deleted=True)
        for day in (10, 40, 70):
            event = Interaction(account_id=south.id, channel="event", status="submitted",
                                start_at=AT - dt.timedelta(days=day))
            s.add(event)
            s.flush()
            s.add(Attendee(interaction_id=event.id, account_id=speaker.id, name="Dr. Speaker"))
        planned = Interaction(account_id=south.id, channel="event", status="planned",
                              start_at=AT + dt.timedelta(days=5))
        s.add(planned)
        s.flush()
        s.add(Attendee(interaction_id=planned.id, account_id=plain.id, name="Dr. Plain"))
        return {"head": head.id, "multi": multi.id, "old_call": old_call.id,
                "speaker": speaker.id, "practice": practice.id, "plain": plain.id}


def test_unreached_doctors_of_high_standing_with_their_reasons(db: Database) -> None:
    ids = make_network(db)
    with db.reader.connect() as conn:
        leaders = opinion_leaders(conn, TODAY)
    assert [leader.name for leader in leaders] == [
        "Prof. Dr. Head", "Dr. Old Call", "Dr. Multi", "Dr. Speaker"]
    head, old_call, multi, speaker = leaders
    assert head.account_id == ids["head"]
    # A leading role where she works; her colleagues there (the removed one does not count).
    assert head.leading_roles == (("Chefärztin", "Kardiologie – St. Marien"),)
    assert (head.affiliations, head.colleagues, head.events) == (1, 5, 0)
    assert head.standing == 1 + 3 + 0.5
    assert old_call.leading_roles == (("Head of Oncology", "Klinikum Süd"),)
    assert old_call.last_contact_at == AT - dt.timedelta(days=200)
    # Three institutions, no leading role; the colleagues counted once each.
    assert (multi.affiliations, multi.leading_roles, multi.colleagues) == (3, (), 6)
    assert (speaker.affiliations, speaker.events, speaker.standing) == (0, 3, 3.0)
    with db.reader.connect() as conn:
        assert [x.name for x in opinion_leaders(conn, TODAY, limit=2)] == [
            "Prof. Dr. Head", "Dr. Old Call"]


def test_a_call_in_the_half_year_takes_a_doctor_off_the_list(db: Database) -> None:
    ids = make_network(db)
    with db.write() as s:
        s.info["from_server"] = True
        row = s.get(Account, ids["head"])
        assert row is not None
        row.last_contact_at = AT - dt.timedelta(days=179)
    with db.reader.connect() as conn:
        names = [leader.name for leader in opinion_leaders(conn, TODAY)]
    assert "Prof. Dr. Head" not in names and "Dr. Multi" in names


def test_the_stamp_moves_with_a_new_affiliation(db: Database) -> None:
    ids = make_network(db)
    with db.reader.connect() as conn:
        before = data_stamp(conn)
        assert data_stamp(conn) == before
    with db.write() as s:
        s.info["from_server"] = True
        s.add(Affiliation(hcp_id=ids["plain"], hco_id=ids["practice"], role="x", version=7,
                          deleted=True))
    with db.reader.connect() as conn:
        assert data_stamp(conn) != before


def test_leading_roles_in_both_languages() -> None:
    assert all(is_leading(r) for r in ("Chefärztin", "Leitender Oberarzt", "Head of Oncology",
                                       "Ärztlicher Direktor"))
    assert not any(is_leading(r) for r in ("Oberarzt", "Inhaberin", None, "Assistenzärztin"))
