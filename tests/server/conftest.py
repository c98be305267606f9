"""A real server process on 127.0.0.1, on SQLite and on PostgreSQL.

Every test that takes `live` runs twice: once against SQLite and once against a fresh
PostgreSQL database on 127.0.0.1:5432 (created per run from the `test` database and dropped
afterwards). PostgreSQL is skipped with the reason when unreachable, and fails instead when
FIELDREP_REQUIRE_POSTGRES=1 (CI). Tests prepare data directly in the database (the same DSN)
and then act only through HTTP.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.ids import uuid7
from server.db import Database, next_versions, upgrade
from server.directory import add_territory, add_user, assign_territory
from server.models import Account, Affiliation, ExternalId

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URLS = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)
PASSWORD = "correct horse battery"

# Settings of the shared test server: a low per-user failure budget so brute force is
# quick to show, a huge per-address one so the suite's own failures never lock 127.0.0.1
# (the address throttle has its own server in test_auth.py).
TEST_SETTINGS = """
login_user_free_failures = 3
login_address_free_failures = 100000
login_base_delay_s = 60
max_body_bytes = 65536
max_import_bytes = 2097152
"""


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Users made by the tests get argon2 hashes with tiny parameters. argon2 stores its
    parameters in each hash, so the server verifies them quickly too; production hashes
    (and the server's own dummy hash) keep the library's defaults."""
    from argon2 import PasswordHasher

    from server import security

    real = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    security._hasher = real


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_admin_url() -> tuple[str | None, str]:
    """The first admin URL that answers (FIELDREP_TEST_PG_ADMIN_URL overrides the list)."""
    last = ""
    override = os.environ.get("FIELDREP_TEST_PG_ADMIN_URL")
    for url in (override,) if override else PG_ADMIN_URLS:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return url, ""
        except Exception as exc:  # unreachable, no such role: try the next, report the last
            last = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        finally:
            engine.dispose()
    return None, last


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped at the end."""
    admin_url, why = _pg_admin_url()
    if admin_url is None:
        tried = os.environ.get("FIELDREP_TEST_PG_ADMIN_URL") or "127.0.0.1:5432 (database test)"
        reason = f"PostgreSQL at {tried} unreachable: {why}"
        if os.environ.get("FIELDREP_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (FIELDREP_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    name = f"fieldrep_server_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Client:
    """A logged-in (or anonymous) HTTP client for one device."""

    base: str
    token: str | None = None
    device_id: str = "laptop-1"
    session: requests.Session = field(default_factory=requests.Session)

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {"X-Device-Id": self.device_id}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return {**h, **(extra or {})}

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(self.base + path, headers=self.headers(kw.pop("headers", None)),
                                timeout=30, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.session.post(self.base + path,
                                 headers=self.headers(kw.pop("headers", None)), timeout=60, **kw)

    def all_account_ids(self) -> set[str]:
        ids: set[str] = set()
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 1000}
            if cursor:
                params["cursor"] = cursor
            r = self.get("/api/v1/accounts", params=params)
            assert r.status_code == 200, r.text
            page = r.json()
            ids.update(a["id"] for a in page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return ids

    def close(self) -> None:
        self.session.close()


class Live:
    """A running server plus direct database access to prepare data."""

    def __init__(self, base: str, db: Database, backend: str) -> None:
        self.base, self.db, self.backend = base, db, backend
        self._clients: list[Client] = []

    def client(self, device_id: str = "laptop-1") -> Client:
        c = Client(self.base, device_id=device_id)
        self._clients.append(c)
        return c

    def territory(self) -> str:
        code = f"T-{uuid.uuid4().hex[:8]}"
        with self.db.writing() as s:
            add_territory(s, code, f"Territory {code}")
        return code

    def user(self, role: str = "rep", territories: tuple[str, ...] = (),
             manager: str | None = None) -> str:
        name = f"{role}-{uuid.uuid4().hex[:8]}"
        with self.db.writing() as s:
            add_user(s, name, PASSWORD, role, manager=manager)
            for code in territories:
                assign_territory(s, name, code)
        return name

    def login(self, username: str, device_id: str = "laptop-1") -> Client:
        c = self.client(device_id)
        r = c.post("/api/v1/login", json={"username": username, "password": PASSWORD,
                                          "device_id": device_id})
        assert r.status_code == 200, r.text
        c.token = r.json()["token"]
        return c

    def account(self, territory: str | None, kind: str = "hcp", name: str = "Dr. Test") -> str:
        """An account in a territory (by code), returned by id."""
        from server.models import Territory

        with self.db.writing() as s:
            version = next_versions(s)
            tid = None
            if territory:
                tid = s.query(Territory.id).filter(Territory.code == territory).scalar()
            account = Account(id=uuid7(), kind=kind, name=name, territory_id=tid,
                              version=version)
            s.add(account)
            s.flush()
            s.add(ExternalId(account_id=account.id, system="TEST", value=account.id,
                             version=version))
            return account.id

    def affiliate(self, hcp_id: str, hco_id: str) -> None:
        with self.db.writing() as s:
            s.add(Affiliation(hcp_id=hcp_id, hco_id=hco_id, version=next_versions(s)))

    def close(self) -> None:
        for c in self._clients:
            c.close()


@functools.cache
def migrated_sqlite() -> Path:
    """A SQLite server database at the newest schema, made once per run. A new server's
    file is a copy of it: running every migration again costs 0.5 to 2 s per server."""
    folder = Path(tempfile.mkdtemp(prefix="fieldrep-server-schema-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "server.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


def initialise(dsn: str) -> None:
    """The newest schema in the server's database: a new SQLite file is copied from
    `migrated_sqlite`, anything else (PostgreSQL, an existing file) is upgraded."""
    url = make_url(dsn)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        shutil.copyfile(migrated_sqlite(), url.database)
        return
    db = Database(dsn)
    upgrade(db)
    db.dispose()


def start_server(data_dir: Path, dsn: str, settings: str = TEST_SETTINGS, workers: int = 1,
                 launcher: tuple[str, ...] = ("-m", "server.cli")
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """Initialise the database and start `fieldrep-server serve` on a free port (`launcher`:
    how Python runs the CLI, for a test that prepares the server's process first)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "server.toml").write_text(settings, encoding="utf-8")
    initialise(dsn)
    port = free_port()
    env = {**os.environ, "FIELDREP_SERVER_DSN": dsn}
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, *launcher, "--data-dir", str(data_dir), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    with requests.Session() as http:
        while True:
            if proc.poll() is not None:
                raise RuntimeError("server exited: "
                                   + (data_dir / "server.log").read_text(errors="replace"))
            try:
                if http.get(base + "/api/v1/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                proc.terminate()
                raise RuntimeError("server did not answer /api/v1/health within 30 s")
            time.sleep(0.05)  # polling a starting process; nothing to wait on instead
    return proc, base


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres",
                                                                 marks=pytest.mark.postgres)])
