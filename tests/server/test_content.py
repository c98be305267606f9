"""Content distribution against a real server process on 127.0.0.1 (SQLite and PostgreSQL):
`fieldrep-server content add` checks like a laptop, a rep's sync brings the packages of the
territory's products, a download cut mid-way resumes with Range, a corrupt one is refused,
and withdrawn content leaves the laptops."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.content_format.blobs import ContentStore
from app.content_format.errors import PackageError
from app.content_format.kinds import ApprovalState
from app.edetail.capture import start_session
from app.edetail.errors import CaptureError
from app.edetail.package import content_store, files_present, import_package
from app.ids import uuid7
from app.store.content import Presentation as LocalPresentation
from app.store.content import Slide as LocalSlide
from app.store.database import Database as LocalDatabase
from app.store.database import open_database
from app.store.reference import Product as LocalProduct
from app.sync import state
from app.sync.client import RetryPolicy, SyncClient
from app.sync.content import DownloadError, download_package, sync_content
from app.sync.run import sync_once
from server.content import add_package, set_state
from server.db import Database, next_versions
from server.models import (
    AuditEntry,
    ClickstreamEvent,
    ContentPackage,
    Presentation,
    Product,
    Slide,
    Territory,
    TerritoryProduct,
    User,
)
from tests.edetail.conftest import png_bytes, write_zip
from tests.edetail.test_clm import key_message_zip, page
from tests.server.conftest import PASSWORD, ROOT, Live, start_server, stop_server


@pytest.fixture(autouse=True)
def _gui(qapp: Any) -> None:
    """Crafted pictures and the laptop's thumbnails need an application (pytest-qt's)."""


@dataclass
class ContentServer:
    live: Live
    data_dir: Path
    dsn: str

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "server.cli", "--data-dir", str(self.data_dir), *args],
            cwd=ROOT, env={**os.environ, "FIELDREP_SERVER_DSN": self.dsn,
                           "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def server(backend_dsn: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[ContentServer]:
    """A server process of its own (its own content folder) over the backend's database."""
    data_dir = tmp_path_factory.mktemp("content-server")
    proc, base = start_server(data_dir, backend_dsn)
    db = Database(backend_dsn)
    live = Live(base, db, "sqlite" if backend_dsn.startswith("sqlite") else "postgres")
    try:
        yield ContentServer(live, data_dir, backend_dsn)
    finally:
        live.close()
        stop_server(proc)
        db.dispose()


@dataclass
class RepSetup:
    code: str
    product: str  # the product's name (unique per test)
    rep: str


def territory_with_product(server: ContentServer) -> RepSetup:
    live = server.live
    code = live.territory()
    name = f"Cardiovel-{uuid7()[-8:]}"
    with live.db.writing() as s:
        version = next_versions(s)
        product = Product(id=uuid7(), name=name, therapeutic_area="Kardiologie",
                          version=version)
        s.add(product)
        s.flush()
        territory_id = s.scalars(select(Territory.id).where(Territory.code == code)).one()
        s.add(TerritoryProduct(territory_id=territory_id, product_id=product.id,
                               version=version))
    return RepSetup(code, name, live.user("rep", (code,)))


def deck(folder: Path, product: str, *, noise: int = 0, deck_id: str | None = None) -> Path:
    """A package of two picture slides; `noise` random bytes make it big enough to cut."""
    extra = {"assets/noise.bin": random.Random(7).randbytes(noise)} if noise else {}
    manifest = {
        "id": deck_id or f"deck-{uuid7()[-8:]}", "version": "1", "title": "Herzinsuffizienz",
        "product": product, "valid_from": "2026-01-01", "valid_until": "2099-12-31",
        "approval_state": "approved",
        "slides": [
            {"id": "s1", "file": "pics/a.png", "key_message": "CV-EFF", "topic": "efficacy"},
            {"id": "s2", "file": "pics/b.png", "key_message": "CV-SAF", "topic": "safety"},
        ]}
    return write_zip(folder / f"{deck_id or 'deck'}.zip", {
        "manifest.json": json.dumps(manifest).encode(), "pics/a.png": png_bytes("#336699"),
        "pics/b.png": png_bytes("#993366"), **extra})


