"""One pull at a time per device, so a laptop's retries never pile up on the server.

A laptop that waited in vain for a page (its deadline passed, the rep pressed Cancel, the
network dropped the answer) asks again; the server cannot see that the first request was
abandoned and would compute the same page twice at once, then three times, each retry
adding one while the first ones still run. With a 50,000-account territory that held the
server at full load for minutes. Here a device's second pull waits for its first to end
(then runs, usually fast: the pages before it are on the laptop) and a third is answered
at once with 429, words and Retry-After, after which the laptop asks again. The work
a device causes is therefore at most one page at a time, whatever it sends.

Per server process: another process behind the same balancer has its own gate, so a device
that reaches two processes may have one page computed in each (never more).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: How long a device's pull waits for the one before it (below the laptop's 30 s deadline).
WAIT_S = 20.0
#: Pulls of one device that may be in the server at once: the running one and one waiting.
MOST_PER_DEVICE = 2
#: The Retry-After of a busy answer, in seconds.
BUSY_RETRY_AFTER_S = 2

BUSY = ("the server is still preparing this laptop's previous page; "
        "the laptop asks again in a moment")


class DeviceBusyError(Exception):
    """This device already has a page in the making and one waiting."""


@dataclass
class _Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    holders: int = 0  # running and waiting pulls of the device


class DeviceGate:
    def __init__(self, wait_s: float = WAIT_S, most: int = MOST_PER_DEVICE) -> None:
        self.wait_s = wait_s
        self.most = most
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._guard = threading.Lock()

    @contextmanager
    def one_at_a_time(self, user_id: str, device_id: str) -> Iterator[None]:
        """Runs the body alone for this device; raises DeviceBusyError when the device has too
        many pulls in the server or the one before did not end in time."""
        key = (user_id, device_id)
        with self._guard:
            entry = self._entries.setdefault(key, _Entry())
            if entry.holders >= self.most:
                raise DeviceBusyError(BUSY)
            entry.holders += 1
        try:
            if not entry.lock.acquire(timeout=self.wait_s):
                raise DeviceBusyError(BUSY)
            try:
                yield
            finally:
                entry.lock.release()
        finally:
            with self._guard:
                entry.holders -= 1
                if entry.holders == 0:
                    del self._entries[key]

    def __len__(self) -> int:
        """Devices with a pull in the server now."""
        with self._guard:
            return len(self._entries)


#: The process's gate for the pull endpoint.
PULLS = DeviceGate()
