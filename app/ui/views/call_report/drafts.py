"""Keeping a call report's draft saved while the rep types.

Every edit restarts a short timer; when it fires, the whole form is saved in the background.
Only one save is ever in flight: the first save creates the call and returns its id, so a
second save started before the first returns would create a second call. Edits made
meanwhile wait and are saved as soon as the first save has returned. A crash loses at most
the last few hundred milliseconds of typing.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from app.services import calls
from app.services.calls import CallForm
from app.ui.operations import Operations

#: Quiet time after the last keystroke before the draft is saved.
SAVE_DELAY_MS = 400


def weak_callback(method: Callable[..., None], *bound: Any) -> Callable[..., None]:
    """A callback for a background result: `method(*bound, result)`, if its object lives.

    It holds the object weakly: a finished operation must not keep a widget alive (its last
    reference could then go on a worker thread, and the widget be destroyed there), and a
    result that arrives after the object was destroyed is dropped.
    """
    weak = weakref.WeakMethod(method)

    def call(*args: Any) -> None:
        target = weak()
        if target is not None and shiboken6.isValid(getattr(target, "__self__", None)):
            target(*bound, *args)
    return call


class DraftKeeper(QObject):
    """Saves the form that `collect` returns: debounced, one save at a time, in order.

    Saves happen only while `active` (not while the form loads, never once it is locked)
    and wait while `held` (a submit is running).
    """

    saving = Signal()
    saved = Signal(str)  # the call's id
    failed = Signal(object, object)  # the error, the CallForm that was not saved

    def __init__(self, ops: Operations, user_id: str | None, call_id: str | None,
                 collect: Callable[[], CallForm], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._user_id = user_id
        self._collect = collect
        self.call_id = call_id
        self.active = False
        self.held = False
        self.dirty = False
        self._in_flight = False
        self._after: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)

    @property
    def busy(self) -> bool:
        """A save is in flight."""
        return self._in_flight

    def mark_dirty(self) -> None:
        """The rep edited something: save once they pause."""
        if self.active:
            self.dirty = True
            self._timer.start()

    def save_now(self) -> None:
        """Save pending edits now (after the save in flight, if there is one)."""
        self._timer.stop()
        if not self.dirty or not self.active or self.held or self._in_flight:
            return
        form = self._collect()
        self.dirty = False
        self._in_flight = True
        self.saving.emit()
        user_id, call_id = self._user_id, self.call_id
        self._ops.write(lambda s: calls.save_draft(s, user_id, form, call_id),
                        weak_callback(self._on_saved), weak_callback(self._on_failed, form))

    def settle(self, then: Callable[[], None], *, create: bool = False) -> None:
        """Run `then` once every edit is saved (`create`: make the call even if untouched).

        If a save fails, `then` is dropped: the caller hears of it through `failed`.
        """
        if create and self.call_id is None:
            self.dirty = True
        self._after.append(then)
        if self._in_flight:
            return
        if self.dirty:
            self.save_now()
        else:
            self._drain()

    def release(self) -> None:
        """End a hold; edits made during it are saved after the usual pause."""
        self.held = False
        if self.dirty:
            self._timer.start()

    def stop(self) -> None:
        """Never save again (the call is locked); edits not saved are dropped."""
        self.active = False
        self.dirty = False
        self._timer.stop()
        self._after.clear()

    def _on_saved(self, call_id: str) -> None:
        self._in_flight = False
        self.call_id = call_id
        self.saved.emit(call_id)
        if self.dirty and (self._after or not self._timer.isActive()):
            self.save_now()
        elif not self.dirty:
            self._drain()

    def _on_failed(self, form: CallForm, error: BaseException) -> None:
        self._in_flight = False
        self.dirty = True  # the next edit, Ctrl+S or closing tries again
        self._after.clear()
        self.failed.emit(error, form)

    def _drain(self) -> None:
        waiting, self._after = self._after, []
        for callback in waiting:
            callback()
