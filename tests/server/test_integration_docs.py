"""The example of docs/integration.md, run exactly as written against a real server (SQLite
and PostgreSQL): the service account made with `fieldrep-server`, the single post and the
NDJSON bulk sent with curl. Only the server's address differs, and the database the CLI
opens (the live server's)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from server.db import next_versions
from server.directory import add_user
from server.models import Account, ExternalId, Territory, Touchpoint
from tests.server.conftest import PASSWORD, ROOT, Live

BEGIN, END = "<!-- integration-example:begin -->", "<!-- integration-example:end -->"
PLACEHOLDER = "https://fieldrep.example.com"


def example() -> str:
    text = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return block.split("```sh\n", 1)[1].rsplit("```", 1)[0]


@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("jq") is None,
                    reason="the example uses curl and jq")
def test_the_documented_example_works(live: Live, tmp_path: Path) -> None:
    with live.db.writing() as s:
        add_user(s, "admin", PASSWORD, "admin")
        territory = Territory(code="BER-1", name="Berlin Mitte", version=next_versions(s))
        s.add(territory)
        s.flush()
        doctor = Account(kind="hcp", name="Dr. Jana Roth", territory_id=territory.id,
                         version=next_versions(s))
        s.add(doctor)
        s.flush()
        s.add(ExternalId(account_id=doctor.id, system="LANR", value="123456701",
                         version=next_versions(s)))
        doctor_id = doctor.id
    script = example()
    assert script.count(PLACEHOLDER) == 2
    env = {**os.environ, "FIELDREP_SERVER_DSN":
           live.db.engine.url.render_as_string(hide_password=False),
           "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT),
                                                       os.environ.get("PYTHONPATH"))))}
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(PLACEHOLDER, live.base)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert run.returncode == 0, run.stdout + run.stderr
    decoder = json.JSONDecoder()
    single, end = decoder.raw_decode(run.stdout)  # curl prints the two answers back to back
    bulk, _ = decoder.raw_decode(run.stdout, end)
    assert (single["status"], single["account_id"]) == ("created", doctor_id)
    assert bulk["counts"] == {"created": 1, "duplicate": 0, "rejected": 1}
    assert bulk["errors"] == [{"line": 2, "event_id": "wb-2026-03-0003",
                               "reason": "unknown external id LANR 999999999"}]
    with live.db.reading() as s:
        assert sorted(s.scalars(select(Touchpoint.kind).where(
            Touchpoint.account_id == doctor_id))) == ["event_registered", "webinar_attended"]
