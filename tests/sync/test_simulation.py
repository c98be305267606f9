"""A seeded, replayable simulation against the real server process on 127.0.0.1, on SQLite
and PostgreSQL (issue 5): two reps, three laptops (two of the first rep, one of the second),
offline edits of the same fields of the same accounts at random (new calls, drafts,
preferences, consent, contact fields and notes, deletes; both reps share one territory), an
account moved between the territories, syncs in random order through random faults (a
request dropped, an answer dropped after the commit, 500s, a reset mid-body, the server
restarted, a laptop's process SIGKILLed while applying a page or writing the outbox). Then
the faults stop, everyone syncs twice, and:

- no acknowledged write was lost unseen (tests/sync/history.py): per row and field, every
  overwrite in the server's records replaced a value its writer had seen, or the replaced
  value is in the conflict log on the server and on the laptop that met it;

- every replica equals the server's view of its scope (a fresh pull with its token);
- every mutation a laptop recorded is on the server exactly once (its idempotency record),
  applied, merged with a conflict logged, or rejected with a reason the laptop logged;
- no duplicates (one consent per account and channel, every row once).

Replay a failure with its seed: `pytest tests/sync/test_simulation.py -k "seed-<n>"` (the
slow ones: add `-m slow`). The seed is in every assertion message.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from app.contract import COMMON_FIELDS, ENTITIES, to_wire
from app.ids import uuid7
from app.services import accounts as account_service
from app.services import calls
from app.services.errors import ServiceError
from app.store.database import Database, open_database
from app.sync import state
from app.sync.client import RetryPolicy, SyncClient
from app.sync.errors import SyncError
from app.sync.rows import table_for
from app.sync.run import sync_once
from server.db import Database as ServerDatabase
from server.db import next_versions
from server.directory import add_territory, add_user, assign_territory
from server.models import (
    Account,
    Address,
    ChannelConsent,
    IdempotencyRecord,
    Product,
    Specialty,
    Territory,
    TerritoryProduct,
    User,
)
from tests.server.conftest import PASSWORD, start_server, stop_server
from tests.sync import history
from tests.sync.fault_proxy import KINDS, FaultProxy

ROOT = Path(__file__).resolve().parents[2]
FAST_SEEDS = range(1)  # seed 1 and the rest run with the slow tests
SLOW_SEEDS = range(1, 1 + int(os.environ.get("SIM_SEEDS", "5")))
STEPS = 40
#: The history checker's seeds (tests/sync/history.py): two in every run, many with slow.
#: 102 and 103 are runs that met the four-step race (a second offline save of a row while
#: another laptop changed it): before the fix each lost one acknowledged write there. The
#: race is the laptop's, whatever database the server runs on: every run takes each seed
#: on one backend (both backends, both seeds), the slow runs take the other pairing too.
HISTORY_RUNS = (("sqlite", 102), ("postgres", 103))
SLOW_HISTORY_SEEDS = (100, 101, *range(200, 200 + int(os.environ.get("SIM_SEEDS", "5"))))
SLOW_HISTORY_RUNS = (("sqlite", 103), ("postgres", 102),
                     *((backend, seed) for seed in SLOW_HISTORY_SEEDS
                       for backend in ("sqlite", "postgres")))
HISTORY_STEPS = 40
HISTORY_ACTS = 0.6  # the share of steps that edit (the rest: syncs and faults)
CHANNELS = ("in_person", "phone", "email", "video", "event")
ACCOUNTS_PER_TERRITORY = 3


@dataclass
class World:
    """The seed's data on the server: two territories, two reps, their accounts."""

    territories: dict[str, str] = field(default_factory=dict)  # code -> id
    reps: dict[str, str] = field(default_factory=dict)  # username -> user id
    accounts: list[str] = field(default_factory=list)
    product: str = ""
    built: int = 0  # the version the world was written at


class Server:
    """The real server process behind the fault proxy; restartable on the same database."""

    def __init__(self, dsn: str, folder: Path) -> None:
        self.dsn, self.folder = dsn, folder
        self.proc, base = start_server(folder, dsn)
        self.proxy = FaultProxy(base)
        self.proxy.start()
        self.db = ServerDatabase(dsn)
        self.direct = base

    def restart(self) -> None:
        stop_server(self.proc)
        self.proc, self.direct = start_server(self.folder, self.dsn)
        self.proxy.upstream = self.direct

    def close(self) -> None:
        self.proxy.stop()
        stop_server(self.proc)
        self.db.dispose()


