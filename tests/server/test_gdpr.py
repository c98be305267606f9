"""GDPR export and erasure of one doctor on the server (docs/gdpr.md), against a real server
process on SQLite and PostgreSQL: the admin API and the CLI, what an export holds, what an
erasure removes and keeps, bad requests, and a push that would bring an erased doctor back."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.ids import uuid7
from server.db import next_versions
from server.gdpr_rows import MENTIONS, OWN, REFERENCES, REMOVED_TABLES
from server.models import (
    Account,
    Address,
    Attendee,
    AuditEntry,
    Base,
    ChannelConsent,
    ClickstreamEvent,
    ConflictEntry,
    DiscussedProduct,
    Erasure,
    ExternalId,
    IdempotencyRecord,
    Interaction,
    MedicalAnswer,
    MedicalInquiry,
    Presentation,
    PresentationSession,
    Product,
    Sample,
    Slide,
    SlideView,
    Suggestion,
    Task,
    User,
)
from tests.server.conftest import ROOT, Client, Live
from tests.server.test_sync_push import mutation, push

ANSWER = "Dosis bei eGFR unter 30 halbieren."
SIGNATURE = json.dumps([[[0, 0], [5, 5]]])


@dataclass
class Doctor:
    id: str
    name: str
    email: str
    territory: str
    call: str
    clinic_call: str
    inquiry: str
    consent: str
    audit: str


def rich_doctor(live: Live, territory: str | None = None) -> Doctor:
    """A doctor with a row in every table an export shows and an erasure removes."""
    territory = territory or live.territory()
    rep = live.user("rep", (territory,))
    tag = uuid7()[-8:]
    name, email = f"Dr. Greta Wunderlich-{tag}", f"greta.{tag}@praxis.example"
    doctor_id = live.account(territory, name=name)
    clinic_id = live.account(territory, kind="hco", name=f"Klinik {tag}")
    now = dt.datetime(2026, 11, 20, 9, 30)
    with live.db.writing() as s:
        v = next_versions(s)
        rep_id = s.scalar(select(User.id).where(User.username == rep))
        doctor = s.get(Account, doctor_id)
        assert doctor is not None
        doctor.first_name, doctor.last_name, doctor.email = "Greta", f"Wunderlich-{tag}", email
        product = Product(name=f"Cardiozan {tag}", therapeutic_area="Cardiology", version=v)
        s.add(product)
        s.flush()
        presentation = Presentation(code=f"P{tag}", content_version="1", title="Deck",
                                    product_id=product.id, approval_state="approved",
                                    package_sha256="0" * 64, tree_sha256="0" * 64, version=v)
        s.add(presentation)
        s.flush()
        slide = Slide(presentation_id=presentation.id, position=1, code="S1", title="Herz",
                      key_message="km", topic="t", kind="pdf", file="a.pdf",
                      asset_sha256="0" * 64, thumbnail_sha256="0" * 64, version=v)
        call = Interaction(account_id=doctor_id, owner_id=rep_id, channel="in_person",
                           status="submitted", start_at=now, subject="Besuch",
                           notes=f"{name} mag Studien", signature=SIGNATURE,
                           signer_name=name, signed_at=now, submitted_at=now, version=v)
        clinic_call = Interaction(account_id=clinic_id, owner_id=rep_id, channel="event",
                                  status="submitted", start_at=now, subject="Round table",
                                  submitted_at=now, version=v)
        consent = ChannelConsent(account_id=doctor_id, channel="email", consent="withdrawn",
                                 consent_date=dt.date(2026, 11, 1), source="Brief",
                                 version=v)
        s.add_all([slide, call, clinic_call, consent,
                   Address(account_id=doctor_id, line1="Wunderweg 1", city="Hamburg",
                           version=v),
                   ExternalId(account_id=doctor_id, system="LANR", value=tag, version=v)])
        s.flush()
        session = PresentationSession(presentation_id=presentation.id, account_id=doctor_id,
                                      interaction_id=call.id, user_id=rep_id, started_at=now,
                                      version=v)
        inquiry = MedicalInquiry(account_id=doctor_id, product_id=product.id, call_id=call.id,
                                 raised_by=rep_id, raised_at=now, question="Niere?",
                                 urgency="standard", answer_channel="phone",
                                 status="answered", version=v)
        s.add_all([session, inquiry,
                   Sample(interaction_id=call.id, account_id=doctor_id, product_id=product.id,
                          lot="L-1", quantity=2, version=v),
                   DiscussedProduct(interaction_id=call.id, product_id=product.id,
                                    position=1, version=v),
                   Attendee(interaction_id=clinic_call.id, account_id=doctor_id, name=name,
                            version=v),
                   Task(account_id=doctor_id, owner_id=rep_id, subject=f"{name} anrufen",
                        version=v),
                   Suggestion(account_id=doctor_id, owner_role="rep", action="visit",
                              channel="in_person", due_date=now.date(),
                              expires_on=now.date(), priority=1.0, version=v)])
        s.flush()
        audit = AuditEntry(at=now, user_id=rep_id, action="consent.withdrawn",
                           entity="channel_consents", row_id=consent.id,
                           details=json.dumps({"note": f"{name} per Brief"}), version=v)
        s.add_all([
            audit,
            SlideView(session_id=session.id, slide_id=slide.id, started_at=now,
                      reaction="positive", version=v),
            ClickstreamEvent(session_id=session.id, slide_id=slide.id, at=now,
                             question="Interesse?", answer="ja", version=v),
            MedicalAnswer(inquiry_id=inquiry.id, author_id=rep_id, answered_at=now,
                          channel="phone", answer=ANSWER, version=v),
            ConflictEntry(user_id=rep_id, device_id="laptop-1", mutation_id=uuid7(),
                          entity="accounts", row_id=doctor_id, field="email",
                          mine=json.dumps(email), theirs=json.dumps("alt@x.example"),
                          kept="theirs", version=v),
            IdempotencyRecord(mutation_id=uuid7(), user_id=rep_id, device_id="laptop-1",
                              status="applied", response=json.dumps(
                                  {"status": "applied", "row": {"id": doctor_id,
                                                                "name": name}})),
        ])
        s.flush()
        return Doctor(doctor_id, name, email, territory, call.id, clinic_call.id, inquiry.id,
                      consent.id, audit.id)


def test_every_reference_to_a_removed_row_is_handled() -> None:
    """A new table or column pointing at a doctor's row must be added to the erasure."""
    missing = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target in REMOVED_TABLES and (table.name, fk.parent.name) not in REFERENCES:
                missing.append(f"{table.name}.{fk.parent.name} -> {target}")
    assert missing == []
    handled = {t for (t, _c), how in REFERENCES.items() if how == "own"} - {"accounts"}
    assert handled <= set(OWN) and set(MENTIONS) <= set(OWN)


