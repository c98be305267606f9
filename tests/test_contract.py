"""The wire contract and the local models agree, field by field; every entity is complete
(both models, both migrations, write and pull scope), and what an entity lacks is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Table

from app.contract import COMMON_FIELDS, ENTITIES, Entity, Merge, Ref
from app.store.base import Synced
from app.store.models import Base
from tests.completeness import Schema, gaps, laptop_schema, server_schema

SYNCED_MODELS = {
    mapper.tables[0].name: mapper.class_
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, Synced)
}


def columns_of(table_name: str) -> set[str]:
    table = Base.metadata.tables[table_name]
    assert isinstance(table, Table)
    return {c.name for c in table.columns}


def test_every_synced_model_is_in_the_contract_and_back() -> None:
    assert set(SYNCED_MODELS) == set(ENTITIES)


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=lambda e: e.name)
def test_every_contract_field_is_a_column(entity: Entity) -> None:
    assert entity.name in Base.metadata.tables
    missing = (set(entity.fields) | set(COMMON_FIELDS)) - columns_of(entity.name)
    assert not missing, f"{entity.name}: no column for {sorted(missing)}"


@pytest.mark.parametrize("table_name", sorted(SYNCED_MODELS))
def test_every_column_is_synced_or_declared_local(table_name: str) -> None:
    model = SYNCED_MODELS[table_name]
    local: frozenset[str] = getattr(model, "local_columns", frozenset())
    contract = set(ENTITIES[table_name].fields) | set(COMMON_FIELDS)
    assert not local & contract, f"{table_name}: local and synced at once"
    undeclared = columns_of(table_name) - contract - local
    assert not undeclared, f"{table_name}: neither in the contract nor local: {undeclared}"


@pytest.mark.parametrize("entity", [e for e in ENTITIES.values() if e.parent],
                         ids=lambda e: e.name)
def test_a_parent_is_an_entity(entity: Entity) -> None:
    assert entity.parent in ENTITIES


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> tuple[Schema, Schema]:
    """The tables both migration chains make (on SQLite; tests/server/test_schema.py
    compares the server's models with its migrations on PostgreSQL too)."""
    folder: Path = tmp_path_factory.mktemp("schemas")
    return laptop_schema(folder), server_schema(folder)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_every_entity_is_complete(entity: str, schemas: tuple[Schema, Schema]) -> None:
    assert gaps(entity, *schemas) == []


def test_a_parent_declared_after_its_child_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.contract import missing

    monkeypatch.setitem(ENTITIES, "visit_notes", Entity(
        "visit_notes", ("account_id", "body"), Merge.FIELDS, parent="visit_plans",
        refs=(Ref("account_id"),)))
    monkeypatch.setitem(ENTITIES, "visit_plans", Entity(
        "visit_plans", ("account_id",), Merge.FIELDS, refs=(Ref("account_id"),)))
    assert "visit_notes: its parent visit_plans comes after it in ENTITIES" in missing()
    assert "visit_notes: no reference (refs) to its parent visit_plans" in missing()


def test_an_incomplete_entity_is_named_piece_by_piece(
        monkeypatch: pytest.MonkeyPatch, schemas: tuple[Schema, Schema]) -> None:
    monkeypatch.setitem(ENTITIES, "visit_notes", Entity(
        "visit_notes", ("account_id", "body"), Merge.FIELDS, refs=(Ref("acount_id"),)))
    assert gaps("visit_notes", *schemas) == [
        "visit_notes: acount_id is not a field of visit_notes",
        "visit_notes: no write-scope declaration in app/access.py",
        "visit_notes: no laptop model (app/store/)",
        "visit_notes: no server model (server/models.py)",
        "visit_notes: no laptop migration (migrations/versions and app/store/schema.py)",
        "visit_notes: no server migration (server/migrations/versions)",
    ]