def laptop(tmp_path: Path, name: str = "laptop") -> LocalDatabase:
    return open_database(tmp_path / name / "fieldrep.sqlite")


def sync_client(base: str, username: str, device: str = "laptop-1") -> SyncClient:
    client = SyncClient(base, device_id=device, retry=RetryPolicy(attempts=4),
                        sleep=lambda _s: None)
    client.token = client.login(username, PASSWORD)["token"]
    return client


def add(server: ContentServer, package: Path, *, approve: bool = True) -> str:
    """Add in-process (what `content add` runs; the CLI itself is tested above), and
    approve it as an admin unless asked not to (added content is a draft)."""
    store = ContentStore(server.data_dir / "content")
    pid = add_package(server.live.db, store, package).presentation_id
    if approve:
        set_state(server.live.db, pid, ApprovalState.APPROVED, approver_id(server))
    return pid


def approver_id(server: ContentServer) -> str:
    with server.live.db.reading() as s:
        return s.scalars(select(User.id).where(User.username == admin_name(server))).one()


def admin_name(server: ContentServer) -> str:
    """One admin per server, made on first use."""
    if not hasattr(server, "admin"):
        server.admin = server.live.user("admin")  # type: ignore[attr-defined]
    name: str = server.admin  # type: ignore[attr-defined]
    return name


def local_state(db: LocalDatabase, key: str) -> str | None:
    with db.read() as session:
        return state.get(session.connection(), key)


