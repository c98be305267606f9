"""Administering a real deployment over the admin API (SQLite and PostgreSQL) and the CLI:
products with sample limits, key messages, therapeutic areas, a territory's promotable
products, unassigning territories, password resets and changes, re-enabling users."""

from __future__ import annotations

import io
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.sync.client import SyncClient
from server.cli import main
from server.db import Database
from server.escalations.routing import cover
from server.models import MslCoverage, Product
from tests.server.conftest import PASSWORD, Client, Live


def pull_all(live: Live, username: str, cursor: str | None = None
             ) -> tuple[dict[str, list[dict[str, Any]]], str]:
    """Every change the user pulls after `cursor`, by entity, and the new cursor."""
    client = SyncClient(live.base, device_id="laptop-cat")
    client.token = client.login(username, PASSWORD)["token"]
    rows: dict[str, list[dict[str, Any]]] = {}
    with client:
        while True:
            page = client.pull(cursor, 1000)
            for change in page["changes"]:
                rows.setdefault(change["entity"], []).append(change["row"])
            cursor = page["cursor"]
            if not page["more"]:
                assert cursor is not None
                return rows, cursor


def name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_products_key_messages_and_limits(live: Live, admin: Client) -> None:
    product = name("Cardiozan")
    r = admin.post("/api/v1/admin/products", json={
        "name": product, "therapeutic_area": "Cardiology", "yearly_sample_limit": 12})
    assert r.status_code == 201, r.text
    assert r.json()["yearly_sample_limit"] == 12 and r.json()["territories"] == []
    again = admin.post("/api/v1/admin/products", json={
        "name": product.upper(), "therapeutic_area": "Cardiology"})
    assert again.status_code == 409 and "exists already" in again.json()["error"]
    for bad in ({"name": name("P"), "therapeutic_area": "X", "yearly_sample_limit": -1},
                {"name": name("P"), "therapeutic_area": "", "yearly_sample_limit": 1},
                {"name": name("P"), "therapeutic_area": "X", "yearly_sample_limit": 10**12}):
        assert admin.post("/api/v1/admin/products", json=bad).status_code == 422
    patch = admin.session.patch(f"{live.base}/api/v1/admin/products/{product}",
                                headers=admin.headers(), json={"yearly_sample_limit": None})
    assert patch.status_code == 200 and patch.json()["yearly_sample_limit"] is None
    patch = admin.session.patch(f"{live.base}/api/v1/admin/products/{product}",
                                headers=admin.headers(), json={"active": False})
    assert patch.json()["active"] is False and patch.json()["yearly_sample_limit"] is None
    assert admin.session.patch(f"{live.base}/api/v1/admin/products/{name('nope')}",
                               headers=admin.headers(), json={}).status_code == 404

    base = f"/api/v1/admin/products/{product}/key-messages"
    r = admin.post(base, json={"code": "CZ-EFF", "title": "Weniger Klinikaufenthalte",
                               "topic": "efficacy"})
    assert r.status_code == 201 and r.json()["position"] == 1
    assert admin.post(base, json={"code": "CZ-SAF", "title": "Sicher"}).json()["position"] == 2
    assert admin.post(base, json={"code": "CZ-EFF", "title": "again"}).status_code == 409
    retired = admin.session.delete(f"{live.base}{base}/CZ-SAF", headers=admin.headers())
    assert retired.status_code == 200
    assert [m["code"] for m in admin.get(base).json()] == ["CZ-EFF"]
    assert admin.get(f"/api/v1/admin/products/{name('nope')}/key-messages").status_code == 404


def test_promoting_reaches_reps_who_synced_before(live: Live, admin: Client) -> None:
    territory = live.territory()
    rep = live.user("rep", (territory,))
    product = name("Glucaria")
    admin.post("/api/v1/admin/products", json={"name": product, "therapeutic_area": "Diabetes"})
    admin.post(f"/api/v1/admin/products/{product}/key-messages",
               json={"code": "GL-PAT", "title": "Patienten"})
    before, cursor = pull_all(live, rep)
    assert product not in {p["name"] for p in before.get("products", [])}

    r = admin.session.put(f"{live.base}/api/v1/admin/territories/{territory}/products/{product}",
                          headers=admin.headers())
    assert r.status_code == 200 and r.json() == {"changed": True}
    after, cursor = pull_all(live, rep, cursor)  # the rep's next sync, not a fresh one
    assert [p["name"] for p in after["products"]] == [product]
    assert [m["code"] for m in after["key_messages"]] == ["GL-PAT"]
    promoted = admin.get("/api/v1/admin/products").json()
    assert next(p for p in promoted if p["name"] == product)["territories"] == [territory]

    r = admin.session.delete(
        f"{live.base}/api/v1/admin/territories/{territory}/products/{product}",
        headers=admin.headers())
    assert r.json() == {"changed": True}
    later, _ = pull_all(live, rep, cursor)
    assert [row["deleted"] for row in later["territory_products"]] == [True]
    assert admin.session.put(
        f"{live.base}/api/v1/admin/territories/NOPE-{uuid.uuid4().hex[:6]}/products/{product}",
        headers=admin.headers()).status_code == 404


