"""Scope: tests that try to cross it, through every endpoint that reads accounts."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.conftest import Live


def test_rep_sees_own_territory_and_affiliated_institutions(live: Live) -> None:
    mine, other = live.territory(), live.territory()
    doctor = live.account(mine, "hcp", "Dr. Anna Müller")
    hospital = live.account(other, "hco", "Klinikum Süd")  # another territory's institution
    stranger = live.account(other, "hcp", "Dr. Fremd")
    unrelated_hco = live.account(other, "hco", "Praxis Nord")
    live.affiliate(doctor, hospital)
    live.affiliate(stranger, unrelated_hco)
    rep = live.login(live.user("rep", (mine,)))
    assert rep.all_account_ids() == {doctor, hospital}
    assert rep.get(f"/api/v1/accounts/{doctor}").status_code == 200
    detail = rep.get(f"/api/v1/accounts/{hospital}").json()
    # The hospital's affiliations show only the doctors in scope.
    assert {a["hcp_id"] for a in detail["affiliations"]} == {doctor}
    for out_of_scope in (stranger, unrelated_hco, str(uuid.uuid4())):
        r = rep.get(f"/api/v1/accounts/{out_of_scope}")
        assert r.status_code == 404
        assert r.json() == {"error": "no such account in your scope"}


def test_msl_sees_own_territories(live: Live) -> None:
    mine, other = live.territory(), live.territory()
    inside, outside = live.account(mine), live.account(other)
    msl = live.login(live.user("msl", (mine,)))
    assert msl.all_account_ids() == {inside}
    assert msl.get(f"/api/v1/accounts/{outside}").status_code == 404


def test_manager_sees_the_team_read_only(live: Live) -> None:
    t1, t2, t3 = live.territory(), live.territory(), live.territory()
    boss = live.user("manager")
    live.user("rep", (t1,), manager=boss)
    live.user("rep", (t2,), manager=boss)
    live.user("rep", (t3,))  # not in the team
    a1, a2, a3 = live.account(t1), live.account(t2), live.account(t3)
    manager = live.login(boss)
    assert manager.all_account_ids() == {a1, a2}
    assert manager.get(f"/api/v1/accounts/{a3}").status_code == 404
    r = manager.post("/api/v1/admin/import", data=b"x", headers={"Content-Type": "text/csv"})
    assert r.status_code == 403


def test_rep_without_territory_sees_nothing(live: Live) -> None:
    live.account(live.territory())
    assert live.login(live.user("rep")).all_account_ids() == set()


def test_paging_covers_the_scope_exactly_once(live: Live) -> None:
    t = live.territory()
    ids = {live.account(t, name=f"Dr. {i}") for i in range(7)}
    rep = live.login(live.user("rep", (t,)))
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = rep.get("/api/v1/accounts", params=params).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize("evil", ["' OR '1'='1", "1; DROP TABLE accounts; --", "%", "*",
                                  "../../etc/passwd"])
def test_sql_looking_ids_find_nothing(live: Live, evil: str) -> None:
    live.account(live.territory())
    rep = live.login(live.user("rep", (live.territory(),)))
    r = rep.get(f"/api/v1/accounts/{evil}")
    assert r.status_code in (404, 422)
    assert rep.get("/api/v1/accounts", params={"cursor": evil}).status_code in (400, 422)


@st.composite
def worlds(draw: st.DrawFn) -> dict:
    """Territories, reps holding random subsets (some in a manager's team), accounts in
    random territories (or none), and random affiliations."""
    n_terr = draw(st.integers(1, 4))
    reps = draw(st.lists(st.sets(st.integers(0, n_terr - 1), max_size=n_terr),
                         min_size=1, max_size=3))
    accounts = draw(st.lists(st.tuples(st.sampled_from(["hcp", "hco"]),
                                       st.one_of(st.none(), st.integers(0, n_terr - 1))),
                             min_size=1, max_size=10))
    links = draw(st.lists(st.tuples(st.integers(0, len(accounts) - 1),
                                    st.integers(0, len(accounts) - 1)), max_size=6))
    team = draw(st.lists(st.booleans(), min_size=len(reps), max_size=len(reps)))
    return {"n_terr": n_terr, "reps": reps, "accounts": accounts, "links": links,
            "team": team}


#: Each example builds a world through the live server: the default run takes a dozen per
#: backend (new ones every run), `-m slow` the long profile.
_SCOPE_SETTINGS = settings(deadline=None, database=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])


@settings(_SCOPE_SETTINGS, max_examples=12)
@given(world=worlds())
def test_no_one_ever_receives_an_account_outside_scope(live: Live, world: dict) -> None:
    """Reps and their manager, over random territories, accounts and affiliations: the
    list and the detail endpoint agree with the scope computed here, independently."""
    check_scope(live, world)


@pytest.mark.slow
@settings(_SCOPE_SETTINGS, max_examples=150)
@given(world=worlds())
def test_no_one_ever_receives_an_account_outside_scope_long(live: Live, world: dict) -> None:
    check_scope(live, world)


def check_scope(live: Live, world: dict) -> None:
    codes = [live.territory() for _ in range(world["n_terr"])]
    ids = [live.account(codes[t] if t is not None else None, kind)
           for kind, t in world["accounts"]]
    kinds = [kind for kind, _t in world["accounts"]]
    affiliations = set()
    for a, b in world["links"]:
        if kinds[a] == "hcp" and kinds[b] == "hco" and (a, b) not in affiliations:
            live.affiliate(ids[a], ids[b])
            affiliations.add((a, b))
    boss = live.user("manager")

    def visible(held: set[int]) -> set[int]:
        own = {i for i, (_k, t) in enumerate(world["accounts"]) if t in held}
        return own | {b for a, b in affiliations if a in own}

    team_held: set[int] = set()
    readers = []
    for held, in_team in zip(world["reps"], world["team"], strict=False):
        name = live.user("rep", tuple(codes[t] for t in sorted(held)),
                         manager=boss if in_team else None)
        readers.append((live.login(name), visible(held)))
        if in_team:
            team_held |= held
    readers.append((live.login(boss), visible(team_held)))
    for reader, expected in readers:
        assert reader.all_account_ids() == {ids[i] for i in expected}
        for i, account_id in enumerate(ids):
            status = reader.get(f"/api/v1/accounts/{account_id}").status_code
            assert status == (200 if i in expected else 404)


def test_large_pages_are_gzipped(live: Live) -> None:
    t = live.territory()
    for i in range(30):
        live.account(t, name=f"Dr. Gzip {i}")
    rep = live.login(live.user("rep", (t,)))
    r = rep.get("/api/v1/accounts", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip"
    assert len(r.json()["items"]) == 30
    small = rep.get("/api/v1/me", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
