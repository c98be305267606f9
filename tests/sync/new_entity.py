"""A synced entity that exists only here: what adding one takes, proved by syncing it.

Importing this module registers `visit_notes` (a rep's short note on an account) the way a
real entity is added (docs/architecture.md, "Adding a synced entity"): its declaration in the
contract, its write-scope rights, a model per store and, for the migrations, the table each
store's next migration would create. Nothing else in the project names it: the server's
merge, push, pull and scope and the laptop's outbox, push, pull and row handling take it
from the declaration.

It changes the process's contract, so it is imported only in processes of its own: the
server started by `main` and the process `tests/sync/test_new_entity.py` runs `main` in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import ForeignKey, String, Text, create_engine, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.access import ACCESS, RWC, Access, R, Right
from app.contract import ENTITIES, Entity, Merge, Ref, Wins
from app.ids import uuid7
from app.services import login
from app.store.base import Base as LaptopBase
from app.store.base import Synced as LaptopSynced
from app.store.database import Database, open_database
from app.store.journal import OutboxMutation
from server.db import Database as ServerDatabase
from server.db import next_versions, upgrade
from server.directory import add_territory, add_user, assign_territory
from server.models import Account, Merged
from server.models import Base as ServerBase
from server.models import Synced as ServerSynced
from tests.server.conftest import PASSWORD, start_server, stop_server

NAME = "visit_notes"

# 1. The contract: fields, merge, the account it hangs off, who wins which field.
ENTITIES[NAME] = Entity(NAME, ("account_id", "owner_id", "body", "mood"), Merge.FIELDS,
                        refs=(Ref("account_id"),), wins_fields={"body": Wins.REP})
# 2. The write scope: reps write their own notes, everybody else reads.
ACCESS[NAME] = Access({"rep": RWC, "msl": R, "manager": R, "admin": Right.NONE,
                       "steward": Right.NONE},
                      owner="owner_id")


# 3. A model per store.
class LaptopVisitNote(LaptopSynced, LaptopBase):
    __tablename__ = NAME

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[str | None] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)
    mood: Mapped[str | None] = mapped_column(String(20))


class ServerVisitNote(ServerSynced, Merged, ServerBase):
    __tablename__ = NAME

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    mood: Mapped[str | None] = mapped_column(String(20))


# 4. The migrations: what `op.create_table` in each chain's next revision would do.
def migrate_laptop(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        LaptopVisitNote.__table__.create(conn)
    engine.dispose()


def migrate_server(dsn: str) -> None:
    engine = create_engine(dsn)
    with engine.begin() as conn:
        ServerVisitNote.__table__.create(conn)
    engine.dispose()


def main(folder: Path) -> None:
    """Two laptops of one rep and a rep of another territory sync notes through a real
    server process; every claim is an assertion."""
    # Imported after the registration above: modules that derive tables from the contract
    # at import (the pull's entity order, the scope's account-bound set) see the new entity.
    from app.sync.auth import client_for
    from app.sync.run import sync_once
    from tests.completeness import gaps, schema_of

    dsn = f"sqlite:///{folder / 'server.sqlite3'}"
    server_db = ServerDatabase(dsn)
    upgrade(server_db)
    laptop_path = folder / "joerg-a.sqlite3"
    open_database(laptop_path).close()
    assert gaps(NAME, schema_of(f"sqlite:///{laptop_path}"), schema_of(dsn)) == [
        f"{NAME}: no laptop migration (migrations/versions and app/store/schema.py)",
        f"{NAME}: no server migration (server/migrations/versions)",
    ], "the completeness check names the two migrations still missing"
    migrate_server(dsn)
    migrate_laptop(laptop_path)
    assert gaps(NAME, schema_of(f"sqlite:///{laptop_path}"), schema_of(dsn)) == []

    with server_db.writing() as s:
        north = add_territory(s, "DE-BY-01", "München Nord")
        add_territory(s, "DE-HH-01", "Hamburg")
        for user, territory in (("joerg", "DE-BY-01"), ("olaf", "DE-HH-01")):
            add_user(s, user, PASSWORD, "rep", user.title())
            assign_territory(s, user, territory)
        account = Account(kind="hcp", name="Dr. med. Jürgen Müller", territory_id=north.id,
                          version=next_versions(s))
        s.add(account)
        s.flush()
        account_id = account.id
    proc, base = start_server(folder / "server", dsn, launcher=(
        "-c", "import tests.sync.new_entity; from server.cli import main; "
        "raise SystemExit(main())"))

    def laptop(path: Path, username: str) -> tuple[Database, str]:
        if not path.exists():
            open_database(path).close()
            migrate_laptop(path)
        db = open_database(path)
        client = client_for(db, base)
        try:
            return db, login.login(db, client, username, PASSWORD).user_id
        finally:
            client.close()

    def sync(db: Database) -> None:
        client = client_for(db, base)
        try:
            sync_once(db, client)
        finally:
            client.close()

    try:
        a, joerg = laptop(laptop_path, "joerg")
        b, _ = laptop(folder / "joerg-b.sqlite3", "joerg")
        hamburg, olaf = laptop(folder / "olaf.sqlite3", "olaf")
        for db in (a, b, hamburg):
            sync(db)

        # The outbox records the new row by itself; the push carries it to the server.
        with a.write() as session:
            written = LaptopVisitNote(account_id=account_id, owner_id=joerg,
                                      body="Wants the renal data", mood="curious")
            session.add(written)
            session.flush()
            note_id = written.id
            assert session.scalar(select(func.count()).select_from(OutboxMutation)
                                  .where(OutboxMutation.entity == NAME)) == 1
        sync(a)
        sync(b)
        assert note(b, note_id) == ("Wants the renal data", "curious"), "pulled in scope"
        sync(hamburg)
        assert note(hamburg, note_id) is None, "another territory's rep never gets it"

        # Both laptops change both fields unseen by the other: the contract decides.
        for db, body, mood in ((a, "A: asked for the study", "A: pleased"),
                               (b, "B: call back in May", "B: busy")):
            with db.write() as session:
                row = session.get(LaptopVisitNote, note_id)
                assert row is not None
                row.body, row.mood = body, mood
        sync(a)
        sync(b)
        sync(a)
        assert note(a, note_id) == ("B: call back in May", "A: pleased"), \
            "the rep's last push wins the body (Wins.REP), the server keeps the mood"
        assert note(b, note_id) == note(a, note_id)

        # The write scope follows the declared reference: not olaf's account to write (his
        # laptop cannot even hold the row, so his device sends it by hand).
        client = client_for(hamburg, base)
        try:
            [answer] = client.push([{
                "mutation_id": uuid7(), "entity": NAME, "row_id": uuid7(), "op": "upsert",
                "fields": {"account_id": account_id, "owner_id": olaf, "body": "Not mine"},
                "base_version": 0}])["results"]
        finally:
            client.close()
        assert (answer["status"], answer["reason"]) == (
            "rejected", "this account is not in your territories"), answer
        with server_db.reading() as s:
            bodies = s.scalars(select(ServerVisitNote.body)).all()
        assert bodies == ["B: call back in May"], bodies
        for db in (a, b, hamburg):
            db.close()
    finally:
        stop_server(proc)
        server_db.dispose()
    print("visit_notes synced: outbox, push, pull, scope, merge winners, write scope")


def note(db: Database, note_id: str) -> tuple[str, str | None] | None:
    with db.read() as session:
        row = session.get(LaptopVisitNote, note_id)
        return None if row is None else (row.body, row.mood)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
