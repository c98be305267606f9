"""Where Fieldrep keeps its files, and the settings a person can change.

The only module that reads the environment or decides paths (tests and `--data-dir` redirect
it). Settings are declared as data: one typed declaration per setting, with a default and a
description, stored as JSON in the data folder, so two profiles (e.g. two laptops simulated
on one machine) never share one.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "Fieldrep"
#: The hidden `fieldrep` command that runs the sync server in this very program: the demo
#: server's process (app/demo/server.py), also in a frozen build, which has no
#: `python -m server`.
SERVER_COMMAND = "_server"
DATABASE_FILE = "fieldrep.sqlite"
SETTINGS_FILE = "settings.json"
LOG_FILE = "fieldrep.log"
#: Remembers a data folder chosen in the settings dialog (outside any data folder).
LOCATION_FILE = "location.json"
#: The data folder and every folder in it: owner only (doctors' personal data lives there).
PRIVATE_DIR = 0o700
#: Every file the app writes there: owner only (the process umask makes it so, see
#: `make_private`).
PRIVATE_UMASK = 0o077


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting("language", str, "system", "User interface language: system, en or de."),
    Setting("theme", str, "system", "Colours: system, light or dark."),
    Setting("server_url", str, "", "Address of the Fieldrep server, e.g. https://crm.example.com."),
    Setting("ca_bundle", str, "", "A certificate authority file (PEM) the server's certificate "
            "is checked against, for a company CA (empty: the public authorities)."),
    Setting("offline_login_days", int, 14,
            "Days a user may sign in offline without reaching the server; after that the "
            "laptop asks for a connection first (a lost laptop's password stops working)."),
    Setting("route_start", str, "", "Where the day's route starts and ends, as latitude and "
            "longitude (e.g. 50.94, 6.96); empty: at the first visit."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def default_data_dir() -> Path:
    """The data folder: the one chosen in the settings dialog, else the platform's default."""
    location = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / LOCATION_FILE
    try:
        chosen = json.loads(location.read_text(encoding="utf-8")).get("data_dir")
    except (OSError, ValueError):
        chosen = None
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def remember_data_dir(path: Path) -> None:
    """Use `path` as the data folder from the next start on (when no --data-dir is given)."""
    folder = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LOCATION_FILE).write_text(json.dumps({"data_dir": str(path)}), encoding="utf-8")


class Settings:
    """The settings of one data folder, validated against the declarations above."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / SETTINGS_FILE
        self._values: dict[str, Any] = {}
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        for name, value in stored.items() if isinstance(stored, dict) else ():
            spec = _BY_NAME.get(name)
            if spec is not None and isinstance(value, spec.type):
                self._values[name] = value

    def get(self, name: str) -> Any:
        return self._values.get(name, _BY_NAME[name].default)

    def set(self, name: str, value: Any) -> None:
        spec = _BY_NAME[name]
        if not isinstance(value, spec.type):
            raise TypeError(f"setting {name} must be {spec.type.__name__}")
        self._values[name] = value

    def save(self) -> None:
        """Write atomically: a crash mid-write never leaves a half settings file."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)


@dataclass(frozen=True)
class Paths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / LOG_FILE


def make_private(data_dir: Path) -> None:
    """Owner-only access to the data folder, now and for whatever the process writes later.

    Sets the process umask (files 0600, folders 0700 from here on: databases, WAL, backups,
    logs, the demo server's files) and tightens what an older Fieldrep left 0644/0755.
    """
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(data_dir, PRIVATE_DIR)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            os.chmod(os.path.join(root, name), PRIVATE_DIR)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o600)


class _PrivateLogFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file is 0600, whatever the umask."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def resources_dir() -> Path:
    """The icons, style, translations, rules and demo decks: the one place every reader asks.

    Installed (a wheel) and frozen (build.spec) they are inside the package, `app/resources`,
    found through importlib.resources; in a source checkout (an editable install too) they
    are the repository's `resources/` beside the package. setup.py maps the one to the other.
    """
    packaged = Path(str(resources.files("app") / "resources"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def setup_logging(paths: Paths, *, verbose: bool = False) -> None:
    """A private rotating log file in the data folder (1 MB x 5), plus warnings on stderr.

    The log names rows by id only: database errors carry no row values (the store's engines
    hide SQL parameters), and no message logs a name, a note or an answer.
    """
    paths.log_file.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    handler = _PrivateLogFile(
        paths.log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.addHandler(console)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