def added_id(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.split(" id ", 1)[1].split(",", 1)[0]


# --- the server's side ----------------------------------------------------------------


def test_add_checks_like_the_laptop_and_lists(server: ContentServer, tmp_path: Path) -> None:
    t = territory_with_product(server)
    bad = write_zip(tmp_path / "evil.zip", {"manifest.json": b"{}", "../../etc/passwd": b"x"})
    refused = server.cli("content", "add", str(bad))
    assert refused.returncode == 1
    with pytest.raises(PackageError) as laptop_says:
        import_package(laptop(tmp_path), bad)
    assert str(laptop_says.value) in refused.stderr  # the same check, the same words

    good = deck(tmp_path, t.product)
    pid = added_id(server.cli("content", "add", str(good)))
    again = server.cli("content", "add", str(good))
    assert again.returncode == 0 and "already on the server" in again.stdout

    listed = [json.loads(line) for line in server.cli("content", "list").stdout.splitlines()]
    mine = next(item for item in listed if item["id"] == pid)
    assert mine["product"] == t.product and mine["slides"] == 2
    # The manifest says "approved"; the server does not take approval from a file.
    assert mine["approval_state"] == "draft" and mine["size"] == good.stat().st_size
    first = server.cli("content", "add", str(deck(tmp_path, t.product, deck_id="second")))
    assert "approval_state is ignored" in first.stderr
    with server.live.db.reading() as s:
        assert s.get(ContentPackage, mine["package_sha256"]) is not None
        assert s.get(Presentation, pid) is not None


def test_admin_sets_state_and_validity_reps_may_not(server: ContentServer,
                                                    tmp_path: Path) -> None:
    t = territory_with_product(server)
    pid = add(server, deck(tmp_path, t.product), approve=False)
    live = server.live
    second_admin = live.user("admin")
    admin = live.login(second_admin)
    rep = live.login(t.rep)
    assert rep.post(f"/api/v1/admin/content/{pid}/approve").status_code == 403
    refused = server.cli("content", "approve", pid, "--by", t.rep)
    assert refused.returncode == 2 and "only admins" in refused.stderr
    assert server.cli("content", "approve", pid).returncode == 2  # --by is required
    approved = server.cli("content", "approve", pid, "--by", admin_name(server))
    assert approved.returncode == 0 and "approved" in approved.stdout
    r = admin.post(f"/api/v1/admin/content/{pid}/withdraw")
    assert r.status_code == 200 and r.json()["approval_state"] == "withdrawn"
    again = admin.post(f"/api/v1/admin/content/{pid}/approve")
    assert again.status_code == 409 and "new version" in again.json()["error"]
    with live.db.reading() as s:
        trail = s.execute(select(AuditEntry.action, AuditEntry.user_id).where(
            AuditEntry.entity == "presentations", AuditEntry.row_id == pid)
            .order_by(AuditEntry.version)).all()
        admin_id = s.scalars(select(User.id).where(User.username == second_admin)).one()
    assert trail == [("content.approved", approver_id(server)),
                     ("content.withdrawn", admin_id)]
    r = admin.session.put(f"{live.base}/api/v1/admin/content/{pid}/validity",
                          headers=admin.headers(),
                          json={"valid_from": "2026-03-01", "valid_until": "2026-02-01"})
    assert r.status_code == 422
    r = admin.session.put(f"{live.base}/api/v1/admin/content/{uuid7()}/validity",
                          headers=admin.headers(),
                          json={"valid_from": "2026-03-01", "valid_until": "2026-02-01"})
    assert r.status_code == 404  # unknown content is named before the window is judged
    r = admin.session.put(f"{live.base}/api/v1/admin/content/{pid}/validity",
                          headers=admin.headers(),
                          json={"valid_from": "2026-03-01", "valid_until": "2026-09-30"})
    assert r.status_code == 200 and r.json()["valid_until"] == "2026-09-30"
    assert admin.post(f"/api/v1/admin/content/{uuid7()}/approve").status_code == 404
    items = admin.get("/api/v1/admin/content").json()["items"]
    assert next(i for i in items if i["id"] == pid)["valid_from"] == "2026-03-01"


def test_reps_see_and_download_only_their_products(server: ContentServer,
                                                   tmp_path: Path) -> None:
    mine, other = territory_with_product(server), territory_with_product(server)
    pid = add(server, deck(tmp_path, mine.product))
    elsewhere = add(server, deck(tmp_path, other.product, deck_id="other"))
    rep = server.live.login(mine.rep)
    items = {i["id"]: i for i in rep.get("/api/v1/content").json()["items"]}
    assert pid in items and elsewhere not in items
    with server.live.db.reading() as s:
        foreign_sha = s.get(Presentation, elsewhere).package_sha256  # type: ignore[union-attr]
    assert rep.get(f"/api/v1/content/packages/{foreign_sha}").status_code == 404
    part = rep.get(f"/api/v1/content/packages/{items[pid]['package_sha256']}",
                   headers={"Range": "bytes=10-19", "Accept-Encoding": "identity"})
    assert part.status_code == 206 and len(part.content) == 10


# --- the laptop's side ------------------------------------------------------------------


def test_sync_brings_the_content_and_withdrawal_removes_it(server: ContentServer,
                                                           tmp_path: Path) -> None:
    t = territory_with_product(server)
    pid = add(server, deck(tmp_path, t.product))
    db = laptop(tmp_path)
    seen: list[tuple[str, int, int | None]] = []
    with sync_client(server.live.base, t.rep) as client:
        from app.sync.run import SyncState

        sync_once(db, client, SyncState(listener=lambda *a: seen.append(a)))
        store = content_store(db)
        with db.read() as s:
            row = s.get(LocalPresentation, pid)
            assert row is not None and files_present(store, row)
            slides = s.scalars(select(LocalSlide).where(LocalSlide.presentation_id == pid)
                               ).all()
            assert {store.has(sl.thumbnail_sha256) for sl in slides} == {True}
        content_steps = [done for phase, done, _total in seen if phase == "content"]
        assert content_steps and content_steps[-1] == (tmp_path / "deck.zip").stat().st_size
        start_session(db, pid)  # approved, valid, on this laptop: it may be shown

        assert server.cli("content", "withdraw", pid, "--by", admin_name(server)
                          ).returncode == 0
        sync_once(db, client)
    with db.read() as s:
        row = s.get(LocalPresentation, pid)
        assert row is not None and row.approval_state == "withdrawn"
        assert not files_present(store, row)
    with pytest.raises(CaptureError, match="withdrawn"):
        start_session(db, pid)
    db.close()


def test_a_corrupt_download_is_refused(server: ContentServer, tmp_path: Path) -> None:
    t = territory_with_product(server)
    package = deck(tmp_path, t.product)
    pid = add(server, package)
    with server.live.db.reading() as s:
        sha = s.get(Presentation, pid).package_sha256  # type: ignore[union-attr]
    stored = server.data_dir / "content" / "sha256" / sha[:2] / sha[2:]
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte on the server's disk
    stored.write_bytes(bytes(data))
    db = laptop(tmp_path)
    with sync_client(server.live.base, t.rep) as client:
        sync_once(db, client)  # the data sync succeeds; the content is refused
    assert "damaged" in (local_state(db, state.LAST_ERROR) or "")
    assert local_state(db, state.LAST_SUCCESS) is not None
    with db.read() as s:
        row = s.get(LocalPresentation, pid)
        assert row is not None and not files_present(content_store(db), row)
    assert not list((content_store(db).root / "downloads").glob("*"))  # nothing kept
    db.close()


class CuttingProxy:
    """A TCP relay to the server that drops the first connection after `cut` bytes of
    answer: a real broken download, as a train going into a tunnel makes one. `close`
    ends the relay's threads: a kept-alive connection would hold one for seconds more."""

    def __init__(self, target: str, cut: int) -> None:
        host, port = target.removeprefix("http://").split(":")
        self.target = (host, int(port))
        self.cut = cut
        self.requests: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._relays: list[threading.Thread] = []
        self._server = threading.Thread(target=self._serve, daemon=True)
        self._server.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            relay = threading.Thread(target=self._relay, args=(conn, len(self.requests) == 0),
                                     daemon=True)
            with self._lock:
                self._relays.append(relay)
            relay.start()

    def _relay(self, conn: socket.socket, cut_this: bool) -> None:
        upstream = socket.create_connection(self.target)
        with self._lock:
            self._sockets += [conn, upstream]
            closed = self._closed
        if closed:
            conn.close()
            upstream.close()
            return
        head = conn.recv(65536)
        self.requests.append(head)
        sent = 0
        with conn, upstream:
            try:
                upstream.sendall(head)
                while True:
                    data = upstream.recv(65536)
                    if not data:
                        return
                    if cut_this and sent + len(data) > self.cut:
                        conn.sendall(data[: self.cut - sent])
                        conn.shutdown(socket.SHUT_RDWR)
                        return
                    conn.sendall(data)
                    sent += len(data)
            except OSError:
                return  # closed: the test is over

    def close(self) -> None:
        """Stop accepting, cut every relayed connection, and wait for the threads."""
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); close() alone does not
        self.listener.close()
        self._server.join(5)
        with self._lock:
            self._closed = True
            sockets, relays = list(self._sockets), list(self._relays)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for relay in relays:
            relay.join(5)


