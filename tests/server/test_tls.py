"""TLS end to end: `fieldrep-server serve --certfile --keyfile` with a certificate authority
made here, and a laptop that syncs over https only when it can verify the certificate.

The laptop's side (app/sync/transport.py): https with the company CA configured in the
settings syncs; an unknown CA is refused with a plain sentence and nothing sent; http:// to
anything but this computer is refused before a connection is made; loopback http (the demo)
still works.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import select

from app.config import Settings
from app.services import login
from app.store.accounts import Account
from app.store.database import Database, open_database
from app.sync.auth import client_for
from app.sync.client import RetryPolicy, SyncClient
from app.sync.run import sync_once
from app.sync.transport import InsecureServerError, UntrustedServerError, is_loopback, refusal
from server.db import Database as ServerDatabase
from server.db import next_versions, upgrade
from server.directory import add_territory, add_user, assign_territory
from server.models import Account as ServerAccount
from tests.server.conftest import PASSWORD, ROOT, free_port, stop_server


@dataclass
class Pki:
    ca: Path
    cert: Path
    key: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_pki(folder: Path, ca_name: str = "Fieldrep Test CA") -> Pki:
    """A CA and a server certificate for 127.0.0.1 and localhost, signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder().subject_name(_name(ca_name)).issuer_name(_name(ca_name))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(_name(ca_name))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    pki.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    pki.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pki.key.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return pki


