"""The log support reads: each sync attempt, its outcome and counts, refusals, timeouts and
failures, and never a doctor's name or anything the rep typed (a real server on
127.0.0.1)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from app.store.database import Database
from app.sync.client import SyncClient
from app.sync.errors import OfflineError
from app.sync.run import sync_once
from tests.sync.conftest import Seed
from tests.sync.protocol_server import REJECT_MARK, ProtocolServer
from tests.sync.test_push import edit_notes

MakeClient = Callable[..., SyncClient]
PRIVATE = "Patientin mit Dialyse"  # what a rep might type into an account's notes


def logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("app."))


def test_attempts_counts_and_refusals_are_logged_without_personal_data(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app")
    db = replicas("a")
    sync_once(db, make_client())
    edit_notes(db, seed, seed.accounts[0], PRIVATE)
    edit_notes(db, seed, seed.accounts[1], REJECT_MARK)
    sync_once(db, make_client())
    text = logged(caplog)
    assert text.count("sync started") == 2 and text.count("sync done") == 2
    assert "received" in text and "change(s) still to send" in text
    assert "refused 1" in text and "the server refused a change: accounts upsert" in text
    for secret in (PRIVATE, REJECT_MARK, "Müller", "Anna", "Lena Vogel"):
        assert secret not in text, secret


def test_a_timeout_and_a_failure_are_logged(
        peer: ProtocolServer, seed: Seed, replicas: Callable[[str], Database],
        make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app")
    db = replicas("a")
    sync_once(db, make_client())
    edit_notes(db, seed, seed.accounts[0], PRIVATE)
    peer.fault("push", "timeout", times=10)
    with pytest.raises(OfflineError):
        sync_once(db, make_client(timeout=0.5, attempts=1))
    text = logged(caplog)
    assert "timed out" in text or "no answer from the server" in text
    assert "sync failed after" in text and "OfflineError" in text
    assert "change(s) kept to send" in text
    assert PRIVATE not in text
