"""The README's server set-up, run exactly as written: from an empty folder to a rep's laptop
holding approved content, through HTTPS with a self-signed certificate and a real sync.

The commands are read from README.md between its `server-setup` markers, so the README
cannot drift from what works. Two things differ, both around the commands, not in them:
the port (a free one instead of 8443, so parallel runs never collide) and the folders (HOME
and the working folder are temporary; `resources/` is linked in from the checkout)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from app.edetail.package import content_store, files_present
from app.store.accounts import Account
from app.store.content import Presentation
from app.store.database import open_database
from app.store.keys import derive_key
from app.store.reference import KeyMessage, Product
from app.store.user_stores import read_header, store_for
from tests.server.conftest import ROOT, free_port

BEGIN, END = "<!-- server-setup:begin -->", "<!-- server-setup:end -->"


def readme_commands() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return block.split("```sh\n", 1)[1].rsplit("```", 1)[0]


def test_the_readme_block_is_there_and_complete() -> None:
    commands = readme_commands()
    for step in ("fieldrep-server init", "--certfile", "product add", "keymessage add",
                 "territory promote", "user add", "territory assign", "import",
                 "content add", "content approve", "fieldrep --data-dir", "https://"):
        assert step in commands, step
    assert "http://" not in commands


@pytest.mark.slow
def test_the_readme_sets_up_a_server_from_empty_to_content_on_a_laptop(tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    (work / "resources").symlink_to(ROOT / "resources")
    script = readme_commands().replace("8443", str(free_port()))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDREP_", "XDG_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT),
                                                         os.environ.get("PYTHONPATH")))))
    # Output to a file, not a pipe: the server left in the background keeps it open.
    log = tmp_path / "readme.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script], cwd=work,
                                env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        proc.wait(timeout=300)
    finally:
        # The server the script left running in the background, and its workers.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    out = log.read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, out[-4000:]
    assert "Synced:" in out, out[-4000:]
    assert (home / "fieldrep-server" / "server.sqlite3").is_file()

    # Anna's encrypted store, unlocked with the key her password gives (app/store/keys.py).
    store = store_for(home / "fieldrep-anna", "anna")
    header = read_header(store)
    assert header is not None
    laptop = open_database(store.database,
                           derive_key("change-me-anna-1", header.salt, header.kdf))
    try:
        deck_store = content_store(laptop)
        with laptop.read() as s:
            assert s.scalars(select(Account.name)).all() == ["Dr. Jana Roth"]
            assert s.scalars(select(Product.name)).all() == ["Cardiovel"]
            assert sorted(s.scalars(select(KeyMessage.code))) == ["CV-EFF", "CV-SAF",
                                                                  "CV-STU"]
            deck = s.scalars(select(Presentation)).one()
            assert (deck.code, deck.approval_state) == ("demo-cardiovel-hf", "approved")
            assert files_present(deck_store, deck)  # downloaded over https and verified
    finally:
        laptop.close()
