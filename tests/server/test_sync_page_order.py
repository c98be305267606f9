"""A pull page is read off the `(version, id)` index from the cursor, never by reading the
whole scope and sorting it: a first sync of a large territory (all rows of one import's
version) sorted every call of the scope for every page (SQLite plan checked here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from benchmarks.sync import populate
from server.db import Database, upgrade
from server.scope import Principal
from server.sync.pull import pull


def test_pages_walk_the_page_order_index_without_sorting(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    upgrade(db)
    populate(db, "BIG", 40, calls=30)  # 1,200 calls of one version
    with db.reading() as session:
        user_id = session.execute(text("SELECT id FROM users WHERE username = 'rep-big'")
                                  ).scalar_one()
    principal = Principal(user_id, "rep-big", "rep", "device", "token")
    statements: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "ORDER BY" in statement:
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        seen: list[str] = []
        cursor = None
        while True:
            page = pull(db, principal, cursor, 500)
            seen += [c["row"]["id"] for c in page["changes"]]
            cursor = page["cursor"]
            if not page["more"]:
                break
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert len(seen) == len(set(seen)) == 40 + 1200 + 2  # accounts, calls, rep, territory
    raw = db.engine.raw_connection()
    try:
        for statement, parameters in statements:
            if "FROM interactions" not in statement.split("WHERE")[0]:
                continue
            plan = [row[3] for row in raw.cursor().execute(
                "EXPLAIN QUERY PLAN " + statement, parameters)]
            assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan
            assert any("ix_interactions_version_id" in step for step in plan), plan
    finally:
        raw.close()


