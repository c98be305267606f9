"""The manager's home from the local store: per rep of the team, calls against the plan of
the rep's territory, coverage of its A accounts, positive reactions, suggestions taken up;
the key accounts with their doctors and the team's recent activity; the stamp that says when
to redraw; and one pass over the interactions table, whatever the team's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, event, text

from app.store.accounts import Account, Affiliation
from app.store.database import Database
from app.store.interactions import DiscussedKeyMessage, Interaction
from app.store.reference import KeyMessage, Product, Territory, User
from app.store.suggestions import Suggestion
from app.store.team_figures import data_stamp, team_figures

TODAY = dt.date(2026, 11, 25)  # a Wednesday: the week began on the 23rd
AT = dt.datetime(2026, 11, 25, 9, 0)


def ago(days: int) -> dt.datetime:
    return AT - dt.timedelta(days=days)


def make_team(db: Database) -> dict[str, str]:
    """Two reps in two territories, an MSL and the manager; a hospital with three doctors
    (one removed), a practice with one."""
    with db.write() as s:
        s.info["from_server"] = True
        north, south = Territory(code="N", name="Nord"), Territory(code="S", name="Süd")
        s.add_all([north, south])
        s.flush()
        anna = User(username="anna", display_name="Anna Rep", role="rep", territory_id=north.id)
        ben = User(username="ben", display_name="Ben Rep", role="rep", territory_id=south.id)
        msl = User(username="msl", display_name="Dr. Medical", role="msl",
                   territory_id=north.id)
        boss = User(username="boss", display_name="Boss", role="manager", territory_id=north.id)
        product = Product(name="Cardiozan", therapeutic_area="Cardiology")
        s.add_all([anna, ben, msl, boss, product])
        s.flush()
        message = KeyMessage(product_id=product.id, code="K1", title="K1", topic="efficacy")
        s.add(message)

        def account(name: str, territory: Territory, segment: str | None,
                    last: dt.datetime | None = None, kind: str = "hcp",
                    city: str | None = None) -> Account:
            a = Account(kind=kind, name=name, territory_id=territory.id, segment=segment,
                        last_contact_at=last, city=city)
            s.add(a)
            s.flush()
            return a

        reached = account("Dr. A1", north, "A", ago(10))
        account("Dr. A2", north, "A", ago(200))  # not reached this quarter
        b_north = account("Dr. B1", north, "B")
        a_south = account("Dr. A3", south, "A")
        hospital = account("Klinikum Nord", north, "A", kind="hco", city="Bonn")
        practice = account("Praxis am Markt", south, "B", kind="hco", city="Köln")
        gone = account("Dr. Gone", north, "C")
        gone.deleted = True
        for doctor in (reached, b_north, gone):
            s.add(Affiliation(hcp_id=doctor.id, hco_id=hospital.id, role="Oberarzt"))
        s.add(Affiliation(hcp_id=a_south.id, hco_id=practice.id, role="Inhaber"))

        def call(who: Account, owner: User, at: dt.datetime, status: str = "submitted",
                 reactions: tuple[str | None, ...] = ()) -> None:
            row = Interaction(account_id=who.id, owner_id=owner.id, channel="in_person",
                              status=status, start_at=at)
            s.add(row)
            s.flush()
            for reaction in reactions:
                s.add(DiscussedKeyMessage(interaction_id=row.id, key_message_id=message.id,
                                          reaction=reaction))

        call(reached, anna, ago(0), reactions=("positive", "neutral"))
        call(reached, anna, ago(1), reactions=("positive", None))
        call(b_north, anna, ago(20), reactions=("negative",))  # this month, not this week
        call(b_north, anna, ago(60), reactions=("positive",))  # reactions: four weeks only
        call(b_north, anna, ago(0), status="draft", reactions=("positive",))
        call(hospital, anna, ago(30))
        call(reached, anna, ago(120))  # before the quarter
        call(a_south, ben, ago(100))

        def suggestion(owner: User, status: str, days: int) -> None:
            s.add(Suggestion(account_id=reached.id, owner_role="rep", owner_id=owner.id,
                             action="call", channel="in_person", due_date=TODAY,
                             expires_on=TODAY, priority=0.5, status=status,
                             status_at=ago(days)))

        suggestion(anna, "accepted", 3)
        suggestion(anna, "dismissed", 5)
        suggestion(anna, "open", 1)
        suggestion(anna, "accepted", 40)  # before the last four weeks
        suggestion(ben, "completed", 10)
        suggestion(ben, "accepted", 200)
        return {"anna": anna.id, "ben": ben.id, "north": north.id, "hospital": hospital.id,
                "practice": practice.id, "reached": reached.id}


def test_the_team_per_rep(db: Database) -> None:
    ids = make_team(db)
    with db.reader.connect() as conn:
        figures = team_figures(conn, TODAY)
    # Reps only (not the MSL nor the manager), by name.
    assert [(r.name, r.territory) for r in figures.reps] == [("Anna Rep", "Nord"),
                                                            ("Ben Rep", "Süd")]
    anna, ben = figures.reps
    assert (anna.user_id, anna.territory_id) == (ids["anna"], ids["north"])
    assert (anna.calls_week, anna.calls_month) == (2, 3)  # 2 this week, one 20 days ago
    # Nord: two A doctors, one B and the hospital (A); Süd: one A, the practice (B).
    north_yearly = 3 * 22 + 1 * 12
    assert (anna.plan_week, anna.plan_month) == (north_yearly / 52, north_yearly / 12)
    assert (anna.a_accounts, anna.a_reached, anna.a_coverage) == (3, 1, 1 / 3)
    assert (anna.reactions, anna.positive, anna.positive_share) == (4, 2, 0.5)
    assert (anna.suggestions_decided, anna.suggestions_taken, anna.taken_share) == (2, 1, 0.5)
    assert (ben.calls_week, ben.calls_month, ben.reactions, ben.positive_share) == (0, 0, 0, 0)
    assert (ben.a_accounts, ben.a_reached, ben.plan_month) == (1, 0, (22 + 12) / 12)
    assert (ben.suggestions_decided, ben.suggestions_taken) == (1, 1)


def test_key_accounts_with_their_doctors_and_the_teams_activity(db: Database) -> None:
    ids = make_team(db)
    with db.reader.connect() as conn:
        figures = team_figures(conn, TODAY)
    hospital, practice = figures.key_accounts
    # The most doctors first; a removed doctor does not count.
    assert (hospital.account_id, hospital.name, hospital.city, hospital.doctors) == (
        ids["hospital"], "Klinikum Nord", "Bonn", 2)
    # The hospital's own call (30 days) and its doctors' (0, 1, 20, 60 days; 120 is old).
    assert hospital.last_call_at == AT
    assert hospital.recent_calls == 5
    assert (practice.doctors, practice.last_call_at, practice.recent_calls) == (1, ago(100), 0)


def test_visits_the_doctors_did_not_receive_are_no_calls_of_the_team(db: Database) -> None:
    """Failed attempts beside the received calls: the rep's week and month, the key
    account's latest call and recent calls stay those of the received ones."""
    ids = make_team(db)
    with db.write() as s:
        s.info["from_server"] = True
        hospital = s.get(Account, ids["hospital"])
        assert hospital is not None
        for account in (ids["reached"], ids["hospital"]):
            s.add(Interaction(account_id=account, owner_id=ids["anna"], channel="in_person",
                              status="submitted", start_at=AT + dt.timedelta(hours=2),
                              not_received=True))
        s.add(Interaction(account_id=ids["practice"], owner_id=ids["ben"],
                          channel="in_person", status="submitted", start_at=ago(2),
                          not_received=True))
    with db.reader.connect() as conn:
        figures = team_figures(conn, TODAY)
    anna, ben = figures.reps
    assert (anna.calls_week, anna.calls_month) == (2, 3)
    assert (ben.calls_week, ben.calls_month) == (0, 0)
    hospital_figures, practice = figures.key_accounts
    assert (hospital_figures.last_call_at, hospital_figures.recent_calls) == (AT, 5)
    assert (practice.last_call_at, practice.recent_calls) == (ago(100), 0)