def test_a_cut_download_resumes_with_range(server: ContentServer, tmp_path: Path) -> None:
    t = territory_with_product(server)
    package = deck(tmp_path, t.product, noise=3 * 1024 * 1024)
    pid = add(server, package)
    size = package.stat().st_size
    with server.live.db.reading() as s:
        sha = s.get(Presentation, pid).package_sha256  # type: ignore[union-attr]
    proxy = CuttingProxy(server.live.base, cut=1536 * 1024)
    received: list[int] = []
    try:
        with sync_client(server.live.base, t.rep) as client:
            client.base_url = proxy.base  # logged in directly; downloads through the relay
            path = download_package(client, sha, size, tmp_path / "downloads",
                                    progress=received.append)
    finally:
        proxy.close()
    assert path.read_bytes() == package.read_bytes()
    assert len(proxy.requests) == 2
    assert b"range: bytes=" in proxy.requests[1].lower()
    assert sum(received) == size  # each byte fetched once: the second request resumed
    assert client.retries_made == 1


def test_content_sync_waits_for_the_rows_and_skips_drafts(server: ContentServer,
                                                          tmp_path: Path) -> None:
    t = territory_with_product(server)
    pid = add(server, deck(tmp_path, t.product), approve=False)
    db = laptop(tmp_path)
    with sync_client(server.live.base, t.rep) as client:
        report = sync_content(db, client)  # a draft: not even listed
        assert report.listed == 0 and report.downloaded == 0
        sync_once(db, client)
        with db.read() as s:
            assert s.get(LocalPresentation, pid) is None  # reps never receive drafts
            assert s.scalars(select(LocalSlide)).all() == []
        sha = client.request("GET", "/api/v1/content")["items"]
        assert sha == []
        with server.live.db.reading() as s:
            package_sha = s.get(Presentation, pid).package_sha256  # type: ignore[union-attr]
        rep = server.live.login(t.rep, device_id="laptop-2")
        assert rep.get(f"/api/v1/content/packages/{package_sha}").status_code == 404
        server.live.login(server.live.user("admin")).post(
            f"/api/v1/admin/content/{pid}/approve")
        assert server.cli("content", "validity", pid, "2026-01-01", "2026-12-31"
                          ).returncode == 0
        sync_once(db, client)
    with db.read() as s:
        row = s.get(LocalPresentation, pid)
        assert row is not None and row.valid_until == dt.date(2026, 12, 31)
        assert s.scalars(select(LocalProduct.name)).all() == [t.product]
        # The slides, held back with the draft, come with the approval.
        assert len(s.scalars(select(LocalSlide).where(LocalSlide.presentation_id == pid))
                   .all()) == 2
    db.close()


