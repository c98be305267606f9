"""The accounts' derived search columns: refreshed for the accounts that still exist."""

from __future__ import annotations

from app.store.database import Database
from app.store.search import refresh_accounts


def test_refreshing_accounts_that_are_gone_changes_nothing(db: Database) -> None:
    # A pull page can touch an account and remove it again (revoked, erased) in the same
    # transaction: the refresh then finds no row and must not fail the page.
    with db.write() as session:
        refresh_accounts(session.connection(), ["01a00000-0000-7000-8000-000000000000"])
