"""The CLM calls a slide may make, and the only way its calls reach the presenter.

QWebChannel shows a page everything of a registered QObject: its properties
(`objectName`), signals (`destroyed`) and public slots (`deleteLater`). So the page's own
scripts never see the channel: it lives in an isolated JavaScript world
(`ApplicationWorld`) with a small forwarder, and the page's world gets plain functions
(`window.fieldrep`, `com.veeva.clm`) that hand each call to the forwarder as a DOM event
carrying a JSON string. The forwarder passes on only the CLM calls, with string
arguments, stamped with the page's path; `qt.webChannelTransport` does not exist in the
page's world.

`ClmBridge` is rate-limited per slide view (`CallBudget`): a slide may make
`CALLS_PER_SECOND` calls a second; the rest are dropped, logged once per view. Calls from
a page that is no longer the slide on screen are dropped too.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFile, QIODevice, QObject, Slot

from app.content_format import clm_records
from app.ui.views.presenter.clm_calls import ClmCalls, error, parse_args

if TYPE_CHECKING:
    from app.ui.views.presenter.presentation import Presenter

log = logging.getLogger(__name__)

CALLS_PER_SECOND = 20
#: A longer argument (a 10 MB "answer") is dropped rather than written to the database.
MAX_ARGUMENT_CHARS = 4000
EVENT = "fieldrep:clm"

#: In the page's world: the APIs content calls. No channel, no Qt object here.
#: `com.veeva.clm` answers as the market's CLM JavaScript library does: a callback gets
#: `{success: true, <object>: {...}}` or `{success: false, code, message}`, and a call the
#: player does not know is answered with such an error result, never a TypeError.
PAGE_JS = r"""
(function () {
  var waiting = {}, next = 1;
  function send(name, args, callback) {
    var id = 0;
    if (typeof callback === 'function') { id = next++; waiting[id] = callback; }
    document.dispatchEvent(new CustomEvent('%(event)s',
      {detail: JSON.stringify([name, args, id])}));
  }
  document.addEventListener('%(event)s-result', function (event) {
    var answer;
    try { answer = JSON.parse(String(event.detail)); } catch (e) { return; }
    var callback = waiting[answer[0]];
    delete waiting[answer[0]];
    if (callback) { callback(JSON.parse(answer[1])); }
  });
  function text(v) { return JSON.stringify(v === undefined ? null : v); }
  function last(args) {
    var f = args[args.length - 1];
    return typeof f === 'function' ? f : null;
  }
  function ask(name) {
    return function () {
      var args = Array.prototype.slice.call(arguments), callback = last(args);
      if (callback) { args.pop(); }
      send('request', [name, text(args)], callback);
    };
  }
  window.fieldrep = {
    goTo: function (target) { send('goTo', [String(target)]); },
    next: function () { send('next', []); },
    previous: function () { send('previous', []); },
    answer: function (question, value) { send('answer', [String(question), text(value)]); },
    click: function (fields) { send('record', ['Call_Clickstream_vod__c', text(fields || {})]); }
  };
  var known = {
    gotoSlide: function (keyMessage) { send('goTo', [String(keyMessage)]); },
    nextSlide: function () { send('next', []); },
    prevSlide: function () { send('previous', []); }
  };
  var clm = new Proxy(known, {
    get: function (target, name) {
      if (typeof name !== 'string' || name === 'then' || name === 'toJSON') { return undefined; }
      if (Object.prototype.hasOwnProperty.call(target, name)) { return target[name]; }
      return ask(name);
    }
  });
  window.com = window.com || {};
  window.com.veeva = window.com.veeva || {};
  window.com.veeva.clm = clm;
})();
""".replace("%(event)s", EVENT)

#: In the page's world too: content built for tablets binds `touchstart`/`touchend` only,
#: so a mouse or trackpad press is also sent as those touch events (to the element
#: pressed, as a finger's would be). A `touchend` the page cancels cancels the click
#: that follows, as on a tablet, so content that handles both does not act twice.
TOUCH_JS = r"""
(function () {
  var down = null, cancelClick = false;
  function touch(type, target, e) {
    var init = {identifier: 1, target: target, clientX: e.clientX, clientY: e.clientY,
                pageX: e.pageX, pageY: e.pageY, screenX: e.screenX, screenY: e.screenY};
    var event, point;
    try {
      point = new Touch(init);
      var list = type === 'touchend' ? [] : [point];
      event = new TouchEvent(type, {bubbles: true, cancelable: true, composed: true,
        touches: list, targetTouches: list, changedTouches: [point]});
    } catch (error) {
      point = init;
      event = new Event(type, {bubbles: true, cancelable: true, composed: true});
      var rest = type === 'touchend' ? [] : [point];
      Object.defineProperty(event, 'touches', {value: rest});
      Object.defineProperty(event, 'targetTouches', {value: rest});
      Object.defineProperty(event, 'changedTouches', {value: [point]});
    }
    return target.dispatchEvent(event);
  }
  document.addEventListener('mousedown', function (e) {
    if (e.button !== 0) { return; }
    down = e.target;
    cancelClick = false;
    if (!touch('touchstart', down, e)) { e.preventDefault(); }
  }, true);
  document.addEventListener('mousemove', function (e) {
    if (down) { touch('touchmove', down, e); }
  }, true);
  document.addEventListener('mouseup', function (e) {
    if (!down) { return; }
    var target = down;
    down = null;
    cancelClick = !touch('touchend', target, e);
  }, true);
  document.addEventListener('click', function (e) {
    if (cancelClick) { cancelClick = false; e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);
})();
"""

#: In the isolated world, after qwebchannel.js: the only holder of the channel.
FORWARDER_JS = r"""
(function () {
  var ARITY = {goTo: 1, next: 0, previous: 0, answer: 2, record: 2, request: 2};
  var MAX_PENDING = 100, pending = [], bridge = null;
  function deliver(call) {
    var args = call[1].slice();
    if (call[0] === 'request') {
      var id = call[2];
      args.push(function (result) {
        if (id) {
          document.dispatchEvent(new CustomEvent('%(event)s-result',
            {detail: JSON.stringify([id, String(result)])}));
        }
      });
    }
    bridge[call[0]].apply(bridge, args);
  }
  document.addEventListener('%(event)s', function (event) {
    var call;
    try { call = JSON.parse(String(event.detail)); } catch (e) { return; }
    if (!Array.isArray(call) || !Object.prototype.hasOwnProperty.call(ARITY, call[0])
        || !Array.isArray(call[1]) || call[1].length !== ARITY[call[0]]) { return; }
    var args = [location.pathname].concat(call[1].map(String));
    var entry = [call[0], args, Number(call[2]) || 0];
    if (bridge) { deliver(entry); }
    else if (pending.length < MAX_PENDING) { pending.push(entry); }
  }, true);
  // Called by the player (never by the page) before it leaves the slide: a field still
  // being typed in reports its answer only on `change`, which fires when it loses focus,
  // and a page that is unloaded never does. Blurring it fires the page's own handler now;
  // `flushed` follows that answer on the same channel, so it arrives after it.
  window.fieldrepFlush = function () {
    var active = document.activeElement;
    if (active && active !== document.body && typeof active.blur === 'function') {
      active.blur();
    }
    var call = ['flushed', [location.pathname], 0];
    if (bridge) { deliver(call); } else { pending.push(call); }
  };
  function connect() {
    new QWebChannel(qt.webChannelTransport, function (channel) {
      bridge = channel.objects.clm;
      pending.forEach(deliver);
      pending = [];
    });
  }
  if (window.qt && window.qt.webChannelTransport) { connect(); }
  else { document.addEventListener('DOMContentLoaded', connect); }
})();
""".replace("%(event)s", EVENT)

def qwebchannel_js() -> str:
    source = QFile(":/qtwebchannel/qwebchannel.js")
    if not source.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("qwebchannel.js is missing from the Qt resources")
    try:
        return bytes(source.readAll().data()).decode("utf-8")
    finally:
        source.close()


def clickstream(values: dict[str, Any], object_name: str = clm_records.CLICKSTREAM
                ) -> dict[str, Any]:
    """A CLM record's values as the capture's keyword arguments: our columns, the object and
    every other field (app.content_format.clm_records)."""
    columns, other = clm_records.split(object_name, values)
    return {**columns, "object_name": object_name, "other_fields": other}


class CallBudget:
    """At most `per_second` calls in any one-second window of a slide view."""

    def __init__(self, per_second: int = CALLS_PER_SECOND,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self._clock = clock
        self.reset("")

    def reset(self, view: str) -> None:
        """A new slide view: a fresh budget, and the drop message may be logged again."""
        self.view = view
        self._window_start = self._clock()
        self._used = 0
        self.dropped = 0

    def allow(self) -> bool:
        now = self._clock()
        if now - self._window_start >= 1.0:
            self._window_start, self._used = now, 0
        if self._used < self.per_second:
            self._used += 1
            return True
        self.dropped += 1
        if self.dropped == 1:
            log.warning("slide %s makes more than %d calls a second; the rest are dropped",
                        self.view, self.per_second)
        return False


class ClmBridge(QObject):
    """The CLM API, and only it: every slot is a call a slide may make.

    `page` (the calling document's path, added by the forwarder) must be within the slide
    on screen (`current`), so calls queued by a slide already left do not act on the next.
    """

    def __init__(self, presenter: Presenter, current: Callable[[str], bool],
                 calls: ClmCalls, budget: CallBudget | None = None) -> None:
        super().__init__(presenter)
        self._presenter = presenter
        self._current = current
        self._calls = calls
        self.budget = budget or CallBudget()
        #: Called when the slide has reported what it still held (`HtmlStage.flush`).
        self.on_flushed: Callable[[], None] = lambda: None

    def _admit(self, page: str, *args: str) -> bool:
        if not self._current(page):
            return False
        if any(len(a) > MAX_ARGUMENT_CHARS for a in args):
            log.warning("slide %s sent an argument over %d characters; dropped",
                        self.budget.view, MAX_ARGUMENT_CHARS)
            return False
        return self.budget.allow()

    @Slot(str, str)
    def goTo(self, page: str, target: str) -> None:
        log.debug("slide %s: gotoSlide(%s)", self.budget.view, target[:80])
        if self._admit(page, target):
            self._presenter.go_to_target(target)

    @Slot(str)
    def next(self, page: str) -> None:
        log.debug("slide %s: nextSlide()", self.budget.view)
        if self._admit(page):
            self._presenter.next()

    @Slot(str)
    def previous(self, page: str) -> None:
        log.debug("slide %s: prevSlide()", self.budget.view)
        if self._admit(page):
            self._presenter.previous()

    @Slot(str, str, str)
    def answer(self, page: str, question_id: str, value: str) -> None:
        if not self._admit(page, question_id, value):
            return
        try:
            self._presenter.answer_from_content(question_id, json.loads(value))
        except ValueError:
            log.warning("a slide sent an answer that is not JSON")

    @Slot(str)
    def flushed(self, page: str) -> None:
        """The player's own call (not in the page's API): every answer the slide had still
        to report has come before this one."""
        if self._current(page):
            self.on_flushed()

    @Slot(str, str, str, result=str)
    def request(self, page: str, name: str, args: str) -> str:
        """A call answered through the page's callback: its result as JSON."""
        log.debug("slide %s: %s(%s)", self.budget.view, name[:60], args[:200])
        if not self._admit(page, name, args):
            result = error("the call was not accepted from this slide now")
        else:
            parsed = parse_args(args)
            result = (error(f"{name} was called with arguments that are not JSON")
                      if parsed is None else self._calls.answer(name, parsed))
        if not result.get("success"):
            log.debug("slide %s: %s answered %s", self.budget.view, name[:60],
                      result.get("message"))
        return json.dumps(result)

    @Slot(str, str, str)
    def record(self, page: str, object_name: str, values: str) -> None:
        log.debug("slide %s: click %s", self.budget.view, values[:200])
        if not self._admit(page, object_name, values):
            return
        try:
            data = json.loads(values)
        except ValueError:
            return
        kept = clm_records.object_of(object_name)
        if kept is not None and isinstance(data, dict):
            self._presenter.click(**clickstream(data, kept))
