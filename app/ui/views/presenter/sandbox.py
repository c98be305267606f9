"""Where HTML slides run: a profile of their own that reaches the deck's files and nothing else.

Four walls, each enough on its own for most attacks, together for all of them (issue 15):
- the deck's files come from `fieldrep-content://deck/` (scheme), never file://;
- the profile is off the record (no cookies, cache or storage on disk) with file:// and
  remote access off for local content, no windows, no clipboard, no DNS prefetch, no
  navigating to a file dropped on the view;
- `OnlyTheDeck`, the profile's request interceptor, blocks every request that is not for
  the deck: http(s), ws(s), file, loopback, other schemes, another host of ours;
- `SandboxPage` lets the page navigate only inside the deck; `veeva:` requests (how CLM
  content built on Veeva's JavaScript library talks to its player) become bridge calls,
  and new windows are refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlSchemeHandler,
)

from app.ui.views.presenter.scheme import (
    CSP,
    HOST,
    SCHEME,
    VEEVA_SCHEME,
    DeckFiles,
    package_path,
)

log = logging.getLogger(__name__)

#: Blocked requests and refused navigations logged, and kept for a look, per deck showing;
#: the rest are only counted (a slide could try millions).
KEPT = 20

_HEADERS = {b"Content-Security-Policy": CSP.encode(),
            b"X-Content-Type-Options": b"nosniff", b"Referrer-Policy": b"no-referrer",
            b"Cache-Control": b"no-store"}


class DeckSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers `fieldrep-content:` requests with the deck's files, under the policy."""

    def __init__(self, files: DeckFiles, parent: QObject) -> None:
        super().__init__(parent)
        self._files = files

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        if bytes(job.requestMethod().data()) != b"GET":
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        found = self._files.open(job.requestUrl())
        if found is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        content_type, device = found
        device.setParent(job)  # lives as long as the reply reads it
        # A QMultiMap: PySide takes a list of values per key (one string would be read as
        # one header per character); its stubs say otherwise.
        headers = {QByteArray(k): [QByteArray(v)] for k, v in _HEADERS.items()}
        job.setAdditionalResponseHeaders(headers)  # type: ignore[arg-type]
        job.reply(QByteArray(content_type.encode()), device)


class Refuse(QWebEngineUrlSchemeHandler):
    """`veeva:` requests are calls, taken at navigation (SandboxPage); never loaded."""

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)


class OnlyTheDeck(QWebEngineUrlRequestInterceptor):
    """Blocks every request of the profile that is not for the deck; counts what it blocked."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []  # the first KEPT, without their queries
        self.count = 0

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() == SCHEME and url.host() == HOST:
            return
        info.block(True)
        self.count += 1
        if self.count <= KEPT:
            self.blocked.append(_short(url))
            log.warning("a slide's request was blocked: %s", _short(url))


def _short(url: QUrl) -> str:
    """A URL for the log without its query (a slide may put the data it tried to send
    there)."""
    port = f":{url.port()}" if url.port() != -1 else ""
    where = f"//{url.host()}{port}" if url.host() else ""
    return f"{url.scheme()}:{where}{url.path()}"[:200]


def sandbox_profile(files: DeckFiles, parent: QObject | None) -> tuple[QWebEngineProfile,
                                                               OnlyTheDeck]:
    """An off-the-record profile serving `files` and blocking all else; and its interceptor."""
    profile = QWebEngineProfile(parent)  # no storage name: off the record, nothing on disk
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy
                                       .NoPersistentCookies)
    settings = profile.settings()
    attr = QWebEngineSettings.WebAttribute
    for attribute, on in (
            (attr.LocalContentCanAccessFileUrls, False),
            (attr.LocalContentCanAccessRemoteUrls, False),
            (attr.JavascriptCanOpenWindows, False),
            (attr.JavascriptCanAccessClipboard, False),
            (attr.JavascriptCanPaste, False),
            (attr.DnsPrefetchEnabled, False),
            (attr.NavigateOnDropEnabled, False),
            (attr.PluginsEnabled, False),
            (attr.PdfViewerEnabled, False),
            (attr.AllowRunningInsecureContent, False),
            (attr.AllowGeolocationOnInsecureOrigins, False),
            (attr.ScreenCaptureEnabled, False),
            (attr.WebRTCPublicInterfacesOnly, True),
            (attr.HyperlinkAuditingEnabled, False),
            (attr.LocalStorageEnabled, True)):  # CLM content keeps its state there
        settings.setAttribute(attribute, on)
    profile.installUrlSchemeHandler(QByteArray(SCHEME.encode()),
                                    DeckSchemeHandler(files, profile))
    profile.installUrlSchemeHandler(QByteArray(VEEVA_SCHEME.encode()), Refuse(profile))
    interceptor = OnlyTheDeck(profile)
    profile.setUrlRequestInterceptor(interceptor)
    return profile, interceptor


class SandboxPage(QWebEnginePage):
    """A slide's page: navigates only inside the deck, opens no windows.

    `on_slide(path)` is asked about a top-level navigation to another slide's file (a
    key message linking to the next one, as content for browsers does): it shows that slide
    through the presenter, so the capture follows, and the page's own navigation is
    dropped. `on_veeva(url)` gets `veeva:` requests. A script error of the slide is
    logged as a warning naming `where()` (the deck and the slide), so it reaches the
    app's log rather than only the console.
    """

    def __init__(self, profile: QWebEngineProfile, parent: QObject, *,
                 on_slide: Callable[[str], bool], on_veeva: Callable[[QUrl], None],
                 where: Callable[[], str] = lambda: "") -> None:
        super().__init__(profile, parent)
        self._on_slide = on_slide
        self._on_veeva = on_veeva
        self._where = where
        self.refused: list[str] = []  # the first KEPT, without their queries

    def acceptNavigationRequest(self, url: QUrl | str,
                                type: QWebEnginePage.NavigationType,
                                isMainFrame: bool) -> bool:  # noqa: N803
        url = QUrl(url)
        if url.scheme() == VEEVA_SCHEME:
            self._on_veeva(url)
            return False
        path = package_path(url)
        if path is None:
            if len(self.refused) < KEPT:
                self.refused.append(_short(url))
                log.warning("a slide tried to leave the deck for %s", _short(url))
            return False
        typed = type == QWebEnginePage.NavigationType.NavigationTypeTyped
        return typed or not isMainFrame or not self._on_slide(path)

    def javaScriptConsoleMessage(self,
                                 level: QWebEnginePage.JavaScriptConsoleMessageLevel,
                                 message: str, line: int, source: str) -> None:
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            log.warning("a script error in %s: %s (%s:%d)", self._where(), message[:300],
                        _short(QUrl(source)), line)
        else:
            log.debug("slide console in %s: %s", self._where(), message[:300])

    def createWindow(self, _type: QWebEnginePage.WebWindowType  # type: ignore[override]
                     ) -> QWebEnginePage | None:  # None (Qt's nullptr) refuses the window
        log.warning("a slide tried to open a window; refused")
        return None
