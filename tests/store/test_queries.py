"""The accounts list's count: every match counted, past a thousand too (it said "More than
1,000 accounts" where a rep wants to read how many)."""

from __future__ import annotations

from app.store.accounts import Account
from app.store.database import Database
from app.store.queries import AccountFilter, count_accounts
from app.store.search import refresh_accounts

MANY = 1_234


def test_more_than_a_thousand_accounts_are_counted_exactly(db: Database) -> None:
    with db.write() as session:
        accounts = [Account(kind="hcp", first_name="Anna", last_name=f"Muster{i}",
                            name=f"Dr. Anna Muster{i}") for i in range(MANY)]
        accounts += [Account(kind="hcp", first_name="Paul", last_name="Weber",
                             name="Dr. Paul Weber")]
        session.add_all(accounts)
        session.flush()
        refresh_accounts(session.connection(), [a.id for a in accounts])
    with db.read() as session:
        conn = session.connection()
        assert count_accounts(conn, AccountFilter()) == MANY + 1
        assert count_accounts(conn, AccountFilter(text="anna")) == MANY
        assert count_accounts(conn, AccountFilter(text="weber")) == 1