def backend_dsn(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> str:
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite")
        return f"sqlite:///{folder / 'server.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def live(backend_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    proc, base = start_server(tmp_path_factory.mktemp("server"), backend_dsn)
    db = Database(backend_dsn)
    server = Live(base, db, "sqlite" if backend_dsn.startswith("sqlite") else "postgres")
    try:
        yield server
    finally:
        server.close()
        stop_server(proc)
        db.dispose()


@pytest.fixture(scope="session")
def admin(live: Live) -> Client:
    return live.login(live.user("admin"))


#: `fieldrep-server ...` on the live server's database: (exit code, stdout, stderr).
Cli = Callable[..., tuple[int, str, str]]
#: A service account made through the CLI: (name, token).
MakeToken = Callable[..., tuple[str, str]]


@pytest.fixture
def cli(live: Live, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    """`fieldrep-server` run on the live server's database; (exit code, stdout, stderr)."""
    from server.cli import main

    monkeypatch.setenv("FIELDREP_SERVER_DSN",
                       live.db.engine.url.render_as_string(hide_password=False))

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(["--data-dir", str(tmp_path), *argv])
        except SystemExit as exc:  # argparse refusing an argument, in words on stderr
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    yield run


@pytest.fixture
def admin_name(live: Live) -> str:
    return live.user("admin")


@pytest.fixture
def make_token(cli: Cli, admin_name: str) -> MakeToken:
    """A service account (by name) and its token, for some territories or all; `extra`:
    more options of `service-account add` (`--feed`, `--expires-in-days N`)."""

    def make(*territories: str, kinds: str = "all", system: str | None = None,
             extra: tuple[str, ...] = ()) -> tuple[str, str]:
        name = f"svc-{uuid.uuid4().hex[:8]}"
        where = [a for t in territories for a in ("--territory", t)] or ["--all-territories"]
        named = ["--system", system] if system else []
        code, out, err = cli("service-account", "add", name, "--by", admin_name, *where,
                             "--kinds", kinds, *named, *extra)
        assert code == 0, err
        return name, json.loads(out)["token"]

    return make