def test_the_stamp_moves_with_a_suggestion_or_a_user(db: Database) -> None:
    ids = make_team(db)
    with db.reader.connect() as conn:
        before = data_stamp(conn)
        assert data_stamp(conn) == before
    with db.write() as s:
        s.info["from_server"] = True
        row = s.query(Suggestion).filter_by(status="open").one()
        row.status, row.status_at, row.version = "accepted", AT, 99
    with db.reader.connect() as conn:
        after = data_stamp(conn)
    assert after != before
    with db.write() as s:
        s.info["from_server"] = True
        s.add(User(username="new", display_name="New Rep", role="rep",
                   territory_id=ids["north"], version=100))
    with db.reader.connect() as conn:
        assert data_stamp(conn) != after


def plans(conn: Connection) -> Iterator[list[str]]:
    """What SQLite does for every statement the figures run (EXPLAIN QUERY PLAN)."""
    statements: list[tuple[str, object]] = []

    def seen(_conn: object, _cursor: object, statement: str, parameters: object,
             _context: object, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", seen)
    team_figures(conn, TODAY)
    event.remove(conn, "before_cursor_execute", seen)
    for statement, parameters in statements:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        yield [row[3] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                parameters)]


#: What ANALYZE says of the demo store at 50,000 accounts and a million calls: the planner
#: of a tiny test store would choose other plans than the one a rep's laptop runs.
AT_SCALE = [
    ("interactions", "ix_interactions_updated_at", "1038474 3"),
    ("interactions", "ix_interactions_version", "1038474 1038474"),
    ("interactions", "ix_interactions_status_start", "1038474 346158 9"),
    ("interactions", "ix_interactions_owner_id", "1038474 519237"),
    ("interactions", "ix_interactions_account_start", "1038474 21 1"),
    ("interactions", "sqlite_autoindex_interactions_1", "1038474 1"),
    ("discussed_key_messages", "ix_discussed_key_messages_interaction_id", "1599831 2"),
    ("discussed_key_messages", "sqlite_autoindex_discussed_key_messages_1", "1599831 1"),
    ("affiliations", "ix_affiliations_hco_id", "44054 6"),
]


