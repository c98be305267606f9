"""`upsert_rows`: the sync's executemany stores exactly what SQLAlchemy's own upsert stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError

from app.ids import uuid7
from app.store.bulk import upsert_rows
from app.store.database import open_database
from app.store.models import Base

specialties = Base.metadata.tables["specialties"]
products = Base.metadata.tables["products"]


def stored(path: Path, table: Table) -> list[dict[str, Any]]:
    db = open_database(path)
    try:
        with db.read() as session:
            return [dict(r._mapping) for r in session.connection().execute(
                select(table).order_by(table.c.id))]
    finally:
        db.close()


def test_inserts_and_updates_only_the_named_columns_like_sqlalchemys_upsert(
        tmp_path: Path) -> None:
    moment = dt.datetime(2026, 11, 2, 8, 30, 15, 123456)
    new = {"id": uuid7(), "code": "CARD", "name_en": "Cardiology", "name_de": "Kardiologie",
           "version": 3, "updated_at": moment, "deleted": False}
    old_id = uuid7()
    old = {**new, "id": old_id, "code": "NEPH", "name_en": "Nephrology"}
    change = {**old, "name_en": "Nephrology (adults)", "name_de": "Nephrologie",
              "version": 4, "deleted": True}
    for name, write in (("ours", "bulk"), ("core", "core")):
        db = open_database(tmp_path / f"{name}.sqlite")
        with db.write() as session:
            conn = session.connection()
            if write == "bulk":
                upsert_rows(conn, specialties, [old], ["code"])
                upsert_rows(conn, specialties, [new, change],
                            ["name_en", "version", "deleted"])  # name_de left alone
            else:
                stmt = insert(specialties)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["id"], set_={"code": stmt.excluded.code}), [old])
                conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={
                    k: stmt.excluded[k] for k in ("name_en", "version", "deleted")}),
                    [new, change])
        db.close()
    ours = stored(tmp_path / "ours.sqlite", specialties)
    assert ours == stored(tmp_path / "core.sqlite", specialties)
    by_id = {r["id"]: r for r in ours}
    assert by_id[old_id] == {**old, "name_en": "Nephrology (adults)", "version": 4,
                             "deleted": True}  # name_de kept


def test_no_columns_to_update_leaves_an_existing_row_alone(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite")
    row = {"id": uuid7(), "code": "CARD", "name_en": "Cardiology", "name_de": "Kardiologie",
           "version": 1, "updated_at": dt.datetime(2026, 1, 1), "deleted": False}
    with db.write() as session:
        upsert_rows(session.connection(), specialties, [row], ["name_en"])
        upsert_rows(session.connection(), specialties, [{**row, "name_en": "x"}], [])
    db.close()
    assert [r["name_en"] for r in stored(tmp_path / "db.sqlite", specialties)] == [
        "Cardiology"]


def test_columns_the_rows_lack_get_their_python_defaults(tmp_path: Path) -> None:
    """As SQLAlchemy's own INSERT would: constants, and functions called per row."""
    db = open_database(tmp_path / "db.sqlite")
    ids = [uuid7(), uuid7()]
    with db.write() as session:
        upsert_rows(session.connection(), products,
                    [{"id": i, "name": f"P{n}", "therapeutic_area": "Cardiology"}
                     for n, i in enumerate(ids)], ["name"])
    db.close()
    rows = {r.id: r for r in _products(tmp_path / "db.sqlite")}
    assert set(rows) == set(ids)
    for r in rows.values():
        assert (r.version, r.deleted, r.active) == (0, False, True)
        assert isinstance(r.updated_at, dt.datetime)


def _products(path: Path) -> list[Any]:
    db = open_database(path)
    try:
        with db.read() as session:
            return list(session.connection().execute(select(products)))
    finally:
        db.close()


def test_a_refused_row_fails_the_whole_executemany(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite")
    good = {"id": uuid7(), "code": "CARD", "name_en": "Cardiology", "name_de": "Kardiologie",
            "version": 1, "updated_at": dt.datetime(2026, 1, 1), "deleted": False}
    with pytest.raises(IntegrityError), db.write() as session:
        upsert_rows(session.connection(), specialties,
                    [good, {**good, "id": uuid7(), "code": None}], ["code"])
    db.close()
    assert stored(tmp_path / "db.sqlite", specialties) == []