def build_world(server: Server, tag: str) -> World:
    world = World()
    with server.db.writing() as s:
        version = next_versions(s)
        specialty = Specialty(id=uuid7(), code=f"C{tag}", name_en="Cardiology",
                              name_de="Kardiologie", version=version)
        product = Product(id=uuid7(), name=f"Cardiozan {tag}", therapeutic_area="Cardiology",
                          yearly_sample_limit=10, version=version)
        s.add_all([specialty, product])
        world.product = product.id
        world.built = version
        for n in (1, 2):
            code = f"T{n}-{tag}"
            territory = add_territory(s, code, f"Gebiet {n}")
            s.flush()
            world.territories[code] = territory.id
            s.add(TerritoryProduct(id=uuid7(), territory_id=territory.id,
                                   product_id=product.id, version=version))
            name = f"rep{n}-{tag}"
            world.reps[name] = add_user(s, name, PASSWORD, "rep").id
            assign_territory(s, name, code)
            if n == 2:  # both reps work the first territory: the same fields, two users
                assign_territory(s, name, f"T1-{tag}")
            for i in range(ACCOUNTS_PER_TERRITORY):
                account = Account(id=uuid7(), kind="hcp", first_name=f"Anna{i}",
                                  last_name=f"Müller{n}{i}", name=f"Dr. Anna{i} Müller{n}{i}",
                                  specialty_id=specialty.id, territory_id=territory.id,
                                  segment="A", version=version)
                s.add(account)
                s.flush()
                s.add(Address(id=uuid7(), account_id=account.id, line1="Hauptstr. 1",
                              city="München", postcode="80331", country="DE",
                              is_primary=True, version=version))
                s.add_all([ChannelConsent(id=uuid7(), account_id=account.id, channel=c,
                                          consent="unknown", preferred=False,
                                          version=version) for c in CHANNELS])
                world.accounts.append(account.id)
    return world


