"""Primary keys: UUID version 7, the same shape the client makes (DESIGN.md, sync contract).

A copy of the client's generator rather than an import: the server reads only `app.contract`
from the client, so the two can be deployed and versioned apart.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_state = {"ms": 0, "counter": 0}


def uuid7() -> str:
    """A new UUIDv7 string, monotonic within this process (ids sort by creation time)."""
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _state["ms"]:
            ms = _state["ms"]
            _state["counter"] += 1
            if _state["counter"] > 0xFFF:
                ms += 1
                _state["counter"] = 0
        else:
            _state["counter"] = 0
        _state["ms"] = ms
        rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= _state["counter"] << 64
        value |= 0b10 << 62
        value |= rand
    return str(uuid.UUID(int=value))
