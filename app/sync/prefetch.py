"""The next pull page, asked for while this one is applied.

Why: an initial sync spent about as long waiting for the server to build each page as it
spent applying it, one after the other. A page's request needs only the previous page's
cursor, and a pull is a plain read (docs/sync-protocol.md, "Pull"), so the next request can
go out as soon as a page has been read: the server builds page n+1 while the laptop writes
page n. Nothing about what is applied changes: pages are still applied one at a time, in
order, each in its own transaction with its own cursor; a prefetched page that is not wanted
(the apply failed, the sync was cancelled) is dropped unread, as if never asked for.

Only one request is ever in flight: the helper thread uses the client only between `start`
and the `take` or `close` that waits for it, and the sync thread does not use the client in
between (pushes before a revocation happen before `start`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Fetch = Callable[[str | None], dict[str, Any]]


class Prefetch:
    """At most one page request running on a helper thread, keyed by its cursor."""

    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch
        self._cursor: str | None = None
        self._thread: threading.Thread | None = None
        self._reply: dict[str, Any] | None = None
        self._error: BaseException | None = None

    def start(self, cursor: str) -> None:
        """Ask for the page after `cursor` in the background (any earlier one is dropped)."""
        self.close()
        self._cursor = cursor
        self._thread = threading.Thread(target=self._run, args=(cursor,),
                                        name="sync-prefetch", daemon=True)
        self._thread.start()

    def _run(self, cursor: str) -> None:
        try:
            self._reply = self._fetch(cursor)
        except BaseException as exc:  # handed to the sync thread by take()
            self._error = exc

    def take(self, cursor: str | None) -> dict[str, Any]:
        """The page after `cursor`: the prefetched one when it was asked for, else now."""
        if self._thread is None or self._cursor != cursor:
            self.close()
            return self._fetch(cursor)
        self._thread.join()
        reply, error = self._reply, self._error
        self._reset()
        if error is not None:
            raise error
        assert reply is not None
        return reply

    def close(self) -> None:
        """Wait for a running request and drop its answer (the client is free after this)."""
        if self._thread is not None:
            self._thread.join()
        self._reset()

    def _reset(self) -> None:
        self._cursor, self._thread, self._reply, self._error = None, None, None, None