class Laptop:
    def __init__(self, name: str, path: Path, server: Server, username: str, user_id: str,
                 rng: random.Random) -> None:
        self.name, self.path, self.server, self.user_id, self.rng = (
            name, path, server, user_id, rng)
        self.db: Database = open_database(path)
        with self.db.write() as session:  # as a login on the laptop leaves it
            state.put(session.connection(), state.USER_ID, user_id)
        with SyncClient(server.direct, device_id=name) as login:
            self.token = login.login(username, PASSWORD)["token"]
        self.client = SyncClient(server.proxy.url, device_id=name, token=self.token,
                                 timeout=(5.0, 30.0), retry=RetryPolicy(attempts=2),
                                 sleep=lambda _s: None, rng=random.Random(rng.random()))
        self.recorded: set[str] = set()
        self.observer = history.Observer()
        self.entity_of: dict[str, tuple[str, str]] = {}
        self.counter = 0

    def unique(self) -> str:
        """A value never written before (the history checker tells writes apart by value)."""
        self.counter += 1
        return f"{self.name}{self.counter}-{uuid7()[-8:]}"

    def note(self) -> None:
        with self.db.read() as session:
            self.recorded |= set(session.execute(
                text("SELECT mutation_id FROM outbox")).scalars())

    def accounts(self) -> list[str]:
        with self.db.read() as session:
            return list(session.execute(text(
                "SELECT id FROM accounts WHERE deleted = 0 ORDER BY id")).scalars())

    def act(self) -> None:
        rng = self.rng
        accounts = self.accounts()
        if not accounts:
            return
        # One account is edited far more than the others: concurrent edits of the same
        # fields are what the history checker is for.
        account = accounts[0] if rng.random() < 0.4 else rng.choice(accounts)
        action = rng.choice(("notes", "preferences", "consent", "draft", "draft",
                             "edit_draft", "submit", "delete_draft"))
        with self.db.read() as session:  # what the rep sees before the edit
            before = self.observer.look(session.connection())
        try:
            with self.db.write() as session:
                if action == "notes":
                    account_service.update_contact(
                        session, self.user_id, account, email=None,
                        phone=self.unique() if rng.random() < 0.7 else None,
                        notes=self.unique())
                elif action == "preferences":
                    ranked = rng.sample(CHANNELS, rng.randint(1, 3))
                    account_service.set_preferences(session, self.user_id, account, ranked,
                                                    preferred_contact_time=self.unique())
                elif action == "consent":
                    account_service.set_consent(session, self.user_id, account,
                                                rng.choice(CHANNELS),
                                                rng.choice(("granted", "withdrawn")),
                                                dt.date(2026, 1, rng.randint(1, 28)),
                                                source=self.unique())
                elif action == "draft":
                    calls.save_draft(session, self.user_id, calls.CallForm(
                        account_id=account, channel="phone",
                        start_at=dt.datetime(2026, 11, 2, 9, 0), notes=self.unique()))
                else:
                    drafts = list(session.execute(text(
                        "SELECT id, account_id FROM interactions WHERE status = 'draft' "
                        "AND deleted = 0 AND owner_id = :me ORDER BY id"),
                        {"me": self.user_id}))
                    if not drafts:
                        return
                    call_id, call_account = rng.choice(drafts)
                    if action == "edit_draft":
                        calls.save_draft(session, self.user_id, calls.CallForm(
                            account_id=call_account, channel="phone",
                            start_at=dt.datetime(2026, 11, 2, 9, 0),
                            subject=self.unique() if rng.random() < 0.5 else None,
                            notes=self.unique()), call_id)
                    elif action == "submit":
                        calls.submit_call(session, self.user_id, call_id)
                    else:
                        calls.delete_draft(session, self.user_id, call_id)
        except ServiceError:
            return  # a rule refused it (a locked call, a missing field): nothing was written
        with self.db.read() as session:
            self.observer.edited(session.connection(), before, self.entity_of)

    def sync(self, *, strict: bool = False) -> None:
        self.note()
        try:
            sync_once(self.db, self.client)
        except SyncError:
            if strict:
                raise
        self.note()

    def killed(self, mode: str, account: str | None = None) -> None:
        """Run a sync (or an edit) in a child process that SIGKILLs itself halfway."""
        self.server.proxy.faults.clear()  # the kill is this step's fault
        self.note()
        args = ([self.server.proxy.url, self.token, self.name] if mode == "page"
                else [account or "", self.user_id])
        done = subprocess.run([sys.executable, "-m", "tests.sync.sim_child", str(self.path),
                               mode, *args], check=False, cwd=ROOT, capture_output=True,
                              timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == -9, done.stderr.decode(errors="replace")[-2000:]
        with self.db.read() as session:  # the killed edit's transaction left nothing
            assert session.execute(text(
                "SELECT count(*) FROM interactions WHERE notes = :n"),
                {"n": "typed when the laptop died"}).scalar_one() == 0
        self.note()


def server_view(laptop: Laptop) -> dict[tuple[str, str], dict[str, Any]]:
    """Live rows in the laptop's scope, as a fresh pull from the server gives them."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    cursor = None
    with SyncClient(laptop.server.direct, device_id=laptop.name,
                    token=laptop.token) as fresh:
        while True:
            page = fresh.pull(cursor, 5000)
            for c in page["changes"]:
                rows[(c["entity"], c["row"]["id"])] = c["row"]
            cursor = page["cursor"]
            if not page["more"]:
                break
    return {k: {f: v for f, v in r.items() if f not in ("updated_at",)}
            for k, r in rows.items() if not r["deleted"]}


def replica_view(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    """Live rows of the replica the server acknowledged (version > 0), on the wire."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    with db.read() as session:
        conn = session.connection()
        for name, entity in ENTITIES.items():
            table = table_for(name)
            if table is None:
                continue
            names = [f for f in (*COMMON_FIELDS, *entity.fields) if f != "updated_at"]
            for r in conn.execute(select(*(table.c[f] for f in names))
                                  .where(table.c.deleted.is_(False))):
                values = {k: to_wire(v) for k, v in r._mapping.items()}
                rows[(name, str(values["id"]))] = values
    return rows


def run(seed_no: int, dsn: str, folder: Path, *, steps: int = STEPS, max_kills: int = 2,
        shared: Server | None = None, act: float = 0.5) -> None:
    """One seed's run; on `shared` (a server other seeds use too, each with its own world
    and users) or on a server of its own."""
    rng = random.Random(seed_no)
    context = f"simulation seed {seed_no} on {dsn.split(':', 1)[0]}"
    server = shared or Server(dsn, folder / "server")
    try:
        world = build_world(server, f"{seed_no}{uuid7()[-6:]}")
        (rep1, id1), (rep2, id2) = world.reps.items()
        laptops = [Laptop("A", folder / "a.sqlite", server, rep1, id1, random.Random(rng.random())),
                   Laptop("B", folder / "b.sqlite", server, rep1, id1, random.Random(rng.random())),
                   Laptop("C", folder / "c.sqlite", server, rep2, id2, random.Random(rng.random()))]
        for laptop in laptops:
            laptop.sync(strict=True)
        moves = restarts = kills = 0
        for _ in range(steps):
            roll = rng.random()
            laptop = rng.choice(laptops)
            if roll < act:
                for _ in range(rng.randint(1, 4)):  # offline, several saves in a row
                    laptop.act()
            elif roll < act + 0.06 and moves < 2:
                moves += 1
                move_account(server, world, rng)
            elif roll < act + 0.1:
                touch_master_data(server, world, rng)
            elif roll < act + 0.13 and restarts < 1:
                restarts += 1
                server.restart()
            elif roll < act + 0.18 and kills < max_kills:
                kills += 1
                accounts = laptop.accounts()
                if rng.random() < 0.5 or not accounts:
                    laptop.killed("page")
                else:
                    laptop.killed("outbox", rng.choice(accounts))
            else:
                for _ in range(rng.randint(0, 2)):
                    server.proxy.fault(rng.choice(("push", "pull")), rng.choice(KINDS))
                laptop.sync()
        server.proxy.faults.clear()
        for _ in range(2):
            for laptop in laptops:
                laptop.sync(strict=True)
        check_history(server, world, laptops, context)
        check(server, laptops, context)
    finally:
        for laptop in laptops if "laptops" in locals() else ():
            laptop.client.close()
            laptop.db.close()
        if shared is None:
            server.close()


def move_account(server: Server, world: World, rng: random.Random) -> None:
    """An administrator moves an account to the other territory (revoked for one rep,
    new for the other)."""
    account = rng.choice(world.accounts)
    with server.db.writing() as s:
        current = s.scalar(select(Account.territory_id).where(Account.id == account))
        other = next(t for t in world.territories.values() if t != current)
        s.execute(update(Account).where(Account.id == account).values(
            territory_id=other, version=next_versions(s)))


def touch_master_data(server: Server, world: World, rng: random.Random) -> None:
    """The master data import changes an account's segment and language."""
    with server.db.writing() as s:
        s.execute(update(Account).where(Account.id == rng.choice(world.accounts)).values(
            segment=rng.choice("ABC"), preferred_language=rng.choice(("de", "en")),
            version=next_versions(s)))


def check_history(server: Server, world: World, laptops: list[Laptop], context: str) -> None:
    """No acknowledged write was overwritten unseen and unlogged (tests/sync/history.py)."""
    initial: dict[tuple[str, str], dict[str, Any]] = {}
    with server.db.reading() as s:
        for consent in s.scalars(select(ChannelConsent.id).where(
                ChannelConsent.account_id.in_(world.accounts), ChannelConsent.version
                <= world.built)):
            initial[("channel_consents", consent)] = {}
    initial.update((("accounts", a), {}) for a in world.accounts)
    logs = {}
    for laptop in laptops:
        with laptop.db.read() as session:
            logs[laptop.name] = history.local_log(session.connection())
    with server.db.reading() as s:
        lost = history.check(s, [lt.user_id for lt in laptops],
                             {lt.name: lt.observer for lt in laptops}, logs, initial)
    assert not lost, (f"{context}: {len(lost)} acknowledged write(s) lost unseen:\n"
                      + "\n".join(map(str, lost)))


def check(server: Server, laptops: list[Laptop], context: str) -> None:
    with server.db.reading() as s:
        records = dict(s.execute(select(IdempotencyRecord.mutation_id, IdempotencyRecord.status)
                                 .where(IdempotencyRecord.user_id.in_(
                                     [lt.user_id for lt in laptops]))).all())
        doubled = s.execute(
            select(ChannelConsent.account_id, ChannelConsent.channel, func.count())
            .where(ChannelConsent.deleted.is_(False))
            .group_by(ChannelConsent.account_id, ChannelConsent.channel)
            .having(func.count() > 1)).all()
        users = set(s.scalars(select(User.id)))
        territories = set(s.scalars(select(Territory.id)))
    assert not doubled, f"{context}: duplicate consents {doubled}"
    assert users and territories
    for laptop in laptops:
        with laptop.db.read() as session:
            conn = session.connection()
            left = conn.execute(text("SELECT count(*) FROM outbox")).scalar_one()
            rejected = {r["mutation_id"] for r in state.get_json(conn, state.REJECTIONS, [])}
            unacknowledged = list(conn.execute(text(
                "SELECT 'interactions', id FROM interactions WHERE version = 0")))
        assert left == 0, f"{context}: {laptop.name} kept {left} mutation(s)"
        missing = laptop.recorded - records.keys()
        assert not missing, f"{context}: {laptop.name}: never on the server: {missing}"
        for mutation_id in laptop.recorded:
            status = records[mutation_id]
            assert status in ("applied", "conflict", "rejected"), (context, status)
            if status == "rejected":
                assert mutation_id in rejected, f"{context}: rejection not shown: {mutation_id}"
        expected, got = server_view(laptop), replica_view(laptop.db)
        acknowledged = {k: v for k, v in got.items() if v["version"] > 0}
        differ = {k: (acknowledged.get(k), v) for k, v in expected.items()
                  if acknowledged.get(k) != v}
        extra = {k: v for k, v in acknowledged.items() if k not in expected}
        assert not differ, f"{context}: {laptop.name} differs from the server: {differ}"
        assert not extra, f"{context}: {laptop.name} holds rows the server does not: {extra}"
        # Rows the server never took (rejected) stay on the laptop: nothing typed is lost.
        for key in got.keys() - acknowledged.keys():
            assert key in unacknowledged or key[0] != "interactions", (context, key)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def dsn(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.mark.parametrize("seed_no", FAST_SEEDS, ids=[f"seed-{n}" for n in FAST_SEEDS])
def test_every_replica_converges_and_every_mutation_lands_once(
        seed_no: int, dsn: str, tmp_path: Path) -> None:
    run(seed_no, dsn, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("seed_no", SLOW_SEEDS, ids=[f"seed-{n}" for n in SLOW_SEEDS])
def test_many_seeds_converge(seed_no: int, dsn: str, tmp_path: Path) -> None:
    run(seed_no, dsn, tmp_path, steps=3 * STEPS)


def history_runs(runs: tuple[tuple[str, int], ...]) -> list[Any]:
    """(backend, seed) pairs for the `history_server` fixture (by backend) and the seed."""
    return [pytest.param(backend, seed, id=f"{backend}-seed-{seed}",
                         marks=[pytest.mark.postgres] if backend == "postgres" else [])
            for backend, seed in runs]


@pytest.fixture(scope="module")
def history_server(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server process (restarted by the runs) for the history seeds: starting a server
    costs more than a seed's run."""
    folder = tmp_path_factory.mktemp("history")
    dsn = (f"sqlite:///{folder / 'server.sqlite3'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    server = Server(dsn, folder / "server")
    yield server
    server.close()


@pytest.mark.parametrize(("history_server", "seed_no"), history_runs(HISTORY_RUNS),
                         indirect=["history_server"])
def test_no_acknowledged_write_is_lost_unseen(seed_no: int, history_server: Server,
                                              tmp_path: Path) -> None:
    """Shorter runs without killed laptops, many concurrent edits of the same fields; the
    server restarted and requests dropped as in every run."""
    run(seed_no, history_server.dsn, tmp_path, steps=HISTORY_STEPS, max_kills=0,
        shared=history_server, act=HISTORY_ACTS)


@pytest.mark.slow
@pytest.mark.parametrize(("history_server", "seed_no"), history_runs(SLOW_HISTORY_RUNS),
                         indirect=["history_server"])
def test_many_histories(seed_no: int, history_server: Server, tmp_path: Path) -> None:
    run(seed_no, history_server.dsn, tmp_path, steps=3 * HISTORY_STEPS, max_kills=0,
        shared=history_server, act=HISTORY_ACTS)
