"""`fieldrep-server demo`: demo rows in, one transaction; refused when it would overwrite."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.cli import main
from server.db import Database
from server.models import Account, TerritoryAssignment, User
from server.security import verify_password

TERRITORY = "01900000-0000-7000-8000-000000000001"
REP = "01900000-0000-7000-8000-000000000002"
BOSS = "01900000-0000-7000-8000-000000000003"
ACCOUNT = "01900000-0000-7000-8000-000000000004"
STAMP = "2026-11-02T06:00:00"


def common(row_id: str) -> dict[str, object]:
    return {"id": row_id, "version": 0, "updated_at": STAMP, "deleted": False}


def lines(*batches: tuple[str, list[dict[str, object]]]) -> str:
    return "".join(json.dumps({"table": t, "rows": r}) + "\n" for t, r in batches)


DEMO = lines(
    ("territories", [{**common(TERRITORY), "code": "DE-DEMO", "name": "Demo-Gebiet"}]),
    ("users", [{**common(REP), "username": "rep", "display_name": "Jörg Krüger",
                "role": "rep", "email": None, "territory_id": TERRITORY},
               {**common(BOSS), "username": "boss", "display_name": "Katrin Weiß",
                "role": "manager", "email": None, "territory_id": TERRITORY}]),
    ("accounts", [{**common(ACCOUNT), "kind": "hcp", "name": "Dr. Jürgen Müller",
                   "territory_id": TERRITORY, "notes": None}]),
)


def seed(monkeypatch: pytest.MonkeyPatch, folder: Path, text: str) -> int:
    monkeypatch.delenv("FIELDREP_SERVER_DSN", raising=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    return main(["--data-dir", str(folder), "demo", "--password", "rep=rep-password",
                 "--password", "boss=boss-password"])


def test_demo_rows_land_with_versions_people_and_passwords(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert seed(monkeypatch, tmp_path, DEMO) == 0
    assert json.loads(capsys.readouterr().out) == {"territories": 1, "users": 2,
                                                   "accounts": 1}
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    try:
        with db.reading() as s:
            rep = s.get(User, REP)
            assert rep is not None and rep.manager_id == BOSS
            assert verify_password(rep.password_hash, "rep-password")
            assert s.scalar(select(func.count()).select_from(TerritoryAssignment)) == 2
            versions = s.scalars(select(Account.version)).all()
            assert versions and all(v > 0 for v in versions)
    finally:
        db.dispose()


def test_a_server_with_users_is_never_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert seed(monkeypatch, tmp_path, DEMO) == 0
    assert seed(monkeypatch, tmp_path, DEMO) == 2
    assert "already holds users" in capsys.readouterr().err


def test_a_bad_line_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert seed(monkeypatch, tmp_path, DEMO + "not json\n") == 2
    assert "not a batch of demo rows" in capsys.readouterr().err
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    try:
        with db.reading() as s:
            assert s.scalar(select(func.count()).select_from(User)) == 0
    finally:
        db.dispose()
