"""Every synced entity declares its write scope (app/access.py), so a new entity cannot
forget it: the contract is enumerated and an entity without a declaration is named."""

from __future__ import annotations

import pytest

from app import access
from app.access import ACCESS, ROLES, Right, missing
from app.contract import ENTITIES, Entity, Merge


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_every_entity_of_the_contract_declares_its_write_scope(entity: str) -> None:
    assert not [p for p in missing() if p.startswith(f"{entity}:")]


def test_an_entity_added_without_a_declaration_is_named(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setitem(ENTITIES, "visits_log", Entity("visits_log", ("account_id",),
                                                       Merge.FIELDS))
    assert "visits_log: no write-scope declaration in app/access.py" in missing()
    monkeypatch.setitem(ACCESS, "visits_log", access.Access({"rep": access.RWC},
                                                            owner="ownr_id"))
    problems = missing()
    assert "visits_log: ownr_id is not a field of visits_log" in problems
    assert "visits_log: no rights for role msl" in problems
    monkeypatch.setitem(ACCESS, "visits_log", access.Access({"rep": access.RWC}))
    assert ("visits_log: a pushed entity needs account references (refs, in app/contract.py) "
            "or an owner") in missing()


def test_master_data_is_read_only_for_every_role() -> None:
    for name, entity in ENTITIES.items():
        if entity.merge is Merge.SERVER_OWNED:
            assert all(not ACCESS[name].rights[role] & (Right.WRITE | Right.CREATE)
                       for role in ROLES), name


def test_managers_and_admins_write_nothing_and_msls_no_account_master_data() -> None:
    for name, declared in ACCESS.items():
        for role in ("manager", "admin"):
            assert not declared.rights[role] & (Right.WRITE | Right.CREATE), (name, role)
    for name in ("accounts", "addresses", "external_ids", "channel_consents",
                 "affiliations"):
        assert ACCESS[name].rights["msl"] == Right.READ, name
