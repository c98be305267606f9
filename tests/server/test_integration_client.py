"""docs/integration_client.py, run as a user would run it, against a real server (SQLite
and PostgreSQL): it posts an NDJSON file, reports the bad line, and pages through the change
feed from its cursor file, bringing each change once across runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.server.conftest import ROOT, Live, MakeToken
from tests.server.test_integration import event, lanr

CLIENT = ROOT / "docs" / "integration_client.py"


def run(live: Live, token: str, *argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CLIENT), "--server", live.base, "--token", token,
                           *map(str, argv)], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_example_client_posts_ndjson_and_pages_the_feed(
        live: Live, make_token: MakeToken, tmp_path: Path) -> None:
    territory = live.territory()
    doctors = [live.account(territory) for _ in range(3)]
    numbers = [lanr(live, d) for d in doctors]
    _, poster = make_token(territory)
    _, reader = make_token(territory, extra=("--feed",))
    sent = [event(external_id={"system": "LANR", "value": n}) for n in numbers]
    lines = [json.dumps(e) for e in sent]
    lines.insert(2, json.dumps(event(external_id={"system": "LANR", "value": "999999999"})))
    (tmp_path / "touchpoints.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")

    posted = run(live, poster, "post", "touchpoints.ndjson", cwd=tmp_path)

    assert posted.returncode == 1, posted.stderr  # one line refused
    assert json.loads(posted.stdout) == {"lines": [1, 4], "created": 3, "duplicate": 0,
                                         "rejected": 1}
    assert "line 3 (" in posted.stderr and "unknown external id LANR 999999999" in posted.stderr
    feed = ("feed", "--cursor-file", "feed.cursor", "--out", "changes.ndjson")
    first = run(live, reader, *feed, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run(live, reader, *feed, cwd=tmp_path)
    assert json.loads(again.stdout)["changes"] == 0  # the cursor file holds its place
    newer = event(account_id=doctors[0])
    assert run(live, poster, "post", _file(tmp_path, newer), cwd=tmp_path).returncode == 0
    last = run(live, reader, *feed, cwd=tmp_path)
    assert last.returncode == 0, last.stderr

    changes = [json.loads(line) for line in
               (tmp_path / "changes.ndjson").read_text(encoding="utf-8").splitlines()]
    touchpoints = [c["row"]["event_id"] for c in changes if c["entity"] == "touchpoints"]
    assert sorted(touchpoints) == sorted(e["event_id"] for e in [*sent, newer])
    assert {c["row"]["id"] for c in changes if c["entity"] == "accounts"} == set(doctors)
    assert json.loads(last.stdout)["changes"] == 1


def test_the_example_client_says_why_the_feed_refused(
        live: Live, make_token: MakeToken, tmp_path: Path) -> None:
    _, poster = make_token()
    refused = run(live, poster, "feed", "--cursor-file", "c", "--out", "o", cwd=tmp_path)
    assert refused.returncode == 2
    assert "the feed refused: 403: this API token may not read the change feed" in \
        refused.stderr
    assert not (tmp_path / "c").exists()


def _file(folder: Path, *events: dict[str, object]) -> Path:
    path = folder / "more.ndjson"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return path
