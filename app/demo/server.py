"""The demo's central server: seeded once, started on 127.0.0.1, shared by every demo laptop.

`fieldrep demo` shows the whole loop on one machine: the demo territory lives on a real
Fieldrep server (SQLite, the embedded default) in a folder shared by all demo profiles,
`<user data folder>/demo-server`. The first `fieldrep demo` generates the territory with
`territory.DemoGenerator` and feeds its rows to `fieldrep-server demo` (the server imports
nothing of the client but the wire contract, so the rows travel as JSON lines through a
pipe), then starts `fieldrep-server serve` on a free port and writes `running.json` (port
and process id). A second `fieldrep demo --data-dir OTHER` finds that file, checks that the
server answers, and joins it: two laptops of one rep, one server.

The server is a child of the app that started it and stops when that app exits (also when
it is killed: the server watches its parent's process id). The other laptops then go
offline, as a real laptop would on a train, and keep working; the next `fieldrep demo`
starts the server again on the same data and, when it is free, the same port, so laptops
still open find it again at their next automatic sync.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from app.config import SERVER_COMMAND
from app.contract import COMMON_FIELDS, ENTITIES, to_wire
from app.i18n import tr
from app.ids import uuid7
from app.services.errors import ServiceError

SERVER_DIR = "demo-server"
RUNNING_FILE = "running.json"
SEEDED_FILE = "demo.json"
PORT_FILE = "port"  # the last port, taken again when free
DATABASE_FILE = "server.sqlite3"  # the server's embedded default (server/config.py)
HEALTH_PATH = "/api/v1/health"
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Credential:
    username: str
    password: str
    display_name: str
    role: str


#: The people of the demo territory (the territory's users) and the passwords they log in with.
CREDENTIALS = (
    Credential("rep", "demo-rep", "Jörg Krüger", "rep"),
    Credential("msl", "demo-msl", "Dr. Käthe Groß", "msl"),
    Credential("manager", "demo-manager", "Katrin Weiß", "manager"),
)
REP = CREDENTIALS[0]


class DemoServerError(ServiceError):
    """The demo server cannot be seeded, started or reset; the message says why."""


@dataclass(frozen=True)
class Seeded:
    """What the demo server holds: the generator's size and seed."""

    accounts: int
    seed: int
    server_id: str  # made at seeding: a demo laptop knows which server its data came from