@pytest.mark.parametrize("figures", ["none", "at scale"])
def test_the_interactions_are_read_in_one_pass(db: Database, figures: str) -> None:
    """Without figures (a laptop's store: the app never runs ANALYZE) and with the demo
    store's at scale, the planner's two regimes."""
    make_team(db)
    if figures == "at scale":
        with db.write() as s:
            s.execute(text("ANALYZE"))
            s.execute(text("DELETE FROM sqlite_stat1 WHERE tbl IN "
                           "('interactions', 'discussed_key_messages', 'affiliations')"))
            for table, index, stat in AT_SCALE:
                s.execute(text("INSERT INTO sqlite_stat1 VALUES (:t, :i, :s)"),
                          {"t": table, "i": index, "s": stat})
    with db.reader.connect() as conn:
        found = list(plans(conn))
    touching = [step for p in found for step in p if " interactions" in step]
    # The per-rep pass reads the month's calls by their (status, start) index, once; the key
    # accounts' calls are looked up by account: no statement walks every submitted call.
    assert not [step for step in touching if step.startswith("SCAN interactions")]
    by_status = [step for step in touching if "ix_interactions_status_start" in step]
    assert len(by_status) == 1 and "start_at>?" in by_status[0], touching
    assert any("ix_interactions_account_start (account_id=?)" in step for step in touching)


def test_the_accounts_list_filters_by_a_reps_territory(db: Database) -> None:
    """The drill-down from a rep: the accounts of the rep's territory, and the territories
    the filter offers."""
    from app.store.queries import AccountFilter, count_accounts, filter_options, search_accounts

    ids = make_team(db)
    with db.reader.connect() as conn:
        north = AccountFilter(territory_id=ids["north"])
        names = [row.name for row in search_accounts(conn, north)]
        assert names == ["Dr. A1", "Dr. A2", "Dr. B1", "Klinikum Nord"]  # not the removed one
        assert count_accounts(conn, north) == 4
        assert count_accounts(conn, AccountFilter()) == 6
        assert [name for _id, name in filter_options(conn).territories] == ["Nord", "Süd"]
