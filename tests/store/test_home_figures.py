"""The home's figures from the local store: calls against the segment plan, reach and
frequency per segment, coverage lagging first, and the data stamp that says when to redraw."""

from __future__ import annotations

import datetime as dt

from app.store.accounts import Account
from app.store.database import Database
from app.store.home_figures import data_stamp, home_figures
from app.store.interactions import Interaction
from app.store.reference import Specialty, User

TODAY = dt.date(2026, 11, 25)  # a Wednesday
AT = dt.datetime(2026, 11, 25, 9, 0)


def test_calls_reach_frequency_and_coverage(db: Database) -> None:
    with db.write() as s:
        s.info["from_server"] = True
        rep = User(username="r", display_name="R", role="rep")
        cardio = Specialty(code="CAR", name_en="Cardiology", name_de="Kardiologie")
        s.add_all([rep, cardio])
        s.flush()

        def account(segment: str, city: str, last: dt.datetime | None) -> Account:
            a = Account(kind="hcp", name=f"Dr. {segment} {city}", segment=segment, city=city,
                        specialty_id=cardio.id, last_contact_at=last)
            s.add(a)
            s.flush()
            return a

        bonn_a = account("A", "Bonn", AT)
        account("A", "Bonn", None)
        koeln_b = account("B", "Köln", AT - dt.timedelta(days=20))
        account("B", "Köln", AT - dt.timedelta(days=200))  # not reached this quarter
        account("C", "Köln", None)
        for days, who in ((0, bonn_a), (0, bonn_a), (20, koeln_b), (100, koeln_b)):
            s.add(Interaction(account_id=who.id, owner_id=rep.id, channel="in_person",
                              status="submitted", start_at=AT - dt.timedelta(days=days)))
        s.add(Interaction(account_id=koeln_b.id, owner_id=rep.id, channel="phone",
                          status="planned", start_at=AT))
        rep_id = rep.id
    with db.reader.connect() as conn:
        figures = home_figures(conn, rep_id, TODAY)
        stamp = data_stamp(conn)
    assert (figures.calls_week, figures.calls_month) == (2, 3)  # planned calls do not count
    yearly = 2 * 22 + 2 * 12 + 6
    assert (figures.plan_week, figures.plan_month) == (yearly / 52, yearly / 12)
    a, b, c = figures.segments
    assert (a.accounts, a.reached, a.calls, a.reach, a.frequency) == (2, 1, 2, 0.5, 2.0)
    assert (b.accounts, b.reached, b.calls) == (2, 1, 1)
    assert (c.accounts, c.reached, c.reach_target, c.frequency_target) == (1, 0, 0.4, 1.5)
    # Equal reach and size: by name.
    assert [(x.label, x.accounts, x.reached) for x in figures.by_city] == [
        ("Bonn", 2, 1), ("Köln", 2, 1)]
    assert [(x.key, x.label) for x in figures.by_specialty] == [
        (figures.by_specialty[0].key, "Cardiology")]
    assert figures.sales == ()
    with db.write() as s:
        s.add(Interaction(account_id=koeln_b.id, owner_id=rep_id, channel="phone",
                          status="draft", start_at=AT))
    with db.reader.connect() as conn:
        assert data_stamp(conn) != stamp
        assert data_stamp(conn) == data_stamp(conn)
