"""`fieldrep sync` from the command line: log in, sync once, a summary and an exit code."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.__main__ import main
from tests.sync.conftest import Seed
from tests.sync.protocol_server import ProtocolServer


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """main() installs its own log handlers; put the test's back and close main's."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in saved:
            root.removeHandler(handler)
            handler.close()
    for handler in saved:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def test_fieldrep_sync_logs_in_syncs_and_summarises(
        peer: ProtocolServer, seed: Seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("geheim-123\n"))
    code = main(["--data-dir", str(tmp_path), "sync", "--server", peer.url, "--user", "rep",
                 "--password-stdin"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Synced: sent 0 change(s)" in out
    assert f"received {4 + 2 * len(seed.accounts)} row(s) in 1 page(s)" in out
    assert "pull:" in err
    # A second run asks for the password again: it unlocks the user's encrypted store.
    monkeypatch.setattr("sys.stdin", io.StringIO("geheim-123\n"))
    assert main(["--data-dir", str(tmp_path), "sync", "--server", peer.url, "--user", "rep",
                 "--password-stdin"]) == 0


def test_fieldrep_sync_fails_with_words_and_exit_1(
        peer: ProtocolServer, seed: Seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    assert main(["--data-dir", str(tmp_path), "sync", "--server", peer.url, "--user", "rep",
                 "--password-stdin"]) == 1
    assert "user name or password is wrong" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "sync", "--user", "rep"]) == 1
    assert "no server set" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # whose data to sync: the user's password unlocks it
        main(["--data-dir", str(tmp_path), "sync", "--server", peer.url])
