"""E-mail templates through the server's CLI: added as drafts, approved only by an admin and
audited, refused with words when a placeholder is unknown or a state cannot follow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.ids import uuid7
from server.cli import main
from server.db import Database, next_versions
from server.directory import add_user
from server.models import AuditEntry, EmailTemplate, Product
from tests.server.conftest import PASSWORD, Live, initialise
from tests.server.test_sync_push import SYNC


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("FIELDREP_SERVER_DSN", raising=False)
    initialise(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    db = Database(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with db.writing() as s:
        add_user(s, "root", PASSWORD, "admin", "Admin")
        add_user(s, "joerg", PASSWORD, "rep", "Jörg")
        s.add(Product(id=uuid7(), name="Cardiozan", therapeutic_area="Kardiologie",
                      version=next_versions(s)))
    db.dispose()
    (tmp_path / "body.txt").write_text("{salutation}\n\nNews: https://example.com/a\n\n"
                                       "{paragraph}\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("Hello {nickname}\n", encoding="utf-8")
    return tmp_path


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def test_a_template_is_added_as_draft_and_approved_by_an_admin_with_an_audit_entry(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data_dir, "email-template", "add", "renal", "--product", "Cardiozan",
               "--topic", "study", "--subject", "News", "--body", str(data_dir / "body.txt"),
               "--variant", f"evidence_driven={data_dir / 'body.txt'}",
               "--valid-until", "2030-12-31") == 0
    assert json.loads(capsys.readouterr().out)["approval_state"] == "draft"
    assert run(data_dir, "email-template", "approve", "renal", "--by", "joerg") == 2
    assert "only admins approve" in capsys.readouterr().err
    assert run(data_dir, "email-template", "approve", "renal", "--by", "root") == 0
    capsys.readouterr()
    assert run(data_dir, "email-template", "list") == 0
    listed = json.loads(capsys.readouterr().out)
    assert (listed["code"], listed["approval_state"], listed["variants"]) == (
        "renal", "approved", ["evidence_driven"])
    db = Database(f"sqlite:///{data_dir / 'server.sqlite3'}")
    try:
        with db.reading() as s:
            row = s.scalar(select(EmailTemplate))
            audit = s.scalar(select(AuditEntry).where(AuditEntry.entity == "email_templates"))
            assert row is not None and audit is not None
            assert (audit.action, audit.row_id) == ("email_template.approved", row.id)
            assert json.loads(audit.details or "")["from"] == "draft"
    finally:
        db.dispose()
    assert run(data_dir, "email-template", "withdraw", "renal", "--by", "root") == 0
    assert run(data_dir, "email-template", "approve", "renal", "--by", "root") == 2
    assert "withdrawn: it cannot become approved" in capsys.readouterr().err


def test_unknown_placeholders_and_products_are_refused(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data_dir, "email-template", "add", "bad", "--product", "Cardiozan",
               "--topic", "study", "--subject", "News", "--body", str(data_dir / "bad.txt")) == 2
    assert "unknown placeholder(s) {nickname}" in capsys.readouterr().err
    assert run(data_dir, "email-template", "add", "x", "--product", "Nope", "--topic", "s",
               "--subject", "News", "--body", str(data_dir / "body.txt")) == 2
    assert "unknown product 'Nope'" in capsys.readouterr().err


def test_a_push_of_mutations_that_are_no_objects_is_refused_not_a_server_error(
        live: Live) -> None:
    """The push looks for e-mails to queue among the mutations: one that is no object (a
    fuzzer's `[[null, null]]`) must get the push's own refusal, never a 5xx."""
    client = live.login(live.user("rep", (live.territory(),)))
    answer = client.post("/api/v1/sync/push", json={"mutations": [[None, None]]},
                         headers=SYNC)
    assert answer.status_code < 500, answer.text
