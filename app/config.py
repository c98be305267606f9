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
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "Fieldrep"
DATABASE_FILE = "fieldrep.sqlite"
SETTINGS_FILE = "settings.json"
LOG_FILE = "fieldrep.log"
#: Remembers a data folder chosen in the settings dialog (outside any data folder).
LOCATION_FILE = "location.json"


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


def resources_dir() -> Path:
    """resources/ beside the package (a source checkout) or inside the frozen bundle."""
    bundled = getattr(sys, "_MEIPASS", None)  # set by PyInstaller in a frozen build
    if bundled:
        return Path(bundled) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def setup_logging(paths: Paths, *, verbose: bool = False) -> None:
    """A rotating log file in the data folder (1 MB x 5), plus warnings on stderr."""
    paths.log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
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
