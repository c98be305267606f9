"""HTML5 slides in QtWebEngine, with the JavaScript bridge CLM content expects.

Imported only when a deck with HTML slides opens (WebEngine costs ~350 MiB and 100 ms of
imports; PLATFORM.md). The package's files are laid out once under the content folder
(hard links), so relative links such as `../shared/slide.css` resolve as authored.

The page gets, before its own scripts run:
- `window.fieldrep`: `goTo(slide id, key message or index)`, `next()`, `previous()`,
  `answer(question id, value)`, `click({...})`;
- `com.veeva.clm`: `gotoSlide(key message)`, `nextSlide()`, `prevSlide()`,
  `createRecord("Call_Clickstream_vod__c", {Track_Element_Id_vod__c, ...}, callback)`,
  the calls content made for the market's CLM players makes, so it runs unchanged.
Calls made before the channel is up are queued in the page and sent once it is.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFile, QIODevice, QObject, QUrl, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.edetail.package import content_store

if TYPE_CHECKING:
    from app.store.database import Database
    from app.ui.views.presenter import Presenter
    from app.ui.views.presenter_data import Deck, DeckSlide
    from app.ui.views.presenter_windows import AudienceWindow

log = logging.getLogger(__name__)

SHIM_JS = r"""
(function () {
  var pending = [], bridge = null;
  function call(name, args) {
    if (bridge) { bridge[name].apply(bridge, args); } else { pending.push([name, args]); }
  }
  function text(v) { return JSON.stringify(v === undefined ? null : v); }
  window.fieldrep = {
    goTo: function (target) { call('goTo', [String(target)]); },
    next: function () { call('next', []); },
    previous: function () { call('previous', []); },
    answer: function (question, value) { call('answer', [String(question), text(value)]); },
    click: function (fields) { call('click', [text(fields || {})]); }
  };
  var clm = {
    gotoSlide: function (keyMessage) { call('goTo', [String(keyMessage)]); },
    nextSlide: function () { call('next', []); },
    prevSlide: function () { call('previous', []); },
    createRecord: function (object, values, callback) {
      call('record', [String(object), text(values || {})]);
      if (typeof callback === 'function') {
        setTimeout(function () { callback({success: true}); }, 0);
      }
    }
  };
  window.com = window.com || {};
  window.com.veeva = window.com.veeva || {};
  window.com.veeva.clm = clm;
  function connect() {
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.fieldrep;
      pending.forEach(function (p) { bridge[p[0]].apply(bridge, p[1]); });
      pending = [];
    });
  }
  if (window.qt && window.qt.webChannelTransport) { connect(); }
  else { document.addEventListener('DOMContentLoaded', connect); }
})();
"""

#: The click-stream fields of the market's CLM record, mapped onto ours.
CLICKSTREAM_FIELDS = {
    "Track_Element_Id_vod__c": "track_element_id",
    "Track_Element_Type_vod__c": "track_element_type",
    "Question_vod__c": "question",
    "Answer_vod__c": "answer",
    "Usage_Duration_vod__c": "usage_duration_s",
}


def _qwebchannel_js() -> str:
    source = QFile(":/qtwebchannel/qwebchannel.js")
    if not source.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("qwebchannel.js is missing from the Qt resources")
    try:
        return bytes(source.readAll().data()).decode("utf-8")
    finally:
        source.close()


def _clickstream(values: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for theirs, ours in CLICKSTREAM_FIELDS.items():
        for key in (theirs, ours):
            if values.get(key) is not None:
                fields[ours] = values[key]
    if "usage_duration_s" in fields:
        try:
            fields["usage_duration_s"] = int(float(fields["usage_duration_s"]))
        except (TypeError, ValueError):
            del fields["usage_duration_s"]
    for key in ("track_element_id", "track_element_type", "question", "answer"):
        if key in fields:
            fields[key] = str(fields[key])
    return fields


class Bridge(QObject):
    """What the slide's JavaScript may ask of the presenter; nothing else is exposed."""

    def __init__(self, presenter: Presenter) -> None:
        super().__init__(presenter)
        self._presenter = presenter

    @Slot(str)
    def goTo(self, target: str) -> None:
        self._presenter.go_to_target(target)

    @Slot()
    def next(self) -> None:
        self._presenter.next()

    @Slot()
    def previous(self) -> None:
        self._presenter.previous()

    @Slot(str, str)
    def answer(self, question_id: str, value: str) -> None:
        try:
            self._presenter.answer_from_content(question_id, json.loads(value))
        except ValueError:
            log.warning("a slide sent an answer that is not JSON")

    @Slot(str)
    def click(self, fields: str) -> None:
        self.record("Call_Clickstream_vod__c", fields)

    @Slot(str, str)
    def record(self, object_name: str, values: str) -> None:
        try:
            data = json.loads(values)
        except ValueError:
            return
        if object_name.lower() in ("call_clickstream_vod__c", "clickstream") \
                and isinstance(data, dict):
            self._presenter.click(**_clickstream(data))


class HtmlStage(QObject):
    """One web view for the deck's HTML slides, laid over the doctor's window when shown."""

    def __init__(self, db: Database, deck: Deck, presenter: Presenter) -> None:
        super().__init__(presenter)
        store = content_store(db)
        self.folder = store.materialise(deck.tree_sha256,
                                        store.root / "present" / deck.tree_sha256)
        self.view: QWebEngineView | None = None
        self._presenter = presenter
        self.bridge = Bridge(presenter)
        self.channel = QWebChannel(self)
        self.channel.registerObject("fieldrep", self.bridge)
        self.loaded = False
        self.current: str | None = None

    def attach(self, window: AudienceWindow) -> None:
        view = QWebEngineView(window)
        view.setObjectName("htmlSlide")
        page = QWebEnginePage(view)
        script = QWebEngineScript()
        script.setName("fieldrep-bridge")
        script.setSourceCode(_qwebchannel_js() + SHIM_JS)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
        script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
        script.setRunsOnSubFrames(False)
        page.scripts().insert(script)
        page.setWebChannel(self.channel)
        view.setPage(page)
        view.loadFinished.connect(self._load_finished)
        self.view = view
        self._window = window

    def _load_finished(self, ok: bool) -> None:
        self.loaded = ok

    def show(self, slide: DeckSlide) -> None:
        if self.view is None:
            return
        self.loaded = False
        self.current = slide.slide_id
        self.view.load(QUrl.fromLocalFile(str(self.folder / slide.file)))
        self._window.set_stage(self.view)

    def close(self) -> None:
        if self.view is not None:
            page = self.view.page()
            self.view.setPage(QWebEnginePage(self.view))  # the page goes before its profile
            page.deleteLater()
            self.view = None
