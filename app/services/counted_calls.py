"""The calls the engine has counted, held compactly: a territory has a million of them.

Today's engine is loaded from every submitted call; a call submitted later is counted when
its next steps are asked for (`Recommender.after_call`), one already counted only reacted to.
Held as a set of Python strings, a million call ids took some 115 MB, more than the engine's
features; here a canonical UUID (what the laptop and the server give every row) is 16 bytes
in a sorted array searched by bisection, and any other id stays a string in a small set. Exact
either way: two different ids never share a key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

KEY = "S16"


def packed(call_id: str) -> bytes | None:
    """The 16 bytes of a canonical (lower-case, hyphenated) UUID; None for any other id."""
    if len(call_id) != 36 or call_id != call_id.lower() \
            or call_id[8] + call_id[13] + call_id[18] + call_id[23] != "----":
        return None
    digits = call_id.replace("-", "")
    try:
        key = bytes.fromhex(digits)
    except ValueError:
        return None
    return key if len(digits) == 32 and len(key) == 16 else None


class CountedCalls:
    """A set of call ids that only grows: `in` and `add`."""

    def __init__(self, call_ids: Iterable[str] = ()) -> None:
        self.others: set[str] = set()
        keys = np.fromiter(self._split(call_ids), dtype=KEY)
        keys.sort()
        self.keys = keys

    def _split(self, call_ids: Iterable[str]) -> Iterator[bytes]:
        for call_id in call_ids:
            key = packed(call_id)
            if key is None:
                self.others.add(call_id)
            else:
                yield key

    def __contains__(self, call_id: object) -> bool:
        if not isinstance(call_id, str):
            return False
        key = packed(call_id)
        if key is None or call_id in self.others:
            return call_id in self.others
        at = int(np.searchsorted(self.keys, np.array(key, dtype=KEY)))
        return at < len(self.keys) and bytes(self.keys[at]).ljust(16, b"\0") == key

    def add(self, call_id: str) -> None:
        """A call counted after loading: a few a day, kept as strings."""
        self.others.add(call_id)

    def __len__(self) -> int:
        return len(self.keys) + len(self.others)
