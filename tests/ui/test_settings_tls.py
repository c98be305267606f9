"""The settings dialog and TLS: no clear-text LAN address is suggested or accepted, and the
company certificate authority file is chosen, checked and saved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.config import Paths, Settings
from app.ui.settings_dialog import SettingsDialog

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> SettingsDialog:  # type: ignore[no-untyped-def]
    made = SettingsDialog(Settings(tmp_path), Paths(tmp_path))
    qtbot.addWidget(made)
    return made


def test_the_hint_suggests_no_clear_text_address(dialog: SettingsDialog) -> None:
    dialog.server.setText("nonsense")
    dialog.save()
    hint = dialog.server_error.text()
    assert "https://crm.example.com" in hint and "http://" not in hint


def test_http_to_a_lan_address_is_refused_with_the_reason(dialog: SettingsDialog,
                                                          tmp_path: Path) -> None:
    dialog.server.setText("http://10.0.0.5:8080")
    dialog.save()
    assert dialog.server_error.isVisibleTo(dialog)
    assert "unencrypted" in dialog.server_error.text()
    assert Settings(tmp_path).get("server_url") == ""  # nothing saved


def test_loopback_http_stays_allowed_for_the_demo(dialog: SettingsDialog,
                                                  tmp_path: Path) -> None:
    dialog.server.setText("http://127.0.0.1:8765")
    dialog.save()
    assert Settings(tmp_path).get("server_url") == "http://127.0.0.1:8765"


def test_the_company_ca_file_is_checked_and_saved(dialog: SettingsDialog,
                                                  tmp_path: Path) -> None:
    dialog.server.setText("https://crm.example.com")
    dialog.ca_bundle.setText(str(tmp_path / "missing.pem"))
    dialog.save()
    assert dialog.ca_bundle_error.isVisibleTo(dialog)
    assert "missing.pem" in dialog.ca_bundle_error.text()
    assert Settings(tmp_path).get("server_url") == ""

    bundle = tmp_path / "company-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    dialog.ca_bundle.setText(str(bundle))
    dialog.save()
    stored = Settings(tmp_path)
    assert stored.get("ca_bundle") == str(bundle)
    assert stored.get("server_url") == "https://crm.example.com"
