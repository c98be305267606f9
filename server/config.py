"""The server's settings: one typed declaration, read from a TOML file and the environment.

This is the only module of the server that reads the environment or the config file, so tests
redirect everything by pointing `FIELDREP_SERVER_DATA_DIR` (or `--data-dir`) at a temporary
folder. Precedence: built-in defaults < `<data dir>/server.toml` < environment variables.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ENV_DSN = "FIELDREP_SERVER_DSN"
ENV_DATA_DIR = "FIELDREP_SERVER_DATA_DIR"
CONFIG_FILE = "server.toml"


def default_data_dir() -> Path:
    """Where the embedded SQLite database lives unless told otherwise (per-user, like the app)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "fieldrep-server"


@dataclass(frozen=True)
class Settings:
    """Everything an operator may tune; every field can be set in `server.toml`."""

    data_dir: Path = field(default_factory=default_data_dir)
    #: SQLAlchemy URL; empty means the SQLite file `server.sqlite3` in `data_dir`.
    dsn: str = ""
    #: A token lives this long; the client logs in again after that (offline work continues).
    token_ttl_s: int = 14 * 24 * 3600
    #: Failed logins allowed inside the window before slowing down: per (name, address) pair
    #: (and per name on a device that logged in before), per address (softer: a proxy or
    #: NAT puts many people behind one), and per name across all addresses (one password
    #: guessed from many addresses). server/security.py says who is held back by which.
    login_user_free_failures: int = 5
    login_address_free_failures: int = 100
    login_name_free_failures: int = 20
    login_window_s: int = 15 * 60
    #: First delay once the free failures are used; it doubles with each further failure.
    login_base_delay_s: int = 30
    login_max_delay_s: int = 15 * 60
    #: Request bodies above this are refused with 413 before they are read (import: below).
    max_body_bytes: int = 1 << 20
    max_import_bytes: int = 32 << 20
    #: Responses larger than this are gzip-compressed when the client accepts it.
    gzip_min_bytes: int = 1024
    #: Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated, as
    #: uvicorn's --forwarded-allow-ips). Empty: none, so nobody can pick the address the
    #: login throttle counts against. Behind a TLS proxy or load balancer, name it here:
    #: otherwise every login seems to come from the proxy and shares one address limit.
    forwarded_allow_ips: str = ""
    #: The longest a laptop may stay offline and still resend its outbox exactly once: pushed
    #: mutations' answers (idempotency records) are kept this long, then pruned, as are
    #: tokens expired or revoked this long ago (server/prune.py).
    offline_window_days: int = 90
    #: How often `serve` prunes (seconds; 0: never, run `fieldrep-server prune` instead).
    prune_interval_s: int = 6 * 3600
    #: Where content package files are kept (by SHA-256); empty: `content` in the data
    #: folder. Several server processes behind a load balancer need one shared folder here.
    content_dir: str = ""
    #: Approved e-mail (docs/email.md): the SMTP server that sends reps' e-mails. Empty
    #: host: nothing is sent, e-mails wait in the queue. `smtp_starttls` upgrades the
    #: connection before the credentials are sent (refused if the server cannot).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_starttls: bool = True
    #: A CA bundle (PEM) the SMTP server's certificate is checked against instead of the
    #: system's (a company relay with its own CA); empty: the system's.
    smtp_ca_file: str = ""
    smtp_user: str = ""
    smtp_password: str = ""
    email_from: str = ""
    #: The address doctors' mail programs reach this server at (tracking, unsubscribe);
    #: empty: the address the rep's laptop pushed to.
    public_url: str = ""
    #: Temporary failures are retried after email_retry_s, doubling, up to this many tries.
    email_max_attempts: int = 8
    email_retry_s: int = 60
    #: How often `serve` sends what is due besides right after a push (0: only then).
    email_interval_s: int = 60

    @property
    def database_url(self) -> str:
        """The DSN, or the embedded SQLite file in the data folder."""
        if self.dsn:
            return self.dsn
        return f"sqlite:///{self.data_dir / 'server.sqlite3'}"

    @property
    def content_path(self) -> Path:
        """The folder of content package files."""
        return Path(self.content_dir) if self.content_dir else self.data_dir / "content"


_INT_FIELDS = {f.name for f in dataclasses.fields(Settings) if f.type in ("int", int)}
_BOOL_FIELDS = {f.name for f in dataclasses.fields(Settings) if f.type in ("bool", bool)}


def load_settings(data_dir: Path | None = None, config_file: Path | None = None) -> Settings:
    """Settings from defaults, the config file and the environment (in that order).

    Unknown keys in the file are an error: a typo must not silently leave a limit at its
    default.
    """
    env_dir = os.environ.get(ENV_DATA_DIR)
    folder = Path(data_dir) if data_dir else Path(env_dir) if env_dir else default_data_dir()
    values: dict[str, object] = {"data_dir": folder}
    path = config_file or folder / CONFIG_FILE
    if path.is_file():
        with path.open("rb") as fh:
            loaded = tomllib.load(fh)
        known = {f.name for f in dataclasses.fields(Settings)} - {"data_dir"}
        unknown = sorted(set(loaded) - known)
        if unknown:
            raise ValueError(f"{path}: unknown setting(s): {', '.join(unknown)}")
        for key, value in loaded.items():
            if key in _INT_FIELDS and not isinstance(value, int):
                raise ValueError(f"{path}: {key} must be an integer")
            if key in _BOOL_FIELDS and not isinstance(value, bool):
                raise ValueError(f"{path}: {key} must be true or false")
            values[key] = value
    dsn = os.environ.get(ENV_DSN)
    if dsn:
        values["dsn"] = dsn
    return Settings(**values)  # type: ignore[arg-type]
