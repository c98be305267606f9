"""The real server's fixtures for service tests that sign in against it (test_login.py)."""

from tests.server.conftest import (  # noqa: F401 - fixtures, by name
    backend_dsn,
    cheap_password_hashes,
    live,
    postgres_url,
)
