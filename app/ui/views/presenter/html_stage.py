"""HTML5 slides in QtWebEngine, sandboxed, with the JavaScript bridge CLM content expects.

Imported only when a deck with HTML slides opens (WebEngine costs ~350 MiB and 100 ms of
imports; docs/platform.md). The deck's files are served from `fieldrep-content://deck/` out of
the content store (scheme), laid out by their package paths, so relative links
such as `../shared/slide.css` resolve as authored; nothing else is reachable
(sandbox). What content may do: docs/content-packages.md.

The page gets, before its own scripts run (bridge):
- `window.fieldrep`: `goTo(slide id, key message or index)`, `next()`, `previous()`,
  `answer(question id, value)`, `click({...})`;
- `com.veeva.clm`: navigation, data, record and e-mail calls answered as the market's CLM
  library does (bridge, clm_calls), so content made for its players runs unchanged;
- `veeva:gotoSlide(...)`, `veeva:nextSlide()`, `veeva:prevSlide()` navigations, which is
  how Veeva's own JavaScript library (shipped inside such content) asks its player.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.edetail.package import content_store
from app.ui.views.presenter.bridge import (
    FORWARDER_JS,
    PAGE_JS,
    TOUCH_JS,
    ClmBridge,
    clickstream,
    qwebchannel_js,
)
from app.ui.views.presenter.clm_calls import ClmCalls
from app.ui.views.presenter.html_frame import MEASURE_JS, HtmlFrame, declared_size
from app.ui.views.presenter.sandbox import SandboxPage, sandbox_profile
from app.ui.views.presenter.scheme import (
    DeckFiles,
    deck_url,
    prepare_webengine,
    within_slide,
)

if TYPE_CHECKING:
    from app.store.database import Database
    from app.ui.views.presenter.deck import Deck, DeckSlide
    from app.ui.views.presenter.presentation import Presenter
    from app.ui.views.presenter.windows import AudienceWindow

log = logging.getLogger(__name__)

OLD_LAYOUT = "present"
#: How long leaving a slide waits for it to report a half-typed answer (`HtmlStage.flush`).
FLUSH_WAIT_MS = 1500
_VEEVA = re.compile(r"^\s*(gotoSlide|nextSlide|prevSlide)\s*\((.*)\)\s*$", re.DOTALL)


def _script(name: str, source: str, world: QWebEngineScript.ScriptWorldId) -> QWebEngineScript:
    script = QWebEngineScript()
    script.setName(name)
    script.setSourceCode(source)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(world)
    script.setRunsOnSubFrames(False)
    return script


class HtmlStage(QObject):
    """One web view for the deck's HTML slides, laid over the doctor's window when shown."""

    def __init__(self, db: Database, deck: Deck, presenter: Presenter) -> None:
        super().__init__(presenter)
        prepare_webengine()  # a no-op when start-up did it (it must, see the module)
        store = content_store(db)
        # Before the sandbox, decks were laid out under content/present/ (hard links, which
        # kept withdrawn content's files alive after the store removed them): gone now.
        shutil.rmtree(store.root / OLD_LAYOUT, ignore_errors=True)
        self.files = DeckFiles({rel: store.path(sha)
                                for rel, sha in store.tree(deck.tree_sha256).items()})
        self._slides = {s.file: s for s in deck.slides if s.kind == "html"}
        self._title = deck.title
        # Owned by the application until close(): the stage may go before its page does.
        self.profile, self.interceptor = sandbox_profile(self.files,
                                                         QCoreApplication.instance())
        self.view: QWebEngineView | None = None
        self.frame: HtmlFrame | None = None
        self.page: SandboxPage | None = None
        self._presenter = presenter
        calls = ClmCalls(
            deck.held, lambda: None if self.current is None else self.current.slide_id,
            lambda kept, values, record_id: presenter.click(record_id=record_id,
                                                            **clickstream(values, kept)),
            lambda kept, record_id, values: presenter.update_click(
                record_id, **clickstream(values, kept)))
        self.bridge = ClmBridge(presenter, self._within_current, calls)
        self.channel = QWebChannel(self)
        self.channel.registerObject("clm", self.bridge)
        self.loaded = False
        self.current: DeckSlide | None = None

    def attach(self, window: AudienceWindow) -> None:
        self.frame = HtmlFrame(window)
        view = self.frame.view
        page = SandboxPage(self.profile, view, on_slide=self._slide_link,
                           on_veeva=self._veeva, where=self._where)
        world = QWebEngineScript.ScriptWorldId
        page.scripts().insert(_script("fieldrep-clm", PAGE_JS, world.MainWorld))
        page.scripts().insert(_script("fieldrep-touch", TOUCH_JS, world.MainWorld))
        page.scripts().insert(_script("fieldrep-bridge", qwebchannel_js() + FORWARDER_JS,
                                      world.ApplicationWorld))
        page.setWebChannel(self.channel, world.ApplicationWorld)
        view.setPage(page)
        view.loadFinished.connect(self._load_finished)
        self.view, self.page = view, page
        self._window = window

    def _load_finished(self, ok: bool) -> None:
        # A navigation the sandbox refused (a `veeva:` call, a link out of the deck) also
        # ends in loadFinished(False) while the slide stays shown: only a slide that never
        # loaded is not loaded (show() starts each slide unloaded).
        self.loaded = self.loaded or ok
        if ok and self.page is not None:
            world = QWebEngineScript.ScriptWorldId.ApplicationWorld.value
            self.page.runJavaScript(MEASURE_JS, world, self._measured)

    def _measured(self, size: object) -> None:
        if self.frame is None:
            return
        self.frame.fit(declared_size(size))

    def show(self, slide: DeckSlide) -> None:
        if self.view is None:
            return
        self.loaded = False
        self.current = slide
        self.bridge.budget.reset(slide.slide_id)
        if self.frame is not None:
            self._window.set_stage(self.frame)
        self.view.load(deck_url(slide.file))

    def flush(self, then: Callable[[], None]) -> None:
        """Let the slide on screen report what it still holds, then call `then` (once).

        A text field's answer reaches the bridge on `change`, when the field loses focus;
        leaving the slide unloads the page first, so the player blurs the field and waits
        for the bridge's `flushed`, which comes after that answer. A page that never answers
        (still loading, hung) costs at most FLUSH_WAIT_MS.
        """
        if self.view is None or self.page is None or not self.loaded:
            then()
            return
        done = False

        def finish() -> None:
            nonlocal done
            if not done:
                done = True
                self.bridge.on_flushed = lambda: None
                then()

        self.bridge.on_flushed = finish
        QTimer.singleShot(FLUSH_WAIT_MS, self, finish)
        self.page.runJavaScript("window.fieldrepFlush && window.fieldrepFlush();",
                                QWebEngineScript.ScriptWorldId.ApplicationWorld)

    def _where(self) -> str:
        slide = self.current
        where = f"deck “{self._title}”"
        return where if slide is None else f"{where}, slide {slide.position} ({slide.file})"

    def _within_current(self, page: str) -> bool:
        return self.current is not None and within_slide(page, self.current.file)

    def _slide_link(self, path: str) -> bool:
        """A page navigating to another slide's file: shown as that slide (True)."""
        target = self._slides.get(path)
        if target is None or self.current is None or target is self.current:
            return False
        if self.bridge.budget.allow():  # not while WebEngine asks: loading now would crash it
            QTimer.singleShot(0, self, lambda: self._presenter.go_to_target(target.slide_id))
        return True

    def _veeva(self, url: QUrl) -> None:
        """A `veeva:` request, acted on once WebEngine's navigation question is answered."""
        request = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
        QTimer.singleShot(0, self, lambda: self._veeva_call(request))

    def _veeva_call(self, request: str) -> None:
        match = _VEEVA.match(request)
        if match is None or self.current is None:
            log.info("a slide asked its player for %s; not supported here",
                     request.split("(", 1)[0][:60])
            return
        page = "/" + self.current.file
        if match.group(1) == "gotoSlide":
            key_message = match.group(2).split(",", 1)[0].strip().strip("'\"")
            self.bridge.goTo(page, key_message)
        elif match.group(1) == "nextSlide":
            self.bridge.next(page)
        else:
            self.bridge.previous(page)

    def close(self) -> None:
        """Let go of the page, then of its profile: a profile that goes first takes
        WebEngine down with it (the process aborts), so it waits for the page's end."""
        profile = self.profile
        if self.view is not None:
            page = self.view.page()
            self.view.setPage(QWebEnginePage(self.view))
            page.destroyed.connect(profile.deleteLater)
            page.deleteLater()
            self.view = self.page = None
        else:
            profile.deleteLater()