@dataclass
class TlsServer:
    base: str
    pki: Pki
    account: str


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    folder = tmp_path_factory.mktemp("tls-server")
    pki = make_pki(folder / "pki")
    dsn = f"sqlite:///{folder / 'server.sqlite3'}"
    db = ServerDatabase(dsn)
    upgrade(db)
    with db.writing() as s:
        territory = add_territory(s, "DE-HH-01", "Hamburg")
        add_user(s, "lena", PASSWORD, "rep", "Lena Vogel")
        assign_territory(s, "lena", "DE-HH-01")
        account = ServerAccount(kind="hcp", name="Dr. Jens Ohlsen", territory_id=territory.id,
                                version=next_versions(s))
        s.add(account)
        s.flush()
        account_id = account.id
    db.dispose()
    port = free_port()
    log = (folder / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "--data-dir", str(folder), "serve", "--host",
         "127.0.0.1", "--port", str(port), "--certfile", str(pki.cert), "--keyfile",
         str(pki.key)],
        cwd=ROOT, env={**os.environ, "FIELDREP_SERVER_DSN": dsn}, stdout=log,
        stderr=subprocess.STDOUT)
    log.close()
    base = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, (folder / "server.log").read_text(errors="replace")
        try:
            if requests.get(base + "/api/v1/health", verify=str(pki.ca), timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, "the TLS server did not start within 30 s"
        time.sleep(0.05)  # polling a starting process; nothing to wait on instead
    try:
        yield TlsServer(base, pki, account_id)
    finally:
        stop_server(proc)


def _laptop(tmp_path: Path, ca_bundle: str | None) -> Database:
    """A laptop data folder whose settings name `ca_bundle` (as the settings dialog saves)."""
    data_dir = tmp_path / "laptop"
    data_dir.mkdir()
    if ca_bundle is not None:
        settings = Settings(data_dir)
        settings.set("ca_bundle", ca_bundle)
        settings.save()
    return open_database(data_dir / "fieldrep.sqlite")


def test_the_laptop_syncs_over_https_with_the_company_ca(tls_server: TlsServer,
                                                          tmp_path: Path) -> None:
    db = _laptop(tmp_path, str(tls_server.pki.ca))
    try:
        with client_for(db, tls_server.base) as client:
            assert login.login(db, client, "lena", PASSWORD).online
            sync_once(db, client)
        with db.read() as session:
            names = session.scalars(select(Account.name)).all()
        assert names == ["Dr. Jens Ohlsen"]
    finally:
        db.close()


def test_an_unknown_ca_is_refused_and_nothing_is_sent(tls_server: TlsServer,
                                                      tmp_path: Path) -> None:
    other = make_pki(tmp_path / "other", "Somebody Else's CA")
    sleeps: list[float] = []
    for bundle in (None, str(other.ca)):  # the public authorities, then a wrong company CA
        client = SyncClient(tls_server.base, device_id="laptop-x", ca_bundle=bundle,
                            retry=RetryPolicy(attempts=3), sleep=sleeps.append)
        with client, pytest.raises(UntrustedServerError) as refused:
            client.login("lena", PASSWORD)
        words = str(refused.value)
        assert "certificate could not be verified" in words
        assert "nothing was sent" in words and "certificate authority" in words
        assert not refused.value.maybe_delivered
    assert sleeps == []  # not retried: another try cannot make the certificate trusted


def test_a_missing_ca_file_is_named(tls_server: TlsServer, tmp_path: Path) -> None:
    client = SyncClient(tls_server.base, device_id="laptop-x",
                        ca_bundle=str(tmp_path / "nope.pem"))
    with client, pytest.raises(UntrustedServerError, match=r"nope\.pem.*cannot be found"):
        client.login("lena", PASSWORD)


def test_the_login_reports_an_unknown_ca_in_plain_words(tls_server: TlsServer,
                                                        tmp_path: Path) -> None:
    db = _laptop(tmp_path, None)
    try:
        with client_for(db, tls_server.base) as client, \
                pytest.raises(login.LoginError, match="certificate could not be verified"):
            login.login(db, client, "lena", PASSWORD)
    finally:
        db.close()


def test_http_to_another_host_is_refused_before_connecting(tmp_path: Path) -> None:
    # 192.0.2.1 is TEST-NET-1: nothing answers there, so a connection attempt would time out
    # rather than return quickly; the refusal comes before any socket is opened.
    for url in ("http://192.0.2.1:8765", "http://crm.example.com", "HTTP://10.0.0.5:8080/"):
        sleeps: list[float] = []
        client = SyncClient(url, device_id="laptop-x", token="t", timeout=(30.0, 30.0),
                            retry=RetryPolicy(attempts=3), sleep=sleeps.append)
        started = time.monotonic()
        with client, pytest.raises(InsecureServerError) as refused:
            client.pull(None, 10)
        assert time.monotonic() - started < 2
        assert "http://" in str(refused.value) and "unencrypted" in str(refused.value)
        assert "https://" in str(refused.value)
        assert not refused.value.maybe_delivered
        assert sleeps == []


def test_a_redirect_to_clear_text_is_refused(tls_server: TlsServer) -> None:
    """The policy holds for every request of the session, not just the configured URL."""
    with SyncClient(tls_server.base, device_id="laptop-x",
                    ca_bundle=str(tls_server.pki.ca)) as client:
        response = client.session.get(tls_server.base + "/api/v1/health")
        assert response.ok
        with pytest.raises(InsecureServerError):
            client.session.get("http://198.51.100.7/api/v1/health")


def test_verification_cannot_be_switched_off(tls_server: TlsServer) -> None:
    with SyncClient(tls_server.base, device_id="laptop-x") as client, \
            pytest.raises(UntrustedServerError):
        client.session.get(tls_server.base + "/api/v1/health", verify=False)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "localhost", "[::1]",
                                  "LOCALHOST", "demo.localhost"])
def test_loopback_may_use_http(host: str) -> None:
    assert refusal(f"http://{host}:8765") is None
    assert is_loopback(host)


@pytest.mark.parametrize("url", ["http://10.0.0.5:8080", "http://192.168.1.10",
                                 "http://127.0.0.1.evil.example", "http://localhost.evil.com",
                                 "ftp://crm.example.com", "crm.example.com", "http://"])
def test_everything_else_needs_https(url: str) -> None:
    assert refusal(url) is not None


@pytest.mark.parametrize("url", ["https://10.0.0.5:8443", "https://crm.example.com/"])
def test_https_is_fine_anywhere(url: str) -> None:
    assert refusal(url) is None


def test_serve_wants_both_tls_files(tmp_path: Path) -> None:
    from server.cli import main

    cert = tmp_path / "cert.pem"
    cert.write_text("x", encoding="ascii")
    with pytest.raises(SystemExit, match="both --certfile and --keyfile"):
        main(["--data-dir", str(tmp_path), "serve", "--certfile", str(cert)])
    with pytest.raises(SystemExit, match="no such file"):
        main(["--data-dir", str(tmp_path), "serve", "--certfile", str(cert),
              "--keyfile", str(tmp_path / "missing.key")])
