"""A main window over a small territory, built once per session and copied per test.

The data (a few hundred doctors, a hospital, a history with drafts and plans) is written
once into a template file; each test opens its own copy, so tests stay independent and fast.
Written here rather than by app.demo.territory: the generator fills an empty database
with seeded random names, while these tests name what they look for (Dr. Müller for the
"muel" search, his draft, his hospital), so the data says it in plain sight.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from PySide6.QtCore import QCoreApplication, QEvent

from app.config import Paths, Settings
from app.store.accounts import Account, Address, Affiliation
from app.store.base import AccountKind, utcnow
from app.store.database import Database, open_database
from app.store.interactions import DiscussedProduct, Interaction
from app.store.journal import LocalState
from app.store.reference import Specialty
from app.store.search import refresh_accounts
from app.ui import gui_collector
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from tests.factories import make_world

FIRST = ["Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Lukas", "Emma", "Ben",
         "Hannah", "Elias", "Mia", "Noah", "Clara", "Tobias"]
LAST = ["Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
        "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Zimmermann", "Braun",
        "Krüger", "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler"]
CITIES = [("Berlin", "10115"), ("Hamburg", "20095"), ("Augsburg", "86150"),
          ("Nürnberg", "90402"), ("Frankfurt am Main", "60311"), ("Stuttgart", "70173"),
          ("Düsseldorf", "40213"), ("Leipzig", "04109")]
EXTRA_ACCOUNTS = 300


@dataclass(frozen=True)
class Territory:
    """Ids the tests look for in the template."""

    doctor_id: str  # Dr. med. Jürgen Müller, München: history, draft, plan, a hospital
    hospital_id: str  # Klinikum München Nord
    rep_id: str
    draft_id: str
    planned_id: str


def build_territory(session: Session) -> Territory:
    world = make_world(session)
    session.add(LocalState(key="current_user_id", value=world.rep.id))
    rng = random.Random(7)
    general = Specialty(code="GEN", name_en="General practice", name_de="Allgemeinmedizin")
    session.add(general)
    session.flush()
    specialties = [world.cardio.id, general.id]
    accounts = []
    for i in range(EXTRA_ACCOUNTS):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, postcode = rng.choice(CITIES)
        account = Account(kind=AccountKind.HCP.value, title="Dr. med.", first_name=first,
                          last_name=last, name=f"Dr. med. {first} {last}",
                          specialty_id=specialties[i % 2], territory_id=world.territory.id,
                          segment="ABC"[i % 3])
        session.add(account)
        session.add(Address(account=account, line1=f"Lindenstraße {i + 1}",
                            postcode=postcode, city=city, is_primary=True))
        accounts.append(account)
    hospital = Account(kind=AccountKind.HCO.value, name="Klinikum München Nord",
                       territory_id=world.territory.id, segment="A")
    session.add(hospital)
    session.add(Address(account=hospital, line1="Klinikstraße 1", postcode="80804",
                        city="München", is_primary=True))
    session.flush()
    session.add(Affiliation(hcp_id=world.doctor.id, hco_id=hospital.id, role="Oberarzt",
                            is_primary=True))
    refresh_accounts(session.connection(), [a.id for a in accounts] + [hospital.id])

    now = utcnow()
    for days, subject in ((90, "First visit"), (30, "Follow-up on HFrEF data"),
                          (7, "Samples and study update")):
        call = Interaction(account_id=world.doctor.id, owner_id=world.rep.id,
                           channel="in_person", status="submitted",
                           start_at=now - dt.timedelta(days=days), subject=subject,
                           notes=f"Talked about {subject.lower()}.", submitted_at=now)
        session.add(call)
        session.add(DiscussedProduct(interaction=call, product_id=world.promoted.id,
                                     position=1))
    world.doctor.last_contact_at = now - dt.timedelta(days=7)
    draft = Interaction(account_id=world.doctor.id, owner_id=world.rep.id, channel="phone",
                        status="draft", start_at=now - dt.timedelta(days=1),
                        subject="Call about the congress")
    planned = Interaction(account_id=world.doctor_no_email.id, owner_id=world.rep.id,
                          channel="in_person", status="planned",
                          start_at=now - dt.timedelta(minutes=5), subject="Introduce Cardiozan")
    session.add_all([draft, planned])
    session.flush()
    return Territory(world.doctor.id, hospital.id, world.rep.id, draft.id, planned.id)


@pytest.fixture(scope="session", autouse=True)
def collect_on_the_gui_thread(qapp: object) -> None:
    """As the app does (app/ui/gui_collector.py): a widget an earlier test left in a cycle
    must never be collected, and destroyed, on a worker of a later test's window."""
    gui_collector.install()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Territory]:
    path = tmp_path_factory.mktemp("template") / "fieldrep.sqlite"
    database = open_database(path)
    try:
        with database.write() as session:
            session.info["from_server"] = True  # arrived by sync: nothing waits to be sent
            territory = build_territory(session)
    finally:
        database.close()
    return path, territory


@pytest.fixture
def territory(template: tuple[Path, Territory]) -> Territory:
    return template[1]


@pytest.fixture
def ui_db(tmp_path: Path, template: tuple[Path, Territory]) -> Iterator[Database]:
    shutil.copy(template[0], tmp_path / "fieldrep.sqlite")
    database = open_database(tmp_path / "fieldrep.sqlite")
    yield database
    database.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path)


@pytest.fixture
def window(qtbot, ui_db: Database, settings: Settings, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window, shown, with Today and the status bar loaded."""
    main = create_main_window(ui_db, settings, Paths(tmp_path))
    main.resize(1280, 760)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.user is not None)
    qtbot.waitUntil(lambda: main.ops.pending == 0, timeout=30_000)  # Today's suggestions
    yield main
    main.close()  # saves open reports and waits for every operation (closeEvent)
    main.ops.wait()
    main.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_for_account(qtbot, main: MainWindow, account_id: str) -> None:
    with qtbot.waitSignal(main.account.history_shown):
        main.open_account(account_id)


@pytest.fixture(params=["en", "de"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:
    """The test runs once in English and once in German (translator and locale)."""
    from PySide6.QtCore import QLocale

    from app.ui.translation import install

    before = QLocale()
    translators = install(qapp, request.param) if request.param == "de" else []
    yield request.param
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(before)