def test_the_server_refuses_what_it_cannot_serve(server: ContentServer,
                                                 tmp_path: Path) -> None:
    t = territory_with_product(server)
    with sync_client(server.live.base, t.rep) as client, pytest.raises(DownloadError):
        download_package(client, "0" * 64, 10, tmp_path / "downloads")


def test_the_content_migration_goes_down_and_up(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from server.db import alembic_config, current_revision, upgrade

    db = Database(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")
    try:
        upgrade(db)
        assert "content_packages" in inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0002")
        assert current_revision(db) == "0002"
        assert "content_packages" not in inspect(db.engine).get_table_names()
        upgrade(db)
        assert "content_packages" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


@pytest.mark.qt_log_ignore("QRhiGles2: Failed to create (temporary )?context",
                            "Failed to create RHI for backend.*", "GPUInfo not initialized.*")
def test_clm_key_messages_are_added_like_the_library_adds_them(server: ContentServer,
                                                                tmp_path: Path,
                                                                qtbot: Any) -> None:
    """A folder of key messages with shared resources: converted by the laptop's converter,
    added, synced to a laptop, presented in the real HTML stage, whose page records clicks
    through the CLM library's createRecord; their descriptions reach the server, and so does
    a survey response with every field the slide gave."""
    t = territory_with_product(server)
    src = tmp_path / "spring"
    src.mkdir()
    key_message_zip(src, "KM2")
    folder = src / "KM1"
    folder.mkdir()
    (folder / "index.html").write_bytes(page("Start"))
    (src / "shared").mkdir()
    (src / "shared" / "brand.css").write_text("h1 { color: #c00 }")

    lone = server.cli("content", "add", str(key_message_zip(tmp_path, "KM9")), "--product",
                      t.product, "--valid-from", "2026-01-01", "--valid-until", "2099-12-31")
    assert lone.returncode == 0, lone.stderr
    assert "KM9.zip: warning: its pages link to 1 file(s) it does not hold: " \
        "shared/brand.css" in lone.stderr

    missing = server.cli("content", "add", str(src))
    assert missing.returncode == 1
    assert "CLM content (no manifest): give --product, --valid-from, --valid-until" \
        in missing.stderr and "Traceback" not in missing.stderr
    today = dt.date.today()
    pid = added_id(server.cli("content", "add", str(src), "--product", t.product,
                              "--valid-from", (today - dt.timedelta(days=1)).isoformat(),
                              "--valid-until", (today + dt.timedelta(days=30)).isoformat(),
                              "--title", "Spring deck", "--order", "KM2,KM1"))
    assert server.cli("content", "approve", pid, "--by", admin_name(server)).returncode == 0
    with server.live.db.reading() as s:
        row = s.get(Presentation, pid)
        assert row is not None and row.title == "Spring deck"
        slides = s.execute(select(Slide.code, Slide.file).where(Slide.presentation_id == pid)
                           .order_by(Slide.position)).all()
        assert [tuple(r) for r in slides] == [("KM2", "KM2/index.html"), ("KM1", "KM1/index.html")]

    db = laptop(tmp_path)
    with sync_client(server.live.base, t.rep) as client:
        sync_once(db, client)
        with db.read() as s:
            local = s.get(LocalPresentation, pid)
            assert local is not None and files_present(content_store(db), local)
            tree = content_store(db).tree(local.tree_sha256)
        assert "shared/brand.css" in tree
        with server.live.db.reading() as s:
            rep_id = s.scalars(select(User.id).where(User.username == t.rep)).one()
        session_id = _present_and_click(qtbot, db, pid, rep_id, ("Dose 10 mg", "Dose 20 mg"))
        sync_once(db, client)
    with server.live.db.reading() as s:
        descriptions = s.scalars(select(ClickstreamEvent.track_element_description)
                                 .where(ClickstreamEvent.session_id == session_id)).all()
        survey = s.execute(select(ClickstreamEvent.answer, ClickstreamEvent.other_fields)
                           .where(ClickstreamEvent.session_id == session_id,
                                  ClickstreamEvent.object_name == "Question_Response_vod__c")
                           ).one()
    assert sorted(d or "" for d in descriptions if d) == ["Dose 10 mg", "Dose 20 mg"]
    assert (survey.answer, json.loads(survey.other_fields)) == ("Yes", {"Score_vod__c": "5"})
    db.close()


def _present_and_click(qtbot: Any, db: LocalDatabase, presentation_id: str, rep_id: str,
                       descriptions: tuple[str, ...]) -> str:
    """Presents the deck as a rep does (the presenter, its HTML stage in WebEngine); the
    key message on screen records a click per description through the CLM library's
    createRecord, and a survey response. The presentation session's id."""
    from app.store.content import ClickstreamEvent as LocalClick
    from app.store.content import PresentationSession as LocalSession
    from app.ui.operations import Operations
    from tests.ui.presenter.html_decks import run_js
    from tests.ui.presenter.test_presentation import finish, start

    ops = Operations(db)
    try:
        presenter = start(qtbot, ops, presentation_id, user_id=rep_id)
        stage = presenter.html
        assert stage is not None, "the first key message is an HTML slide"
        qtbot.waitUntil(lambda: stage.loaded, timeout=20_000)
        qtbot.waitUntil(lambda: run_js(qtbot, presenter, "typeof com.veeva.clm") == "object",
                        timeout=10_000)
        for description in descriptions:
            run_js(qtbot, presenter, "com.veeva.clm.createRecord('Call_Clickstream_vod__c', "
                   "{Track_Element_Id_vod__c: 'btn', Track_Element_Type_vod__c: 'button', "
                   f"Track_Element_Description_vod__c: {json.dumps(description)}}}, "
                   "function () {}); 1")
        run_js(qtbot, presenter, "com.veeva.clm.createRecord('Question_Response_vod__c', "
               "{Question_Text_vod__c: 'Useful?', Response_vod__c: 'Yes', Score_vod__c: 5}, "
               "function () {}); 1")

        def clicks() -> int:
            with db.read() as session:
                return len(session.scalars(select(LocalClick.id)).all())

        qtbot.waitUntil(lambda: clicks() == len(descriptions) + 1, timeout=10_000)
        finish(qtbot, presenter)
        ops.wait()
    finally:
        while ops.pending:
            qtbot.wait(1)
            ops.wait()
        ops.deleteLater()
    with db.read() as session:
        return str(session.scalars(select(LocalSession.id)
                                   .where(LocalSession.presentation_id == presentation_id)).one())
