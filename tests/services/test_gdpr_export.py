"""A rep's laptop exports what it holds about one doctor (docs/gdpr.md): the service and
`fieldrep export-doctor ID FILE`, on a real store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.__main__ import main
from app.services import accounts, calls, gdpr
from app.services.calls import CallForm, SampleLine
from app.services.errors import NotFoundError, ServiceError
from app.store.accounts import Account
from app.store.database import Database
from tests.factories import World

SIGNATURE = json.dumps([[[0, 0], [4, 4]]])


def doctor_with_history(db: Database, world: World) -> str:
    """Dr. Müller with a consent change, a submitted call with a sample, and an unsent edit."""
    with db.write() as session:
        accounts.set_consent(session, world.rep.id, world.doctor.id, "phone", "withdrawn")
        call_id = calls.save_draft(session, world.rep.id, CallForm(
            account_id=world.doctor.id, start_at=dt.datetime(2026, 11, 3, 10),
            subject="Besuch", notes="Fragt nach Studien", products=[world.promoted.id],
            samples=[SampleLine(world.promoted.id, "LOT-9", 1)], signature=SIGNATURE,
            signer_name="Jürgen Müller"))
        calls.submit_call(session, world.rep.id, call_id)
        accounts.update_contact(session, world.rep.id, world.doctor.id,
                                email="j.mueller@praxis.example", phone=None, notes="Mag Tee")
    return call_id


def test_the_export_holds_the_doctors_rows_and_what_only_the_laptop_knows(
        db: Database, world: World) -> None:
    call_id = doctor_with_history(db, world)
    with db.read() as session:
        data = gdpr.export_doctor(session, world.doctor.id)
    assert data["subject"]["name"] == "Dr. med. Jürgen Müller"
    assert data["subject"]["email"] == "j.mueller@praxis.example"
    assert "search_text" not in data["subject"]
    assert [a["city"] for a in data["addresses"]] == ["München"]
    assert [e["value"] for e in data["external_ids"]] == ["123456701"]
    assert sorted((c["channel"], c["consent"]) for c in data["consents"]) == [
        ("email", "granted"), ("phone", "withdrawn")]
    assert [c["id"] for c in data["calls"]] == [call_id]
    assert [(s["lot"], s["quantity"]) for s in data["samples"]] == [("LOT-9", 1)]
    assert {a["action"] for a in data["audit"]} >= {"consent.withdrawn", "call.submitted",
                                                    "account.contact"}
    unsent = {(m["entity"], m["row_id"]) for m in data["unsent_changes"]}
    assert ("accounts", world.doctor.id) in unsent and ("interactions", call_id) in unsent
    # Nothing of another doctor.
    assert world.doctor_no_email.name not in json.dumps(data, ensure_ascii=False)


def test_bad_ids_are_refused_in_plain_words(db: Database, world: World) -> None:
    with db.read() as session, pytest.raises(NotFoundError, match="no account with the id nope"):
        gdpr.export_doctor(session, "nope")
    with db.write() as session:
        session.info["from_server"] = True
        clinic = Account(kind="hco", name="Klinikum Nord", territory_id=world.territory.id)
        session.add(clinic)
        session.flush()
        clinic_id = clinic.id
    with db.read() as session, pytest.raises(ServiceError, match="is an institution"):
        gdpr.export_doctor(session, clinic_id)


def test_the_command_writes_the_file_and_says_why_when_it_cannot(
        db: Database, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doctor_with_history(db, world)
    db.close()
    data_dir = db.path.parent
    out = tmp_path / "mueller.json"
    assert main(["--data-dir", str(data_dir), "export-doctor", world.doctor.id, str(out)]) == 0
    assert "row(s) about the doctor" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["subject"]["id"] == world.doctor.id

    missing = tmp_path / "no-such-folder" / "x.json"
    assert main(["--data-dir", str(data_dir), "export-doctor", world.doctor.id,
                 str(missing)]) == 1
    assert "could not be written" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "export-doctor", "nope", str(out)]) == 1
    assert "no account with the id nope" in capsys.readouterr().err
