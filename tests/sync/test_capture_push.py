"""A presentation's capture reaches the real server whole, and a local preview's stays home.

Against the real server process (SQLite and PostgreSQL). The first test is the refusal seen
in the field: "ended presentation sessions are locked" on the session's own final slide-view
update. Cause: ending a presentation writes the last slide's final duration and the
session's end in one flush, and the outbox wrote parents first, so the end went ahead of the
final update; when a push batch was cut between them (a batch holds one mutation per row),
the update arrived in a later push than the lock and was refused, and the laptop took the
server's shorter duration. That happens whenever a sync ran during the presentation (the
session's start already sent) while the last slide's start still waits: the batch is then
[last slide shown, session ended] and the final update comes alone after it. The outbox now
writes changes of existing rows children first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.edetail.capture import Recorder
from app.edetail.package import import_package
from app.ids import uuid7
from app.store.database import Database, open_database
from app.sync.client import RetryPolicy, SyncClient
from app.sync.run import sync_once
from server.db import next_versions
from server.models import ContentPackage, Presentation, Product, Slide, Territory, TerritoryProduct
from server.models import SlideView as ServerSlideView
from tests.edetail.conftest import files, manifest, write_zip
from tests.server.conftest import PASSWORD, Live


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 6, 1, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def laptop(live: Live, tmp_path: Path, qapp: Any) -> Iterator[tuple[Database, SyncClient, str,
                                                                   dict[str, str]]]:
    """A rep's laptop synced with a territory whose product has an approved deck of three
    slides on the server; (db, client, the rep's user id, slide ids by code + "deck")."""
    code = live.territory()
    username = live.user("rep", (code,))
    deck: dict[str, str] = {}
    with live.db.writing() as s:
        version = next_versions(s)
        product = Product(id=uuid7(), name=f"Cardiovel-{uuid7()[-8:]}",
                          therapeutic_area="Kardiologie", version=version)
        s.add(product)
        s.flush()
        territory = s.scalars(select(Territory.id).where(Territory.code == code)).one()
        s.add(TerritoryProduct(territory_id=territory, product_id=product.id, version=version))
        deck["deck"] = uuid7()
        sha = deck["deck"].replace("-", "").ljust(64, "0")  # a package of its own
        s.add(Presentation(id=deck["deck"], code="hf", content_version="1", title="HF",
                           product_id=product.id, approval_state="approved",
                           package_sha256=sha, tree_sha256="0" * 64, version=version))
        # Named, but its file is not here: the laptop's content step fails apart from the data
        # (as it does for any package it cannot fetch); presenting needs only the rows.
        s.add(ContentPackage(sha256=sha, size=1, filename="hf.zip"))
        s.flush()
        for n in (1, 2, 3):
            deck[f"s{n}"] = uuid7()
            s.add(Slide(id=deck[f"s{n}"], presentation_id=deck["deck"], position=n,
                        code=f"s{n}", title=f"Slide {n}", key_message="CV", topic="efficacy",
                        kind="image", file=f"s{n}.png", asset_sha256="1" * 64,
                        thumbnail_sha256="2" * 64, version=version))
    db = open_database(tmp_path / "laptop.sqlite")
    client = SyncClient(live.base, device_id=f"laptop-{uuid7()[-6:]}",
                        retry=RetryPolicy(attempts=3), sleep=lambda _s: None)
    reply = client.login(username, PASSWORD)
    client.token = reply["token"]
    sync_once(db, client)
    yield db, client, str(reply["user_id"]), deck
    client.close()
    db.close()


def test_a_presentations_final_updates_are_never_refused(laptop: Any, live: Live) -> None:
    db, client, user_id, deck = laptop
    clock = Clock()
    rec = Recorder(db, deck["deck"], user_id=user_id, clock=clock)
    rec.show(deck["s1"])
    clock.tick(4)
    rec.click(track_element_id="btn-dose")
    clock.tick(3)
    rec.show(deck["s2"])
    clock.tick(5)
    rec.react("positive")
    clock.tick(2)
    # The sync ten seconds after a change runs mid-presentation: the session's start is on
    # the server, so nothing of it waits in the outbox any more.
    assert sync_once(db, client).push.rejected == 0
    rec.show(deck["s3"])
    clock.tick(6)
    rec.end()

    report = sync_once(db, client, batch_size=500)
    assert report.push.rejected == 0
    with db.read() as session:
        local = dict(session.execute(text(
            "SELECT slide_id, duration_ms FROM slide_views WHERE session_id = :s"),
            {"s": rec.session_id}).all())
        assert session.execute(text("SELECT count(*) FROM sync_refusals")).scalar() == 0
    with live.db.reading() as s:
        server = dict(s.execute(select(ServerSlideView.slide_id, ServerSlideView.duration_ms)
                                .where(ServerSlideView.session_id == rec.session_id)).all())
    assert local == server == {deck["s1"]: 7000, deck["s2"]: 7000, deck["s3"]: 6000}


def test_a_survey_answer_changed_after_a_sync_reaches_the_server(laptop: Any,
                                                                 live: Live) -> None:
    """CLM content changes a click-stream record it made (updateRecord): when a sync ran
    between, the change arrives as an update of a row the server holds, and the server
    takes it as the laptop did, while the presentation runs; once it ended, it is locked."""
    from app.edetail.capture import update_click
    from server.models import ClickstreamEvent as ServerClick

    db, client, user_id, deck = laptop
    rec = Recorder(db, deck["deck"], user_id=user_id, clock=Clock())
    rec.show(deck["s1"])
    record = rec.click(question="Which dose?", answer="10 mg")
    assert sync_once(db, client).push.rejected == 0  # the record is on the server
    update_click(db, rec.session_id, record, answer="20 mg")
    rec.end()
    report = sync_once(db, client)
    assert report.push.rejected == 0
    with live.db.reading() as s:
        row = s.get(ServerClick, record)
        assert row is not None and (row.question, row.answer) == ("Which dose?", "20 mg")


def test_a_local_preview_deck_sends_nothing_of_what_it_captured(
        laptop: Any, tmp_path: Path) -> None:
    """Content imported on the laptop was never approved centrally: a local preview. What
    presenting it captured stays on the laptop, so the server has nothing to refuse."""
    db, client, user_id, _deck = laptop
    members = files()
    data = manifest(product=_product_name(db))
    data["slides"] = [s for s in data["slides"] if not s["file"].endswith(".html")]
    members["manifest.json"] = json.dumps(data).encode()
    local = import_package(db, write_zip(tmp_path / "local.zip", members)).presentation_id
    with db.read() as session:
        slides = [r[0] for r in session.execute(text(
            "SELECT id FROM slides WHERE presentation_id = :p ORDER BY position"),
            {"p": local})]
    rec = Recorder(db, local, user_id=user_id, clock=Clock())
    rec.show(slides[0])
    rec.click(track_element_id="x")
    rec.show(slides[1])
    rec.end()
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
        assert session.execute(text(
            "SELECT count(*) FROM slide_views WHERE session_id = :s"),
            {"s": rec.session_id}).scalar() == 2  # kept here
    report = sync_once(db, client)
    assert (report.push.sent, report.push.rejected) == (0, 0)


def _product_name(db: Database) -> str:
    with db.read() as session:
        return str(session.execute(text("SELECT name FROM products LIMIT 1")).scalar_one())
