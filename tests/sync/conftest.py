"""Fixtures for sync tests: the protocol peer on 127.0.0.1, seeded data, clients."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.ids import uuid7
from app.store.database import Database, open_database
from app.sync import state
from app.sync.client import RetryPolicy, SyncClient
from tests.server.conftest import (  # noqa: F401 - the real server's fixtures, by name
    backend_dsn,
    cheap_password_hashes,
    live,
    postgres_url,
)
from tests.sync.protocol_server import ProtocolServer

DEVICE = "laptop-1"


@dataclass
class Seed:
    territory: str
    rep: str
    specialty: str
    product: str
    accounts: list[str] = field(default_factory=list)
    addresses: dict[str, str] = field(default_factory=dict)  # account id -> address id


def seed_server(peer: ProtocolServer, accounts: int = 3) -> Seed:
    """Reference data and a few doctors, written on the server as master data."""
    seed = Seed(uuid7(), uuid7(), uuid7(), uuid7())
    peer.write("territories", {"id": seed.territory, "code": "DE-BY-01", "name": "München"})
    peer.write("users", {"id": seed.rep, "username": "rep", "display_name": "Lena Vogel",
                         "role": "rep", "territory_id": seed.territory})
    peer.write("specialties", {"id": seed.specialty, "code": "CARD", "name_en": "Cardiology",
                               "name_de": "Kardiologie"})
    peer.write("products", {"id": seed.product, "name": "Cardiozan",
                            "therapeutic_area": "Cardiology", "yearly_sample_limit": 10,
                            "active": True})
    for i in range(accounts):
        account = uuid7()
        peer.write("accounts", {"id": account, "kind": "hcp", "first_name": f"Anna{i}",
                                "last_name": f"Müller{i}", "name": f"Dr. Anna{i} Müller{i}",
                                "specialty_id": seed.specialty, "territory_id": seed.territory,
                                "segment": "A", "notes": None})
        address = uuid7()
        peer.write("addresses", {"id": address, "account_id": account, "line1": "Hauptstr. 1",
                                 "city": "München", "postcode": "80331", "country": "DE",
                                 "is_primary": True})
        seed.accounts.append(account)
        seed.addresses[account] = address
    peer.add_user("rep", "geheim-123", seed.rep)
    return seed


class Sleeps(list[float]):
    """The back-off waits a client asked for, instead of sleeping them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def peer() -> Iterator[ProtocolServer]:
    server = ProtocolServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def seed(peer: ProtocolServer) -> Seed:
    return seed_server(peer)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(peer: ProtocolServer, seed: Seed,
                sleeps: Sleeps) -> Iterator[Callable[..., SyncClient]]:
    made: list[SyncClient] = []

    def make(device: str = DEVICE, *, timeout: float = 5.0, attempts: int = 4,
             rng_seed: int = 1) -> SyncClient:
        client = SyncClient(peer.url, device_id=device, token=peer.issue_token(seed.rep),
                            timeout=(timeout, timeout), sleep=sleeps,
                            retry=RetryPolicy(attempts=attempts, base_s=0.5, cap_s=8.0),
                            rng=random.Random(rng_seed))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty database, copied for each replica (migrating costs ~0.3 s)."""
    path = tmp_path_factory.mktemp("template") / "fieldrep.sqlite"
    open_database(path).close()
    return path


@pytest.fixture
def replicas(tmp_path: Path, template_db: Path) -> Iterator[Callable[[str], Database]]:
    opened: list[Database] = []

    def make(name: str) -> Database:
        path = tmp_path / f"{name}.sqlite"
        shutil.copy(template_db, path)
        db = open_database(path)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


def local_state(db: Database, key: str) -> str | None:
    with db.read() as session:
        return state.get(session.connection(), key)