def test_areas_are_listed_and_renamed_with_the_msl_coverage(live: Live, admin: Client) -> None:
    area = name("Onkologie")
    territory = live.territory()
    msl = live.user("msl", ())
    product = name("Onkozan")
    admin.post("/api/v1/admin/products", json={"name": product, "therapeutic_area": area})
    with live.db.writing() as s:
        cover(s, msl, territory, area.upper())
    listed = {a["therapeutic_area"]: a for a in admin.get("/api/v1/admin/areas").json()}
    assert listed[area]["products"] == [product] and listed[area]["msl_coverages"] == 1
    renamed = name("Oncology")
    r = admin.post("/api/v1/admin/areas/rename", json={"old": area, "new": renamed})
    assert r.status_code == 200
    with live.db.reading() as s:
        assert s.scalars(select(Product.therapeutic_area).where(Product.name == product)
                         ).one() == renamed
        assert renamed in s.scalars(select(MslCoverage.therapeutic_area)).all()
    assert admin.post("/api/v1/admin/areas/rename",
                      json={"old": area, "new": "x"}).status_code == 404


def test_unassigning_a_territory_takes_its_accounts_away(live: Live, admin: Client) -> None:
    kept, taken = live.territory(), live.territory()
    rep = live.user("rep", (kept, taken))
    mine, gone = live.account(kept), live.account(taken)
    assert {mine, gone} <= live.login(rep).all_account_ids()
    r = admin.session.delete(f"{live.base}/api/v1/admin/territories/{taken}/users/{rep}",
                             headers=admin.headers())
    assert r.json() == {"changed": True}
    ids = live.login(rep).all_account_ids()
    assert mine in ids and gone not in ids
    again = admin.session.delete(f"{live.base}/api/v1/admin/territories/{taken}/users/{rep}",
                                 headers=admin.headers())
    assert again.json() == {"changed": False}


def test_reset_password_ends_sessions_and_enable_lets_back_in(live: Live,
                                                              admin: Client) -> None:
    rep = live.user("rep")
    old = live.login(rep)
    r = admin.post(f"/api/v1/admin/users/{rep}/password", json={"password": "short"})
    assert r.status_code == 422
    r = admin.post(f"/api/v1/admin/users/{rep}/password", json={"password": "brand-new-pass"})
    assert r.json() == {"revoked": 1}
    assert old.get("/api/v1/me").status_code == 401
    fresh = live.client()
    ok = fresh.post("/api/v1/login", json={"username": rep, "password": "brand-new-pass",
                                           "device_id": "laptop-1"})
    assert ok.status_code == 200
    with live.db.writing() as s:  # put the shared password back for the next step
        from server.directory import disable_user, reset_password

        reset_password(s, rep, PASSWORD)
        disable_user(s, rep)
    refused = live.client().post("/api/v1/login", json={
        "username": rep, "password": PASSWORD, "device_id": "laptop-1"})
    assert refused.status_code == 401
    assert admin.post(f"/api/v1/admin/users/{rep}/enable").json() == {"changed": True}
    assert admin.post(f"/api/v1/admin/users/{rep}/enable").json() == {"changed": False}
    live.login(rep)
    assert admin.post(f"/api/v1/admin/users/{name('nobody')}/enable").status_code == 404


def test_a_user_changes_their_own_password(live: Live) -> None:
    rep = live.user("rep")
    here, lost = live.login(rep, "laptop-1"), live.login(rep, "laptop-lost")
    wrong = here.post("/api/v1/me/password", json={"current_password": "not it",
                                                   "new_password": "another-pass-1"})
    assert wrong.status_code == 403 and "current password is wrong" in wrong.json()["error"]
    short = here.post("/api/v1/me/password", json={"current_password": PASSWORD,
                                                   "new_password": "short"})
    assert short.status_code == 422
    ok = here.post("/api/v1/me/password", json={"current_password": PASSWORD,
                                                "new_password": "another-pass-1"})
    assert ok.json() == {"ended_sessions": 1}
    assert here.get("/api/v1/me").status_code == 200  # this session goes on
    assert lost.get("/api/v1/me").status_code == 401  # the other device is out
    with live.db.writing() as s:
        from server.directory import reset_password

        reset_password(s, rep, PASSWORD)


