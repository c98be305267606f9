"""Server side of sync (docs/sync-protocol.md): push (`push.py`, merging in `merge.py`),
pull (`pull.py`), who may touch which row (`scoping.py`), values on the wire (`wire.py`)."""
