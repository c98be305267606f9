"""How the laptop may reach the server: verified TLS, or plain HTTP to this computer only.

Passwords, tokens, doctors' data and call notes travel in every sync, so nothing goes out in
clear over a network: `http://` is refused unless the host is this computer itself
(loopback: the demo server and tests, where nothing crosses a wire). Certificates are always
verified, against the system's authorities or, for a company that runs its own certificate
authority, against the CA bundle set in the settings (`ca_bundle`).

The policy sits in a requests transport adapter mounted on the client's session, so it holds
for every request that session makes: the sync calls, content downloads, and any redirect a
server answers with (an https server cannot redirect the laptop to a LAN http address).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from app.config import Settings
from app.i18n import tr
from app.sync.errors import SyncError


class InsecureServerError(SyncError):
    """The address would send data in clear (or is no web address at all); nothing was sent."""

    maybe_delivered = False


class UntrustedServerError(SyncError):
    """The server's certificate could not be verified; nothing was sent."""

    maybe_delivered = False


def is_loopback(host: str) -> bool:
    """True for this computer itself: `localhost`, 127.0.0.0/8 and ::1."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refusal(url: str) -> str | None:
    """Why the laptop will not talk to `url` (a sentence for the rep), or None."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return None
    if scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return None
    if scheme == "http":
        return tr("The server address {url} starts with http://, which would send your "
                  "password and your doctors' data unencrypted over the network. Use the "
                  "https:// address of the server (ask your administrator).",
                  url=f"http://{parts.netloc}")
    return tr("{url} is not a server address: it must start with https://.", url=url[:100])


def configured_ca_bundle(data_dir: Path) -> str | None:
    """The company CA bundle set in the settings of this data folder, if any."""
    value = str(Settings(data_dir).get("ca_bundle") or "").strip()
    return value or None


class PolicyAdapter(HTTPAdapter):
    """Refuses clear-text addresses and sends every https request with verification on."""

    def __init__(self, ca_bundle: str | None = None) -> None:
        super().__init__()
        self.ca_bundle = ca_bundle

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: bool | str = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        why = refusal(request.url or "")
        if why is not None:
            raise InsecureServerError(why)
        # Whatever the caller or the environment asked for, verification stays on: `False`
        # from REQUESTS_CA_BUNDLE tricks or a stray argument would make TLS worthless.
        trust: bool | str = True
        if self.ca_bundle:
            if not Path(self.ca_bundle).is_file():
                raise UntrustedServerError(tr(
                    "The certificate authority file {path} set in the settings cannot be "
                    "found. Choose the file your IT department gave you, or clear the "
                    "setting.", path=self.ca_bundle))
            trust = self.ca_bundle
        try:
            return super().send(request, stream=stream, timeout=timeout, verify=trust,
                                cert=cert, proxies=proxies)
        except requests.exceptions.SSLError as exc:
            raise UntrustedServerError(tr(
                "The server's certificate could not be verified ({reason}), so nothing was "
                "sent to it. Someone may be intercepting the connection. If your company "
                "uses its own certificate authority, set its CA bundle in the settings.",
                reason=_reason(exc))) from exc


def _reason(exc: BaseException) -> str:
    """The verifier's own words (e.g. "unable to get local issuer certificate")."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        message = getattr(e, "verify_message", None)
        if message:
            return str(message)
        todo.extend(x for x in (*e.args, getattr(e, "reason", None), e.__cause__,
                                e.__context__) if isinstance(x, BaseException))
    return "TLS handshake failed"


def secure(session: requests.Session, ca_bundle: str | None = None) -> None:
    """Put the policy on every request `session` makes."""
    adapter = PolicyAdapter(ca_bundle)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
