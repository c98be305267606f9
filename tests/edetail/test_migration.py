"""Migration 0003 (e-detailing tables): an upgraded file keeps its data; downgrade drops them."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect

from app.store.database import open_database
from app.store.schema import HEAD, REVISIONS
from migrations import script_location

TABLES = {"presentations", "slides", "presentation_sessions", "slide_views",
          "clickstream_events"}


def _upgrade(path: Path, target: str, *, down: bool = False) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(script_location()))
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, target)
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_account_search_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "fieldrep.sqlite"
    assert not TABLES & _upgrade(path, "0002_account_search")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO products (id, name, therapeutic_area, active) "
                     "VALUES ('p1', 'Cardiovel', 'Cardiology', 1)")
        conn.commit()
    db = open_database(path)
    try:
        with db.read() as session:
            conn2 = session.connection()
            assert conn2.exec_driver_sql("SELECT name FROM products").scalar_one() == \
                "Cardiovel"
            assert set(inspect(conn2).get_table_names()) >= TABLES
    finally:
        db.close()
    assert REVISIONS.index(HEAD) >= REVISIONS.index("0003_edetail_content")
    assert not TABLES & _upgrade(path, "0002_account_search", down=True)
    assert _upgrade(path, "head") >= TABLES