def test_reps_may_not_administer(live: Live) -> None:
    territory = live.territory()
    rep = live.login(live.user("rep", (territory,)))
    assert rep.post("/api/v1/admin/products", json={
        "name": name("P"), "therapeutic_area": "X"}).status_code == 403
    assert rep.session.put(f"{live.base}/api/v1/admin/territories/{territory}/users/x",
                           headers=rep.headers()).status_code == 403


# --- the CLI ----------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    monkeypatch.delenv("FIELDREP_SERVER_DSN", raising=False)
    d = ["--data-dir", str(tmp_path)]
    assert main([*d, "init"]) == 0
    yield d


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_the_catalogue_from_the_command_line(cli: list[str],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*cli, "product", "add", "Cardiozan", "--area", "Cardiology",
                 "--sample-limit", "12"]) == 0
    assert main([*cli, "product", "add", "cardiozan", "--area", "Cardiology"]) == 2
    assert "exists already" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*cli, "product", "add", "X", "--area", "Y", "--sample-limit", "-3"])
    assert main([*cli, "product", "set", "Cardiozan", "--no-sample-limit"]) == 0
    assert main([*cli, "keymessage", "add", "Cardiozan", "CZ-EFF", "Weniger Aufenthalte",
                 "--topic", "efficacy"]) == 0
    assert main([*cli, "keymessage", "add", "Cardiozan", "CZ-SAF", "Sicher"]) == 0
    assert main([*cli, "keymessage", "retire", "Cardiozan", "CZ-SAF"]) == 0
    assert main([*cli, "territory", "add", "BER-1"]) == 0
    assert main([*cli, "territory", "promote", "BER-1", "Cardiozan"]) == 0
    assert main([*cli, "territory", "promote", "BER-1", "Nope"]) == 2
    capsys.readouterr()
    assert main([*cli, "product", "list"]) == 0
    assert capsys.readouterr().out == "Cardiozan\tCardiology\tno limit\tactive\tBER-1\n"
    assert main([*cli, "keymessage", "list", "Cardiozan"]) == 0
    assert capsys.readouterr().out == "CZ-EFF\tefficacy\tWeniger Aufenthalte\n"
    assert main([*cli, "area", "rename", "cardiology", "Kardiologie"]) == 0
    assert main([*cli, "area", "list"]) == 0
    assert "Kardiologie\tCardiozan\t0 MSL coverage(s)" in capsys.readouterr().out
    assert main([*cli, "territory", "unpromote", "BER-1", "Cardiozan"]) == 0
    assert "no longer promotes" in capsys.readouterr().out


def test_users_from_the_command_line(cli: list[str], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*cli, "territory", "add", "BER-1"]) == 0
    assert main([*cli, "territory", "add", "BER-2"]) == 0
    _stdin(monkeypatch, "first-password\n")
    assert main([*cli, "user", "add", "anna", "--role", "rep", "--password-stdin"]) == 0
    assert main([*cli, "territory", "assign", "anna", "BER-1"]) == 0
    assert main([*cli, "territory", "assign", "anna", "BER-2"]) == 0
    assert main([*cli, "territory", "unassign", "anna", "BER-1"]) == 0
    assert main([*cli, "user", "disable", "anna"]) == 0
    assert main([*cli, "user", "enable", "anna"]) == 0
    _stdin(monkeypatch, "short\n")
    assert main([*cli, "user", "password", "anna", "--password-stdin"]) == 2
    _stdin(monkeypatch, "second-password\n")
    assert main([*cli, "user", "password", "anna", "--password-stdin"]) == 0
    capsys.readouterr()
    assert main([*cli, "user", "list"]) == 0
    assert capsys.readouterr().out == "anna\trep\tactive\tBER-2\n"
    from server.models import User
    from server.security import verify_password

    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with db.reading() as s:
        user = s.scalars(select(User).where(User.username == "anna")).one()
        assert verify_password(user.password_hash, "second-password")
        primary = user.territory_id
        from server.models import Territory

        assert s.get(Territory, primary).code == "BER-2"  # type: ignore[union-attr]
    db.dispose()


def test_a_wrong_method_names_every_method_of_the_path(live: Live, admin: Client) -> None:
    """One path, a route per method: the 405's Allow lists them all (RFC 9110)."""
    r = admin.session.request("OPTIONS", f"{live.base}/api/v1/admin/territories/X/products/Y",
                              headers=admin.headers())
    assert r.status_code == 405 and r.headers["Allow"] == "DELETE, PUT"
    r = admin.session.request("PATCH", f"{live.base}/api/v1/admin/products",
                              headers=admin.headers())
    assert r.status_code == 405 and r.headers["Allow"] == "GET, POST"