@dataclass
class DemoServer:
    """A running demo server; `process` is set when this app started it (and stops it)."""

    url: str
    pid: int
    folder: Path
    seeded: Seeded
    process: subprocess.Popen[bytes] | None = None

    @property
    def owned(self) -> bool:
        return self.process is not None

    def stop(self) -> None:
        """Stop the server this app started (nothing for a joined one)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        _remove_running(self.folder, self.pid)


def server_command(*args: str) -> list[str]:
    """`fieldrep-server ...` run by this very program: its hidden `_server` command.

    A frozen build is one executable with no `python -m`, so the server is a command of
    the app itself there, and in a checkout or an install the same command is used.
    """
    if getattr(sys, "frozen", False):  # set by PyInstaller: sys.executable is `fieldrep`
        return [sys.executable, SERVER_COMMAND, *args]
    return [sys.executable, "-m", "app", SERVER_COMMAND, *args]


def healthy(url: str, timeout: float = 1.0) -> bool:
    import requests

    try:
        return requests.get(url + HEALTH_PATH, timeout=timeout).status_code == 200
    except requests.RequestException:
        return False


def read_seeded(folder: Path) -> Seeded | None:
    try:
        raw = json.loads((folder / SEEDED_FILE).read_text(encoding="utf-8"))
        return Seeded(int(raw["accounts"]), int(raw["seed"]), str(raw["server_id"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def running(folder: Path) -> DemoServer | None:
    """The demo server another app started, if its state file is there and it answers."""
    seeded = read_seeded(folder)
    try:
        raw = json.loads((folder / RUNNING_FILE).read_text(encoding="utf-8"))
        url, pid = str(raw["url"]), int(raw["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if seeded is None or not _alive(pid) or not healthy(url):
        return None
    return DemoServer(url, pid, folder, seeded)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # signal 0 is Ctrl+C there: the health check alone decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_running(folder: Path, pid: int) -> None:
    path = folder / RUNNING_FILE
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if int(json.loads(path.read_text(encoding="utf-8"))["pid"]) == pid:
            path.unlink()


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One app at a time seeds or starts the demo server (two started at once wait)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no second demo starts in the same instant there
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wire_rows(table: str, rows: list[dict[str, Any]]) -> bytes:
    columns = (*COMMON_FIELDS, *ENTITIES[table].fields)
    batch = {"table": table,
             "rows": [{c: to_wire(row.get(c)) for c in columns} for row in rows]}
    return json.dumps(batch, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def seed(folder: Path, accounts: int, seed_value: int,
         progress: Callable[[int, int], None] | None = None) -> Seeded:
    """Generate the demo territory into a new server database in `folder`."""
    from app.demo.territory import DemoGenerator

    generator = DemoGenerator(accounts=accounts, seed=seed_value)
    command = server_command("--data-dir", str(folder), "demo",
                             *(f"--password={c.username}={c.password}" for c in CREDENTIALS))
    env = _server_env()
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env) as process:
        stdin: IO[bytes] | None = process.stdin
        assert stdin is not None
        reported = -1
        try:
            for batch in generator.batches():
                if batch.table.name in ENTITIES:
                    stdin.write(_wire_rows(batch.table.name, batch.rows))
                if progress is not None and batch.accounts_done != reported:
                    reported = batch.accounts_done
                    progress(reported, accounts)
            # Last, what outside systems report: posted by the server through the
            # integration API's service account and write path (server/demo.py).
            stdin.write(json.dumps({"integration": generator.touchpoints.events},
                                   separators=(",", ":")).encode() + b"\n")
        except BrokenPipeError:
            pass  # the server refused; its message follows
        _out, err = process.communicate()  # closes stdin: the end of the rows
    if process.returncode != 0:
        message = err.decode(errors="replace").strip().splitlines()
        raise DemoServerError(tr("The demo server could not be filled: {reason}",
                                 reason=message[-1] if message else process.returncode))
    _add_demo_content(folder, env)
    seeded = Seeded(accounts, seed_value, uuid7())
    (folder / SEEDED_FILE).write_text(json.dumps(asdict(seeded)), encoding="utf-8")
    return seeded


def _add_demo_content(folder: Path, env: dict[str, str]) -> None:
    """The two demo decks go onto the server like any approved content, so the laptops
    receive them through sync (downloaded and verified) rather than importing them apart."""
    from app.config import resources_dir

    packages = sorted((resources_dir() / "content").glob("*.zip"))
    if not packages:
        return
    base = server_command("--data-dir", str(folder), "content")
    # Added content is a draft; the demo's admin approves it, as a real admin would.
    _run_server([*base, "add", *map(str, packages)], env)
    listed = _run_server([*base, "list"], env)
    drafts = [item["id"] for item in map(json.loads, listed.splitlines())
              if item.get("approval_state") == "draft"]
    if drafts:
        _run_server([*base, "approve", *drafts, "--by", "demo-approver"], env)


def _run_server(command: list[str], env: dict[str, str]) -> str:
    """Run a server command; its output, or DemoServerError with its last words."""
    done = subprocess.run(command, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise DemoServerError(tr("The demo server could not be filled: {reason}",
                                 reason=message[-1] if message else done.returncode))
    return done.stdout.decode(errors="replace")


def _server_env() -> dict[str, str]:
    """The environment for a server child: its folder comes from --data-dir, never from a
    DSN meant for another server."""
    env = dict(os.environ)
    env.pop("FIELDREP_SERVER_DSN", None)
    env.pop("FIELDREP_SERVER_DATA_DIR", None)
    return env


def _free_port(preferred: int | None) -> int:
    """The port the demo server had last time if it is free (laptops still open with that
    address find the server again), else any free one."""
    for port in (preferred, 0):
        if port is None:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise DemoServerError(tr("No free port for the demo server on 127.0.0.1."))


def _last_port(folder: Path) -> int | None:
    try:
        return int((folder / PORT_FILE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def start(folder: Path, seeded: Seeded) -> DemoServer:
    """Serve `folder` on a free port of 127.0.0.1 until this process ends."""
    port = _free_port(_last_port(folder))
    url = f"http://127.0.0.1:{port}"
    log_file = open(folder / "server.log", "ab")  # noqa: SIM115 - the child keeps it
    with log_file:
        process = subprocess.Popen(
            server_command("--data-dir", str(folder), "serve", "--host", "127.0.0.1",
                           "--port", str(port), f"--exit-with-pid={os.getpid()}"),
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file, env=_server_env())
    deadline = time.monotonic() + START_TIMEOUT_S
    while not healthy(url, timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise DemoServerError(tr("The demo server did not start; see {log}.",
                                     log=folder / "server.log"))
        time.sleep(0.1)
    server = DemoServer(url, process.pid, folder, seeded, process)
    (folder / RUNNING_FILE).write_text(json.dumps({"url": url, "pid": process.pid}),
                                       encoding="utf-8")
    (folder / PORT_FILE).write_text(str(port), encoding="ascii")
    return server


def _wipe(folder: Path) -> None:
    for name in (DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", SEEDED_FILE,
                 RUNNING_FILE, PORT_FILE):
        (folder / name).unlink(missing_ok=True)


def ensure(folder: Path, accounts: int, seed_value: int, *, reset: bool = False,
           progress: Callable[[int, int], None] | None = None,
           say: Callable[[str], None] = print) -> DemoServer:
    """Join the running demo server, or (seed if needed, and) start one."""
    with _locked(folder):
        current = running(folder)
        if current is not None:
            if reset:
                raise DemoServerError(tr(
                    "The demo server is in use by another Fieldrep (process {pid}); close "
                    "that window first, then reset.", pid=current.pid))
            say(tr("Joining the demo server at {url}.", url=current.url))
            _note_size(current.seeded, accounts, seed_value, say)
            return current
        if reset:
            _wipe(folder)
        seeded = read_seeded(folder)
        if seeded is None:
            _wipe(folder)  # a half-made server from an interrupted seeding
            say(tr("Creating the demo server with a territory of {count} accounts in "
                   "{folder} …", count=f"{accounts:,}", folder=folder))
            seeded = seed(folder, accounts, seed_value, progress)
        else:
            _note_size(seeded, accounts, seed_value, say)
            _upgrade(folder)  # made by an earlier Fieldrep: its schema may be older
        return start(folder, seeded)


def _upgrade(folder: Path) -> None:
    """Bring a demo server's database to this version's schema (`fieldrep-server init`,
    which backs it up first): the server refuses to serve an older one."""
    done = subprocess.run(server_command("--data-dir", str(folder), "init"),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env=_server_env(), timeout=600, check=False)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [str(done.returncode)])[-1]
        raise DemoServerError(tr("The demo server's data could not be brought up to this "
                                 "version of Fieldrep ({why}); start it anew with --reset.",
                                 why=why))


def _note_size(seeded: Seeded, accounts: int, seed_value: int,
               say: Callable[[str], None]) -> None:
    if (seeded.accounts, seeded.seed) != (accounts, seed_value):
        say(tr("Using the demo territory already on the demo server ({count} accounts, "
               "seed {seed}); add --reset to generate a new one.",
               count=f"{seeded.accounts:,}", seed=seeded.seed))
