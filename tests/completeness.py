"""What a synced entity of the contract still lacks, piece by piece, named.

An entity is complete when the contract's and the write scope's declarations hold together,
both stores have a model with every field, both migration chains create the table with every
column, and the server's pull can scope it. `tests/test_contract.py` runs this for every
entity; `tests/sync/new_entity.py` runs it for an entity registered in a test.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.dialects import postgresql, sqlite

from app import access, contract
from app.contract import COMMON_FIELDS, ENTITIES, Merge
from app.store.database import open_database
from app.store.models import Base as LaptopBase
from server.db import Database as ServerDatabase
from server.db import upgrade
from server.models import Base as ServerBase
from server.scope import Principal
from server.sync.scoping import pull_filter

#: Table name -> its columns, as a migrated database holds them.
Schema = dict[str, set[str]]


def schema_of(url: str) -> Schema:
    engine = create_engine(url)
    try:
        found = inspect(engine)
        return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}
    finally:
        engine.dispose()


def laptop_schema(folder: Path) -> Schema:
    """The tables of a laptop store made by its migrations (`migrations/versions`)."""
    db = open_database(folder / "laptop.sqlite3")
    db.close()
    return schema_of(f"sqlite:///{folder / 'laptop.sqlite3'}")


def server_schema(folder: Path) -> Schema:
    """The tables of a server database made by its migrations (`server/migrations`)."""
    url = f"sqlite:///{folder / 'server.sqlite3'}"
    db = ServerDatabase(url)
    upgrade(db)
    db.dispose()
    return schema_of(url)


def _columns(side: str, where: str, table: set[str] | None, wanted: set[str]) -> list[str]:
    if table is None:
        return [f"no {side} ({where})"]
    lacking = sorted(wanted - table)
    return [f"{side} lacks {', '.join(lacking)} ({where})"] if lacking else []


def _scope(name: str) -> list[str]:
    """The server's pull must be able to say, for every role, which rows a user gets."""
    for role in ("rep", "msl", "manager"):
        principal = Principal(user_id="u", username="u", role=role, device_id="d",
                              token_id="t")
        try:
            for per_row in (False, True):
                condition = pull_filter(name, principal, per_row=per_row)
                for dialect in (sqlite.dialect(), postgresql.dialect()):
                    condition.compile(dialect=dialect)
        except (LookupError, AttributeError) as exc:
            return [f"no pull scope for a {role} (server/sync/scoping.py, or references to "
                    f"accounts in app/contract.py): {exc}"]
    return []


def gaps(name: str, laptop: Schema, server: Schema) -> list[str]:
    """Every piece entity `name` lacks, each as "<name>: <what>" (empty: complete)."""
    spec = ENTITIES[name]
    wanted = set(spec.fields) | set(COMMON_FIELDS)
    own = [p.split(": ", 1)[1] for p in contract.missing() + access.missing()
           if p.startswith(f"{name}: ")]
    laptop_model = LaptopBase.metadata.tables.get(name)
    server_model = ServerBase.metadata.tables.get(name)
    found = own + _columns("laptop model", "app/store/", None if laptop_model is None else
                           set(laptop_model.c.keys()), wanted)
    found += _columns("server model", "server/models.py", None if server_model is None else
                      set(server_model.c.keys()), wanted)
    if server_model is not None and spec.merge is not Merge.SERVER_OWNED \
            and "field_versions" not in server_model.c:
        found.append("server model lacks field_versions, which the field merge keeps "
                     "(server.models.Merged)")
    found += _columns("laptop migration", "migrations/versions and app/store/schema.py",
                      laptop.get(name), wanted)
    found += _columns("server migration", "server/migrations/versions", server.get(name),
                      wanted | ({"field_versions"} if spec.merge is not Merge.SERVER_OWNED
                                else set()))
    if server_model is not None:
        found += _scope(name)
    return [f"{name}: {what}" for what in found]
