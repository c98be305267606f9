"""The URL scheme HTML slides are served from: the opened deck's files and nothing else.

A slide used to run from file://, where it could read the database beside the content
folder and any other file (issue 15). Now every document and asset comes from
`fieldrep-content://deck/<path in the package>`, answered by `DeckFiles` out of the
package's file tree (its own files and its `shared/` resources, as the manifest's tree
lists them). A URL path is only ever a key into that tree: no file-system path is built
from it, so `..`, encoded slashes or absolute paths find nothing.

Chromium learns custom schemes and its command line when WebEngine starts, so
`prepare_webengine()` runs before the QApplication is made: in `app.ui.application.run`,
in tests/conftest.py and in the benchmarks. It imports QtWebEngineCore (~40 ms), nothing
else of WebEngine, and also cuts WebEngine's own network (`NETWORK_OFF`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from PySide6.QtCore import QByteArray, QFile, QIODevice, QUrl

log = logging.getLogger(__name__)

SCHEME = "fieldrep-content"
#: The scheme through which content built on Veeva's JavaScript library calls its player.
VEEVA_SCHEME = "veeva"
#: The one host the deck is served under (each presenter has its own profile and handler).
HOST = "deck"

#: The policy every served document runs under (docs/content-packages.md, "What slides may
#: do"). Scripts and styles may be inline and `eval` may run: Veeva-style key messages are
#: full of `onclick=` handlers, `<script>` blocks and `style=` attributes, and the content is
#: the party this policy contains, so forbidding its own code gains nothing. What it must
#: not do is talk to anything outside the deck: every fetch target is the deck itself
#: (`'self'`), images, fonts and media may also be inline `data:`/`blob:`, no plugins, no
#: forms sent anywhere, no framing by or of others. The request interceptor enforces the
#: same for what a policy does not cover (WebSockets are covered since Chromium 82; the
#: interceptor does not rely on it).
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "frame-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "form-action 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
])

#: Fixed, not the system's mime.types: a module script or a stylesheet served as
#: text/plain is refused by Chromium, and laptops differ in what their tables say.
MIME_TYPES: dict[str, str] = {
    ".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
    ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
    ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain",
    ".csv": "text/csv", ".vtt": "text/vtt", ".svg": "image/svg+xml", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".bmp": "image/bmp", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf",
    ".otf": "font/otf", ".eot": "application/vnd.ms-fontobject", ".mp4": "video/mp4",
    ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4", ".oga": "audio/ogg", ".ogg": "audio/ogg", ".wav": "audio/wav",
    ".pdf": "application/pdf", ".wasm": "application/wasm",
}
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/xhtml+xml",
              "image/svg+xml")
FALLBACK_TYPE = "application/octet-stream"


def mime_type(path: str) -> str:
    """The Content-Type a package file is served with (text in UTF-8, as packages are)."""
    kind = MIME_TYPES.get(PurePosixPath(path).suffix.lower(), FALLBACK_TYPE)
    return f"{kind};charset=utf-8" if kind.startswith(TEXT_TYPES) else kind


#: WebEngine shows slides only, and slides need no network. Some connections are not
#: requests the interceptor sees: `<link rel=preconnect>` opens a TCP connection (to a
#: loopback listener, or resolves a name carrying data through DNS), and WebRTC sends
#: STUN/TURN packets over UDP and TCP. So all of WebEngine's network goes to a proxy that
#: does not exist (port 1, which nothing serves and Chromium itself treats as unsafe),
#: loopback included (Chromium otherwise bypasses proxies for it), and WebRTC may use
#: only that proxy, no UDP. The hostile-deck test's listener sees none of them.
NETWORK_OFF = ("--proxy-server=http://127.0.0.1:1", "--proxy-bypass-list=<-loopback>",
               "--force-webrtc-ip-handling-policy=disable_non_proxied_udp")
FLAGS_VARIABLE = "QTWEBENGINE_CHROMIUM_FLAGS"


def prepare_webengine() -> bool:
    """Register `fieldrep-content:` and cut WebEngine's network; before the QApplication.

    The scheme is secure (a secure context, like https), fetch and CORS allowed so a slide
    may load its own JSON; not local, so nothing of file:// applies to it. The flags go
    into QTWEBENGINE_CHROMIUM_FLAGS, which WebEngine reads when it starts (after the
    flags already there: the last of a switch wins). False where WebEngine cannot be
    imported (the presenter then shows no HTML slides, as before).
    """
    flags = os.environ.get(FLAGS_VARIABLE, "").split()
    os.environ[FLAGS_VARIABLE] = " ".join(flags + [f for f in NETWORK_OFF if f not in flags])
    try:
        from PySide6.QtWebEngineCore import QWebEngineUrlScheme
    except ImportError as exc:  # a machine without WebEngine's libraries
        log.info("WebEngine unavailable (%s); HTML slides cannot be shown", exc)
        return False
    if QWebEngineUrlScheme.schemeByName(QByteArray(SCHEME.encode())).name():
        return True
    scheme = QWebEngineUrlScheme(QByteArray(SCHEME.encode()))
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    flag = QWebEngineUrlScheme.Flag
    scheme.setFlags(flag.SecureScheme | flag.CorsEnabled | flag.FetchApiAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)
    # Unregistered, a `veeva:` navigation is an "external protocol" Chromium hands over
    # only with a user gesture; registered, it is an ordinary navigation the page refuses
    # and turns into a bridge call (sandbox.SandboxPage).
    veeva = QWebEngineUrlScheme(QByteArray(VEEVA_SCHEME.encode()))
    veeva.setSyntax(QWebEngineUrlScheme.Syntax.Path)
    QWebEngineUrlScheme.registerScheme(veeva)
    return True


def package_path(url: QUrl) -> str | None:
    """The package path a deck URL names, or None when it names none (wrong host, `..`,
    empty or dot segments, backslashes, NUL). A folder URL means its index.html."""
    if url.scheme() != SCHEME or url.host() != HOST or url.port() != -1 \
            or url.userInfo():
        return None
    path = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None
    rel = path[1:]
    if rel.endswith("/") or rel == "":
        rel += "index.html"
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    return rel


def within_slide(page: str, slide_file: str) -> bool:
    """Whether a document at URL path `page` (as `location.pathname` gives it: percent-
    encoded) belongs to the slide whose file is `slide_file`: that file, or another page
    in its folder (a key message's sub-pages)."""
    rel = unquote(page).removeprefix("/")
    folder = slide_file.rpartition("/")[0]
    return rel == slide_file or (bool(folder) and rel.startswith(folder + "/"))


def deck_url(path: str) -> QUrl:
    url = QUrl()
    url.setScheme(SCHEME)
    url.setHost(HOST)
    url.setPath("/" + path)
    return url


class DeckFiles:
    """The files one deck may load: {path in the package: stored file}."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self._files = dict(files)

    def __contains__(self, path: str) -> bool:
        return path in self._files

    def open(self, url: QUrl) -> tuple[str, QFile] | None:
        """(Content-Type, an open file) for a URL of this deck, or None if it is not one."""
        rel = package_path(url)
        stored = self._files.get(rel) if rel is not None else None
        if rel is None or stored is None:
            return None
        device = QFile(str(stored))
        if not device.open(QIODevice.OpenModeFlag.ReadOnly):
            log.warning("a deck file is missing from the content store: %s", rel)
            return None
        return mime_type(rel), device