def export(admin: Client, doctor: str, **params: Any) -> Any:
    r = admin.get(f"/api/v1/admin/gdpr/accounts/{doctor}/export", params=params)
    assert r.status_code == 200, r.text
    return r


def test_an_export_holds_everything_but_medical_answers_unless_asked(
        live: Live, admin: Client, qapp: Any) -> None:
    doc = rich_doctor(live)
    data = export(admin, doc.id).json()
    assert data["subject"]["name"] == doc.name and data["subject"]["email"] == doc.email
    assert [a["line1"] for a in data["addresses"]] == ["Wunderweg 1"]
    assert sorted(e["system"] for e in data["external_ids"]) == ["LANR", "TEST"]
    [consent] = data["consents"]
    assert consent["consent"] == "withdrawn"
    assert [h["action"] for h in consent["history"]] == ["consent.withdrawn"]
    [call] = data["calls"]
    assert call["id"] == doc.call and call["samples"][0]["lot"] == "L-1"
    assert call["products"][0]["product"].startswith("Cardiozan")
    [shown] = data["presentations"]
    assert shown["slide_views"][0]["reaction"] == "positive"
    assert shown["slide_views"][0]["slide"] == "Herz"
    assert shown["clickstream"][0]["answer"] == "ja"
    assert [a["interaction_id"] for a in data["attended_calls"]] == [doc.clinic_call]
    assert len(data["tasks"]) == 1 and len(data["suggestions"]) == 1
    [inquiry] = data["inquiries"]
    assert inquiry["question"] == "Niere?" and "answers" not in inquiry
    assert data["medical_answers_included"] is False
    assert ANSWER not in json.dumps(data)

    medical = export(admin, doc.id, medical="true").json()
    assert medical["inquiries"][0]["answers"][0]["answer"] == ANSWER

    pdf = export(admin, doc.id, format="pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    for expected in (doc.name, doc.email, "Wunderweg 1", "L-1", "Niere?"):
        assert expected in text
    assert ANSWER not in text


def pdf_text(data: bytes) -> str:
    """The text of every page, read back with Qt's PDF reader (the test may use Qt; the
    caller takes pytest-qt's `qapp`, so later GUI tests find a QApplication)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    assert doc.status() == QPdfDocument.Status.Ready, doc.error()
    return "\n".join(doc.getAllText(page).text() for page in range(doc.pageCount()))


def test_only_admins_may_export_or_erase_and_bad_requests_change_nothing(
        live: Live, admin: Client) -> None:
    doc = rich_doctor(live)
    rep = live.login(live.user("rep", (doc.territory,)))
    base = f"/api/v1/admin/gdpr/accounts/{doc.id}"
    assert rep.get(base + "/export").status_code == 403
    assert rep.post(base + "/erase", json={"confirm": doc.id}).status_code == 403
    unknown = admin.get(f"/api/v1/admin/gdpr/accounts/{uuid7()}/export")
    assert unknown.status_code == 404 and "no account" in unknown.json()["error"]
    clinic = live.account(doc.territory, kind="hco", name="Klinik")
    refused = admin.post(f"/api/v1/admin/gdpr/accounts/{clinic}/erase",
                         json={"confirm": clinic})
    assert refused.status_code == 422 and "institution" in refused.json()["error"]
    # A confirmation that differs from the id in its last digit (a random id may end in 0).
    mistyped = doc.id[:-1] + ("1" if doc.id.endswith("0") else "0")
    typo = admin.post(base + "/erase", json={"confirm": mistyped})
    assert typo.status_code == 409 and "nothing erased" in typo.json()["error"]
    assert admin.post(base + "/erase", json={}).status_code == 422
    assert admin.get(base + "/export", params={"format": "doc"}).status_code == 422
    with live.db.reading() as s:
        assert s.get(Account, doc.id).name == doc.name  # type: ignore[union-attr]
        assert s.get(Erasure, doc.id) is None


def test_an_erasure_removes_the_rows_and_side_copies_and_keeps_the_evidence(
        live: Live, admin: Client) -> None:
    doc = rich_doctor(live)
    r = admin.post(f"/api/v1/admin/gdpr/accounts/{doc.id}/erase", json={"confirm": doc.id})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["already_erased"] is False
    assert report["removed"]["interactions"] == 1 and report["removed"]["medical_answers"] == 1
    assert report["retained"] == {"samples": 1, "recipient_ids": 1, "withdrawn_consents": 1}

    with live.db.reading() as s:
        account = s.get(Account, doc.id)
        assert account is not None and account.deleted and account.name == ""
        assert (account.first_name, account.last_name, account.email) == (None, None, None)
        for model, column in ((Interaction, Interaction.account_id),
                              (ChannelConsent, ChannelConsent.account_id),
                              (Address, Address.account_id), (Task, Task.account_id),
                              (Suggestion, Suggestion.account_id),
                              (MedicalInquiry, MedicalInquiry.account_id),
                              (PresentationSession, PresentationSession.account_id),
                              (Sample, Sample.account_id), (ExternalId, ExternalId.account_id)):
            assert s.scalar(select(func.count()).select_from(model).where(
                column == doc.id)) == 0, model.__tablename__
        assert s.scalar(select(func.count()).select_from(MedicalAnswer).where(
            MedicalAnswer.inquiry_id == doc.inquiry)) == 0
        attendee = s.scalars(select(Attendee).where(
            Attendee.interaction_id == doc.clinic_call)).one()
        assert (attendee.name, attendee.account_id, attendee.deleted) == ("", None, True)
        assert s.get(Interaction, doc.clinic_call) is not None, "the clinic's call stays"
        assert s.scalar(select(func.count()).select_from(ConflictEntry).where(
            ConflictEntry.row_id == doc.id)) == 0
        copies = s.scalars(select(IdempotencyRecord.response)).all()
        assert not [c for c in copies if doc.id in c or doc.name in c]
        entry = s.get(AuditEntry, doc.audit)
        assert entry is not None and entry.action == "consent.withdrawn", "the entry stays"
        assert entry.row_id != doc.consent and entry.details is None
        evidence = s.get(Erasure, doc.id)
        assert evidence is not None and evidence.erased_by.startswith("user:")
        kept = json.loads(evidence.retained)
        assert doc.name not in evidence.retained and doc.email not in evidence.retained
    assert kept["samples"][0]["signature"] == SIGNATURE
    assert kept["samples"][0]["lot"] == "L-1"
    assert kept["withdrawn_consents"][0]["channel"] == "email"

    again = admin.post(f"/api/v1/admin/gdpr/accounts/{doc.id}/erase",
                       json={"confirm": doc.id}).json()
    assert again["already_erased"] is True and again["removed"] == {}
    after = export(admin, doc.id).json()
    assert after["calls"] == [] and after["subject"]["name"] == ""
    assert after["erasure"]["retained"]["samples"][0]["lot"] == "L-1"


def test_a_push_cannot_bring_an_erased_doctor_back(live: Live, admin: Client) -> None:
    doc = rich_doctor(live)
    rep = live.login(live.user("rep", (doc.territory,)))
    rep_id = rep.get("/api/v1/me").json()["id"]
    assert admin.post(f"/api/v1/admin/gdpr/accounts/{doc.id}/erase",
                      json={"confirm": doc.id}).status_code == 200
    results = push(
        rep,
        mutation("accounts", doc.id, {"email": doc.email, "name": doc.name}, base=1),
        mutation("interactions", uuid7(), {
            "account_id": doc.id, "owner_id": rep_id, "channel": "in_person",
            "status": "draft", "start_at": "2026-11-21T09:00:00", "notes": doc.name}),
        mutation("channel_consents", uuid7(), {"account_id": doc.id, "channel": "phone",
                                               "consent": "granted"}))
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert all("erased" in r["reason"] for r in results)
    with live.db.reading() as s:
        assert s.get(Account, doc.id).name == ""  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(Interaction).where(
            Interaction.account_id == doc.id)) == 0


def cli(live: Live, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    dsn = live.db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "FIELDREP_SERVER_DSN": dsn,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "server.cli", "--data-dir", str(tmp_path),
                           "gdpr", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.slow  # five runs of the CLI, a process each
def test_the_cli_exports_json_and_pdf_and_refuses_bad_ids(live: Live, tmp_path: Path,
                                                           qapp: Any) -> None:
    doc = rich_doctor(live)
    out, pdf = tmp_path / "out.json", tmp_path / "out.pdf"
    done = cli(live, tmp_path, "export", doc.id, "--json", str(out), "--pdf", str(pdf))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["subject"]["name"] == doc.name and "answers" not in data["inquiries"][0]
    assert doc.name in pdf_text(pdf.read_bytes())
    medical = cli(live, tmp_path, "export", doc.id, "--json", str(out), "--medical")
    assert medical.returncode == 0, medical.stderr
    assert json.loads(out.read_text())["inquiries"][0]["answers"][0]["answer"] == ANSWER

    unknown = cli(live, tmp_path, "erase", "no-such-id", "--yes")
    assert unknown.returncode == 2 and "no account with the id 'no-such-id'" in unknown.stderr
    unwritable = cli(live, tmp_path, "export", doc.id, "--json", str(tmp_path / "no" / "x"))
    assert unwritable.returncode == 2 and "cannot write" in unwritable.stderr
    with live.db.reading() as s:
        assert s.get(Account, doc.id).name == doc.name  # type: ignore[union-attr]
