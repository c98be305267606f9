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


def test_a_visit_the_doctor_did_not_receive_is_no_call(db: Database) -> None:
    """A failed attempt counts neither this week nor this month nor in a segment's
    frequency: beside a received call, only that one is counted."""
    with db.write() as s:
        s.info["from_server"] = True
        rep = User(username="r", display_name="R", role="rep")
        s.add(rep)
        s.flush()
        doctor = Account(kind="hcp", name="Dr. A", segment="A", city="Bonn",
                         last_contact_at=AT - dt.timedelta(days=1))
        s.add(doctor)
        s.flush()
        for days, missed in ((1, False), (0, True)):
            s.add(Interaction(account_id=doctor.id, owner_id=rep.id, channel="in_person",
                              status="submitted", start_at=AT - dt.timedelta(days=days),
                              not_received=missed))
        rep_id = rep.id
    with db.reader.connect() as conn:
        figures = home_figures(conn, rep_id, TODAY)
    assert (figures.calls_week, figures.calls_month) == (1, 1)
    a = figures.segments[0]
    assert (a.accounts, a.reached, a.calls, a.frequency) == (1, 1, 1, 1.0)


def test_the_quarters_calls_are_counted_from_the_index_alone(db: Database) -> None:
    """A quarter of a 50,000-account territory is ~130,000 calls: every statement of the
    figures that reads calls reads the covering (status, start) index, never a call's row
    (benchmarks/home.py: 1 s before, a quarter of that after)."""
    from sqlalchemy import event

    statements: list[tuple[str, object]] = []

    def seen(_conn: object, _cursor: object, statement: str, parameters: object,
             _context: object, _many: bool) -> None:
        statements.append((statement, parameters))

    with db.reader.connect() as conn:
        event.listen(conn, "before_cursor_execute", seen)
        home_figures(conn, None, dt.date(2026, 6, 15))
        event.remove(conn, "before_cursor_execute", seen)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        reading_calls = [
            [row[3] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            for statement, parameters in statements
            if "FROM interactions" in statement and "GROUP BY" in statement]
    assert reading_calls, "the figures count calls per segment"
    for plan in reading_calls:
        calls = [step for step in plan if "interactions" in step]
        assert calls and all("COVERING INDEX ix_interactions_status_start" in step
                             for step in calls), plan
