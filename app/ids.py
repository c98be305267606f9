"""Primary keys made where the row is made: UUID version 7 (RFC 9562).

Shared by the client's store and the server (both may create synced rows), so the two can
never disagree on the key's shape.

Time-ordered UUIDs keep B-tree inserts local (new rows land at the end of the index) and let
any replica create rows offline without asking the server for a key (docs/architecture.md,
"Design rules").
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A new UUIDv7 as its canonical 36-character string, monotonic within this process."""
    global _last_ms, _counter  # noqa: PLW0603 - process-wide monotonic clock state
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            # Same millisecond (or the clock stepped back): count up so ids stay ordered.
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:
                ms += 1
                _counter = 0
        else:
            _counter = 0
        _last_ms = ms
        rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= _counter << 64
        value |= 0b10 << 62
        value |= rand
    return str(uuid.UUID(int=value))
